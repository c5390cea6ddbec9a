"""Owner-only modes for the data folder and the store's files in it (POSIX).

Anyone else with an account on the PC must not be able to read the store, not even its
ciphertext (a copy can be attacked away from the PC, and inbox.db is plain SQLite). The
store's files are created 0600 whatever the process umask (:func:`create_private_file`;
SQLite gives a database's ``-wal`` and ``-shm`` the database's own mode), and the entry
points set an owner-only umask for everything else (process_hardening.py). A store made
by an earlier version has cases.db and inbox.db readable by everyone (0644), so opening
a store takes group and other permissions away where it finds them
(:func:`restrict_data_folder`). Windows keeps files in the user's profile private by its
own ACLs; nothing is done there.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

_GROUP_AND_OTHERS = 0o077


def create_private_file(path: Path, *, exist_ok: bool = False) -> None:
    """Create ``path`` empty, readable and writable by its owner only (0600).

    Before SQLite opens it, so the database and its -wal and -shm are never wider.
    Raises FileExistsError unless ``exist_ok``; an existing file is left as it is.
    """
    flags = os.O_WRONLY | os.O_CREAT | (0 if exist_ok else os.O_EXCL)
    os.close(os.open(path, flags, 0o600))


def restrict_data_folder(data_dir: Path, names: tuple[str, ...]) -> None:
    """Take group and other permissions off ``data_dir`` and the store's files in it.

    ``names`` are the store's files (vault.json, cases.db, inbox.db); what starts with
    one of them (cases.db-wal, cases.db.closed) or with a dot and one of them (the
    temporary files of an atomic write) is the store's too. Nothing else in the folder
    is touched, and a symbolic link is never followed. Best effort: a file that cannot
    be changed (owned by someone else) is logged, and opening goes on.
    """
    if os.name != "posix":
        return
    prefixes = tuple(names) + tuple(f".{name}" for name in names)
    try:
        entries = [entry for entry in data_dir.iterdir() if entry.name.startswith(prefixes)]
    except OSError:
        return  # opening the store reports a missing or unreadable folder in its own words
    for path in (data_dir, *entries):
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or not info.st_mode & _GROUP_AND_OTHERS:
                continue
            if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
                os.chmod(path, stat.S_IMODE(info.st_mode) & ~_GROUP_AND_OTHERS)
                log.info("made %s readable by its owner only", path.name)
        except OSError as err:
            log.warning("could not make %s private: %s", path.name, type(err).__name__)
