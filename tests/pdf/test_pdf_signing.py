"""PDF signing and verification, checked by pyHanko AND by poppler's pdfsig.

pdfsig is an independent implementation (NSS underneath), so a signature it
accepts is one other PDF readers will accept too. For our self-signed
certificates it reports "Certificate issuer is unknown", which is expected;
the "Signature Validation" line is the one that must say valid.
"""

from __future__ import annotations

import logging
import random
import re
import socket
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import as_signing_certificate_v2
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from safeguard_desktop.domain.errors import BadInput, WrongCredentials
from safeguard_desktop.pdf.encryption import encrypt_pdf
from safeguard_desktop.pdf.fonts import register_fonts
from safeguard_desktop.pdf.signature_stamp import SIGNATURE_SPACE, stamp_page
from safeguard_desktop.pdf.signing import (
    SigningIdentity,
    _signer,
    _SigningCertificateParsed,
    generate_signing_identity,
    load_pkcs12,
    sign_pdf,
    verify_pdf,
)
from safeguard_desktop.pdf.signing_identity import asn1_cert

ORG = "Klub Piłkarski Żuraw Łódź"
SIGNER = "Łucja Żak"
PASSWORD = "zielona-żaba-42"
VALID_LINE = "Signature Validation: Signature is Valid."


def make_pdf(pages: int = 1, text: str = "Referral for Amelia Kowalska") -> bytes:
    regular, _ = register_fonts()
    style = ParagraphStyle("body", fontName=regular, fontSize=11)
    story: list[object] = []
    for number in range(1, pages + 1):
        story.append(Paragraph(f"{text}, page {number}. Zażółć gęślą jaźń.", style))
        if number < pages:
            story.append(PageBreak())
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, initialFontName=regular).build(story)
    return out.getvalue()


def pdfsig(path: Path, password: str | None = None) -> str:
    args = ["pdfsig"]
    if password is not None:
        args += ["-upw", password]
    run = subprocess.run([*args, str(path)], capture_output=True, text=True, check=False)
    return run.stdout + run.stderr


