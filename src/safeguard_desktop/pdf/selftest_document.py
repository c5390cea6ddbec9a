"""A PDF build, sign and verify round trip in memory, for ``selftest``.

It exercises everything a referral PDF needs on an installed copy (the
bundled font, reportlab, the cryptography backend, pyHanko signing and
verification) without touching the disk or any store.
"""

from __future__ import annotations

from io import BytesIO
from types import BuiltinFunctionType

from reportlab.lib import rl_accel
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from ..domain.errors import SafeguardError
from .fonts import register_fonts
from .signing import generate_signing_identity, sign_pdf, verify_pdf

# Polish, German and Greek letters: if the font is missing or not embedded,
# building this paragraph is where it shows.
_SAMPLE = "Self-test: Zażółć gęślą jaźń, Grüße, Καλημέρα."


def reportlab_accelerated() -> bool:
    """Whether reportlab found its C helpers (the rl_accel package).

    reportlab loads them with ``exec``, out of sight of the frozen build's import scan,
    and falls back to Python silently: about a third slower on every PDF (a full
    export makes tens of thousands), so the self-test says which one this copy runs.
    """
    return isinstance(rl_accel.fp_str, BuiltinFunctionType)


def selftest_pdf() -> bytes:
    """A one-page unsigned PDF set in the bundled font."""
    regular, _ = register_fonts()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, title="Safeguard Desktop self-test", initialFontName=regular
    )
    doc.build([Paragraph(_SAMPLE, ParagraphStyle("body", fontName=regular, fontSize=11))])
    return out.getvalue()


def roundtrip_check() -> tuple[bool, str]:
    """Build, sign and verify a one-page PDF; return (ok, one-sentence detail)."""
    try:
        identity = generate_signing_identity("Self-test")
        signed = sign_pdf(selftest_pdf(), identity, signer_name="Self-test", reason="Self-test")
        result = verify_pdf(signed, trusted_cert_pem=identity.cert_pem)
    except (SafeguardError, OSError) as exc:
        return False, f"The PDF round trip failed: {exc}"
    if not (result.intact and result.valid and result.trusted):
        return False, f"A freshly signed PDF did not verify: {result.message}"
    return True, f"A signed one-page PDF ({len(signed)} bytes) was built and verified."
