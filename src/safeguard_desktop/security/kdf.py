"""Argon2id key derivation, with the parameters stored beside each key slot.

Parameters are calibrated once at setup so that deriving one key takes roughly
0.3 to 1.0 s on the PC that made the store, never less than 64 MiB and t=3.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

KEY_BYTES = 32
MIN_MEMORY_KIB = 64 * 1024
MAX_MEMORY_KIB = 1024 * 1024
MIN_ITERATIONS = 3
TARGET_SECONDS = 0.4


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters; ``memory_kib`` is in kibibytes."""

    memory_kib: int = MIN_MEMORY_KIB
    iterations: int = MIN_ITERATIONS
    parallelism: int = 2

    def to_json(self) -> dict[str, object]:
        return {
            "algorithm": "argon2id",
            "memory_kib": self.memory_kib,
            "iterations": self.iterations,
            "parallelism": self.parallelism,
        }

    def meets_minimum(self) -> bool:
        """At least the cost every store has been made with (64 MiB, t=3, p=1).

        A slot below it was not made by this program: someone lowered the numbers in
        vault.json so that a password set later would be cheap to guess.
        """
        return (
            self.memory_kib >= MIN_MEMORY_KIB
            and self.iterations >= MIN_ITERATIONS
            and self.parallelism >= 1
        )

    @classmethod
    def from_json(cls, data: dict[str, object]) -> KdfParams:
        if data.get("algorithm") != "argon2id":
            raise ValueError("unsupported key derivation algorithm")
        memory = data["memory_kib"]
        iterations = data["iterations"]
        parallelism = data["parallelism"]
        if not all(
            isinstance(v, int) and not isinstance(v, bool)
            for v in (memory, iterations, parallelism)
        ):
            raise ValueError("key derivation parameters must be integers")
        assert isinstance(memory, int) and isinstance(iterations, int)
        assert isinstance(parallelism, int)
        if not (
            8 <= memory <= 4 * MAX_MEMORY_KIB and 1 <= iterations <= 64 and 1 <= parallelism <= 16
        ):
            raise ValueError("key derivation parameters are out of range")
        return cls(memory_kib=memory, iterations=iterations, parallelism=parallelism)


def derive_key(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Derive a 32-byte key from a password or recovery code."""
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=params.iterations,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def calibrate(target_seconds: float = TARGET_SECONDS) -> KdfParams:
    """Pick Argon2id parameters that take about ``target_seconds`` here.

    Memory doubles from 64 MiB until one derivation reaches the target (or
    1 GiB); iterations stay at 3, so the cost grows in memory, which is what
    makes guessing on graphics cards expensive.
    """
    memory = MIN_MEMORY_KIB
    params = KdfParams(memory_kib=memory)
    while True:
        started = time.perf_counter()
        derive_key(b"calibration", b"\x00" * 16, params)
        elapsed = time.perf_counter() - started
        if elapsed >= target_seconds or memory >= MAX_MEMORY_KIB:
            return params
        # Aim straight at the target but never more than quadruple per step.
        factor = min(4.0, max(2.0, target_seconds / max(elapsed, 1e-3)))
        memory = min(MAX_MEMORY_KIB, int(memory * factor) // 1024 * 1024)
        params = KdfParams(memory_kib=memory)
