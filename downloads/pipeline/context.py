"""What one track's trip through the pipeline carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from accounts.models import User
from downloads.models import DownloadTask, LibraryFile, TrackJob
from downloads.pipeline.settings import PipelineSettings
from downloads.sources.base import Candidate, Source
from settings_app.selectors import get_config
from spotizerr.integrations.catalog_types import Album, Track
from spotizerr.integrations.lyrics.transport import Lyrics
from spotizerr.lib.cancel import CancelToken


class Outcome(StrEnum):
    """How a track attempt ended; ``RUNNING`` (empty, so falsy) while its steps still run."""

    RUNNING = ""
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class PlaylistPlace:
    """Where a track sits in a playlist (feeds ``%playlist%``, ``%playlistnum%`` and the M3U file)."""

    id: str
    name: str
    position: int | None = None
    total: int | None = None


@dataclass(frozen=True)
class ExistingFile:
    """The library file a track already has (``CheckLibrary``), standing in for a source's candidate."""

    source: str
    is_preview: bool


def effective_config(task: DownloadTask) -> dict[str, Any]:
    """The configuration as it is now, with the task's per-request overrides on top. Read for every
    track (and every retry), so a change an admin makes applies from the next track on."""
    config = {**get_config(), **(task.overrides or {})}
    config["fileFormat"] = config.get("convertTo")
    return config


def effective_settings(task: DownloadTask) -> PipelineSettings:
    """``effective_config`` as the engine reads it."""
    return PipelineSettings.from_config(effective_config(task))


@dataclass
class TrackContext:
    """One attempt at one track. Steps read the inputs and fill in the results. ``settings`` is what
    the engine reads; ``config`` is the same configuration as a dict, for sources and naming."""

    task: DownloadTask
    job: TrackJob
    owner: User
    track: Track
    album: Album | None
    config: dict[str, Any]
    cancel: CancelToken
    work_dir: Path
    playlist: PlaylistPlace | None = None
    # the library copy a better file may replace (a preview; a lossy file with upgradeToLossless),
    # and what the replacement must be ("full" or "lossless"); set by CheckLibrary
    replaces: LibraryFile | None = None
    upgrade: str = ""
    settings: PipelineSettings = field(init=False)
    # results, filled in step by step
    source: Source | None = None
    candidate: Candidate | ExistingFile | None = None
    audio_path: Path | None = None
    quality: str = ""
    cover: bytes | None = None
    final_path: Path | None = None
    relative_path: str = ""
    size_bytes: int = 0
    lyrics: Lyrics | None = None
    lyrics_status: str = ""  # LyricsLookup.Status, "" when not looked up
    genres: list[str] = field(default_factory=list)
    outcome: Outcome = Outcome.RUNNING
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.settings = PipelineSettings.from_config(self.config)

    @property
    def root(self) -> Path:
        return self.settings.download_path

    @property
    def is_preview(self) -> bool:
        return bool(self.candidate is not None and self.candidate.is_preview)

    @property
    def source_name(self) -> str:
        if self.source is not None and self.source.info.name:
            return str(self.source.info.name)
        return str(self.candidate.source if self.candidate is not None else "")
