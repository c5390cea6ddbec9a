"""The key material: recovery key checks, key slots, sealed boxes and Argon2id parameters.

Slot tests use cheap Argon2id parameters (the mechanics do not depend on the cost);
one test calibrates for real and checks the floor of 64 MiB and t=3.
"""

from __future__ import annotations

import math
import random
import re
import secrets
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from safeguard_desktop.domain.errors import BadInput
from safeguard_desktop.security import key_slots, recovery_key, sealing
from safeguard_desktop.security.kdf import (
    MIN_ITERATIONS,
    MIN_MEMORY_KIB,
    KdfParams,
    calibrate,
    derive_key,
)
from safeguard_desktop.security.key_slots import KeySlot, SlotLocked

FAST_KDF = KdfParams(memory_kib=64, iterations=1, parallelism=1)
PASSWORD = b"correct horse battery"


def _flip(data: bytes, offset: int, mask: int = 0x01) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= mask
    return bytes(changed)


# Recovery key ------------------------------------------------------------------


def _sample_groups(count: int) -> list[str]:
    rng = random.Random(20261123)  # noqa: S311 - a fixed, reproducible sample; not a secret
    groups = recovery_key.groups_of(recovery_key.generate())
    while len(groups) < count:
        data = "".join(rng.choice("0123456789") for _ in range(recovery_key.DATA_DIGITS))
        # A correct group built from the public key's own format: the first five
        # digits of a generated key, re-checked to find its check digit.
        check = next(d for d in "0123456789" if recovery_key.check_group(data + d))
        groups.append(data + check)
    return groups


def test_generated_key_has_eight_checked_groups_and_normalises_to_itself() -> None:
    key = recovery_key.generate()
    assert re.fullmatch(r"\d{6}(-\d{6}){7}", key)
    assert all(recovery_key.check_group(group) for group in recovery_key.groups_of(key))
    assert recovery_key.normalise(key) == key


def test_each_group_has_exactly_one_valid_check_digit() -> None:
    for group in _sample_groups(300):
        valid = [d for d in "0123456789" if recovery_key.check_group(group[:5] + d)]
        assert valid == [group[5]]


def test_every_single_digit_typo_is_caught() -> None:
    for group in _sample_groups(400):
        for position in range(recovery_key.GROUP_LENGTH):
            for digit in "0123456789":
                if digit == group[position]:
                    continue
                typo = group[:position] + digit + group[position + 1 :]
                assert not recovery_key.check_group(typo), (group, typo)


def test_every_adjacent_swap_is_caught() -> None:
    swaps = 0
    for group in _sample_groups(400):
        for position in range(recovery_key.GROUP_LENGTH - 1):
            a, b = group[position], group[position + 1]
            if a == b:
                continue
            swapped = group[:position] + b + a + group[position + 2 :]
            assert not recovery_key.check_group(swapped), (group, swapped)
            swaps += 1
    assert swaps > 1500  # the sample really exercised swaps, including with the check digit


@pytest.mark.parametrize("group_number", range(1, recovery_key.GROUPS + 1))
def test_normalise_names_the_group_with_a_typo(group_number: int) -> None:
    key = recovery_key.generate()
    groups = recovery_key.groups_of(key)
    for position in range(recovery_key.GROUP_LENGTH):
        group = groups[group_number - 1]
        wrong = str((int(group[position]) + 1) % 10)
        bad = [*groups]
        bad[group_number - 1] = group[:position] + wrong + group[position + 1 :]
        with pytest.raises(BadInput) as caught:
            recovery_key.normalise("-".join(bad))
        assert f"Group {group_number} " in str(caught.value)
        assert caught.value.field == "recovery_key"
        # The message points at the group but never repeats the digits typed.
        assert bad[group_number - 1] not in str(caught.value)
    # A swap inside the group is named the same way.
    group = groups[group_number - 1]
    position = next((i for i in range(5) if group[i] != group[i + 1]), None)
    if position is not None:
        bad = [*groups]
        bad[group_number - 1] = (
            group[:position] + group[position + 1] + group[position] + group[position + 2 :]
        )
        with pytest.raises(BadInput, match=f"Group {group_number} "):
            recovery_key.normalise("-".join(bad))


