"""The steps both PDF benchmarks time, and their table: build, sign, encrypt, verify.

``bench_pdf_sign.py`` times them on a plain 10-page PDF, ``bench_referral.py`` on the
real 10-page referral; what is timed, and how it is printed, is the same.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from timing import percentile, timed

from safeguard_desktop.pdf.encryption import encrypt_pdf
from safeguard_desktop.pdf.signing import generate_signing_identity, sign_pdf, verify_pdf

PDF_PASSWORD = "a long pdf password"


def time_signing(build: Callable[[], bytes], signer: str, runs: int) -> None:
    """Build, sign, encrypt and sign, and verify ``runs`` times; print median and p95."""
    identity = generate_signing_identity("Riverside Juniors FC")
    results: dict[str, list[float]] = {
        "build 10 pages": [],
        "sign": [],
        "build + sign": [],
        "encrypt + sign": [],
        "verify": [],
    }
    pdf = b""
    for _ in range(runs):
        t_build, pdf = timed(build)
        t_sign, signed = timed(
            lambda pdf=pdf: sign_pdf(pdf, identity, signer_name=signer, reason="Referral")
        )
        t_enc, _ = timed(
            lambda pdf=pdf: sign_pdf(
                encrypt_pdf(pdf, PDF_PASSWORD),
                identity,
                signer_name=signer,
                reason="Referral",
                pdf_password=PDF_PASSWORD,
            )
        )
        t_verify, result = timed(
            lambda signed=signed: verify_pdf(signed, trusted_cert_pem=identity.cert_pem)
        )
        assert result.ok and result.trusted
        results["build 10 pages"].append(t_build)
        results["sign"].append(t_sign)
        results["build + sign"].append(t_build + t_sign)
        results["encrypt + sign"].append(t_enc)
        results["verify"].append(t_verify)

    print(f"{'step':<16} {'median ms':>10} {'p95 ms':>10}   ({runs} runs, {len(pdf)} bytes)")
    for name, values in results.items():
        print(f"{name:<16} {statistics.median(values):>10.1f} {percentile(values, 0.95):>10.1f}")
