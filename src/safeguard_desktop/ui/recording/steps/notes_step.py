"""The step for the recorder's written notes (optional): a photo or scan of what they wrote
on paper, a letter or an email, sealed with the concern and sent with it.

Each file is read and checked on the form's worker, never here on the GUI thread (a
25 MB photo takes a second to draw again): ``attachment_intake.choose`` recognises it
and takes its location and camera details out, and ``check_chosen`` keeps all the files
together within what one concern may carry. A file that cannot be sent is said in its
own one sentence and is not listed. Once chosen, a file cannot be opened again here:
the list says only its name, kind, size and what was taken out.

The files are held in memory only, never in the draft (they can be 25 MB each): the
draft keeps how many there were, so a draft continued says plainly that they must be
added again, and closing or sending the form drops them (:meth:`NotesPage.drop_files`).
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from safeguard_desktop.domain.attachments import NO_INJURY_PHOTOS, size_words
from safeguard_desktop.domain.text import display_safe
from safeguard_desktop.services.attachment_intake import ChosenFile, check_chosen, choose
from safeguard_desktop.services.attachments import read_chosen_file

from ...theme import BUTTON_MIN_HEIGHT, MessageLine, alarm_box, banner, bold, card, hint, paragraph
from ...widgets.dialog_parts import busy_bar
from ...widgets.field_hint import field_hint
from ...widgets.file_choosers import open_file_dialog
from ...widgets.pdf_save_dialog import documents_folder
from ...worker import Failure, Submits
from .step_page import FormPage

FILE_FILTER = "PDF, PNG or JPEG (*.pdf *.png *.jpg *.jpeg);;All files (*)"
# What attachment_intake says it took out, as a volunteer would say it.
_TAKEN_OUT = {
    "location (GPS)": "location",
    "camera details (EXIF)": "camera details",
    "XMP details": "hidden details",
    "a comment": "comment",
    "text notes": "hidden notes",
}
# A name with no spaces ("IMG_20240305_143012.jpg") may break after these on a narrow
# screen, or else every 24 characters, rather than push the page wider than the window.
_BREAK_AFTER = re.compile(r"([_\-)\]])")
_LONG_RUN = re.compile(r"([^\s\u200b]{24})(?=[^\s\u200b])")


def _tr(text: str) -> str:
    return QCoreApplication.translate("NotesPage", text)


def take_file(path: Path, chosen: Sequence[ChosenFile]) -> ChosenFile:
    """On the worker: the file at ``path`` read, checked and stripped of its details, and
    within the limits together with ``chosen``; BadInput (one sentence) if not."""
    picked = choose(read_chosen_file(path), path.name)
    check_chosen([*chosen, picked])
    return picked


def wrappable(name: str) -> str:
    """``name`` as shown: may wrap after its separators or inside a long run of letters
    (a screen reader is given the name as it is)."""
    return _LONG_RUN.sub("\\1\u200b", _BREAK_AFTER.sub("\\1\u200b", display_safe(name)))


def kind_and_size(chosen: ChosenFile) -> str:
    """ "JPEG photo or scan, 412 kB": the size of what will be sent (its number and unit
    kept on one line)."""
    intake = chosen.intake
    size = size_words(len(intake.data)).replace(" ", "\u00a0")
    return _tr("{kind}, {size}").format(kind=_tr(intake.kind.label), size=size)


def taken_out(chosen: ChosenFile) -> str:
    """ "Its location and camera details will be taken out before it is sent." ("" if
    the file carried nothing)."""
    words = [_tr(_TAKEN_OUT.get(what, display_safe(what))) for what in chosen.intake.removed]
    if not words:
        return ""
    listed = (
        words[0]
        if len(words) == 1
        else _tr("{some} and {last}").format(some=", ".join(words[:-1]), last=words[-1])
    )
    return _tr("Its {what} will be taken out before it is sent.").format(what=listed)


class ChosenRow(QWidget):
    """One file chosen: its name, kind and size, what is taken out, and Remove."""

    def __init__(self, chosen: ChosenFile, on_remove: Callable[[ChosenRow], None]) -> None:
        super().__init__()
        self.chosen = chosen
        frame = card()
        frame.setAccessibleName(chosen.file_name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        row = QHBoxLayout(frame)
        row.setContentsMargins(14, 8, 10, 8)
        words = QVBoxLayout()
        words.setSpacing(2)
        # The name often holds a child's: plain text, never read as markup.
        self.name = QLabel(wrappable(chosen.file_name))
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setWordWrap(True)
        self.name.setAccessibleName(chosen.file_name)
        words.addWidget(bold(self.name))
        self.facts = hint(kind_and_size(chosen))
        words.addWidget(self.facts)
        self.removed = hint(taken_out(chosen))
        self.removed.setVisible(bool(self.removed.text()))
        words.addWidget(self.removed)
        row.addLayout(words, 1)
        # No Alt key: one would belong to every file's button at once.
        self.remove_button = QPushButton(_tr("Remove"))
        self.remove_button.setAccessibleName(
            _tr("Remove {name}").format(name=display_safe(chosen.file_name))
        )
        self.remove_button.setAccessibleDescription(self.facts.text())
        self.remove_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.remove_button.clicked.connect(lambda: on_remove(self))
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)


class NotesPage(FormPage):
    """The files to send with the concern; ``files`` is what Send passes on."""

    def __init__(self, lead: str, worker: Submits) -> None:
        super().__init__()
        self._worker = worker
        self.files: list[ChosenFile] = []
        self.rows: list[ChosenRow] = []
        self.busy = False
        self.file_dialog: QFileDialog | None = None
        self._folder = documents_folder()
        self._to_add_again = 0
        self.set_title(self.tr("Your written notes (optional)"))
        self.set_intro(
            self.tr(
                "If you wrote notes on paper first, or have a letter or email about this, you "
                "can send a photo or scan of it with your concern. Your {lead} keeps the "
                "original, so please give it to them too."
            ).format(lead=lead)
        )
        layout = self.body_layout
        # Said before anything can be chosen, where it cannot be missed.
        reminder_text = self.tr(NO_INJURY_PHOTOS)
        self.reminder, reminder_layout = alarm_box("", warning=True)
        self.reminder.setAccessibleName(reminder_text)
        reminder_layout.addWidget(bold(paragraph(reminder_text)))
        layout.addWidget(self.reminder)

        self.again = banner("")
        self.again_line = self.again.findChild(QLabel)
        self.again.hide()
        layout.addWidget(self.again)

        self.add_button = QPushButton(self.tr("&Add a file…"))
        self.add_button.setAccessibleName(self.tr("Add a file to send with your concern"))
        self.add_button.setMinimumHeight(BUTTON_MIN_HEIGHT)
        self.add_button.clicked.connect(self.choose_file)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        layout.addLayout(add_row)
        # Read on the button by a screen reader, as seen under it.
        limits = field_hint(
            self.add_button,
            self.tr(
                "A PDF, PNG or JPEG; up to 10 files, 25 MB together. Files are not kept if "
                "you stop before sending."
            ),
        )
        layout.addWidget(limits)
        self.busy_bar = busy_bar(self.tr("Reading the file"))
        layout.addWidget(self.busy_bar)
        # What happened to the last file: being read, added, removed, or why it was refused.
        self.message = MessageLine(self.tr("About the file chosen"))
        self.message.describe(self.add_button)
        layout.addWidget(self.message)
        self.field_errors["attachments"] = self.field_errors["file"] = self.message
        self.field_widgets["attachments"] = self.field_widgets["file"] = self.add_button

        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(8)
        layout.addLayout(self.rows_layout)
        layout.addWidget(self.page_error)
        layout.addStretch(1)

    # Choosing and reading a file ----------------------------------------------------------

    def choose_file(self) -> None:
        """The file chooser (opened, never exec'd: a lock while it is open takes it away
        with the form)."""
        if self.busy or self.file_dialog is not None:
            return
        title = self.tr("Choose a photo or scan of your notes")
        self.file_dialog = open_file_dialog(
            self, title, self._folder, self.tr(FILE_FILTER), self.add_path
        )
        self.file_dialog.setAccessibleName(title)
        self.file_dialog.finished.connect(self._chooser_closed)

    def _chooser_closed(self) -> None:
        self.file_dialog = None  # it deletes itself

    def add_path(self, path: Path) -> None:
        """Read and check ``path`` on the worker; listed when it can be sent."""
        if self.busy:
            return
        self._folder = path.parent
        self.clear_errors()
        self._set_busy(True)
        self.message.show_info(
            self.tr("Reading {name} and taking out its hidden details…").format(
                name=display_safe(path.name)
            )
        )
        self._worker.submit(
            take_file,
            path,
            tuple(self.files),
            on_done=self._added,
            on_error=functools.partial(self._refused, path.name),
        )

    def _added(self, chosen: ChosenFile) -> None:
        self._set_busy(False)
        self.files.append(chosen)
        self._show_row(chosen)
        self.message.show_good(
            self.tr("{name} will be sent with your concern.").format(
                name=display_safe(chosen.file_name)
            )
        )
        if len(self.files) >= self._to_add_again:
            self.again.hide()
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, name: str, failure: Failure) -> None:
        # Which file, and its one sentence, beside the button that chose it; not listed.
        self._set_busy(False)
        self.show_error(
            "file",
            self.tr("{name} was not added. {sentence}").format(
                name=display_safe(name), sentence=failure.message
            ),
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.add_button.setEnabled(not busy)
        for row in self.rows:
            row.remove_button.setEnabled(not busy)
        self.completeChanged.emit()  # Next waits for the file

    # The list -------------------------------------------------------------------------

    def _show_row(self, chosen: ChosenFile) -> None:
        row = ChosenRow(chosen, self._remove)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        self.arrange_tab_order()

    def _remove(self, row: ChosenRow) -> None:
        if self.busy or row not in self.rows:
            return
        index = self.rows.index(row)
        self.rows.pop(index)
        self.files.remove(row.chosen)
        row.hide()
        row.deleteLater()
        self.clear_errors()
        self.message.show_info(
            self.tr("{name} was removed; it will not be sent.").format(
                name=display_safe(row.chosen.file_name)
            )
        )
        # The focus stays in the list, on the file now in its place, else on Add.
        if self.rows:
            self.rows[min(index, len(self.rows) - 1)].remove_button.setFocus()
        else:
            self.add_button.setFocus()
        self.arrange_tab_order()

    def drop_files(self) -> None:
        """Forget every file chosen (the form is closed, cleared or sent)."""
        for row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        self.files = []
        self.message.clear_message()

    def files_to_add_again(self, count: int) -> None:
        """A draft continued: the files added before it was kept are not in it."""
        self._to_add_again = count
        if count <= 0:
            self.again.hide()
            return
        if count == 1:
            sentence = self.tr(
                "You had added 1 file before you stopped. Files are not kept with an unsent "
                "concern, so please add it again."
            )
        else:
            sentence = self.tr(
                "You had added {n} files before you stopped. Files are not kept with an "
                "unsent concern, so please add them again."
            ).format(n=count)
        assert self.again_line is not None
        self.again_line.setText(sentence)
        self.again.setAccessibleName(sentence)
        self.again.show()

    def review_html(self) -> str:
        """The files to be sent, as the review lists them."""
        if not self.files:
            return f"<i>{html.escape(self.tr('No files'))}</i>"
        return "".join(
            f"<p style='margin:0 0 8px 0'><b>{html.escape(wrappable(f.file_name))}</b><br>"
            f"{html.escape(kind_and_size(f))}</p>"
            for f in self.files
        )

    # The wizard -------------------------------------------------------------------------

    def arrange_tab_order(self) -> None:
        chain: list[QWidget] = [self.add_button, *(row.remove_button for row in self.rows)]
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)

    def first_field(self) -> QWidget | None:
        return self.add_button

    def isComplete(self) -> bool:
        return not self.busy

    def validatePage(self) -> bool:
        # Nothing here is part of the concern's own checks; only a file still being read.
        if self.busy:
            self.message.show_info(self.tr("Please wait until the file has been read."))
            return False
        return True