def test_spaces_dashes_and_no_separators_are_accepted() -> None:
    key = recovery_key.generate()
    groups = recovery_key.groups_of(key)
    forms = [
        " ".join(groups),
        "".join(groups),
        "  " + " - ".join(groups) + "\n",
        "–".join(groups),  # an en dash, as word processors turn "-" into
        "\t".join(groups),
        " ".join(g[:3] + " " + g[3:] for g in groups),
    ]
    for form in forms:
        assert recovery_key.normalise(form) == key
        assert recovery_key.secret_bytes(form) == key.replace("-", "").encode("ascii")


@pytest.mark.parametrize(
    "typed",
    ["", "123456", "abcdef-" * 8, "12345O-" * 8],
    ids=["empty", "one_group", "letters", "letter_o_for_zero"],
)
def test_wrong_shapes_are_bad_input(typed: str) -> None:
    with pytest.raises(BadInput) as caught:
        recovery_key.normalise(typed)
    assert caught.value.field == "recovery_key"


def test_entropy_is_at_least_128_bits_of_random_digits() -> None:
    bits = recovery_key.GROUPS * recovery_key.DATA_DIGITS * math.log2(10)
    assert bits >= 128
    keys = [recovery_key.generate() for _ in range(300)]
    assert len(set(keys)) == len(keys)
    # Every data digit position takes every value: the digits really are random,
    # not a fixed or counter-based pattern.
    for group_index in range(recovery_key.GROUPS):
        for position in range(recovery_key.DATA_DIGITS):
            seen = {recovery_key.groups_of(k)[group_index][position] for k in keys}
            assert seen == set("0123456789"), (group_index, position)


# Key slots ---------------------------------------------------------------------


def _slot(
    *, user_id: str | None = "user-1", device: bytes | None = None, db_key: bytes | None = None
) -> key_slots.OpenedSlot:
    return key_slots.create_slot(
        kind="password",
        user_id=user_id,
        secret=PASSWORD,
        kdf=FAST_KDF,
        device_secret=device,
        db_key=secrets.token_bytes(32) if db_key is None else db_key,
    )


def test_slot_opens_with_the_right_password_and_gives_the_key() -> None:
    made = _slot()
    restored = KeySlot.from_json(made.slot.to_json())
    assert restored == made.slot
    opened = key_slots.open_slot(restored, PASSWORD, None)
    assert opened.db_key == made.db_key
    assert sealing.private_bytes(opened.private_key) == sealing.private_bytes(made.private_key)


def test_slot_json_holds_no_key_in_the_clear() -> None:
    made = _slot()
    text = repr(made.slot.to_json()).encode()
    assert made.db_key is not None
    for secret in (made.db_key, sealing.private_bytes(made.private_key)):
        assert secret not in text
        assert secret.hex().encode() not in text
    assert PASSWORD not in text


@pytest.mark.parametrize("wrong", [b"", b"correct horse batter", b"Correct horse battery"])
def test_wrong_password_is_slot_locked(wrong: bytes) -> None:
    with pytest.raises(SlotLocked):
        key_slots.open_slot(_slot().slot, wrong, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [("user_id", "user-2"), ("user_id", None), ("id", "0000000000000000"), ("kind", "recovery")],
)
def test_slot_moved_to_another_account_does_not_open(field: str, value: object) -> None:
    made = _slot()
    data = made.slot.to_json()
    data[field] = value
    moved = KeySlot.from_json(data)
    with pytest.raises(SlotLocked):
        key_slots.open_slot(moved, PASSWORD, None)


def test_every_flipped_byte_in_the_wrapped_key_is_slot_locked() -> None:
    slot = _slot().slot
    for offset in range(len(slot.wrapped_private_key)):
        damaged = replace(slot, wrapped_private_key=_flip(slot.wrapped_private_key, offset))
        with pytest.raises(SlotLocked):
            key_slots.open_slot(damaged, PASSWORD, None)