def byte_range(pdf: bytes) -> list[int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match is not None
    return [int(n) for n in match.groups()]


@pytest.fixture(scope="module")
def identity() -> SigningIdentity:
    return generate_signing_identity(ORG)


@pytest.fixture(scope="module")
def signed(identity: SigningIdentity) -> bytes:
    return sign_pdf(make_pdf(3), identity, signer_name=SIGNER, reason="Referral to social care")


# --- the signing identity -------------------------------------------------


def test_generated_identity_names_the_organisation_and_allows_signing(
    identity: SigningIdentity,
) -> None:
    cert = x509.load_pem_x509_certificate(identity.cert_pem)
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == ORG
    assert (
        cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == f"{ORG} safeguarding"
    )
    assert cert.issuer == cert.subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365
    assert 9.9 < years < 10.1
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", identity.fingerprint_sha256)
    assert identity.fingerprint_sha256.replace(":", "").lower() == (
        cert.fingerprint(hashes.SHA256()).hex()
    )
    assert identity.key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8, unencrypted
    assert b"PRIVATE KEY" not in repr(identity).encode()


def test_a_long_name_in_any_script_is_cut_to_fit_the_certificate() -> None:
    # 54 characters, 63 bytes: with " safeguarding" the common name is 73 bytes, more than
    # a certificate's name may hold (cryptography counts bytes).
    org = "Stowarzyszenie Pomocy Dzieciom Źródło Łódź Śródmieście"
    made = generate_signing_identity(org)
    cert = x509.load_pem_x509_certificate(made.cert_pem)
    common = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    organisation = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert organisation == org == made.organisation
    assert len(str(common).encode()) <= 64 and f"{org} safeguarding".startswith(str(common))
    longer = generate_signing_identity("Żółć " * 20)  # cut inside a two-byte letter
    assert longer.organisation == ("Żółć " * 7).rstrip()  # 63 bytes; Ż would make 65
    assert verify_pdf(
        sign_pdf(make_pdf(), longer, signer_name=SIGNER, reason="r"),
        trusted_cert_pem=longer.cert_pem,
    ).ok


def test_empty_organisation_name_is_bad_input() -> None:
    with pytest.raises(BadInput) as err:
        generate_signing_identity("   ")
    assert err.value.field == "org_name"


# --- signing and verifying ------------------------------------------------


def test_signed_pdf_verifies_in_pyhanko_and_pdfsig(
    identity: SigningIdentity, signed: bytes, tmp_path: Path
) -> None:
    result = verify_pdf(signed, trusted_cert_pem=identity.cert_pem)
    assert result.intact and result.valid and result.trusted and result.ok
    assert result.signer == SIGNER
    assert result.organisation == ORG
    assert result.coverage == "entire_file"
    assert result.fingerprint_sha256 == identity.fingerprint_sha256
    assert result.signature_count == 1
    assert result.signed_at is not None
    assert abs(datetime.now(UTC) - result.signed_at) < timedelta(minutes=5)
    assert result.message.endswith(".") and result.message.count(". ") == 0

    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = pdfsig(path)
    assert VALID_LINE in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report  # PAdES, not the older adbe.pkcs7 subfilter
    assert f"O={ORG}" in report


def test_the_signing_certificate_attribute_is_pyhankos_built_once(
    identity: SigningIdentity, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real signature asks the parsed provider for the attribute (a pyHanko that stopped
    # going through _signed_attr_providers would sign without it, and fail here).
    built: list[bool] = []
    real = _SigningCertificateParsed.build_attr_value

    async def counted(self: _SigningCertificateParsed, dry_run: bool = False) -> object:
        built.append(dry_run)
        return await real(self, dry_run)

    monkeypatch.setattr(_SigningCertificateParsed, "build_attr_value", counted)
    signed = sign_pdf(make_pdf(), identity, signer_name=SIGNER, reason="r")
    assert built == [False]
    # What the signed PDF carries is byte for byte pyHanko's own attribute.
    signer_info = PdfFileReader(BytesIO(signed)).embedded_signatures[0].signer_info
    carried = [
        attribute["values"][0].dump()
        for attribute in signer_info["signed_attrs"]
        if attribute["type"].native == "signing_certificate_v2"
    ]
    certificate = asn1_cert(identity.cert_pem)
    assert carried == [as_signing_certificate_v2(certificate).dump()]


@pytest.mark.parametrize("kind", ["generated", "pkcs12", "traditional"])
def test_the_signing_key_is_read_as_cryptography_reads_it(
    identity: SigningIdentity, kind: str, tmp_path: Path
) -> None:
    used = load_pkcs12(_rsa_pkcs12(b"p12-pass"), b"p12-pass") if kind == "pkcs12" else identity
    key = serialization.load_pem_private_key(used.key_pem, None)
    if kind == "traditional":  # an older PEM form: read through cryptography instead
        traditional = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        assert b"BEGIN EC PRIVATE KEY" in traditional
        used = replace(used, key_pem=traditional)
    pkcs8 = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert _signer(used).signing_key.dump() == pkcs8
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(make_pdf(), used, signer_name=SIGNER, reason="r"))
    assert VALID_LINE in pdfsig(path)


def test_signing_and_verifying_need_no_network(
    identity: SigningIdentity, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    pdf = sign_pdf(make_pdf(), identity, signer_name=SIGNER, reason="r")
    assert verify_pdf(pdf, trusted_cert_pem=identity.cert_pem).trusted
    assert verify_pdf(pdf).ok  # no trust list: still nothing fetched


def test_untrusted_or_other_certificate_is_valid_but_not_trusted(signed: bytes) -> None:
    untrusted = verify_pdf(signed)
    assert untrusted.intact and untrusted.valid and not untrusted.trusted
    assert "fingerprint" in untrusted.message

    other = generate_signing_identity("Another Club")
    wrong_trust = verify_pdf(signed, trusted_cert_pem=other.cert_pem)
    assert wrong_trust.intact and wrong_trust.valid and not wrong_trust.trusted
    assert "not the one you trust" in wrong_trust.message


def test_flipped_byte_inside_signed_range_is_caught_by_both(signed: bytes, tmp_path: Path) -> None:
    start, first_len, _, _ = byte_range(signed)
    # A byte inside the first compressed stream: the file still parses, only
    # the digest can notice.
    stream_at = signed.index(b"stream\n", start) + len(b"stream\n")
    position = stream_at + 20
    assert position < start + first_len
    tampered = bytearray(signed)
    tampered[position] ^= 0x01

    result = verify_pdf(bytes(tampered))
    assert not result.intact
    assert not result.ok
    assert "changed since it was signed" in result.message

    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(tampered))
    report = pdfsig(path)
    assert "Signature Validation: Digest Mismatch." in report
    assert VALID_LINE not in report


def test_content_appended_after_signing_is_not_intact(signed: bytes, tmp_path: Path) -> None:
    # An incremental update that paints over page 1: the signed bytes are
    # untouched, so only the difference analysis can catch it.
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    patch = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 0 0 600 800 re f Q"))
    writer.add_stream_to_page(0, patch)
    out = BytesIO()
    writer.write(out)

    result = verify_pdf(out.getvalue())
    assert result.valid
    assert not result.intact
    assert result.coverage == "entire_revision"

    path = tmp_path / "appended.pdf"
    path.write_bytes(out.getvalue())
    assert "Total document signed" not in pdfsig(path)


def test_second_signature_keeps_the_first_intact(
    identity: SigningIdentity, signed: bytes, tmp_path: Path
) -> None:
    twice = sign_pdf(
        signed, identity, signer_name="Sam Lee", reason="Countersigned", field_name="Signature2"
    )
    result = verify_pdf(twice, trusted_cert_pem=identity.cert_pem)
    assert result.signature_count == 2
    assert result.intact and result.valid and result.trusted
    assert result.signer == SIGNER  # the report is about the first signature
    assert result.coverage == "entire_revision"
    path = tmp_path / "twice.pdf"
    path.write_bytes(twice)
    assert pdfsig(path).count(VALID_LINE) == 2


def test_visible_box_is_on_the_last_page(signed: bytes) -> None:
    reader = PdfFileReader(BytesIO(signed))
    last_page_ref, _ = reader.find_page_for_modification(-1)
    first_page_ref, _ = reader.find_page_for_modification(0)
    (field,) = reader.root["/AcroForm"]["/Fields"]
    field = field.get_object()
    assert field["/T"] == "Signature1"
    assert field.raw_get("/P").reference == last_page_ref.reference != first_page_ref.reference
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 40
    assert x2 <= float(A4[0]) and y1 >= 0
    assert y2 <= SIGNATURE_SPACE  # inside the space documents keep free for it
    assert "/N" in field["/AP"]


def test_stamp_prints_polish_names_in_the_embedded_font(tmp_path: Path) -> None:
    page = stamp_page(
        240, 72, signer=SIGNER, organisation=ORG, when="23 November 2026, 14:24 GMT", reason="R"
    )
    path = tmp_path / "stamp.pdf"
    path.write_bytes(page)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert SIGNER in text and ORG in text and "14:24" in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    rows = fonts.splitlines()[2:]
    assert rows
    # Every font is our DejaVu, embedded ("emb") as a subset ("sub").
    assert all("DejaVuSans" in row and re.search(r"\byes\s+yes\b", row) for row in rows)


def test_invisible_signature_has_no_box(identity: SigningIdentity) -> None:
    pdf = sign_pdf(make_pdf(), identity, signer_name=SIGNER, reason="r", visible=False)
    reader = PdfFileReader(BytesIO(pdf))
    (field,) = reader.root["/AcroForm"]["/Fields"]
    assert all(float(v) == 0 for v in field.get_object()["/Rect"])
    assert verify_pdf(pdf).ok


# --- encrypted PDFs: encrypt first, sign second ---------------------------


@pytest.fixture(scope="module")
def encrypted_signed(identity: SigningIdentity) -> bytes:
    locked = encrypt_pdf(make_pdf(2, text="Secret referral text"), PASSWORD)
    return sign_pdf(locked, identity, signer_name=SIGNER, reason="r", pdf_password=PASSWORD)


def test_encrypted_signed_pdf_opens_only_with_the_password(
    encrypted_signed: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_signed)
    assert b"Secret referral text" not in encrypted_signed

    opened = subprocess.run(
        ["pdftotext", "-upw", PASSWORD, str(path), "-"], capture_output=True, text=True
    )
    assert opened.returncode == 0
    assert "Secret referral text, page 2" in opened.stdout

    refused = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert refused.returncode != 0
    assert "Secret referral" not in refused.stdout

    info = subprocess.run(
        ["pdfinfo", "-upw", PASSWORD, str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Encrypted:\s+yes.*AES-256", info)


def test_encrypted_signed_pdf_verifies_in_pyhanko_and_pdfsig(
    identity: SigningIdentity, encrypted_signed: bytes, tmp_path: Path
) -> None:
    result = verify_pdf(encrypted_signed, trusted_cert_pem=identity.cert_pem, password=PASSWORD)
    assert result.intact and result.valid and result.trusted
    assert result.signer == SIGNER
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_signed)
    report = pdfsig(path, PASSWORD)
    assert VALID_LINE in report
    assert "Total document signed" in report


def test_encrypted_pdf_needs_the_right_password(
    identity: SigningIdentity, encrypted_signed: bytes
) -> None:
    with pytest.raises(WrongCredentials, match="password protected"):
        verify_pdf(encrypted_signed)
    with pytest.raises(WrongCredentials, match="password is wrong"):
        verify_pdf(encrypted_signed, password="not it at all")
    locked = encrypt_pdf(make_pdf(), PASSWORD)
    with pytest.raises(WrongCredentials):
        sign_pdf(locked, identity, signer_name=SIGNER, reason="r", pdf_password="wrong one")
    with pytest.raises(BadInput) as err:
        sign_pdf(locked, identity, signer_name=SIGNER, reason="r")
    assert err.value.field == "pdf_password"


def test_a_changed_encrypted_pdf_says_changed_not_wrong_password(
    identity: SigningIdentity, encrypted_signed: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    # pyHanko reports a PDF MAC that no longer matches as a failed password: the
    # lead would be told to type a right password again, and never that the file
    # was changed.
    start, first_len, _, _ = byte_range(encrypted_signed)
    position = encrypted_signed.index(b"stream\n", start) + len(b"stream\n") + 20
    assert position < start + first_len
    tampered = bytearray(encrypted_signed)
    tampered[position] ^= 0x01
    with caplog.at_level(logging.DEBUG):
        result = verify_pdf(bytes(tampered), trusted_cert_pem=identity.cert_pem, password=PASSWORD)
    assert not result.intact and not result.ok and not result.trusted
    assert "changed since it was signed" in result.message
    # Reported in the result, so not also a warning with a traceback in the log.
    mac = [r for r in caplog.records if "Failed to validate MAC" in r.getMessage()]
    assert mac and all(r.levelno == logging.DEBUG and r.exc_info is None for r in mac)
    with pytest.raises(WrongCredentials, match="password is wrong"):
        verify_pdf(bytes(tampered), password="not it at all")


def test_short_pdf_password_is_refused() -> None:
    with pytest.raises(BadInput) as err:
        encrypt_pdf(make_pdf(), "short")
    assert err.value.field == "pdf_password"


# --- bad input never raises a traceback -----------------------------------


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"", "not a PDF"),
        (b"hello, this is not a PDF at all", "not a PDF"),
        (make_pdf(), "no digital signature"),
    ],
    ids=["empty", "text", "unsigned"],
)
def test_unusable_input_is_reported_not_raised(data: bytes, phrase: str) -> None:
    result = verify_pdf(data)
    assert not result.intact and not result.valid and not result.trusted
    assert result.coverage == "none"
    assert phrase in result.message


def test_truncated_signed_pdf_is_reported_not_raised(signed: bytes) -> None:
    for cut in (len(signed) // 2, len(signed) - 200, 500):
        result = verify_pdf(signed[:cut])
        assert not result.ok
        assert result.message.endswith(".")


CHILD = "Amelia Kowalska"


@pytest.fixture(scope="module")
def damaged(identity: SigningIdentity, encrypted_signed: bytes) -> dict[str, bytes]:
    """Signed PDFs damaged the ways files get damaged.

    The signer's name and reason are a child's name here, so that it sits in the file
    in plain bytes (a referral's text is in compressed streams, but nothing promises
    a damaged file's bytes are only those).
    """
    signed = sign_pdf(make_pdf(), identity, signer_name=CHILD, reason=f"Referral about {CHILD}")
    contents = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", signed)
    assert contents is not None
    start, end = contents.span(1)
    noise = random.Random(7)  # noqa: S311  # the same damage every run, not a secret
    garbage = bytes(noise.choice(b"0123456789abcdef") for _ in range(end - start))
    digit = b"1" if signed[start + 100 : start + 101] == b"0" else b"0"
    xref_entry = re.compile(rb"\d{10} 00000 n").search(signed, signed.rindex(b"\nxref\n"))
    assert xref_entry is not None
    flipped_xref = bytearray(signed)
    flipped_xref[xref_entry.start() + 6] ^= 0x03
    encrypt = re.search(rb"/Encrypt (\d+) 0 R", encrypted_signed)
    assert encrypt is not None
    encrypt_at = encrypted_signed.index(b"\n" + encrypt.group(1) + b" 0 obj") + 1
    return {
        "truncated": signed[: len(signed) // 2],
        "random bytes": noise.randbytes(20_000),
        "random bytes after a PDF header": b"%PDF-1.7\n" + noise.randbytes(20_000),
        "a flipped byte in the xref": bytes(flipped_xref),
        "garbage signature /Contents": signed[:start] + garbage + signed[end:],
        # pyHanko fails on this one with an AttributeError of its own.
        "one digit of /Contents changed": (signed[: start + 100] + digit + signed[start + 101 :]),
        # pyHanko's message for this one quotes the broken name: the child's.
        "a broken name in the signature": signed.replace(
            f"({CHILD})".encode(), b"/" + CHILD.replace(" ", "").encode() + b"#4", 1
        ),
        # The encryption dictionary is read before anything else of an encrypted file.
        "a broken encryption dictionary": (
            encrypted_signed[:encrypt_at] + b"x" + encrypted_signed[encrypt_at + 1 :]
        ),
    }


def test_damaged_pdfs_are_reported_in_one_sentence_not_raised(
    identity: SigningIdentity, damaged: dict[str, bytes]
) -> None:
    for damage, data in damaged.items():
        result = verify_pdf(data, trusted_cert_pem=identity.cert_pem, password=PASSWORD)
        assert not result.ok and not result.trusted, damage
        assert result.message.endswith(".") and result.message.count(". ") == 0, damage


def test_why_a_pdf_could_not_be_checked_is_logged_without_quoting_it(
    identity: SigningIdentity, damaged: dict[str, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    for damage, data in damaged.items():
        caplog.clear()
        with caplog.at_level(logging.DEBUG):
            verify_pdf(data, trusted_cert_pem=identity.cert_pem, password=PASSWORD)
        # By the exception's type and where it was raised...
        ours = [r for r in caplog.records if r.name == "safeguard_desktop.pdf.verification"]
        assert all(re.search(r": \w+ raised at [\w.]+:\d+$", r.getMessage()) for r in ours)
        # ...never by its message or traceback, which quote the file's bytes.
        assert all(r.exc_info is None for r in ours), damage
        assert "Kowalska" not in caplog.text and "Amelia" not in caplog.text, damage


def test_signing_garbage_is_bad_input(identity: SigningIdentity) -> None:
    with pytest.raises(BadInput) as err:
        sign_pdf(b"not a pdf", identity, signer_name=SIGNER, reason="r")
    assert err.value.field == "pdf"


# --- PKCS#12 import (RSA, as commercial certificates usually are) ---------


def _rsa_pkcs12(password: bytes, *, expired: bool = False, for_signing: bool = True) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Zofia Wójcik")])
    now = datetime.now(UTC)
    start, end = (
        (now - timedelta(days=800), now - timedelta(days=1))
        if expired
        else (
            now - timedelta(days=1),
            now + timedelta(days=365),
        )
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.KeyUsage(for_signing, False, True, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"zofia", key, cert, None, serialization.BestAvailableEncryption(password)
    )


def test_pkcs12_identity_signs_and_verifies(tmp_path: Path) -> None:
    imported = load_pkcs12(_rsa_pkcs12(b"p12-pass"), b"p12-pass")
    pdf = sign_pdf(make_pdf(), imported, signer_name="Zofia Wójcik", reason="r")
    result = verify_pdf(pdf, trusted_cert_pem=imported.cert_pem)
    assert result.intact and result.valid and result.trusted
    path = tmp_path / "rsa.pdf"
    path.write_bytes(pdf)
    assert VALID_LINE in pdfsig(path)


def test_pkcs12_errors_are_plain_sentences() -> None:
    data = _rsa_pkcs12(b"right")
    with pytest.raises(WrongCredentials):
        load_pkcs12(data, b"wrong")
    with pytest.raises(BadInput, match="not a certificate file"):
        load_pkcs12(b"definitely not pkcs12", b"x")
    with pytest.raises(BadInput, match="expired"):
        load_pkcs12(_rsa_pkcs12(b"pw", expired=True), b"pw")
    with pytest.raises(BadInput, match="not meant for signing"):
        load_pkcs12(_rsa_pkcs12(b"pw", for_signing=False), b"pw")


def test_identity_round_trips_through_stored_pem(identity: SigningIdentity) -> None:
    again = SigningIdentity.from_pem(identity.key_pem, identity.cert_pem)
    assert again == identity
    assert again.organisation == ORG


def _long_issuer_pkcs12(password: bytes, units: int) -> bytes:
    """RSA-4096, issued by a CA whose name runs to several KB (a council's many units)."""
    now = datetime.now(UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    units = [
        x509.NameAttribute(
            NameOID.ORGANIZATIONAL_UNIT_NAME, f"Safeguarding unit {n:03d} of children's services"
        )
        for n in range(units)
    ]
    ca_name = x509.Name([*units, x509.NameAttribute(NameOID.COMMON_NAME, "County CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Riverside Juniors FC")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"club", key, cert, [ca], serialization.BestAvailableEncryption(password)
    )


@pytest.mark.parametrize(
    ("units", "room"), [(30, "reckoned"), (30, "too little"), (120, "reckoned")]
)
def test_a_long_issuer_name_still_signs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    units: int,
    room: str,
) -> None:
    """The room kept for the signature counts the issuer's name as the signature repeats
    it (120 units: a name of about 9 KB, which once overflowed it); should a certificate
    still need more, pyHanko measures it and signing goes on."""
    from safeguard_desktop.pdf import signing

    imported = load_pkcs12(_long_issuer_pkcs12(b"p12-pass", units), b"p12-pass")
    if room == "too little":
        monkeypatch.setattr(signing, "SIGNATURE_ROOM_BYTES", -4000)
    with caplog.at_level(logging.INFO, logger=signing.__name__):
        pdf = sign_pdf(make_pdf(), imported, signer_name="Dana Lead", reason="Referral")
    measured = any("measured instead" in r.getMessage() for r in caplog.records)
    assert measured is (room == "too little")
    result = verify_pdf(pdf, trusted_cert_pem=imported.cert_pem)
    assert result.intact and result.valid
    if units <= 30:  # poppler's NSS gives up on names much longer than this
        path = tmp_path / "long-issuer.pdf"
        path.write_bytes(pdf)
        said = pdfsig(path)
        assert "Total document signed" in said and "Signature is Valid" in said


@pytest.mark.parametrize(
    "password",
    ["secret-שלום-word", "an emoji 🔒 password", "bell\x07and-more", "ab\u202ecdefghij"],
    ids=["mixed-directions", "emoji", "control-character", "bidi-override"],
)
def test_a_password_pdfs_cannot_take_is_refused_in_a_sentence(password: str) -> None:
    # pyHanko prepares a PDF 2.0 password with SASLprep and raised ValueError for these:
    # the command line's "something went wrong", and no protected PDF.
    with pytest.raises(BadInput, match="cannot protect a PDF") as err:
        encrypt_pdf(make_pdf(), password)
    assert err.value.field == "pdf_password"


@pytest.mark.parametrize("password", ["pässwörd-ñandú", "שלום שלום עולם", "пароль-для-файла"])
def test_passwords_beyond_ascii_that_pdfs_take_open_the_pdf(password: str, tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypt_pdf(make_pdf(text="Kept text"), password))
    opened = subprocess.run(
        ["pdftotext", "-upw", password, str(path), "-"], capture_output=True, text=True
    )
    assert opened.returncode == 0 and "Kept text" in opened.stdout
