"""The main window: first-run choice, sign-in page or the signed-in area, one at a time.

With no store yet it offers "Set up a new store" (the setup wizard) or "Restore from a
backup" (restore_page.py). It owns the session. Locking (by hand, after idle time, or on
minimise) destroys the signed-in area outright, so no record text stays in any widget,
then closes the session on the worker; an automatic backup that is due runs first, on
the same worker (automatic_backup.py explains why that is safe). The window title only
ever says "Safeguard Desktop" and the organisation's name.

Over 500 lines because the session's whole life (first run, sign-in, idle time, lock,
sign-out and the automatic backup at each) is decided here, in one place, so no path
out of the records can skip the lock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from safeguard_desktop import APP_NAME
from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.services import recording_station
from safeguard_desktop.services.attachment_intake import ChosenFile
from safeguard_desktop.services.backup import RestoreReport
from safeguard_desktop.services.changes import Changes, Setting
from safeguard_desktop.services.recording import check_guest_can_submit, submit_as_guest
from safeguard_desktop.services.session import CaseSession, Session
from safeguard_desktop.services.store import Store

from .access.change_password_dialog import ChangePasswordDialog
from .access.idle_lock import IDLE_REASON, MINIMISED_REASON, IdleLock
from .access.login_page import LoginPage
from .backups.automatic_backup import AT_END, AT_SIGN_IN, MADE, PROBLEM, AutomaticBackups
from .backups.backup_dialog import BackupDialog
from .backups.restore_page import RestorePage
from .case_area import CaseArea
from .recording.after_submit_page import AfterSubmitPage
from .recording.concern_form import ConcernForm, GuestDrafts
from .recording.recorder_area import RecorderArea
from .setup.first_run_page import FirstRunPage
from .setup.setup_wizard import SetupWizard
from .stations.station_home import StationHome
from .stations.station_setup_page import StationSetupPage
from .theme import MessageLine, heading, paragraph
from .translations import plural
from .widgets.concealed_clipboard import concealed_clipboard
from .widgets.enter_key import EnterPressesButtons
from .widgets.screen_fit import ScreenFit, fit_window
from .widgets.wizard_page import first_field
from .worker import Failure, Worker, bug_sentence, discard

# A half-typed concern on a recording station is cleared after this long untouched: the
# station is a shared PC with no accounts (the form is a guest's).
STATION_IDLE_MINUTES = 10


def _open_store(data_dir: Path) -> Store | recording_station.StationFolder | None:
    """On the worker: None when there is no store yet (first run); the station when this
    PC is a recording station."""
    if recording_station.StationFolder.exists(data_dir):
        return recording_station.StationFolder.open(data_dir)
    if not Store.exists(data_dir):
        return None
    store = Store.open(data_dir)
    # Asking the OS credential store can take a moment (D-Bus); do it here, not on the GUI.
    _ = store.device_secret_status
    return store


class _MessagePage(QWidget):
    """A quiet full-window message: "Opening…" or why the store cannot be opened."""

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(14)
        layout.addStretch(1)
        self.title = heading(title)
        layout.addWidget(self.title)
        self.text = paragraph(text)
        layout.addWidget(self.text)
        self.error = MessageLine(QCoreApplication.translate("MainWindow", "Problem"))
        layout.addWidget(self.error)
        layout.addStretch(2)


class _ShownOrHidden(QObject):
    """Calls ``changed`` when ``widget`` is shown or hidden. A child of the widget, so it
    goes with it: the window's own event filter would outlive a closed window's wrapper."""

    def __init__(self, widget: QWidget, changed: Callable[[], None]) -> None:
        super().__init__(widget)
        self._changed = changed
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self._changed()
        return False


class MainWindow(QMainWindow):
    def __init__(
        self,
        data_dir: Path,
        *,
        demo_hint: str | None = None,
        idle_timeout_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``idle_timeout_ms`` overrides the store's automatic-lock minutes (for tests)."""
        super().__init__(parent)
        self.data_dir = data_dir
        self.worker = Worker(self)
        self.store: Store | None = None
        self.session: Session | None = None
        self.session_area: QWidget | None = None
        self.wizard: SetupWizard | None = None
        self.first_run_page: FirstRunPage | None = None
        self.restore_page: RestorePage | None = None
        self.station: recording_station.StationFolder | None = None
        self.station_home: StationHome | None = None
        self.station_setup_page: StationSetupPage | None = None
        self._last_delivery: recording_station.StationDelivery | None = None
        self.change_password_dialog: ChangePasswordDialog | None = None
        self.setWindowTitle(APP_NAME)
        self.setAccessibleName(APP_NAME)
        # Never bigger than the screen: a 1366 x 768 laptop at 150 % has 911 x 512 to give.
        ScreenFit.install()
        EnterPressesButtons.install()
        fit_window(self, QSize(1100, 720))
        self.setMinimumSize(560, 400)

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.opening_page = _MessagePage(self.tr("Opening…"))
        self.problem_page = _MessagePage(self.tr("The records cannot be opened"))
        self.login_page = LoginPage(self.worker, demo_hint)
        self.login_page.signed_in.connect(self._signed_in)
        self.login_page.recovered.connect(self._recovered)
        self.login_page.guest_record_requested.connect(self.open_guest_form)
        self.concern_form: ConcernForm | None = None
        self.after_page: AfterSubmitPage | None = None
        for page in (self.opening_page, self.problem_page, self.login_page):
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(self.opening_page)

        self.idle_lock = IdleLock(self, timeout_ms=idle_timeout_ms, parent=self)
        self.idle_lock.lock_requested.connect(self._lock_for)
        self._build_toolbar()
        self.statusBar().setSizeGripEnabled(False)
        # At sign-in, sign-out and lock; its small indicator lives in the status bar.
        self.automatic_backups = AutomaticBackups(self.worker, self)
        self.automatic_backups.notice.connect(self._automatic_backup_notice)
        self.statusBar().addPermanentWidget(self.automatic_backups.indicator)
        # The status bar takes room only while it has something to say: on a small screen
        # every line counts.
        self.statusBar().messageChanged.connect(lambda _message: self._fit_status_bar())
        _ShownOrHidden(self.automatic_backups.indicator, self._fit_status_bar)
        self._fit_status_bar()

        self.worker.submit(
            _open_store, data_dir, on_done=self._store_opened, on_error=self._store_failed
        )

    def _fit_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setVisible(
            bool(bar.currentMessage()) or not self.automatic_backups.indicator.isHidden()
        )

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self.tr("Session"))
        self.toolbar.setObjectName("session-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setFloatable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setAccessibleName(self.tr("Session"))
        self.signed_in_label = QLabel()
        self.signed_in_label.setContentsMargins(12, 0, 12, 0)
        self.toolbar.addWidget(self.signed_in_label)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.lock_action = QAction(self.tr("&Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip(self.tr("Lock now (Ctrl+L)"))
        self.lock_action.triggered.connect(self.lock)
        self.sign_out_action = QAction(self.tr("Sign &out"), self)
        self.sign_out_action.setToolTip(self.tr("Sign out"))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.change_password_action = QAction(self.tr("&Change my password…"), self)
        self.change_password_action.setToolTip(self.tr("Choose a new password for yourself"))
        self.change_password_action.triggered.connect(self.open_change_password)
        self.toolbar.addAction(self.change_password_action)
        self.toolbar.addAction(self.lock_action)
        self.toolbar.addAction(self.sign_out_action)
        for action in (self.change_password_action, self.lock_action, self.sign_out_action):
            button = self.toolbar.widgetForAction(action)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            # Reachable with Tab as well as by mouse: keyboard-only users need these too.
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar.hide()
        self._set_session_actions(False)

        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.addAction(self.quit_action)

    def _set_session_actions(self, enabled: bool) -> None:
        # Disabled actions keep Ctrl+L from doing anything on the sign-in page.
        self.lock_action.setEnabled(enabled)
        self.sign_out_action.setEnabled(enabled)
        self.change_password_action.setEnabled(enabled)
        self.toolbar.setVisible(enabled)

    # Opening --------------------------------------------------------------------------

    def _store_opened(self, store: Store | recording_station.StationFolder | None) -> None:
        if store is None:
            self._show_setup()
            return
        if isinstance(store, recording_station.StationFolder):
            self._use_station(store)
            return
        self._use_store(store)
        self.login_page.prepare()
        self.stack.setCurrentWidget(self.login_page)

    def _store_failed(self, failure: Failure) -> None:
        self.problem_page.text.setText(
            self.tr("Nothing has been changed. The data folder is {path}").format(
                path=self.data_dir
            )
        )
        self.problem_page.error.show_error(failure.message)
        self.stack.setCurrentWidget(self.problem_page)

    def _use_store(self, store: Store) -> None:
        self.store = store
        self.login_page.set_store(store)
        self.setWindowTitle(f"{APP_NAME} – {store.organisation.name}")

    def _show_setup(self) -> None:
        """No store yet: "Set up a new store" or "Restore from a backup"."""
        page = self.first_run_page
        if page is None:
            page = self.first_run_page = FirstRunPage(self.data_dir)
            page.setup_requested.connect(self.start_setup)
            page.restore_requested.connect(self.start_restore)
            page.station_requested.connect(self.start_station_setup)
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.setup_button.setFocus()

    def start_setup(self) -> None:
        self.wizard = SetupWizard(self.data_dir, self.worker)
        self.wizard.completed.connect(self._setup_completed)
        self.stack.addWidget(self.wizard)
        self.stack.setCurrentWidget(self.wizard)
        self._close_first_run()

    def _close_first_run(self) -> None:
        page, self.first_run_page = self.first_run_page, None
        if page is not None:
            page.hide()
            discard(page)

    def start_restore(self) -> None:
        page = RestorePage(self.data_dir, self.worker)
        page.restored.connect(self._restore_completed)
        page.back_requested.connect(self._restore_abandoned)
        self.restore_page = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.file.setFocus()

    def _close_restore_page(self) -> None:
        page, self.restore_page = self.restore_page, None
        if page is not None:
            page.hide()
            discard(page)

    def _restore_abandoned(self) -> None:
        self._show_setup()
        self._close_restore_page()

    def _restore_completed(self, store: Store, username: str, report: RestoreReport) -> None:
        self._use_store(store)
        notice = self.tr("{restored} Sign in with the new password you just chose.").format(
            restored=report.sentence()
        )
        if report.accounts_needing_password:
            notice += " " + self.tr("Then give everyone else a new password on the People page.")
        self.login_page.prepare(username, notice)
        self.stack.setCurrentWidget(self.login_page)
        self._close_restore_page()
        self._close_first_run()

    # A recording station ---------------------------------------------------------------

    def start_station_setup(self) -> None:
        page = self.station_setup_page = StationSetupPage(self.data_dir, self.worker)
        page.set_up.connect(self._station_set_up)
        page.back_requested.connect(self._station_setup_abandoned)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.file.setFocus()

    def _close_station_setup(self) -> None:
        page, self.station_setup_page = self.station_setup_page, None
        if page is not None:
            page.hide()
            discard(page)

    def _station_setup_abandoned(self) -> None:
        self._show_setup()
        self._close_station_setup()

    def _station_set_up(self, station: recording_station.StationFolder) -> None:
        self._use_station(station)
        self._close_station_setup()
        self._close_first_run()

    def _use_station(self, station: recording_station.StationFolder) -> None:
        """This PC records for another PC's store: its home is the only page."""
        self.station = station
        self.setWindowTitle(
            self.tr("{app} – {organisation} (recording station)").format(
                app=APP_NAME, organisation=station.organisation.name
            )
        )
        home = self.station_home = StationHome(station, self.worker)
        home.record_requested.connect(self.open_station_form)
        self.stack.addWidget(home)
        self.stack.setCurrentWidget(home)
        home.record_button.setFocus()

    def open_station_form(self) -> None:
        """The guided form as a guest's: the draft in memory, the name and role asked last,
        the concern sealed and delivered by the station (on the worker)."""
        station = self.station
        if station is None or self.concern_form is not None:
            return

        def submit(name: str, role: str, concern: Concern, files: Sequence[ChosenFile]) -> str:
            made = recording_station.record_on_station(station, name, role, concern, files)
            self._last_delivery = made
            return made.ref

        self._show_concern_form(
            ConcernForm(
                self.worker,
                station.organisation,
                guest_submit=submit,
                drafts=GuestDrafts(),
                sender_sentence="",
                is_guest=True,
                check=lambda: recording_station.check_station_may_record(station),
            )
        )
        self.idle_lock.set_minutes(STATION_IDLE_MINUTES)
        self.idle_lock.start()

    def _station_delivery_words(self, lead: str) -> str:
        made, self._last_delivery = self._last_delivery, None
        if made is None:
            return ""
        if made.delivered:
            return self.tr(
                "It has been delivered to the shared folder. The {lead}'s PC takes it in "
                "when the folder reaches it."
            ).format(lead=lead)
        return self.tr(
            "The shared folder cannot be reached just now, so it is kept safely on this PC and "
            "will be delivered as soon as it can be. Nobody can read it here meanwhile."
        )

    def _setup_completed(self, store: Store, username: str) -> None:
        wizard, self.wizard = self.wizard, None
        self._use_store(store)
        lead = store.organisation.org_type.lead_title
        self.login_page.prepare(
            username,
            self.tr(
                "Your store is ready. Sign in with the password you just chose. Then open "
                "People to add the people who will record concerns, and any deputy {lead}; "
                "keep the recovery key locked away from this PC."
            ).format(lead=lead),
        )
        self.stack.setCurrentWidget(self.login_page)
        if wizard is not None:
            discard(wizard)

    # Signed in ------------------------------------------------------------------------

    def _signed_in(self, session: Session) -> None:
        assert self.store is not None
        self.session = session
        area: QWidget
        if isinstance(session, CaseSession):
            case_area = CaseArea(session, self.store, self.worker)
            case_area.idle_minutes_changed.connect(self.idle_lock.set_minutes)
            case_area.record_requested.connect(self.open_concern_form)
            area = case_area
        else:
            recorder_area = RecorderArea(session, self.worker)
            recorder_area.sign_out_requested.connect(self.sign_out)
            recorder_area.record_requested.connect(self.open_concern_form)
            area = recorder_area
        self.session_area = area
        self.stack.addWidget(area)
        self.stack.setCurrentWidget(area)
        self.signed_in_label.setText(
            self.tr("Signed in as {name}").format(name=session.user.display_name)
        )
        self._set_session_actions(True)
        self.idle_lock.set_minutes(self.store.idle_lock_minutes)
        self.idle_lock.start()
        self.statusBar().clearMessage()  # the last session's news, such as its backup
        # After Home's first read (queued before it): due or not is the service's to say.
        self.automatic_backups.run(session, AT_SIGN_IN)
        # The keyboard starts on the first control of what is shown, not nowhere (once the
        # stacked widget has finished moving the focus itself).
        QTimer.singleShot(0, area, lambda: self._focus_area(area))

    def _focus_area(self, area: QWidget) -> None:
        if area is not self.session_area or not area.isVisible():
            return
        page = area.home if isinstance(area, CaseArea) else area
        target = first_field(page)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _recovered(self) -> None:
        # The one thing left to do after a recovery, said where it stays in view.
        self.statusBar().showMessage(
            self.tr(
                "Your new password is set. If this is a new PC, give the other people new "
                "passwords on the People page."
            )
        )

    def open_change_password(self) -> None:
        """The "Change my password" dialog for whoever is signed in."""
        if self.session is None or self.change_password_dialog is not None:
            return
        dialog = ChangePasswordDialog(self.session, self.worker, self)
        dialog.changed.connect(self._password_changed)
        dialog.finished.connect(self._change_password_closed)
        self.change_password_dialog = dialog
        self.statusBar().clearMessage()
        dialog.open()
        dialog.current.setFocus()

    def _change_password_closed(self) -> None:
        dialog, self.change_password_dialog = self.change_password_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _password_changed(self) -> None:
        self.statusBar().showMessage(self.tr("Your password has been changed."))

    def _close_change_password(self) -> None:
        """At lock or sign-out: the dialog goes with the session, busy or not."""
        dialog, self.change_password_dialog = self.change_password_dialog, None
        if dialog is None:
            return
        # A change already queued still runs before the lock (one worker, in order);
        # only its late answer to this dialog is dropped.
        dialog.finished.disconnect(self._change_password_closed)
        dialog.hide()
        discard(dialog)

    def lock(self) -> None:
        self._end_session(self.tr("Locked. Sign in to carry on."), keep_username=True)

    def sign_out(self) -> None:
        self._end_session(self.tr("You have signed out."), keep_username=False)

    def _lock_for(self, reason: str) -> None:
        minutes = self.store.idle_lock_minutes if self.store is not None else 0
        notices = {
            IDLE_REASON: plural(
                "Locked because nobody used the app for %n minutes. Sign in to carry on.", minutes
            ),
            MINIMISED_REASON: self.tr(
                "Locked because the window was minimised. Sign in to carry on."
            ),
        }
        self._end_session(notices.get(reason, self.tr("Locked.")), keep_username=True)

    def _end_session(self, notice: str, *, keep_username: bool) -> None:
        # The form's last draft save is queued before the lock below, on the one worker.
        form_closed = self._close_concern_form()
        page_closed = self._close_after_page()
        session, self.session = self.session, None
        if session is None:
            # A guest's form or thank-you page: nothing to lock, only to clear away.
            if self.station_home is not None:
                # On a recording station, back to its home, saying why the form went.
                self.idle_lock.stop()
                self.stack.setCurrentWidget(self.station_home)
                if form_closed:
                    self.station_home.problem.show_error(
                        self.tr(
                            "The form was closed because nobody used it for a while; nothing "
                            "was sent. Start again with Record a concern."
                        )
                    )
                return
            if form_closed or page_closed:
                self.idle_lock.stop()
                notice = self.tr("The guest form was closed and nothing was sent.")
                self.login_page.prepare("", notice if form_closed else "")
                self.stack.setCurrentWidget(self.login_page)
            return
        self.idle_lock.stop()
        self._close_change_password()
        area, self.session_area = self.session_area, None
        if area is not None:
            # A dialog is a window of its own: hiding the area leaves it on screen until the
            # deferred delete. Hidden now (edits it keeps are queued before the lock below).
            for dialog in area.findChildren(QDialog):
                dialog.hide()
            # Destroyed, not hidden: nothing the session showed survives the lock. No
            # removeWidget(): PySide would hand the widget to Python and delete it at
            # once, possibly inside its own button's signal. The stack drops it when
            # the deferred delete runs.
            area.hide()
            discard(area)
        # A referral section copied for a council's portal goes with the session too.
        concealed_clipboard().clear()
        self.signed_in_label.clear()
        self.statusBar().clearMessage()
        self._set_session_actions(False)
        # Every screen is already cleared; an automatic backup that is due runs before
        # the lock closes the records (automatic_backup.py), never after.
        self.automatic_backups.run(session, AT_END)
        self.worker.submit(session.lock, on_error=self._lock_failed)
        self.login_page.prepare(session.user.username if keep_username else "", notice)
        self.stack.setCurrentWidget(self.login_page)

    # Recording a concern --------------------------------------------------------------

    def open_concern_form(self) -> None:
        """The guided form for the signed-in account, in place of its area.

        The form first asks (on the worker) whether this PC may send a concern now; if
        not, it shows why instead of the steps, before anyone has typed a word.
        """
        session = self.session
        if session is None or self.concern_form is not None:
            return
        self._show_concern_form(
            ConcernForm(
                self.worker,
                session.organisation,
                submit=session.submit_concern,
                drafts=session,
                sender_sentence=self.tr("It will be sent as from {name}, {role}, now.").format(
                    name=session.user.display_name,
                    role=session.user.role.label(session.organisation.org_type),
                ),
                check=session.check_can_submit,
            )
        )

    def open_guest_form(self) -> None:
        """The guided form for a guest: no session, the draft in memory only. The guest's
        name and role are asked on its last step, after the question about danger."""
        store = self.store
        if store is None or self.session is not None or self.concern_form is not None:
            return
        self._show_concern_form(
            ConcernForm(
                self.worker,
                store.organisation,
                guest_submit=lambda name, role, concern, files: submit_as_guest(
                    store, name, role, concern, files
                ),
                drafts=GuestDrafts(),
                sender_sentence="",
                is_guest=True,
                check=lambda: check_guest_can_submit(store),
            )
        )
        # Someone walking away from a half-typed guest form must not leave it on screen.
        self.idle_lock.set_minutes(store.idle_lock_minutes)
        self.idle_lock.start()

    def _show_concern_form(self, form: ConcernForm) -> None:
        self.concern_form = form
        form.closed.connect(self._concern_form_closed)
        form.submitted.connect(self._concern_submitted)
        self.stack.addWidget(form)
        self.stack.setCurrentWidget(form)

    def _close_concern_form(self) -> bool:
        """Save the draft (queued) and destroy the form; False if none was open."""
        form, self.concern_form = self.concern_form, None
        if form is None:
            return False
        if not form.sending:
            form.save_now()
        form.drop_files()  # held in memory only, never in the draft just saved
        form.autosave_timer.stop()
        form.hide()
        discard(form)
        return True

    def _close_after_page(self) -> bool:
        page, self.after_page = self.after_page, None
        if page is None:
            return False
        page.hide()
        discard(page)
        return True

    def _back_from_recording(self) -> None:
        if self.session is not None and self.session_area is not None:
            self.stack.setCurrentWidget(self.session_area)
        elif self.station_home is not None:
            self.idle_lock.stop()
            self.stack.setCurrentWidget(self.station_home)
            self.station_home.deliver()
            self.station_home.record_button.setFocus()
        else:
            self.idle_lock.stop()
            self.login_page.prepare()
            self.stack.setCurrentWidget(self.login_page)

    def _concern_form_closed(self) -> None:
        self._close_concern_form()
        self._back_from_recording()

    def _concern_submitted(self, ref: str) -> None:
        form = self.concern_form
        lead = form.wizard.org.org_type.lead_title if form is not None else ""
        files = form.files_sent if form is not None else 0
        self.concern_form = None
        if form is not None:
            form.hide()
            discard(form)
        # A recorder is signed out at once: this is a shared PC. A lead stays signed in.
        recorder = self.session is not None and not isinstance(self.session, CaseSession)
        if recorder:
            self.sign_out()
        page = AfterSubmitPage(
            ref,
            lead,
            signed_out=recorder,
            delivery=self._station_delivery_words(lead),
            files=files,
        )
        page.done.connect(self._after_page_done)
        self.after_page = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.done_button.setFocus()

    def _after_page_done(self) -> None:
        self._close_after_page()
        self._back_from_recording()

    def _lock_failed(self, failure: Failure) -> None:
        # The keys are dropped either way; say so only if something unexpected happened.
        self.statusBar().showMessage(failure.message)

    def show_bug_notice(self) -> None:
        self.statusBar().showMessage(bug_sentence())

    def _automatic_backup_notice(self, sentence: str, kind: str, _moment: str) -> None:
        """A quiet line where it will be read: on Home while a lead is signed in, under
        "Locked" on the sign-in page after a lock (it wraps there; the status bar cuts
        a long sentence off at 150 % text)."""
        area = self.session_area
        if isinstance(area, CaseArea):
            area.home.backups.show_notice(sentence, problem=kind == PROBLEM, made=kind == MADE)
            if kind == MADE:
                # Made on the window's worker: every page showing the last backup is told.
                area.worker.announce(Changes.of(settings=[Setting.LAST_BACKUP]))
        elif self.stack.currentWidget() is self.login_page:
            self.login_page.add_notice(sentence)
        else:
            self.statusBar().showMessage(sentence)

    # Closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # Also done when the application quits; closing the window is enough reason.
        concealed_clipboard().clear()
        session, self.session = self.session, None
        self.idle_lock.stop()
        if self.station_home is not None:
            self.station_home.stop()  # its minute's delivery must not outlive the worker
        # Closing the window is not a time to wait for a backup: stop one being made.
        self.automatic_backups.stop()
        for dialog in self.findChildren(BackupDialog):
            dialog.request_stop()
        if session is not None:
            self.worker.submit(session.lock)
        # Waits for a running call (and the final lock) so nothing is cut off half-way.
        self.worker.shutdown()
        event.accept()
