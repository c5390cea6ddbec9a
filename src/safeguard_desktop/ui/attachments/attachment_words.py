"""What the attachments list and the viewer say about one attached file, in the same words.

Times are said as every other screen says them (domain/date_words.py, in this PC's local
time), people by the name on their account, never their user name. The file's own name
is record text (it often holds a child's name): it is shown as plain text through
``record_label`` wherever it appears, and never goes into a file name, a log or the
clipboard.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from safeguard_desktop.domain.attachments import AttachmentRecord, size_words
from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.domain.text import display_safe

# As much of the SHA-256 as a person compares at a glance; the viewer shows all of it.
SHORT_SHA256 = 16


def _tr(text: str) -> str:
    return QCoreApplication.translate("AttachmentWords", text)


def kind_and_size(record: AttachmentRecord) -> str:
    """ "PDF document, 240 kB"."""
    return _tr("{kind}, {size}").format(kind=_tr(record.kind.label), size=size_words(record.size))


def when_words(iso: str) -> str:
    """ "3 December 2026, 14:05" in this PC's local time (stored in UTC)."""
    try:
        return long_date(local(datetime.fromisoformat(iso)))
    except ValueError:
        return display_safe(iso)


def added_words(record: AttachmentRecord, names: Mapping[str, str]) -> str:
    """ "Added 3 December 2026, 14:05 by Dana Lead", or, for a file the recorder sealed
    with the concern, "Sent with the concern … by" the name they gave."""
    who = display_safe(names.get(record.added_by, record.added_by))
    when = when_words(record.added_at)
    if record.from_recorder:
        return _tr("Sent with the concern {when} by {who}").format(when=when, who=who)
    return _tr("Added {when} by {who}").format(when=when, who=who)


def removed_words(record: AttachmentRecord) -> str:
    """ "Location (GPS) and camera details (EXIF) were taken out when it was attached."
    ("" when nothing was)."""
    removed = [display_safe(what) for what in record.removed if what]
    if not removed:
        return ""
    if len(removed) == 1:
        listed = removed[0]
        sentence = _tr("{what} was taken out when it was attached.")
    else:
        listed = _tr("{some} and {last}").format(some=", ".join(removed[:-1]), last=removed[-1])
        sentence = _tr("{what} were taken out when it was attached.")
    return sentence.format(what=listed[:1].upper() + listed[1:])


def where_words(record: AttachmentRecord) -> str:
    """In a child's file, where the file came with: a concern, or the child's file alone."""
    if record.concern_ref:
        return _tr("Attached to concern {ref}").format(ref=record.concern_ref)
    return _tr("Attached to this child's file only")


def short_sha256(record: AttachmentRecord) -> str:
    """ "Fingerprint (SHA-256) begins 3f2a9c0d1e4b5a69": enough to tell one copy from
    another."""
    return _tr("Fingerprint (SHA-256) begins {digits}").format(digits=record.sha256[:SHORT_SHA256])
