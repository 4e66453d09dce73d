"""The ``spotify`` source: the 30-second ``preview_url`` Spotify's API still gives for some tracks."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

from downloads.sources import network
from downloads.sources.base import BaseSource, Candidate, SourceInfo
from spotizerr.integrations.catalog_types import Track
from spotizerr.lib import safe_fetch
from spotizerr.lib.cancel import CancelToken

logger = logging.getLogger(__name__)

PREVIEW_BYTES_PER_SECOND = 96_000 / 8  # Spotify's previews are 96 kbit/s MP3
PREVIEW_MS = 30_000


class SpotifyPreviewSource(BaseSource):
    info = SourceInfo(
        name="spotify",
        label="Spotify previews (30 s)",
        full_track=False,
        preview=True,
        lossless=False,
        needs_credentials=True,
        network=True,
    )

    def find(self, track: Track, *, config: dict[str, Any]) -> Candidate | None:
        """The track's preview, or None when Spotify gave none (most tracks, nowadays)."""
        if not track.preview_url:
            return None
        if not safe_fetch.is_allowed_url(track.preview_url):
            logger.warning("Ignoring a Spotify preview on a host that is not allowed")
            return None
        return Candidate(
            source=self.info.name,
            ref=track.preview_url,
            is_preview=True,
            quality="MP3 96k",
            extension=".mp3",
            duration_ms=PREVIEW_MS,
        )

    def fetch(
        self, candidate: Candidate, temp_dir: Path, *, config: dict[str, Any], cancel: CancelToken
    ) -> Path:
        destination = temp_dir / f"spotify-{uuid.uuid4().hex}.mp3"
        return network.download_audio(
            candidate.ref,
            destination,
            config=config,
            cancel=cancel,
            bytes_per_second=PREVIEW_BYTES_PER_SECOND,
        )

    def health(self, *, config: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "detail": "uses the preview links in Spotify's track data, where Spotify still gives them",
        }
