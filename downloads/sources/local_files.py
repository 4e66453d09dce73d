"""Copying files into a work directory with cancellation, leaving nothing partial behind."""

from __future__ import annotations

import os
from pathlib import Path

from spotizerr.lib.cancel import CancelToken

CHUNK_BYTES = 1024 * 1024


def copy_file(source: Path, destination: Path, *, cancel: CancelToken) -> Path:
    """Copy ``source`` to ``destination`` in chunks, stopping with Cancelled when ``cancel`` fires.
    Raises OSError as the file system does; ``destination`` does not exist after any failure."""
    try:
        with source.open("rb") as reader, destination.open("xb") as writer:
            while chunk := reader.read(CHUNK_BYTES):
                cancel.raise_if_cancelled()
                writer.write(chunk)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return destination


def link_or_copy(source: Path, destination: Path, *, cancel: CancelToken) -> Path:
    """A hard link when ``source`` and ``destination`` share a file system, else a copy."""
    try:
        os.link(source, destination)
    except OSError:
        return copy_file(source, destination, cancel=cancel)
    return destination
