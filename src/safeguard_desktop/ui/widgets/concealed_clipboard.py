"""Record text on the clipboard: marked concealed, and taken off again.

A lead whose council takes referrals through a web portal copies a referral section by
section. The clipboard outlives the lock that destroys every view, and clipboard
managers keep a history, so, as KeePassXC does with passwords, the text is:

* marked concealed, for the clipboard managers that honour it (``x-kde-passwordManagerHint``
  on Linux desktops, the concealed pasteboard type on macOS, and on Windows the formats
  that keep it out of clipboard history, cloud clipboard and monitoring programs);
* cleared after :data:`CLEAR_AFTER_MS`, at a lock and when the app quits, but only if the
  clipboard still holds what this app put there: something the person copied since
  (from another program) is never wiped.

Other places put only public text on the clipboard (the certificate's fingerprint) or
take a secret off it (the recovery key entry); this is the one for record text.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QMimeData, QObject, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

# Short enough that a section pasted into a portal is gone soon after; long enough to
# switch to the browser and paste.
CLEAR_AFTER_MS = 30_000

_WINDOWS_FORMAT = 'application/x-qt-windows-mime;value="{}"'
_DWORD_ZERO = b"\x00\x00\x00\x00"


def _concealed_formats() -> list[tuple[str, bytes]]:
    if sys.platform == "darwin":
        return [("application/x-nspasteboard-concealed-type", b"secret")]
    if sys.platform == "win32":
        return [
            (_WINDOWS_FORMAT.format("ExcludeClipboardContentFromMonitorProcessing"), b"\x01"),
            (_WINDOWS_FORMAT.format("CanIncludeInClipboardHistory"), _DWORD_ZERO),
            (_WINDOWS_FORMAT.format("CanUploadToCloudClipboard"), _DWORD_ZERO),
        ]
    return [("x-kde-passwordManagerHint", b"secret")]


class ConcealedClipboard(QObject):
    """The application's one clipboard for record text (:func:`concealed_clipboard`)."""

    def __init__(self, parent: QObject, clear_after_ms: int = CLEAR_AFTER_MS) -> None:
        super().__init__(parent)
        self.setObjectName("concealedClipboard")
        self.clear_after_ms = clear_after_ms
        self._copied: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.clear)

    @property
    def holds_ours(self) -> bool:
        """Whether the clipboard still holds the text this app put there last."""
        return self._copied is not None and _clipboard().text() == self._copied

    def copy(self, text: str) -> None:
        """Put ``text`` on the clipboard, concealed, and start the clock to clear it."""
        mime = QMimeData()
        mime.setText(text)
        for kind, data in _concealed_formats():
            mime.setData(kind, data)
        # The clipboard only: the X11 selection holds what the person last highlighted.
        _clipboard().setMimeData(mime, QClipboard.Mode.Clipboard)
        self._copied = text
        self._timer.start(self.clear_after_ms)

    def clear(self) -> None:
        """Take our text off the clipboard, if it is still there; anything else stays."""
        self._timer.stop()
        if self.holds_ours:
            _clipboard().clear(QClipboard.Mode.Clipboard)
        self._copied = None


def _clipboard() -> QClipboard:
    return QGuiApplication.clipboard()


def concealed_clipboard() -> ConcealedClipboard:
    """The application's clipboard for record text, made the first time it is asked for."""
    app = QCoreApplication.instance()
    assert app is not None, "a QApplication must exist"
    found = app.findChild(ConcealedClipboard, "concealedClipboard")
    return found if isinstance(found, ConcealedClipboard) else ConcealedClipboard(app)
