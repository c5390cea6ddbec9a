"""The parts of a child's file that are lists and facts: details, household, professionals,
concerns and follow-ups, each a tab on the child's page.

Everything here only shows what :class:`ChildFile` holds, through ``record_label`` and
``display_safe`` (plain text, never rich text, never selectable); loading and saving are
the page's job (``child_page.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop.domain.children import ChildDetails, age_on
from safeguard_desktop.domain.text import display_safe, single_line
from safeguard_desktop.services.children import ChildFile

from ..casework.concern_models import category_words, local_day, local_when
from ..theme import hint, table_rows
from ..widgets.page_parts import button_row
from ..widgets.record_text import record_label, set_record_text
from ..widgets.table_keys import TableKeys

Row = tuple[list[str], object]  # a row's cell texts, and the value it stands for


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChildFile", text)


def safe_line(text: str) -> str:
    """Record text for one line of a table or label."""
    return single_line(display_safe(text))


def button(text: str, accessible: str, slot: Callable[[], None]) -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(accessible)
    widget.clicked.connect(slot)
    return widget


def born_words(details: ChildDetails, today: date | None = None) -> str:
    """ "2 Mar 2015 (age 11)", "Not known; about 9 years old" or "Not known"."""
    if details.date_of_birth is not None:
        return _tr("{day} (age {age})").format(
            day=local_day(details.date_of_birth),
            age=age_on(details.date_of_birth, today or date.today()),
        )
    if details.unborn:
        if details.expected_on is not None:
            return _tr("Not born yet; expected {day}").format(day=local_day(details.expected_on))
        return _tr("Not born yet")
    if details.approximate_age is not None:
        return _tr("Not known; about {age} years old").format(age=details.approximate_age)
    return _tr("Not known")


def _yes_no(value: bool) -> str:
    return _tr("Yes") if value else _tr("No")


class ListTable(QTableWidget):
    """A small read-only table (a household is a handful of rows).

    ``row_activated(row)`` on a double-click or Enter; Copy copies nothing
    (:class:`.table_keys.TableKeys`).
    """

    row_activated = Signal(int)

    def __init__(
        self, headers: Sequence[str], accessible: str, stretch: Sequence[int] = ()
    ) -> None:
        """``stretch``: the columns of free text, which share the width left over."""
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(list(headers))
        self.setAccessibleName(accessible)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table_rows(self)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        # Long contact details wrap onto a second line rather than end in "…" (at 150 %
        # text a phone number and email did): there is nowhere else they are shown in
        # full. A handful of rows, so measuring them again on a resize costs nothing.
        self.setWordWrap(True)
        rows = self.verticalHeader()
        rows.setMinimumSectionSize(rows.defaultSectionSize())  # still roomy when one line
        # Once the header has settled every column's width, not while it is moving them.
        self._fit_rows = QTimer(self)
        self._fit_rows.setSingleShot(True)
        self._fit_rows.setInterval(0)
        self._fit_rows.timeout.connect(self.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._fit_rows.start())
        self.doubleClicked.connect(lambda index: self.row_activated.emit(index.row()))
        self.keys = TableKeys(self)
        self.keys.open_requested.connect(self.row_activated)

    def fill(self, rows: Sequence[Row]) -> None:
        """Each row: its cell texts (already display-safe) and a value kept on the row."""
        self.setRowCount(len(rows))
        for row, (cells, value) in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, value)
                self.setItem(row, column, item)
        self.resizeRowsToContents()
        self._fit_rows.start()

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def value(self, row: int) -> object:
        item = self.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def selected_value(self) -> object:
        rows = self.selectionModel().selectedRows()
        return self.value(rows[0].row()) if rows else None


class ListTab(QWidget):
    """A hint, a table and a row of buttons under it."""

    def __init__(
        self,
        hint_text: str,
        headers: Sequence[str],
        accessible: str,
        buttons: list[QPushButton],
        stretch: Sequence[int],
    ) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addWidget(hint(hint_text))
        self.table = ListTable(headers, accessible, stretch)
        layout.addWidget(self.table, 1)
        # On to a second line when the page is narrow, rather than past its right edge.
        layout.addLayout(button_row(*buttons))


class DetailsTab(QWidget):
    """Everything known about the child, with "Edit details…"."""

    def __init__(self, edit: Callable[[], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.values: dict[str, QLabel] = {}
        for key, label in (
            ("name", self.tr("Name")),
            ("other_names", self.tr("Other names used")),
            ("born", self.tr("Date of birth")),
            ("gender", self.tr("Gender")),
            ("ethnicity", self.tr("Ethnicity")),
            ("religion", self.tr("Religion")),
            ("language", self.tr("First language")),
            ("interpreter_needed", self.tr("Interpreter needed")),
            ("nhs_number", self.tr("NHS number")),
            ("address", self.tr("Address")),
            ("lives_with", self.tr("Lives with")),
            ("group", self.tr("School, class, club or team")),
            ("disability", self.tr("Disability")),
            ("send", self.tr("Special educational needs")),
            ("additional_needs", self.tr("Additional needs")),
        ):
            value = record_label("", label)
            caption = QLabel(label)
            caption.setProperty("sgRole", "hint")
            form.addRow(caption, value)
            self.values[key] = value
        layout.addLayout(form)
        row = QHBoxLayout()
        self.edit_button = button(
            self.tr("Edi&t details…"), self.tr("Edit the child's details"), edit
        )
        row.addWidget(self.edit_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def fill(self, details: ChildDetails) -> None:
        not_recorded = self.tr("Not recorded")

        def yes_no(value: bool | None) -> str:
            return self.tr("Not known") if value is None else _yes_no(value)

        shown = {
            "name": details.name,
            "other_names": details.other_names,
            "born": born_words(details),
            "gender": details.gender,
            "ethnicity": details.ethnicity,
            "religion": details.religion,
            "language": details.language,
            "interpreter_needed": yes_no(details.interpreter_needed),
            "nhs_number": details.nhs_number,
            "address": details.address,
            "lives_with": details.lives_with,
            "group": details.group,
            "disability": yes_no(details.disability),
            "send": self.tr(details.send.label) if details.send else self.tr("Not known"),
            "additional_needs": details.additional_needs,
        }
        for key, value in shown.items():
            set_record_text(self.values[key], value or not_recorded)


# What each list shows ---------------------------------------------------------------


# Column headings (two lines where a heading is much wider than what it heads), and the
# columns of free text that share the width. A person's name is as wide as it needs:
# sharing the width with it cut a phone number short ("0100 000 0100…") at 150 % text.
HOUSEHOLD_HEADERS = (
    "Name",
    "Relationship",
    "Date of\nbirth",
    "Parental\nresponsibility",
    "Lives with\nthe child",
    "Contact",
)
HOUSEHOLD_STRETCH = (5,)
PROFESSIONAL_HEADERS = ("Name", "Role", "Organisation", "Contact")
PROFESSIONAL_STRETCH = (2, 3)
CONCERN_HEADERS = ("Reference", "When", "Kind of concern", "Status")
CONCERN_STRETCH = (2,)
FOLLOW_UP_HEADERS = ("Due", "What", "Done")
FOLLOW_UP_STRETCH = (1,)


def headers(names: Sequence[str]) -> list[str]:
    return [_tr(name) for name in names]


def household_rows(file: ChildFile) -> list[Row]:
    return [
        (
            [
                safe_line(m.member.name),
                safe_line(m.member.relationship),
                local_day(m.member.date_of_birth) if m.member.date_of_birth else "",
                _yes_no(m.member.parental_responsibility),
                _yes_no(m.member.lives_with_child),
                safe_line(m.member.contact),
            ],
            m.member_id,
        )
        for m in file.household
    ]


def professional_rows(file: ChildFile) -> list[Row]:
    return [
        (
            [
                safe_line(p.professional.name),
                safe_line(p.professional.role),
                safe_line(p.professional.organisation),
                safe_line(p.professional.contact),
            ],
            p.professional_id,
        )
        for p in file.professionals
    ]


def concern_rows(file: ChildFile) -> list[Row]:
    return [
        (
            [
                c.ref,
                local_when(c.occurred_at),
                category_words(c.categories),
                _tr(c.status.label),
            ],
            c.ref,
        )
        for c in file.concerns
    ]


def follow_up_rows(file: ChildFile, today: date | None = None) -> list[Row]:
    """Open ones first, soonest first; then those done."""
    today = today or date.today()
    rows: list[Row] = []
    for f in sorted(file.follow_ups, key=lambda f: (f.done_at is not None, f.due_on)):
        if f.done_at is not None:
            done = _tr("Done {when}").format(when=local_when(f.done_at))
        elif f.is_overdue(today):
            done = _tr("Overdue")
        else:
            done = _tr("Not yet")
        rows.append(([local_day(f.due_on), safe_line(f.what), done], f.follow_up_id))
    return rows


STATUS_HEADERS = ("Status", "From", "To", "Lead professional,\nvirtual school, review")
STATUS_STRETCH = (3,)
HISTORY_HEADERS = ("When", "What changed", "Before", "After", "By")
HISTORY_STRETCH = (2, 3)


def status_rows(file: ChildFile) -> list[Row]:
    """Current statuses first (they have no end date), then those ended."""
    rows: list[Row] = []
    for s in file.statuses:
        about = [safe_line(s.status.lead_professional)] if s.status.lead_professional else []
        if s.status.virtual_school_contact:
            about.append(
                _tr("Virtual school: {who}").format(who=safe_line(s.status.virtual_school_contact))
            )
        if s.status.review_on is not None and s.is_current:
            about.append(_tr("Review {day}").format(day=local_day(s.status.review_on)))
        rows.append(
            (
                [
                    _tr(s.kind.label),
                    local_day(s.status.started_on),
                    local_day(s.ended_on) if s.ended_on else _tr("Current"),
                    "; ".join(about),
                ],
                s.status_id if s.is_current else None,
            )
        )
    return rows


def history_rows(file: ChildFile, names: dict[str, str]) -> list[Row]:
    """Each change to the child's record, newest first: the value before and after, and who
    made it (by their name on the account, ``names``; else the account's user name)."""
    rows: list[Row] = []
    for h in file.history:
        what = _tr(h.label)
        added = h.is_person and h.previous is None
        removed = h.is_person and h.current is None
        if added:
            what = _tr("{what}: added").format(what=what)
        elif removed:
            what = _tr("{what}: removed").format(what=what)
        rows.append(
            (
                [
                    local_when(h.changed_at),
                    what,
                    "" if added else safe_line(_tr(h.before_words)),
                    "" if removed else safe_line(_tr(h.after_words)),
                    safe_line(names.get(h.changed_by, h.changed_by)),
                ],
                h.history_id,
            )
        )
    return rows
