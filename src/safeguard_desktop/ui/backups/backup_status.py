"""What Home says about backups: when the last one was made, and a "Back up now" button.

"Last backup: 3 days ago, checked." turns amber after a week and red after a month
(``LastBackup.level()``), and says so in words, never by colour alone; "No backup has
been made yet" is amber. Under it, where the last one is, whether automatic backups are
on, and a quiet line for what the automatic backup at sign-in did (a USB stick that is
not plugged in is a notice here, never an error dialog). When the records were restored
from a backup, a line says when, and that anything recorded after it is not here.

The same sentences are used by Settings (backup_settings.py). Everything is read on the
worker (``backup_facts``), again after any change to the backups (``BACKUP_SETTINGS``,
from the records area's one signal: a backup made here, in Settings or at sign-in);
the widget is destroyed with Home at lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.domain.date_words import local, long_date
from safeguard_desktop.services import backup
from safeguard_desktop.services.backup import AutoBackupSettings, LastBackup
from safeguard_desktop.services.changes import Changes, Setting
from safeguard_desktop.services.session import CaseSession

from ..case_worker import CaseWorker
from ..theme import BUTTON_MIN_HEIGHT, ERROR_INK, MessageLine, banner, heading, hint, paragraph
from ..worker import Failure
from .backup_dialog import BackupDialog, open_backup_dialog

AMBER_INK = "#7a3e00"  # dark enough on white and on the amber box (WCAG AA)

# The settings whose change the backup boxes (here and in Settings) show.
BACKUP_SETTINGS = frozenset({Setting.LAST_BACKUP, Setting.AUTOMATIC_BACKUPS})


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupStatus", text)


@dataclass(frozen=True)
class BackupFacts:
    last: LastBackup | None
    automatic: AutoBackupSettings | None
    restored: dict[str, object] | None


def backup_facts(session: CaseSession) -> BackupFacts:
    """On the worker: three small reads of the encrypted settings."""
    return BackupFacts(
        backup.last_backup(session),
        backup.automatic_backups(session),
        backup.restored_from(session),
    )


def age_words(made_at: datetime, today: date | None = None) -> str:
    """ "today", "yesterday" or "N days ago", by this PC's calendar."""
    days = ((today or date.today()) - local(made_at).date()).days
    if days <= 0:
        return _tr("today")
    if days == 1:
        return _tr("yesterday")
    return _tr("{n} days ago").format(n=days)


def last_backup_sentence(
    last: LastBackup | None, now: datetime | None = None, *, restored: bool = False
) -> tuple[str, str]:
    """The sentence about the last backup, and its level: "ok", "amber" or "red".

    ``restored``: the records came from a backup, so "no backup yet" would contradict
    the sentence above it; none has been made on this PC since. ``now`` (timezone-aware)
    is for tests; the clock otherwise.
    """
    if last is None:
        if restored:
            sentence = _tr(
                "No backup has been made on this PC since the records were restored. If this "
                "PC breaks or is stolen, everything recorded since is lost: make one now, "
                "onto a USB stick."
            )
        else:
            sentence = _tr(
                "No backup has been made yet. If this PC breaks or is stolen, every record "
                "on it is lost: make one now, onto a USB stick."
            )
        return sentence, "amber"
    age = age_words(last.made_at, local(now).date() if now is not None else None)
    checked = _tr("checked") if last.checked else _tr("not checked")
    sentence = _tr("Last backup: {age}, {checked}.").format(age=age, checked=checked)
    level = last.level(now)
    if level == "red":
        sentence += " " + _tr("That is more than a month ago: make a new backup today.")
    elif level == "amber":
        sentence += " " + _tr("That is more than a week ago: make a new backup soon.")
    return sentence, level


def automatic_sentence(settings: AutoBackupSettings | None) -> str:
    if settings is None:
        return _tr("Automatic backups are off; an administrator can turn them on in Settings.")
    if settings.every_days == 1:
        often = _tr("every day")
    else:
        often = _tr("every {n} days").format(n=settings.every_days)
    return _tr("Automatic backups: {often} into {folder}, keeping the newest {keep}.").format(
        often=often, folder=settings.folder, keep=settings.keep
    )


def _words_of_time(value: object) -> str:
    try:
        return long_date(local(datetime.fromisoformat(str(value))))
    except ValueError:
        return _tr("an unknown date")


def restored_sentence(restored: dict[str, object]) -> str:
    return _tr(
        "These records were restored on {restored} from a backup made on {made}; anything "
        "recorded after the backup was made is not here."
    ).format(
        restored=_words_of_time(restored.get("restored_at")),
        made=_words_of_time(restored.get("backup_made_at")),
    )


