"""Playlist files (extended M3U) written next to the library, in ``<root>/playlists/``.

Every writer (a playlist download ending, a watched playlist's track landing, a watch check, an inbox
fulfilment or upgrade) names the file through ``playlist_file_name``, so they all rewrite the same one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spotizerr.integrations.spotify import LIKED_ID
from spotizerr.lib.atomic import atomic_write_text
from spotizerr.lib.naming import MAX_COMPONENT_BYTES, sanitize_component

if TYPE_CHECKING:
    from accounts.models import User

PLAYLISTS_FOLDER = "playlists"
M3U_SUFFIX = ".m3u"


@dataclass(frozen=True)
class M3UEntry:
    """One playlist line: the track's file in the library, its length and what to display."""

    path: Path
    duration_s: int
    artist: str
    title: str


def playlist_file_name(*, playlist_id: str, name: str, owner: User | None) -> str:
    """The name ``owner``'s playlist ``playlist_id`` (called ``name``) is written under: its own name,
    except Liked Songs (``liked``), one list per user, which carry the username (``Liked Songs
    (alice)``) so two users never overwrite each other's. The system user's (auth off) keep the plain
    name. Independent of ``separateTracksByUser``: turning it on or off never moves an M3U."""
    if playlist_id != LIKED_ID or owner is None or owner.is_system:
        return name
    return f"{name} ({owner.username})"


def m3u_path(*, root: Path, playlist_name: str) -> Path:
    """Where the playlist called ``playlist_name`` is written (its name made safe as a file name)."""
    name = sanitize_component(playlist_name, max_bytes=MAX_COMPONENT_BYTES - len(M3U_SUFFIX))
    return Path(root) / PLAYLISTS_FOLDER / f"{name}{M3U_SUFFIX}"


def write_m3u(*, root: Path, playlist_name: str, entries: list[M3UEntry]) -> Path:
    """Write (or rewrite) the playlist's M3U file atomically, in the order of ``entries``, with paths
    relative to the file itself, and return its path. UTF-8, POSIX separators, ``#EXTINF`` per track."""
    destination = m3u_path(root=root, playlist_name=playlist_name)
    lines = ["#EXTM3U"]
    for entry in entries:
        lines.append(f"#EXTINF:{_seconds(entry.duration_s)},{_display(entry)}")
        lines.append(_relative(entry.path, destination.parent))
    return atomic_write_text("\n".join(lines) + "\n", destination, root=Path(root))


def _seconds(duration_s: int) -> int:
    return duration_s if duration_s > 0 else -1  # -1 is M3U for "unknown"


def _display(entry: M3UEntry) -> str:
    text = f"{entry.artist} - {entry.title}" if entry.artist else entry.title
    return _one_line(text)


def _relative(path: Path, folder: Path) -> str:
    relative = Path(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()
    if relative.startswith("#"):  # a line starting with "#" would be read as a comment
        relative = f"./{relative}"
    return _one_line(relative)


def _one_line(text: str) -> str:
    """Line breaks in a title or name would start a new playlist line of the caller's choosing."""
    return " ".join(text.splitlines())
