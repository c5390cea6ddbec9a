"""What someone who receives a signed referral can do to it without breaking its signature.

Each function is the attacker's few lines of pyHanko (or plain bytes), nothing of ours:
none touches a signed byte, so the signature itself stays valid and only a check of
what was added after signing can notice.
"""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

NEW_TITLE = "No further action needed"
OVERLAY_TEXT = "Closed: no concerns. Do not act on this referral."


def _written(writer: IncrementalPdfFileWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def change_title(pdf: bytes) -> bytes:
    """An incremental update that rewrites /Info /Title (what a PDF reader's title bar shows)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    info = writer.trailer["/Info"]
    info[generic.NameObject("/Title")] = generic.TextStringObject(NEW_TITLE)
    writer.update_container(info)
    return _written(writer)


def append_bytes(pdf: bytes) -> bytes:
    """Bytes after the signed file's last %%EOF: any text at all."""
    return pdf + f"\n% {OVERLAY_TEXT}\n".encode()


def append_object(pdf: bytes) -> bytes:
    """Bytes after the signed file's last %%EOF shaped like a PDF object, with an end of their own.

    With no cross-reference before the new %%EOF, pyHanko cannot parse the file whole;
    poppler reads on.
    """
    return pdf + f"\n99 0 obj\n({OVERLAY_TEXT})\nendobj\n%%EOF\n".encode()


def add_overlay(pdf: bytes) -> bytes:
    """An incremental update adding a FreeText annotation (a typed note) over page 1."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    page_ref, _ = writer.find_page_for_modification(0)
    note = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.FloatObject(n) for n in (40, 700, 560, 780)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject(OVERLAY_TEXT),
            generic.NameObject("/DA"): generic.pdf_string("/Helv 16 Tf 1 0 0 rg"),
        }
    )
    note_ref = writer.add_object(note)
    page = page_ref.get_object()
    if "/Annots" in page:
        annotations = page["/Annots"]
        annotations.append(note_ref)
        writer.update_container(annotations)
    else:
        page[generic.NameObject("/Annots")] = generic.ArrayObject([note_ref])
    writer.update_container(page)
    return _written(writer)
