"""Errors a user can act on, each carrying one plain sentence.

Anything that is not a ``SafeguardError`` is a bug: the UI and CLI log its
traceback to the log file and tell the user that nothing was lost.
Messages never contain record text, names of children or secrets.
"""

from __future__ import annotations


class SafeguardError(Exception):
    """A problem the user can act on. ``str(err)`` is the sentence to show."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(SafeguardError):
    """Input that breaks a rule; the message names the field and why."""

    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class IncompleteDecision(BadInput):
    """A decision (or the referral made from it) that lacks what the rules require.

    Every gap is listed at once, not the first only: the wizard marks each step, the
    command line prints them all. ``field`` is the first gap's field, so a screen that
    reads one field still puts the focus somewhere useful.
    """

    def __init__(self, problems: list[tuple[str, str]], lead: str = "") -> None:
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)
        self.lead = lead
        sentences = " ".join(message for _, message in self.problems)
        super().__init__(f"{lead} {sentences}".strip(), self.problems[0][0] if problems else None)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(field for field, _ in self.problems)

    def with_fields(self) -> str:
        """One line naming each field, for the command line: "lead field: why; ..."."""
        listed = "; ".join(f"{field}: {message.rstrip('.')}" for field, message in self.problems)
        return f"{self.lead} {listed}.".strip()


class WrongCredentials(SafeguardError):
    """Wrong user name, password or recovery key."""

    exit_code = 3

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotPermitted(SafeguardError):
    """The signed-in account's role does not allow this."""

    exit_code = 3


class StoreDamaged(SafeguardError):
    """A file of the store cannot be read; it has not been modified."""

    exit_code = 1

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class StorageFault(SafeguardError):
    """The disk or the data folder stopped a read or a write: nothing stored was lost
    or damaged, and the user can act (free space, close a program, check the disk).

    Told apart from damage by SQLite's result code or the OS's errno
    (storage/storage_errors.py); only StoreDamaged says "damaged".
    """

    exit_code = 1

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class DataFolderUnusable(StorageFault):
    """The data folder, or a file in it, cannot be written or opened (read-only, no
    permission); nothing in it is damaged. The user can act: another folder, or rights."""

    exit_code = 2


class DiskFull(StorageFault):
    """The disk holding the file is full (or a quota or file-size limit was reached)."""


class StoreLocked(StorageFault):
    """Another program holds a lock on the file (an antivirus scan, a sync tool)."""


class StoreInUse(StorageFault):
    """Another copy of Safeguard Desktop has this data folder open."""


class DiskError(StorageFault):
    """The disk reported an input/output error: failing, or a drive unplugged."""


class StoreTooNew(SafeguardError):
    """The store was written by a newer version of the program."""

    exit_code = 1


class StoreMissing(SafeguardError):
    """There is no store in the data folder yet."""

    exit_code = 2


class StoreExists(SafeguardError):
    """Setup was asked to create a store where one already exists."""

    exit_code = 2


class CheckFailed(SafeguardError):
    """A verification (audit chain, signature, self-test) did not pass."""

    exit_code = 1


class StoreReadOnly(SafeguardError):
    """The records are open for reading only; the message says why and what to do."""

    exit_code = 1


class StoreTampered(SafeguardError):
    """A file in the data folder was changed outside the program; nothing was used or sent."""

    exit_code = 1
