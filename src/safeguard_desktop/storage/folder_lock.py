"""One copy of Safeguard Desktop per data folder: a lock held while the app runs.

Two copies of the app on one folder (a second window, or another user of the PC
signed in with the same folder) would each keep the records open: one's writes would
wait on the other's and end as "locked", each would show what it read at sign-in, and
a key rotation in one would leave the other unable to read at all. So the app holds an
operating-system lock on ``in-use.lock`` in the data folder for as long as it runs, and
a second copy is told, in one sentence, to close the first.

The lock is the OS's (flock on Linux and macOS, LockFileEx on Windows, through
filelock, which also refuses to follow a symbolic link planted in its place): it goes
when the process ends, however it ends, so a crash or a kill never leaves the folder
"in use". The empty file stays behind (on Windows it is removed on release); its
presence means nothing by itself.

The command line does not make the file: a one-shot command takes the lock only if
the app has made it, waits a few seconds for whoever holds it (an app closing, another
command finishing), and otherwise says the same sentence.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType

from ..domain.errors import StoreInUse

log = logging.getLogger(__name__)

IN_USE_NAME = "in-use.lock"
ALREADY_OPEN = (
    "Safeguard Desktop is already open with these records (in another window or by "
    "another user of this PC); close it first."
)


class FolderHold:
    """The data folder held by this process until :meth:`release` (or the ``with`` ends).

    ``held`` is False when no lock could be taken for a reason that is not another
    copy of the app (a read-only folder, a folder not made yet by the command line):
    the folder's own problem is then reported by whatever reads or writes it.
    """

    def __init__(self, lock: object | None) -> None:
        self._lock = lock

    @property
    def held(self) -> bool:
        return self._lock is not None

    def release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()  # type: ignore[attr-defined]

    def __enter__(self) -> FolderHold:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def hold_data_folder(data_dir: Path, *, wait: float = 0.0, create: bool = True) -> FolderHold:
    """Hold ``data_dir`` for this process; raises StoreInUse when another process holds it.

    ``create``: make the folder and its lock file when missing (the app); without it
    (the command line) a folder the app has never held is not held. ``wait``: seconds
    to wait for another holder to let go before refusing.
    """
    from filelock import FileLock, Timeout  # 50 ms to import: only where it is used

    path = Path(data_dir) / IN_USE_NAME
    try:
        if create:
            Path(data_dir).mkdir(parents=True, exist_ok=True, mode=0o700)
        elif not path.is_file():
            return FolderHold(None)
        lock = FileLock(path, timeout=wait, mode=0o600)
        lock.acquire()
    except Timeout:
        raise StoreInUse(ALREADY_OPEN, path=str(path)) from None
    except OSError as err:
        log.warning("the data folder cannot be held (%s); going on without", type(err).__name__)
        return FolderHold(None)
    return FolderHold(lock)
