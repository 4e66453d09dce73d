"""A persistent index of the inbox, so that finding a track does not rescan the folder.

An SQLite file in ``DATA_DIR`` (outside the main database: it is a cache, and several worker
processes share it) keeps, per inbox root, every directory's mtime and every audio file's size,
mtime and match keys. ``refresh`` re-lists only directories whose mtime changed (adding, removing
or renaming an entry changes it) and reads tags only of new or changed files. A file rewritten in
place without a rename keeps its old keys until its directory changes; fetch re-checks the size.
Timestamps younger than ``_RACY_SECONDS`` are not trusted (a change in the same clock tick would be
missed), so such entries are looked at again next time.

One refresh runs at a time (a lock file next to the index, held across threads and processes): a
lookup that arrives while another builds the index waits for that build and then finds everything,
instead of reading a half-built index (the first folders in, their subfolders not yet).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from downloads.sources.audio_files import AUDIO_EXTENSIONS, probe
from downloads.sources.base import SourceError
from downloads.sources.inbox import matching

logger = logging.getLogger(__name__)

INDEX_FILE = "inbox-index.sqlite3"
LOCK_FILE = "inbox-index.lock"
#: How long a lookup waits for another worker's refresh (a first build of a large inbox reads every tag).
LOCK_WAIT_SECONDS = 600.0
_RACY_SECONDS = 2.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS dirs (root TEXT NOT NULL, path TEXT NOT NULL, parent TEXT, mtime_ns INTEGER NOT NULL,
    PRIMARY KEY (root, path));
CREATE TABLE IF NOT EXISTS files (root TEXT NOT NULL, path TEXT NOT NULL, dir TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, readable INTEGER NOT NULL,
    isrc TEXT, title_key TEXT, artist_keys TEXT, duration_ms INTEGER, quality TEXT, lossless INTEGER,
    kbps INTEGER, extension TEXT, PRIMARY KEY (root, path));
CREATE INDEX IF NOT EXISTS files_isrc ON files (root, isrc);
CREATE INDEX IF NOT EXISTS files_title ON files (root, title_key);
CREATE INDEX IF NOT EXISTS files_dir ON files (root, dir);
"""


@dataclass(frozen=True)
class IndexedFile:
    path: Path  # absolute
    size: int
    isrc: str
    title_key: str
    artist_keys: frozenset[str]
    duration_ms: int
    quality: str
    lossless: bool
    kbps: int
    extension: str


@contextmanager
def connect() -> Iterator[sqlite3.Connection]:
    path = Path(settings.DATA_DIR) / INDEX_FILE
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_SCHEMA)
        yield conn


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class IndexBusy(sqlite3.OperationalError):
    """Another worker has been refreshing the index for longer than ``LOCK_WAIT_SECONDS``."""


@contextmanager
def _refresh_lock() -> Iterator[None]:
    """Hold the index's refresh lock (``fcntl.flock``: released by the kernel if the holder dies)."""
    path = Path(settings.DATA_DIR) / LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        deadline, pause = time.monotonic() + LOCK_WAIT_SECONDS, 0.001
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexBusy("another worker is still reading the inbox; try again later") from None
                time.sleep(pause)  # most refreshes take a few ms: look again soon, then less often
                pause = min(pause * 2, 0.1)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _trusted(mtime_ns: int) -> int:
    """The mtime to remember, or -1 (look again) when it is too recent to be trusted."""
    return mtime_ns if time.time() - mtime_ns / 1e9 > _RACY_SECONDS else -1


def refresh(conn: sqlite3.Connection, root: Path) -> int:
    """Bring the index of ``root`` up to date; returns how many directories were re-listed. Waits
    while another thread or process refreshes it (raises IndexBusy after ``LOCK_WAIT_SECONDS``)."""
    with _refresh_lock():
        return _refresh(conn, root)


def _refresh(conn: sqlite3.Connection, root: Path) -> int:
    key = str(root)
    known = dict(conn.execute("SELECT path, mtime_ns FROM dirs WHERE root = ?", (key,)).fetchall())
    pending, seen, relisted = [""], set(), 0
    while pending:
        rel = pending.pop()
        try:
            mtime_ns = _folder_mtime_ns(root, rel)
        except OSError:
            continue
        seen.add(rel)
        if rel in known and known[rel] == mtime_ns:
            pending.extend(
                row[0]
                for row in conn.execute("SELECT path FROM dirs WHERE root = ? AND parent = ?", (key, rel))
            )
            continue
        pending.extend(_relist(conn, root, rel, mtime_ns))
        relisted += 1
    _forget_dirs(conn, key, set(known) - seen)
    return relisted


def _folder_mtime_ns(root: Path, rel: str) -> int:
    """The folder's mtime; a subfolder replaced by a symlink since it was listed counts as gone."""
    if rel == "":
        return root.stat().st_mtime_ns  # the configured root may itself be a link (another disk)
    status = (root / rel).lstat()
    if not stat.S_ISDIR(status.st_mode):
        raise NotADirectoryError(str(root / rel))
    return status.st_mtime_ns


