"""The routes on the "What happens next" step: the police, the FGM duty, Prevent, and the
agencies already told (domain/routes.py holds the rules and their sources).

Each part appears when it applies: the police report when that is the route chosen, or
when the lead says it was reported too; the FGM questions when the concern was recorded
as FGM, with the mandatory reporting duty said in words when it applies (England or
Wales, a teacher saw signs or was told by the girl); the Prevent contact, filled in from
Settings, when Prevent is the route. The gate (HandoffDecision.checked) checks them all;
its sentences appear under the field they name.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from safeguard_desktop.domain.handoff import Outcome
from safeguard_desktop.domain.organisation import Organisation
from safeguard_desktop.domain.routes import (
    FGM_CATEGORY,
    FGM_DUTY_WORDS,
    Agency,
    AgencyInformed,
    ChannelDecision,
    FgmKnown,
    FgmReport,
    PoliceLine,
    PoliceReport,
    PreventContact,
    Routes,
    fgm_duty_applies,
)
from safeguard_desktop.domain.working_days import Nation

from ..theme import banner, heading, hint, text_width
from ..widgets.form_fields import text_box, to_date, to_datetime
from .handoff_parts import HandoffPage, date_edit, datetime_edit, line_edit, section


class RoutesBox(QWidget):
    """The police, FGM, Prevent and agencies parts of one page (``page``'s fields)."""

    def __init__(self, page: HandoffPage, org: Organisation) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Other routes"))
        self._categories: tuple[str, ...] = ()
        self._nation: Nation | None = None
        self._outcome: Outcome | None = None
        layout = section(self)
        add = page.add_field

        # The police as a route ------------------------------------------------------------
        self.also_police = QCheckBox(self.tr("It was also reported to the police"))
        self.also_police.setAccessibleName(self.tr("It was also reported to the police"))
        layout.addWidget(self.also_police)
        self.police_box = QWidget()
        police = section(self.police_box)
        police.addWidget(heading(self.tr("The report to the police"), level=2))
        self.police_line = QComboBox()
        self.police_line.setAccessibleName(self.tr("The line called: 999 or 101"))
        for line in PoliceLine:
            self.police_line.addItem(self.tr(line.label), line.value)
        self.police_line.setCurrentIndex(1)  # 101 unless changed: 999 is for an emergency
        add(
            police,
            "police_report.line",
            self.tr("Called"),
            self.police_line,
            self.tr("Problem with the line called"),
        )
        self.police_at = datetime_edit(self.tr("When it was reported"))
        add(
            police,
            "police_report.reported_at",
            self.tr("When it was reported"),
            self.police_at,
            self.tr("Problem with when it was reported"),
        )
        self.crime_reference = line_edit(self.tr("Crime reference"), 100)
        add(
            police,
            "police_report.crime_reference",
            self.tr("Crime reference, if given"),
            self.crime_reference,
            self.tr("Problem with the crime reference"),
        )
        self.officer = line_edit(self.tr("The officer or call handler"))
        add(
            police,
            "police_report.officer",
            self.tr("The officer or call handler"),
            self.officer,
            self.tr("Problem with the officer"),
        )
        self.police_said = text_box(self.tr("What the police said or will do"), 3)
        add(
            police,
            "police_report.what_they_said",
            self.tr("What the police said or will do"),
            self.police_said,
            self.tr("Problem with what the police said"),
        )
        layout.addWidget(self.police_box)

        # FGM --------------------------------------------------------------------------------
        self.fgm_box = QWidget()
        fgm = section(self.fgm_box)
        fgm.addWidget(heading(self.tr("Female genital mutilation (FGM)"), level=2))
        self.fgm_known = QComboBox()
        self.fgm_known.setAccessibleName(self.tr("How the FGM came to light"))
        self.fgm_known.addItem(self.tr("Choose…"), "")
        for known in FgmKnown:
            self.fgm_known.addItem(self.tr(known.label), known.value)
        add(
            fgm,
            "fgm.known",
            self.tr("How did it come to light?"),
            self.fgm_known,
            self.tr("Problem with how it came to light"),
        )
        self.by_teacher = QCheckBox(self.tr("It was a teacher who saw the signs or was told"))
        self.by_teacher.setAccessibleName(self.by_teacher.text())
        fgm.addWidget(self.by_teacher)
        self.duty = banner(self.tr(FGM_DUTY_WORDS))
        self.duty.setAccessibleName(self.tr("The mandatory reporting duty"))
        fgm.addWidget(self.duty)
        self.teacher = line_edit(self.tr("The teacher who reports it"))
        add(
            fgm,
            "fgm.teacher",
            self.tr("The teacher who reports it to the police"),
            self.teacher,
            self.tr("Problem with the teacher's name"),
        )
        self.fgm_reported = QCheckBox(self.tr("They have reported it to the police"))
        self.fgm_reported.setAccessibleName(self.fgm_reported.text())
        fgm.addWidget(self.fgm_reported)
        self.fgm_at = datetime_edit(self.tr("When they reported it"))
        add(
            fgm,
            "fgm.reported_at",
            self.tr("When they reported it"),
            self.fgm_at,
            self.tr("Problem with when it was reported"),
        )
        self.fgm_reference = line_edit(self.tr("Police reference"), 100)
        add(
            fgm,
            "fgm.police_reference",
            self.tr("Police reference"),
            self.fgm_reference,
            self.tr("Problem with the police reference"),
        )
        fgm.addWidget(
            hint(
                self.tr(
                    "Not reported yet: a follow-up on Home reminds you to check it is made "
                    "within the month."
                )
            )
        )
        layout.addWidget(self.fgm_box)

        # Prevent ----------------------------------------------------------------------------
        self.prevent_box = QWidget()
        prevent = section(self.prevent_box)
        prevent.addWidget(heading(self.tr("The Prevent team"), level=2))
        self.prevent_contacted = line_edit(self.tr("Who at the Prevent team you contacted"))
        self.prevent_contacted.setText(org.contacts.prevent)
        add(
            prevent,
            "prevent.contacted",
            self.tr("Who at the Prevent team you contacted"),
            self.prevent_contacted,
            self.tr("Problem with who you contacted"),
            note=self.tr("From Settings' local contacts; change it to the person you spoke to."),
        )
        self.prevent_when_known = QCheckBox(self.tr("Contacted already"))
        self.prevent_when_known.setAccessibleName(self.tr("Contacted already"))
        prevent.addWidget(self.prevent_when_known)
        self.prevent_at = datetime_edit(self.tr("When you contacted them"))
        add(
            prevent,
            "prevent.contacted_at",
            self.tr("When you contacted them"),
            self.prevent_at,
            self.tr("Problem with when you contacted them"),
        )
        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("The Channel panel's decision"))
        for decision in ChannelDecision:
            self.channel.addItem(self.tr(decision.label), decision.value)
        add(
            prevent,
            "prevent.channel_decision",
            self.tr("The Channel panel's decision"),
            self.channel,
            self.tr("Problem with the Channel decision"),
        )
        self.channel_note = text_box(self.tr("About the Channel decision"), 2)
        add(
            prevent,
            "prevent.channel_note",
            self.tr("About the Channel decision"),
            self.channel_note,
            self.tr("Problem with the note"),
        )
        layout.addWidget(self.prevent_box)

        # Agencies already told -----------------------------------------------------------------
        layout.addWidget(heading(self.tr("Agencies already informed"), level=2))
        layout.addWidget(
            hint(
                self.tr(
                    "Tick each one already told of this concern, and when. The referral says so."
                )
            )
        )
        self.agencies: dict[Agency, tuple[QCheckBox, QDateEdit, QLineEdit]] = {}
        for agency in Agency:
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            told = QCheckBox(self.tr(agency.label))
            told.setAccessibleName(self.tr("{agency} already informed").format(agency=agency.label))
            on = date_edit(self.tr("When {agency} was told").format(agency=agency.label))
            on.setDate(QDate.currentDate())
            on.setMaximumWidth(text_width(18))
            who = line_edit(self.tr("Which {agency}, or who there").format(agency=agency.label))
            who.setPlaceholderText(
                self.tr("Which agency") if agency is Agency.OTHER else self.tr("Who (optional)")
            )
            for widget in (on, who):
                widget.setEnabled(False)
                told.toggled.connect(widget.setEnabled)
            row_layout.addWidget(told)
            row_layout.addWidget(on)
            row_layout.addWidget(who, 1)
            field = f"agencies_informed.{agency.value}"
            add(
                layout,
                f"{field}.who",
                "",
                row,
                self.tr("Problem with {agency}").format(agency=agency.label),
                buddy=told,
            )
            # A date in the future is said on the same line.
            page.field_widgets[f"{field}.informed_on"] = on
            page.field_errors[f"{field}.informed_on"] = page.field_errors[f"{field}.who"]
            self.agencies[agency] = (told, on, who)

        for signal in (
            self.also_police.toggled,
            self.fgm_known.currentIndexChanged,
            self.by_teacher.toggled,
            self.fgm_reported.toggled,
            self.prevent_when_known.toggled,
        ):
            signal.connect(self._update)
        self._update()

    # Set by the wizard -------------------------------------------------------------------

    def set_categories(self, categories: tuple[str, ...]) -> None:
        self._categories = categories
        self._update()

    def set_nation(self, nation: Nation) -> None:
        self._nation = nation
        self._update()

    def set_outcome(self, outcome: Outcome | None) -> None:
        self._outcome = outcome
        self._update()

    def _update(self) -> None:
        police_route = self._outcome is Outcome.POLICE
        self.also_police.setVisible(not police_route)
        self.police_box.setVisible(police_route or self.also_police.isChecked())
        self.fgm_box.setVisible(FGM_CATEGORY in self._categories)
        self.duty.setVisible(fgm_duty_applies(self._categories, self._nation, self._fgm() or None))
        self.fgm_at.setEnabled(self.fgm_reported.isChecked())
        self.fgm_reference.setEnabled(self.fgm_reported.isChecked())
        self.prevent_box.setVisible(self._outcome is Outcome.PREVENT)
        self.prevent_at.setEnabled(self.prevent_when_known.isChecked())

    # What was answered -----------------------------------------------------------------------

    def _fgm(self) -> FgmReport | None:
        known = str(self.fgm_known.currentData() or "")
        if known not in FgmKnown._value2member_map_:
            return None
        reported = self.fgm_reported.isChecked()
        return FgmReport(
            known=FgmKnown(known),
            by_teacher=self.by_teacher.isChecked(),
            teacher=self.teacher.text(),
            reported_at=to_datetime(self.fgm_at.dateTime()) if reported else None,
            police_reference=self.fgm_reference.text() if reported else "",
        )

    def routes(self) -> Routes:
        police = None
        if (
            self.police_box.isVisibleTo(self)
            or self._outcome is Outcome.POLICE
            or (self.also_police.isChecked())
        ):
            police = PoliceReport(
                line=PoliceLine(str(self.police_line.currentData())),
                reported_at=to_datetime(self.police_at.dateTime()),
                crime_reference=self.crime_reference.text(),
                officer=self.officer.text(),
                what_they_said=self.police_said.toPlainText(),
            )
        fgm = self._fgm() if FGM_CATEGORY in self._categories else None
        prevent = None
        if self._outcome is Outcome.PREVENT:
            prevent = PreventContact(
                contacted=self.prevent_contacted.text(),
                contacted_at=(
                    to_datetime(self.prevent_at.dateTime())
                    if self.prevent_when_known.isChecked()
                    else None
                ),
                channel_decision=ChannelDecision(str(self.channel.currentData())),
                channel_note=self.channel_note.toPlainText(),
            )
        agencies = tuple(
            AgencyInformed(agency, to_date(on.date()), who.text())
            for agency, (told, on, who) in self.agencies.items()
            if told.isChecked()
        )
        return Routes(police, fgm, prevent, agencies)

    def start_times(self) -> None:
        """'Now' is when the step is first shown, not when the wizard was opened."""
        now = QDateTime.currentDateTime()
        for edit in (self.police_at, self.fgm_at, self.prevent_at):
            edit.setDateTime(now)