def level_style(frame: QFrame, label: QLabel, level: str) -> None:
    """The box and the sentence in the level's colours (the words say it as well)."""
    role = {"red": "alarm", "amber": "warning"}.get(level, "card")
    frame.setProperty("sgRole", role)
    frame.style().unpolish(frame)
    frame.style().polish(frame)
    ink = {"red": ERROR_INK, "amber": AMBER_INK}.get(level, "")
    label.setStyleSheet(f"color: {ink}; font-weight: bold;" if ink else "font-weight: bold;")


def last_backup_lines(texts: QVBoxLayout) -> tuple[QLabel, QLabel]:
    """The last backup's sentence and, under it, where that backup is (hidden till known).

    Home (below) and Settings (backup_settings.py) show the same two lines.
    """
    status_line = paragraph(_tr("Looking…"))
    status_line.setAccessibleName(_tr("Last backup"))
    texts.addWidget(status_line)
    where_line = hint()
    where_line.setAccessibleName(_tr("Where the last backup is"))
    where_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    where_line.hide()
    texts.addWidget(where_line)
    return status_line, where_line


def show_last_backup(
    frame: QFrame,
    status_line: QLabel,
    where_line: QLabel,
    last: LastBackup | None,
    *,
    restored: bool = False,
) -> str:
    """Fill the lines of ``last_backup_lines``, ``frame`` in the level's colours; the level."""
    sentence, level = last_backup_sentence(last, restored=restored)
    status_line.setText(sentence)
    status_line.setAccessibleDescription(sentence)
    level_style(frame, status_line, level)
    if last is not None and last.path:
        where_line.setText(_tr("Saved as {path}").format(path=last.path))
        where_line.show()
    else:
        where_line.hide()
    return level


class BackupStatus(QWidget):
    """Home's backup box."""

    def __init__(
        self, session: CaseSession, worker: CaseWorker, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._worker = worker
        worker.changed.connect(self.on_changes)
        self.facts: BackupFacts | None = None
        self.level = ""
        self.dialog: BackupDialog | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(10)

        self.restored = banner("")
        self.restored_line = self.restored.findChild(QLabel)
        self.restored.hide()
        outer.addWidget(self.restored)

        self.box = QFrame()
        self.box.setProperty("sgRole", "card")
        self.box.setAccessibleName(self.tr("Backups"))
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(6)
        layout.addWidget(heading(self.tr("Backups"), level=2))
        row = QHBoxLayout()
        row.setSpacing(16)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        self.status_line, self.where_line = last_backup_lines(texts)
        self.automatic_line = hint()
        self.automatic_line.setAccessibleName(self.tr("Automatic backups"))
        texts.addWidget(self.automatic_line)
        self.notice = MessageLine(self.tr("The automatic backup"))
        texts.addWidget(self.notice)
        row.addLayout(texts, 1)
        self.backup_button = QPushButton(self.tr("Back &up now…"))
        self.backup_button.setAccessibleName(self.tr("Back up now"))
        self.backup_button.setAccessibleDescription(
            self.tr("Make a backup of every record onto a USB stick or another folder")
        )
        self.backup_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.backup_button.clicked.connect(self.open_dialog)
        row.addWidget(self.backup_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        self.error = MessageLine(self.tr("Problem reading the backup settings"))
        layout.addWidget(self.error)
        outer.addWidget(self.box)

    # Loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        self._worker.submit(
            backup_facts, self._session, on_done=self.show_facts, on_error=self._failed
        )

    def on_changes(self, changes: Changes) -> None:
        if changes.settings & BACKUP_SETTINGS:
            self.refresh()

    def show_facts(self, facts: BackupFacts) -> None:
        self.facts = facts
        self.error.clear_message()
        self.level = show_last_backup(
            self.box, self.status_line, self.where_line, facts.last, restored=bool(facts.restored)
        )
        self.automatic_line.setText(automatic_sentence(facts.automatic))
        if facts.restored:
            text = restored_sentence(facts.restored)
            assert self.restored_line is not None
            self.restored_line.setText(text)
            self.restored_line.setAccessibleName(text)
            self.restored.setAccessibleName(text)
            self.restored.show()
        else:
            self.restored.hide()

    def _failed(self, failure: Failure) -> None:
        self.error.show_error(failure.message)

    # What the automatic backup did ------------------------------------------------------

    def show_notice(self, sentence: str, *, problem: bool = False, made: bool = False) -> None:
        """A quiet line under the status: never a dialog (the folder may simply be away)."""
        if problem:
            self.notice.show_error(sentence)
        elif made:
            self.notice.show_good(sentence)
        else:
            self.notice.show_info(sentence)

    # Back up now ---------------------------------------------------------------------

    def open_dialog(self) -> BackupDialog | None:
        if self.dialog is not None:
            return None
        dialog = open_backup_dialog(self, self._session, self._worker)
        dialog.made.connect(self._made)
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        return dialog

    def _dialog_closed(self) -> None:
        self.dialog = None

    def _made(self, _report: object) -> None:
        # The box is read again from what the backup changed (on_changes).
        self.notice.clear_message()
