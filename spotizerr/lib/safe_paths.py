"""Placing a rendered library path on disk: the absolute path under the library root, refused when it
would leave the root (``..``, an absolute part, an oversized name or a symlink on the way), and the
first free name when distinct tracks collide. Rendering the path itself is ``spotizerr.lib.naming``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from spotizerr.lib.naming import EDGE_JUNK, MAX_COMPONENT_BYTES, MAX_EXTENSION_BYTES, truncate_utf8


class UnsafePathError(Exception):
    """A library path would leave the library root (through ``..``, an absolute part or a symlink)."""


def library_file_path(root: Path, relative: PurePosixPath, extension: str) -> Path:
    """The absolute path of ``relative`` + ``extension`` under ``root``.

    Raises UnsafePathError when the path would leave ``root``: an absolute or ``..`` part, an oversized
    component, or an existing symlink on the way (or at the file itself) that points outside ``root``.
    """
    suffix = _normalise_extension(extension)
    parts = relative.parts
    if not parts or relative.is_absolute() or any(part in {"", ".", ".."} for part in parts):
        raise UnsafePathError(f"{relative!s} is not a plain relative path")
    base = root.resolve()
    candidate = base.joinpath(*parts[:-1], parts[-1] + suffix)
    for part in candidate.relative_to(base).parts:
        if len(part.encode("utf-8", errors="surrogatepass")) > MAX_COMPONENT_BYTES:
            raise UnsafePathError(f"path component longer than {MAX_COMPONENT_BYTES} bytes: {part[:40]}...")
    ensure_inside_root(base, candidate)
    return candidate


def ensure_inside_root(root: Path, path: Path) -> None:
    """Raise UnsafePathError unless ``path`` (existing or not) stays inside ``root`` once every
    existing symlink on the way is followed."""
    base = root.resolve()
    relative = _relative_to_either(path, base, root.absolute())
    current = base
    for part in relative.parts:
        current = current / part
        if current.is_symlink() and not current.resolve().is_relative_to(base):
            raise UnsafePathError(f"{current} is a symlink pointing outside the library")
    if not (base / relative).resolve().is_relative_to(base):
        raise UnsafePathError(f"{path} resolves outside the library {base}")


def _relative_to_either(path: Path, base: Path, given_root: Path) -> Path:
    """``path`` relative to the resolved root or to the root as given (which may itself be a symlink,
    e.g. a download folder linked to another disk)."""
    if not path.is_absolute():
        return path
    for start in (base, given_root):
        if path.is_relative_to(start):
            return path.relative_to(start)
    raise UnsafePathError(f"{path} is not inside the library {base}")


def _normalise_extension(extension: str) -> str:
    suffix = extension if extension.startswith(".") else f".{extension}"
    if (
        len(suffix) < 2
        or len(suffix.encode("utf-8")) > MAX_EXTENSION_BYTES
        or not re.fullmatch(r"\.[A-Za-z0-9]+", suffix)
    ):
        raise UnsafePathError(f"{extension!r} is not a file extension")
    return suffix


def find_free_path(path: Path) -> Path:
    """``path`` if nothing is there yet, else the first free ``name (2).ext``, ``name (3).ext``...
    Only for distinct tracks whose names collide; the same track must reuse its existing file."""
    if not os.path.lexists(path):
        return path
    suffix = path.suffix
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    number = 2
    while True:
        marker = f" ({number}){suffix}"
        room = MAX_COMPONENT_BYTES - len(marker.encode("utf-8"))
        candidate = path.with_name(EDGE_JUNK.sub("", truncate_utf8(stem, room)) + marker)
        if not os.path.lexists(candidate):
            return candidate
        number += 1
