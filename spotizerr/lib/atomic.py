"""Writing library files so that nobody ever sees half of one.

Every write goes to a temporary file in the destination's own folder (same file system, so the final
rename is atomic), is flushed to disk, then renamed into place. On any failure, a full disk included,
the temporary file is removed and the destination is left as it was. Temporary names start with
``TEMP_PREFIX`` so a checker can find ones left behind by a crash (``stale_temp_files``).

Nothing is written through a link: a file moved into the library must be a regular file (never a
symlink, which would make the library entry point elsewhere), and a work file shared with another
name by a hard link is made private (``make_private``) before anything rewrites it in place.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from spotizerr.lib.safe_paths import UnsafePathError, ensure_inside_root

TEMP_PREFIX = ".spotizerr-tmp-"
_CHUNK = 1024 * 1024
# Hard links are how a no-overwrite rename is done; these mean "this file system has none".
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once at import, before any worker thread starts.
    current = os.umask(0o022)
    os.umask(current)
    return current


_FILE_MODE = 0o666 & ~_read_umask()


def atomic_write_file(
    source: Path,
    destination: Path,
    *,
    root: Path | None = None,
    replace: bool = True,
) -> Path:
    """Copy ``source`` to ``destination`` atomically and return ``destination``.

    ``root``: refuse (UnsafePathError) when the destination, through a symlink, would leave it.
    ``replace=False``: raise FileExistsError instead of replacing an existing destination.
    Raises OSError (ENOSPC, EFBIG, ...) with no temporary file left behind.
    """
    with open(source, "rb") as reader:
        return _write_atomically(
            Path(destination),
            lambda handle: shutil.copyfileobj(reader, handle, _CHUNK),
            root=root,
            replace=replace,
        )


def atomic_write_bytes(
    data: bytes,
    destination: Path,
    *,
    root: Path | None = None,
    replace: bool = True,
) -> Path:
    """Write ``data`` to ``destination`` atomically (see ``atomic_write_file``)."""
    return _write_atomically(Path(destination), lambda handle: handle.write(data), root=root, replace=replace)


def atomic_write_text(
    text: str,
    destination: Path,
    *,
    encoding: str = "utf-8",
    root: Path | None = None,
    replace: bool = True,
) -> Path:
    """Write ``text`` to ``destination`` atomically (see ``atomic_write_file``)."""
    return atomic_write_bytes(text.encode(encoding), destination, root=root, replace=replace)


def atomic_move(source: Path, destination: Path, *, root: Path | None = None, replace: bool = True) -> Path:
    """Move ``source`` to ``destination``: a rename on the same file system, else an atomic copy
    followed by removing ``source``. Same guarantees and errors as ``atomic_write_file``."""
    source, destination = Path(source), Path(destination)
    _regular_file(source)
    _prepare_directory(destination, root)
    _fsync_file(source)
    try:
        _publish(source, destination, replace=replace)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        atomic_write_file(source, destination, root=root, replace=replace)
        source.unlink()
        return destination
    _fsync_directory(destination.parent)
    return destination


def make_private(path: Path) -> Path:
    """Make sure that rewriting ``path`` in place changes no other file: when it shares its content
    with another name (a hard link, e.g. to an inbox original), replace it with a copy of its own.
    Raises UnsafePathError when ``path`` is a symlink, OSError as the file system does."""
    path = Path(path)
    if _regular_file(path).st_nlink <= 1:
        return path
    temp = path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(6)}{path.suffix}")
    try:
        shutil.copyfile(path, temp, follow_symlinks=False)
        os.chmod(temp, _FILE_MODE)
        os.replace(temp, path)  # the other name keeps the old content; this one gets the copy
    finally:
        temp.unlink(missing_ok=True)
    return path


def _regular_file(path: Path) -> os.stat_result:
    status = os.lstat(path)
    if not stat.S_ISREG(status.st_mode):
        raise UnsafePathError(f"{path.name} is a symbolic link or not a regular file")
    return status


def stale_temp_files(directory: Path, *, older_than_s: float = 3600.0) -> list[Path]:
    """Temporary files under ``directory`` left by an interrupted write, older than ``older_than_s``."""
    cutoff = time.time() - older_than_s
    found: list[Path] = []
    for path in Path(directory).rglob(f"{TEMP_PREFIX}*"):
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                found.append(path)
        except FileNotFoundError:
            continue
    return sorted(found)


def _write_atomically(
    destination: Path,
    fill: Callable[[BinaryIO], object],
    *,
    root: Path | None,
    replace: bool,
) -> Path:
    _prepare_directory(destination, root)
    descriptor, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=destination.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _FILE_MODE)  # mkstemp makes 0600; media servers need to read the library
        _publish(temp, destination, replace=replace)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(destination.parent)
    return destination


def _prepare_directory(destination: Path, root: Path | None) -> None:
    if root is not None:
        ensure_inside_root(root, destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if root is not None:  # again: a symlink may have appeared while the folders were made
        ensure_inside_root(root, destination)


def _publish(temp: Path, destination: Path, *, replace: bool) -> None:
    """Rename ``temp`` to ``destination``; without ``replace``, never clobber an existing file."""
    if replace:
        os.replace(temp, destination)
        return
    try:
        # fails with FileExistsError, atomically, when the name is taken; never dereferences a link
        os.link(temp, destination, follow_symlinks=False)
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(destination):
            raise FileExistsError(errno.EEXIST, "File exists", str(destination)) from None
        os.replace(temp, destination)
        return
    temp.unlink()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; some file systems cannot fsync a folder, which is fine."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
