"""The settings the engine reads, typed: built once per track attempt from the configuration dict.

The dict itself (``TrackContext.config``) still goes to sources and plugins, whose contract takes it,
and to the library naming options; the engine's own code reads ``PipelineSettings``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PipelineSettings:
    download_path: Path
    max_concurrent_downloads: int
    max_retries: int
    retry_delay_seconds: int
    retry_delay_increase: int
    convert_to: str | None
    bitrate: str | None
    save_cover: bool
    explicit_filter: bool
    separate_tracks_by_user: bool
    artist_separator: str
    lyrics: str
    genres: str
    genres_max: int
    upgrade_to_lossless: bool = False

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> PipelineSettings:
        """Read the keys the way the engine always has (``or`` defaults where a value may be empty)."""
        return cls(
            download_path=Path(config["downloadPath"]),
            max_concurrent_downloads=int(config["maxConcurrentDownloads"]),
            max_retries=int(config["maxRetries"]),
            retry_delay_seconds=int(config["retryDelaySeconds"]),
            retry_delay_increase=int(config["retryDelayIncrease"]),
            convert_to=config.get("convertTo"),
            bitrate=str(config["bitrate"]) if config.get("bitrate") else None,
            save_cover=bool(config.get("saveCover")),
            explicit_filter=bool(config.get("explicitFilter")),
            separate_tracks_by_user=bool(config.get("separateTracksByUser")),
            artist_separator=str(config.get("artistSeparator") or "; "),
            lyrics=str(config.get("lyrics") or "off"),
            genres=str(config.get("genres") or "off"),
            genres_max=int(config.get("genresMax") or 5),
            upgrade_to_lossless=bool(config.get("upgradeToLossless")),
        )

    def retry_delay(self, retries: int) -> int:
        """Seconds to wait before retry number ``retries + 1``: a fixed delay that grows each time."""
        return self.retry_delay_seconds + retries * self.retry_delay_increase
