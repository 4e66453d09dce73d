"""Copying files into a work directory with cancellation, leaving nothing partial behind.

Symbolic links are never followed: a link in a folder users can write to could point anywhere
(``/etc``, another user's files). The file opened or linked must be a regular file itself.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from spotizerr.lib.cancel import CancelToken

CHUNK_BYTES = 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class NotARegularFile(OSError):
    """The source is a symbolic link (or a device, a folder...), which is never read through."""


def open_regular(source: Path) -> int:
    """A read-only descriptor of ``source``; raises NotARegularFile when it is a symlink or not a file."""
    try:
        descriptor = os.open(source, os.O_RDONLY | _NOFOLLOW)
    except OSError as error:
        if error.errno == getattr(os, "ELOOP", -1) or os.path.islink(source):
            raise NotARegularFile(f"{source.name} is a symbolic link") from None
        raise
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise NotARegularFile(f"{source.name} is not a regular file")
    return descriptor


def copy_file(source: Path, destination: Path, *, cancel: CancelToken) -> Path:
    """Copy ``source`` to ``destination`` in chunks, stopping with Cancelled when ``cancel`` fires.
    Raises OSError as the file system does (NotARegularFile for a symlink); ``destination`` does not
    exist after any failure."""
    with os.fdopen(open_regular(source), "rb") as reader:
        try:
            with destination.open("xb") as writer:
                while chunk := reader.read(CHUNK_BYTES):
                    cancel.raise_if_cancelled()
                    writer.write(chunk)
        except BaseException:
            destination.unlink(missing_ok=True)
            raise
    return destination


def link_or_copy(source: Path, destination: Path, *, cancel: CancelToken) -> Path:
    """A hard link when ``source`` and ``destination`` share a file system, else a copy. The link is
    made to ``source`` itself, never to what a symlink points at, and must be a regular file."""
    try:
        os.link(source, destination, follow_symlinks=False)
    except OSError:
        return copy_file(source, destination, cancel=cancel)
    if not stat.S_ISREG(os.lstat(destination).st_mode):  # ``source`` became a symlink meanwhile
        destination.unlink()
        raise NotARegularFile(f"{source.name} is not a regular file")
    return destination
