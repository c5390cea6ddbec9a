"""The local contacts form: the numbers a worried adult needs, used at setup and in Settings."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from safeguard_desktop.domain.organisation import LocalContacts

from ..theme import FIELD_MIN_HEIGHT, hint


class ContactsForm(QWidget):
    """Editable fields for ``LocalContacts``; national numbers arrive filled in."""

    def __init__(
        self,
        contacts: LocalContacts | None = None,
        parent: QWidget | None = None,
        *,
        alt_keys: bool = False,
    ):
        """``alt_keys``: give each field an Alt key. Only where the form is the whole page
        (setup): on Settings, among many other sections, the letters would clash."""
        super().__init__(parent)
        self._alt_keys = alt_keys
        contacts = contacts or LocalContacts()
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setVerticalSpacing(10)
        layout.setHorizontalSpacing(16)

        self.front_door = self._field(
            layout,
            self.tr("Children's services &front door (MASH)"),
            contacts.front_door,
            self.tr("The number to refer a child to the local authority"),
            self.tr(
                "Where the council takes referrals about children; many call it the MASH, "
                "the Multi-Agency Safeguarding Hub."
            ),
        )
        self.out_of_hours = self._field(
            layout,
            self.tr("&Out-of-hours team"),
            contacts.out_of_hours,
            self.tr("Children's social care emergency duty team, evenings and weekends"),
        )
        self.lado = self._field(
            layout,
            self.tr("&LADO"),
            contacts.lado,
            self.tr("Local Authority Designated Officer, for concerns about an adult"),
            self.tr(
                "The Local Authority Designated Officer: told within one working day of an "
                "allegation about an adult who works or volunteers with children."
            ),
        )
        self.police = self._field(
            layout,
            self.tr("&Police, non-emergency"),
            contacts.police_non_emergency,
            self.tr("Police non-emergency number"),
        )
        self.emergency = self._field(
            layout,
            self.tr("&Emergency"),
            contacts.emergency,
            self.tr("Emergency number when a child is in immediate danger"),
        )
        self.nspcc = self._field(
            layout,
            self.tr("NSP&CC helpline"),
            contacts.nspcc_helpline,
            self.tr("NSPCC helpline for adults worried about a child"),
        )
        self.prevent = self._field(
            layout,
            self.tr("Pre&vent and Channel"),
            contacts.prevent,
            self.tr("The local Prevent team: who to contact about radicalisation"),
            self.tr(
                "The council's or police's Prevent team, who take a concern about a child being "
                "drawn into terrorism to the Channel panel: a name, number or email."
            ),
        )
        self.notes = QPlainTextEdit(contacts.notes)
        self.notes.setAccessibleName(self.tr("Notes about contacts"))
        self.notes.setAccessibleDescription(
            self.tr("Anything else people should know, such as office hours")
        )
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(FIELD_MIN_HEIGHT * 2 + 12)
        notes_label = QLabel(self.tr("No&tes") if alt_keys else self.tr("Notes"))
        notes_label.setBuddy(self.notes)
        layout.addRow(notes_label, self.notes)

    def _field(
        self,
        layout: QFormLayout,
        label: str,
        value: str,
        description: str,
        explained: str = "",
    ) -> QLineEdit:
        edit = QLineEdit(value)
        # Accessible names are the label without its mnemonic ampersand.
        edit.setAccessibleName(label.replace("&", ""))
        edit.setAccessibleDescription(explained or description)
        edit.setToolTip(description)
        edit.setMaxLength(200)
        caption = QLabel(label if self._alt_keys else label.replace("&", ""))
        caption.setBuddy(edit)
        caption.setWordWrap(True)
        layout.addRow(caption, edit)
        if explained:
            # Said where the word is read, not only in a tooltip: MASH and LADO are
            # council words a club's volunteer may never have met.
            layout.addRow("", hint(explained))
        return edit

    def contacts(self) -> LocalContacts:
        return LocalContacts(
            front_door=self.front_door.text().strip(),
            out_of_hours=self.out_of_hours.text().strip(),
            lado=self.lado.text().strip(),
            police_non_emergency=self.police.text().strip(),
            emergency=self.emergency.text().strip(),
            nspcc_helpline=self.nspcc.text().strip(),
            notes=self.notes.toPlainText().strip(),
            prevent=self.prevent.text().strip(),
        )

    def set_read_only(self, read_only: bool) -> None:
        for edit in (
            self.front_door,
            self.out_of_hours,
            self.lado,
            self.police,
            self.emergency,
            self.nspcc,
            self.prevent,
        ):
            edit.setReadOnly(read_only)
        self.notes.setReadOnly(read_only)