@pytest.mark.parametrize("mask", [0x01, 0x80])
def test_every_flipped_byte_in_the_sealed_key_is_slot_locked(mask: int) -> None:
    slot = _slot().slot
    assert slot.sealed_db_key is not None
    for offset in range(len(slot.sealed_db_key)):
        damaged = replace(slot, sealed_db_key=_flip(slot.sealed_db_key, offset, mask))
        with pytest.raises(SlotLocked):
            key_slots.open_slot(damaged, PASSWORD, None)


def test_sealed_key_from_another_slot_does_not_open() -> None:
    one, other = _slot(), _slot()
    swapped = replace(one.slot, sealed_db_key=other.slot.sealed_db_key)
    with pytest.raises(SlotLocked):
        key_slots.open_slot(swapped, PASSWORD, None)


def test_device_bound_slot_needs_this_pcs_device_secret() -> None:
    device = secrets.token_bytes(32)
    made = _slot(device=device)
    assert made.slot.device_bound
    assert key_slots.open_slot(made.slot, PASSWORD, device).db_key == made.db_key
    with pytest.raises(SlotLocked):
        key_slots.open_slot(made.slot, PASSWORD, None)
    with pytest.raises(SlotLocked):
        key_slots.open_slot(made.slot, PASSWORD, secrets.token_bytes(32))
    # Claiming the slot is not device bound changes the associated data: no way round.
    data = made.slot.to_json()
    data["device_bound"] = False
    with pytest.raises(SlotLocked):
        key_slots.open_slot(KeySlot.from_json(data), PASSWORD, None)


def test_rewrap_keeps_the_same_key_under_a_new_password() -> None:
    made = _slot()
    opened = key_slots.open_slot(made.slot, PASSWORD, None)
    new_slot = key_slots.rewrap(opened, b"a new passphrase", FAST_KDF, None)
    assert new_slot.slot_id == made.slot.slot_id
    assert new_slot.user_id == made.slot.user_id
    assert new_slot.salt != made.slot.salt
    reopened = key_slots.open_slot(new_slot, b"a new passphrase", None)
    assert reopened.db_key == made.db_key
    assert sealing.private_bytes(reopened.private_key) == sealing.private_bytes(made.private_key)
    with pytest.raises(SlotLocked):
        key_slots.open_slot(new_slot, PASSWORD, None)


def test_seal_db_key_gives_a_new_key_without_the_password() -> None:
    made = _slot()
    new_key = secrets.token_bytes(32)
    resealed = key_slots.seal_db_key(made.slot, new_key)
    assert key_slots.open_slot(resealed, PASSWORD, None).db_key == new_key


def test_slot_without_a_database_key_opens_to_none() -> None:
    made = key_slots.create_slot(
        kind="password",
        user_id="rec",
        secret=PASSWORD,
        kdf=FAST_KDF,
        device_secret=None,
        db_key=None,
    )
    assert made.slot.sealed_db_key is None
    assert made.slot.to_json()["sealed_db_key"] is None
    assert key_slots.open_slot(made.slot, PASSWORD, None).db_key is None


def test_recovery_slot_opens_with_the_recovery_code_in_any_spacing() -> None:
    code = recovery_key.generate()
    db_key = secrets.token_bytes(32)
    made = key_slots.create_slot(
        kind="recovery",
        user_id=None,
        secret=recovery_key.secret_bytes(code),
        kdf=FAST_KDF,
        device_secret=None,
        db_key=db_key,
    )
    spaced = " ".join(recovery_key.groups_of(code))
    assert key_slots.open_slot(made.slot, recovery_key.secret_bytes(spaced), None).db_key == db_key


# Sealed boxes ------------------------------------------------------------------


