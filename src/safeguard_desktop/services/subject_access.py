"""Subject access requests: recorded, reviewed item by item, answered within the month.

A lead records who asked for a child's records, their relationship, when it arrived and
how their identity was checked; the deadline (domain/subject_access.py) is on Home until
the response is released. Preparing the response lists every item of the child's file
(their details, household, professionals, statuses, each concern as submitted with its
corrections, actions, decisions, referrals, follow-ups, and the files attached, listed):
the lead withholds an item whole, or names words to take out wherever they appear, each
with its exemption. The released PDF is drawn from the text with those words already
removed (pdf/records_document.py), so nothing taken out is in it to be read; the appendix,
kept by the organisation, lists every item withheld and every word taken out, with why.

Everything is audited by ids, counts and SHA-256: never a word taken out (it is a name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..domain.date_words import long_date
from ..domain.errors import BadInput
from ..domain.subject_access import (
    MAX_TERMS,
    REDACTED,
    Exemption,
    NewRequest,
    Term,
    checked_term,
    due_on,
    redact,
)
from ..pdf.preview import PagePixels, render_pages  # pypdfium2 is loaded at first use
from ..pdf.records_print import PrintedItem, PrintedSection, RecordsPrint
from ..storage import audit_log, case_records
from ..storage import subject_access_records as records
from ..storage.case_records import utc_now
from ..storage.subject_access_records import RequestRecord as RequestRecord  # for ui/
from . import child_records, children
from .casework_settings import casework_settings
from .changes import Added, Changes
from .child_records import FILES, SECTIONS, Item
from .export_file import save_all_audited
from .session import CaseSession, require_case_session


@dataclass(frozen=True)
class Review:
    """A request with every item, what is withheld, and the words taken out."""

    request: RequestRecord
    items: tuple[Item, ...]
    withheld: dict[str, Exemption]
    terms: tuple[tuple[int, Term], ...]

    def released_items(self) -> list[tuple[Item, tuple[str, ...], list[Term]]]:
        """Each item to be released, its lines with the words taken out, and those found."""
        out = []
        terms = [term for _, term in self.terms]
        for item in self.items:
            if item.key in self.withheld:
                continue
            found: dict[str, Term] = {}
            lines = []
            for line in (item.heading, *item.lines):
                text, hits = redact(line, terms)
                lines.append(text)
                found.update({t.text: t for t in hits})
            out.append((item, tuple(lines), list(found.values())))
        return out


@dataclass(frozen=True)
class Response:
    """The response made in memory: the PDF to release and the appendix to keep."""

    request_id: int
    released: bytes
    appendix: bytes
    items_released: int
    items_withheld: int
    words_taken_out: int  # places where a term was taken out

    @property
    def suggested_names(self) -> tuple[str, str]:
        """Never the child's name: people's names go in file names and then everywhere."""
        return (
            f"subject-access-{self.request_id}-response.pdf",
            f"subject-access-{self.request_id}-appendix-keep.pdf",
        )


def record_request(session: object, child_id: int, new: NewRequest) -> Added:
    lead = require_case_session(session)
    children.child_record(lead, child_id)
    due = due_on(new.received_on, casework_settings(lead).working_days)
    with case_records.transaction(lead.conn):
        request_id = records.add(lead.conn, child_id, new, due, utc_now(), lead.user.display_name)
        _audit(
            lead,
            "subject_access_recorded",
            {"request": request_id, "child_id": child_id, "due_on": due.isoformat()},
        )
    return Added(request_id, Changes.of(children=[child_id]))


def open_requests(session: object) -> list[RequestRecord]:
    """Requests not answered yet, soonest deadline first (Home shows them)."""
    return records.open_requests(require_case_session(session).conn)


def requests_for(session: object, child_id: int) -> list[RequestRecord]:
    return records.for_child(require_case_session(session).conn, child_id)


def review(session: object, request_id: int) -> Review:
    lead = require_case_session(session)
    request = _request(lead, request_id)
    items = tuple(child_records.child_items(lead, request.child_id))
    withheld = records.withheld(lead.conn, request_id)
    # What belongs to a withheld concern (its corrections, actions, decisions, referrals,
    # follow-ups) goes with it: a decision about a concern withheld would tell its story.
    for item in items:
        concern = withheld.get(f"concern:{item.concern}") if item.concern else None
        if concern is not None and item.key not in withheld:
            withheld[item.key] = concern
    return Review(
        request=request,
        items=items,
        withheld=withheld,
        terms=tuple(records.terms(lead.conn, request_id)),
    )


def add_term(session: object, request_id: int, text: str, exemption: Exemption) -> Changes:
    """Take ``text`` out wherever it appears in the response (a name, an address)."""
    lead = require_case_session(session)
    request = _open(lead, request_id)
    term = Term(checked_term(text), Exemption(exemption))
    existing = records.terms(lead.conn, request_id)
    if len(existing) >= MAX_TERMS:
        raise BadInput(f"A response can take out at most {MAX_TERMS:,} words or names.", "term")
    if any(t.text.casefold() == term.text.casefold() for _, t in existing):
        raise BadInput("Those words are already taken out.", "term")
    with case_records.transaction(lead.conn):
        term_id = records.add_term(lead.conn, request_id, term, utc_now(), lead.user.display_name)
        _audit(
            lead,
            "subject_access_words_out",
            {"request": request_id, "term": term_id, "exemption": term.exemption.value},
        )
    return Changes.of(children=[request.child_id])


def remove_term(session: object, request_id: int, term_id: int) -> Changes:
    lead = require_case_session(session)
    request = _open(lead, request_id)
    with case_records.transaction(lead.conn):
        if not records.remove_term(lead.conn, request_id, term_id):
            raise BadInput("Those words are no longer on the list.", "term")
        _audit(lead, "subject_access_words_back", {"request": request_id, "term": term_id})
    return Changes.of(children=[request.child_id])


def withhold(session: object, request_id: int, item_key: str, exemption: Exemption) -> Changes:
    lead = require_case_session(session)
    request = _open(lead, request_id)
    _known_item(lead, request, item_key)
    with case_records.transaction(lead.conn):
        records.withhold(
            lead.conn, request_id, item_key, Exemption(exemption), utc_now(), lead.user.display_name
        )
        _audit(
            lead,
            "subject_access_withheld",
            {"request": request_id, "item": item_key, "exemption": Exemption(exemption).value},
        )
    return Changes.of(children=[request.child_id])


def release_item(session: object, request_id: int, item_key: str) -> Changes:
    lead = require_case_session(session)
    request = _open(lead, request_id)
    with case_records.transaction(lead.conn):
        records.release_item(lead.conn, request_id, item_key)
        _audit(lead, "subject_access_item_released", {"request": request_id, "item": item_key})
    return Changes.of(children=[request.child_id])


def make_response(session: object, request_id: int, now: datetime | None = None) -> Response:
    """The response to release and the appendix to keep, made in memory (nothing saved)."""
    from ..pdf.records_document import records_pdf_bytes

    lead = require_case_session(session)
    seen = review(lead, request_id)
    request = seen.request
    printed_at = now or datetime.now()
    released = seen.released_items()
    by_section: dict[str, list[PrintedItem]] = {}
    for item, lines, _ in released:
        by_section.setdefault(item.section, []).append(PrintedItem(lines[0], lines[1:]))
    withheld_count = len(seen.items) - len(released)
    organisation = lead.organisation.name
    intro = (
        f"These are the records {organisation} holds about {request.child_name}, given in "
        f"answer to the request {request.requester} ({request.relationship}) made on "
        f"{long_date(request.received_on)}.",
        f"Where you see {REDACTED}, words were taken out because they are about another "
        "person or their release could cause harm; the law allows this (UK GDPR and the "
        "Data Protection Act 2018). "
        + (
            f"{withheld_count} records were withheld for the same reasons. "
            if withheld_count
            else ""
        )
        + "You may ask us about this, or complain to the Information Commissioner's Office.",
    )
    document = RecordsPrint(
        title="Your records: response to a subject access request",
        organisation=organisation,
        subject=request.child_name,
        intro=intro,
        sections=tuple(
            PrintedSection(
                f"{title} (listed; copies on request)" if title == FILES else title,
                tuple(by_section.get(title, ())),
            )
            for title in SECTIONS
        ),
        printed_at=printed_at,
        printed_by=lead.user.display_name,
    )
    found_total = 0
    term_hits: dict[str, int] = {}
    for _, _, hits in released:
        for term in hits:
            term_hits[term.text] = term_hits.get(term.text, 0) + 1
            found_total += 1
    appendix = RecordsPrint(
        title="Subject access: what was withheld and why (keep; never send)",
        organisation=organisation,
        subject=request.child_name,
        intro=(
            f"Request {request.request_id} from {request.requester} ({request.relationship}), "
            f"received {long_date(request.received_on)}, due {long_date(request.due_on)}. "
            f"Identity checked: {request.identity_checked}",
            f"{len(released)} records released, {withheld_count} withheld; "
            f"{len(seen.terms)} words or names taken out where they appeared.",
        ),
        sections=(
            PrintedSection(
                "Records withheld",
                tuple(
                    PrintedItem(item.heading, (f"Exemption: {seen.withheld[item.key].label}",))
                    for item in seen.items
                    if item.key in seen.withheld
                ),
                "No record was withheld.",
            ),
            PrintedSection(
                "Words and names taken out",
                tuple(
                    PrintedItem(
                        term.text,
                        (
                            f"Exemption: {term.exemption.label}",
                            f"Taken out of {term_hits.get(term.text, 0)} released records.",
                        ),
                    )
                    for _, term in seen.terms
                ),
                "Nothing was taken out.",
            ),
        ),
        printed_at=printed_at,
        printed_by=lead.user.display_name,
    )
    return Response(
        request_id=request_id,
        released=records_pdf_bytes(document),
        appendix=records_pdf_bytes(appendix),
        items_released=len(released),
        items_withheld=withheld_count,
        words_taken_out=found_total,
    )


def response_pages(made: Response, width: int) -> tuple[PagePixels, ...]:
    """The released PDF's first pages drawn ``width`` pixels wide, from the bytes in memory,
    so the lead sees the response (with [removed] in place) before anything is saved."""
    return render_pages(made.released, width)


def save_response(
    session: object, made: Response, released_path: Path, appendix_path: Path
) -> Changes:
    """Save both files where the lead chose, mark the request answered and audit it (the
    SHA-256 of each, the counts). Both are written whole before the audit and named after
    it, the appendix first: a released copy with no record of what was taken out of it
    never exists, nor a file the audit log does not have."""
    lead = require_case_session(session)
    request = _open(lead, made.request_id)

    def audited(shas: list[str]) -> None:
        appendix_sha, sha256 = shas
        with case_records.transaction(lead.conn):
            records.mark_released(
                lead.conn, made.request_id, utc_now(), lead.user.display_name, sha256, appendix_sha
            )
            _audit(
                lead,
                "subject_access_released",
                {
                    "request": made.request_id,
                    "child_id": request.child_id,
                    "sha256": sha256,
                    "appendix_sha256": appendix_sha,
                    "items_released": made.items_released,
                    "items_withheld": made.items_withheld,
                    "words_taken_out": made.words_taken_out,
                },
            )

    save_all_audited(
        [
            (Path(appendix_path), made.appendix, "The appendix"),
            (Path(released_path), made.released, "The response"),
        ],
        audited,
        records_folder=lead.store.data_dir,
    )
    return Changes.of(children=[request.child_id])


def _request(lead: CaseSession, request_id: int) -> RequestRecord:
    request = records.get(lead.conn, request_id)
    if request is None:
        raise BadInput("That subject access request is not in the records.", "request")
    return request


def _open(lead: CaseSession, request_id: int) -> RequestRecord:
    request = _request(lead, request_id)
    if request.released_at is not None:
        raise BadInput(
            "That request has been answered; its response can no longer change.", "request"
        )
    return request


def _known_item(lead: CaseSession, request: RequestRecord, key: str) -> None:
    if key not in {item.key for item in child_records.child_items(lead, request.child_id)}:
        raise BadInput("That record is not in this child's file.", "item")


def _audit(lead: CaseSession, action: str, detail: dict[str, object]) -> None:
    audit_log.append(lead.conn, lead.user.username, action, detail)
