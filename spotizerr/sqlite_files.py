"""The SQLite database holds password hashes, tokens and encrypted secrets: keep it 0600 like the key
files. SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file, so creating that
file 0600 before the first connection (and tightening files an older version left) covers all three."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE = 0o600


def sqlite_files_make_private(database: Path) -> None:
    """Create ``database`` empty with mode 0600 if missing; set 0600 on it and its WAL/SHM files."""
    try:
        fd = os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE)
        os.close(fd)
    except FileExistsError:
        pass
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        try:
            if path.stat().st_mode & 0o777 != PRIVATE:
                path.chmod(PRIVATE)
        except FileNotFoundError:
            continue