def test_seal_round_trip_and_fresh_ciphertext_each_time() -> None:
    private, public = sealing.new_keypair()
    message = "Żółć 😀 a concern".encode()
    first = sealing.seal(message, public, b"concern:C-1234-5678")
    second = sealing.seal(message, public, b"concern:C-1234-5678")
    assert first != second
    assert message not in first
    for blob in (first, second):
        assert sealing.open_sealed(blob, private, b"concern:C-1234-5678") == message


def test_every_tampered_byte_is_a_seal_error() -> None:
    private, public = sealing.new_keypair()
    blob = sealing.seal(b"secret text", public, b"aad")
    for offset in range(len(blob)):
        for mask in (0x01, 0x80):
            with pytest.raises(sealing.SealError):
                sealing.open_sealed(_flip(blob, offset, mask), private, b"aad")


def test_truncated_or_extended_box_is_a_seal_error() -> None:
    private, public = sealing.new_keypair()
    blob = sealing.seal(b"secret text", public)
    for broken in (b"", blob[:1], blob[:33], blob[:-1], blob + b"\x00"):
        with pytest.raises(sealing.SealError):
            sealing.open_sealed(broken, private)


def test_wrong_associated_data_is_a_seal_error() -> None:
    private, public = sealing.new_keypair()
    blob = sealing.seal(b"secret text", public, b"concern:C-AAAA-BBBB")
    for aad in (b"", b"concern:C-AAAA-BBBC", b"event:C-AAAA-BBBB"):
        with pytest.raises(sealing.SealError):
            sealing.open_sealed(blob, private, aad)


def test_wrong_private_key_is_a_seal_error() -> None:
    _, public = sealing.new_keypair()
    blob = sealing.seal(b"secret text", public)
    with pytest.raises(sealing.SealError):
        sealing.open_sealed(blob, X25519PrivateKey.generate())


# Key derivation ----------------------------------------------------------------


def test_kdf_params_round_trip() -> None:
    params = KdfParams(memory_kib=262144, iterations=3, parallelism=2)
    data = params.to_json()
    assert data["algorithm"] == "argon2id"
    assert KdfParams.from_json(data) == params
    assert KdfParams.from_json(KdfParams().to_json()) == KdfParams()


@pytest.mark.parametrize(
    "change",
    [
        {"algorithm": "argon2i"},
        {"algorithm": None},
        {"memory_kib": 4},
        {"memory_kib": 8 * 1024 * 1024},
        {"iterations": 0},
        {"iterations": 65},
        {"parallelism": 0},
        {"parallelism": 17},
        {"memory_kib": "65536"},
        {"iterations": 3.0},
    ],
    ids=lambda change: "-".join(f"{k}={v}" for k, v in change.items()),
)
def test_kdf_params_out_of_range_are_rejected(change: dict[str, object]) -> None:
    data = {**KdfParams().to_json(), **change}
    with pytest.raises(ValueError):
        KdfParams.from_json(data)


def test_derive_key_depends_on_every_input() -> None:
    salt = b"\x01" * 16
    base = derive_key(PASSWORD, salt, FAST_KDF)
    assert len(base) == 32
    assert derive_key(PASSWORD, salt, FAST_KDF) == base
    assert derive_key(PASSWORD + b"!", salt, FAST_KDF) != base
    assert derive_key(PASSWORD, b"\x02" * 16, FAST_KDF) != base
    assert derive_key(PASSWORD, salt, replace(FAST_KDF, iterations=2)) != base
    assert derive_key(PASSWORD, salt, replace(FAST_KDF, memory_kib=128)) != base


def test_defaults_meet_the_floor() -> None:
    params = KdfParams()
    assert params.memory_kib >= 64 * 1024
    assert params.iterations >= 3


def test_calibrate_never_goes_below_64_mib_and_three_passes() -> None:
    # Slow by design (it measures this PC): called once.
    params = calibrate()
    assert params.memory_kib >= MIN_MEMORY_KIB == 64 * 1024
    assert params.iterations == MIN_ITERATIONS == 3
    assert params.memory_kib % 1024 == 0
    assert KdfParams.from_json(params.to_json()) == params
