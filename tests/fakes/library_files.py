"""Library states for tests: real audio files in the library with their ``LibraryFile`` rows, and
wanted rows, as the pipeline and the wanted list would leave them."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from accounts.models import User
from downloads.models import LibraryFile, WantedTrack
from tests.fakes.audio import make_audio


@cache
def _template(extension: str, folder: str) -> Path:
    return make_audio(Path(folder) / f"template{extension}", seconds=0.5)


def put_file(
    root: Path,
    track_id: str,
    *,
    extension: str = ".flac",
    isrc: str = "",
    album_id: str = "",
    preview: bool = False,
    owner: User | None = None,
    bitrate: int = 0,
) -> LibraryFile:
    """A real audio file for ``track_id`` under ``root`` and its index row."""
    relative = f"Artist/Album/{track_id}{'-preview' if preview else ''}{extension}"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template(extension, str(root.parent / "audio-templates")), target)
    return LibraryFile.objects.create(
        library_root=str(root),
        relative_path=relative,
        spotify_id=track_id,
        isrc=isrc.upper(),
        album_id=album_id,
        owner=owner,
        is_preview=preview,
        format=extension.lstrip("."),
        bitrate=bitrate,
        size_bytes=target.stat().st_size,
    )


def want(owner: User, track_id: str, *, album_id: str = "", name: str = "") -> WantedTrack:
    return WantedTrack.objects.create(owner=owner, track_id=track_id, album_id=album_id, name=name)
