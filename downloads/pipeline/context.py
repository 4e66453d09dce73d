"""What one track's trip through the pipeline carries, and how catalog data is kept in the database."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from accounts.models import User
from downloads.models import DownloadTask, TrackJob
from settings_app.selectors import get_config
from spotizerr.integrations.catalog_types import Album, AlbumRef, ArtistRef, Image, Track
from spotizerr.lib.cancel import CancelToken


class TrackFailure(Exception):
    """A track could not be made. ``permanent`` False: trying again later may work. The message is
    shown to users, so it says what happened and, where it can, what to do."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after  # the source asked to wait at least this long (a 429)


@dataclass(frozen=True)
class PlaylistPlace:
    """Where a track sits in a playlist (feeds ``%playlist%``, ``%playlistnum%`` and the M3U file)."""

    id: str
    name: str
    position: int | None = None
    total: int | None = None


def effective_config(task: DownloadTask) -> dict[str, Any]:
    """The configuration as it is now, with the task's per-request overrides on top. Read for every
    track (and every retry), so a change an admin makes applies from the next track on."""
    config = {**get_config(), **(task.overrides or {})}
    config["fileFormat"] = config.get("convertTo")
    return config


@dataclass
class TrackContext:
    """One attempt at one track. Steps read the inputs and fill in the results."""

    task: DownloadTask
    job: TrackJob
    owner: User
    track: Track
    album: Album | None
    config: dict[str, Any]
    cancel: CancelToken
    work_dir: Path
    playlist: PlaylistPlace | None = None
    # results, filled in step by step
    source: Any = None
    candidate: Any = None
    audio_path: Path | None = None
    quality: str = ""
    cover: bytes | None = None
    final_path: Path | None = None
    relative_path: str = ""
    size_bytes: int = 0
    lyrics: Any = None  # spotizerr.integrations.lyrics Lyrics, when found
    lyrics_status: str = ""  # LyricsLookup.Status, "" when not looked up
    genres: list[str] = field(default_factory=list)
    outcome: str = ""  # "" while running, then "done" or "skipped"
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        return Path(self.config["downloadPath"])

    @property
    def is_preview(self) -> bool:
        return bool(getattr(self.candidate, "is_preview", False))

    @property
    def source_name(self) -> str:
        info = getattr(self.source, "info", None)
        return str(getattr(info, "name", "") or getattr(self.candidate, "source", "") or "")


# ---------------------------------------------------------------------------------------------- JSON codec
def to_json(value: Any) -> Any:
    """A catalog dataclass (Track, Album, ...) as plain JSON data."""
    return dataclasses.asdict(value)


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(item.name for item in dataclasses.fields(cls))


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    # stored rows outlive code changes: ignore fields a dataclass no longer has
    names = _field_names(cls)
    return {key: value for key, value in data.items() if key in names}


def _images(data: Any) -> tuple[Image, ...]:
    return tuple(Image(**_known(Image, item)) for item in data or ())


def _artists(data: Any) -> tuple[ArtistRef, ...]:
    return tuple(ArtistRef(**_known(ArtistRef, item)) for item in data or ())


def album_ref_from_json(data: dict[str, Any]) -> AlbumRef:
    return AlbumRef(
        **{
            **_known(AlbumRef, data),
            "images": _images(data.get("images")),
            "artists": _artists(data.get("artists")),
        }
    )


def track_from_json(data: dict[str, Any]) -> Track:
    return Track(
        **{
            **_known(Track, data),
            "artists": _artists(data.get("artists")),
            "album": album_ref_from_json(data.get("album") or {"id": None, "name": ""}),
        }
    )


def album_from_json(data: dict[str, Any]) -> Album:
    return Album(
        **{
            **_known(Album, data),
            "artists": _artists(data.get("artists")),
            "images": _images(data.get("images")),
            "genres": tuple(data.get("genres") or ()),
            "copyrights": tuple(data.get("copyrights") or ()),
            "tracks": tuple(track_from_json(item) for item in data.get("tracks") or ()),
        }
    )