def _relist(conn: sqlite3.Connection, root: Path, rel: str, mtime_ns: int) -> list[str]:
    """Re-read one directory: new and changed files get their tags read, gone ones are dropped."""
    key = str(root)
    try:
        entries = [entry for entry in os.scandir(root / rel) if not entry.name.startswith(".")]
    except OSError as error:
        logger.warning("Cannot list inbox folder %s: %s", root / rel, error)
        return []
    # Symlinks (to files or folders) are never followed: they could bring in files from anywhere.
    subdirs = [_join(rel, e.name) for e in entries if e.is_dir(follow_symlinks=False)]
    audio = [
        e
        for e in entries
        if Path(e.name).suffix.lower() in AUDIO_EXTENSIONS and e.is_file(follow_symlinks=False)
    ]
    stored = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            "SELECT path, size, mtime_ns FROM files WHERE root = ? AND dir = ?", (key, rel)
        )
    }
    with _transaction(conn):
        for entry in audio:
            facts = entry.stat(follow_symlinks=False)
            path = _join(rel, entry.name)
            if stored.pop(path, None) != (facts.st_size, facts.st_mtime_ns):
                _store_file(conn, root, path, rel, facts.st_size, _trusted(facts.st_mtime_ns))
        conn.executemany("DELETE FROM files WHERE root = ? AND path = ?", [(key, gone) for gone in stored])
        _forget_dirs(conn, key, _stored_subdirs(conn, key, rel) - set(subdirs))
        parent = None if rel == "" else rel.rpartition("/")[0]
        conn.execute(
            "INSERT OR REPLACE INTO dirs VALUES (?, ?, ?, ?)", (key, rel, parent, _trusted(mtime_ns))
        )
    return subdirs


def _join(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name


def _stored_subdirs(conn: sqlite3.Connection, key: str, rel: str) -> set[str]:
    return {row[0] for row in conn.execute("SELECT path FROM dirs WHERE root = ? AND parent = ?", (key, rel))}


def _forget_dirs(conn: sqlite3.Connection, key: str, gone: set[str]) -> None:
    for rel in gone:
        like = rel.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
        conn.execute(
            "DELETE FROM dirs WHERE root = ? AND (path = ? OR path LIKE ? ESCAPE '\\')", (key, rel, like)
        )
        conn.execute(
            "DELETE FROM files WHERE root = ? AND (dir = ? OR dir LIKE ? ESCAPE '\\')", (key, rel, like)
        )


def _store_file(
    conn: sqlite3.Connection, root: Path, rel: str, folder: str, size: int, mtime_ns: int
) -> None:
    path = root / rel
    try:
        facts = probe(path)
    except SourceError as error:
        logger.info("Inbox file %s is not usable audio: %s", path, error.reason)
        conn.execute(
            "INSERT OR REPLACE INTO files (root, path, dir, size, mtime_ns, readable) "
            "VALUES (?, ?, ?, ?, ?, 0)",
            (str(root), rel, folder, size, mtime_ns),
        )
        return
    title, artists = facts.tags.get("title") or "", list(facts.tags.get("artists") or [])
    if not title or not artists:
        guessed_title, guessed_artists = matching.guess_from_path(path, root)
        title, artists = title or guessed_title, artists or guessed_artists
    conn.execute(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            str(root),
            rel,
            folder,
            size,
            mtime_ns,
            str(facts.tags.get("isrc") or "").strip().upper() or None,
            matching.title_key(title),
            json.dumps(sorted(matching.artist_keys(artists))),
            facts.duration_ms,
            facts.quality,
            int(facts.lossless),
            facts.kbps or 0,
            facts.extension,
        ),
    )


_COLUMNS = "path, size, isrc, title_key, artist_keys, duration_ms, quality, lossless, kbps, extension"


def _row_to_file(root: Path, row: tuple) -> IndexedFile:
    path, size, isrc, title, artists, duration, quality, lossless, kbps, extension = row
    return IndexedFile(
        root / path,
        size,
        isrc or "",
        title or "",
        frozenset(json.loads(artists or "[]")),
        duration or 0,
        quality or "",
        bool(lossless),
        kbps or 0,
        extension or "",
    )


def by_isrc(conn: sqlite3.Connection, root: Path, isrc: str) -> list[IndexedFile]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM files WHERE root = ? AND isrc = ?", (str(root), isrc.upper())
    )
    return [_row_to_file(root, row) for row in rows]


def by_title(conn: sqlite3.Connection, root: Path, title_key: str) -> list[IndexedFile]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM files WHERE root = ? AND title_key = ? AND readable = 1",
        (str(root), title_key),
    )
    return [_row_to_file(root, row) for row in rows]


def fingerprint(conn: sqlite3.Connection, root: Path) -> tuple[int, int, int]:
    """Count, newest mtime and total size of the indexed files: changes when the inbox does."""
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(MAX(mtime_ns), 0), COALESCE(SUM(size), 0) FROM files WHERE root = ?",
        (str(root),),
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def isrcs(conn: sqlite3.Connection, root: Path, *, lossless: bool = False) -> set[str]:
    """Every ISRC the inbox's readable files carry (only lossless files' with ``lossless``)."""
    query = "SELECT DISTINCT isrc FROM files WHERE root = ? AND readable = 1 AND isrc IS NOT NULL"
    if lossless:
        query += " AND lossless = 1"
    return {row[0] for row in conn.execute(query, (str(root),))}


def forget_file(conn: sqlite3.Connection, root: Path, path: Path) -> None:
    conn.execute(
        "DELETE FROM files WHERE root = ? AND path = ?", (str(root), path.relative_to(root).as_posix())
    )


def count_files(conn: sqlite3.Connection, root: Path) -> int:
    return conn.execute(
        "SELECT COUNT(*) FROM files WHERE root = ? AND readable = 1", (str(root),)
    ).fetchone()[0]
