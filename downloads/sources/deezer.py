"""The ``deezer`` source: Deezer's public 30-second previews, looked up by ISRC.

``GET {DEEZER_API_URL}track/isrc:{ISRC}`` answers the track with a ``preview`` URL (an MP3 on
``cdns-preview-*.dzcdn.net``), or HTTP 200 with an ``error`` object: code 800 when Deezer does not
know the ISRC, 4 when the quota is exceeded. No account is needed; only previews are offered.
"""

from __future__ import annotations

import logging
import re
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings

from downloads.sources import network
from downloads.sources.base import BaseSource, Candidate, SourceError, SourceInfo
from spotizerr.integrations.catalog_types import Track
from spotizerr.lib import safe_fetch
from spotizerr.lib.cancel import CancelToken

logger = logging.getLogger(__name__)

ISRC_PATTERN = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}\d{7}$")
PREVIEW_BYTES_PER_SECOND = 128_000 / 8  # Deezer previews are 128 kbit/s MP3
PREVIEW_MS = 30_000
_NOT_FOUND_CODE = 800
_TRANSIENT_CODES = frozenset({4, 700})  # quota exceeded, service busy


class DeezerPreviewSource(BaseSource):
    info = SourceInfo(
        name="deezer",
        label="Deezer previews (30 s)",
        full_track=False,
        preview=True,
        lossless=False,
        needs_credentials=False,
        network=True,
    )

    def find(self, track: Track, *, config: dict[str, Any]) -> Candidate | None:
        """The preview of the track with ``track.isrc``; None without an ISRC, when Deezer does not
        know it or has no preview. Raises SourceError when Deezer cannot be asked right now."""
        isrc = (track.isrc or "").strip().upper()
        if not ISRC_PATTERN.match(isrc):
            return None
        data = self._lookup(isrc)
        preview = data.get("preview") if isinstance(data, dict) else None
        if not preview or not isinstance(preview, str):
            return None
        if not safe_fetch.is_allowed_url(preview):
            logger.warning("Ignoring a Deezer preview on a host that is not allowed")
            return None
        return Candidate(
            source=self.info.name,
            ref=preview,
            is_preview=True,
            quality="MP3 128k",
            extension=".mp3",
            duration_ms=PREVIEW_MS,
        )

    def _lookup(self, isrc: str) -> dict[str, Any] | None:
        try:
            data = network.get_json(f"{settings.DEEZER_API_URL}track/isrc:{isrc}")
        except safe_fetch.FetchError as error:
            if error.status == 404:
                return None
            raise network.as_source_error(error) from None
        problem = data.get("error") if isinstance(data, dict) else None
        if not problem:
            return data if isinstance(data, dict) else None
        code = problem.get("code") if isinstance(problem, dict) else None
        if code == _NOT_FOUND_CODE:
            return None
        message = problem.get("message", "unknown error") if isinstance(problem, dict) else str(problem)
        raise SourceError(f"Deezer: {message}", permanent=code not in _TRANSIENT_CODES)

    def fetch(
        self, candidate: Candidate, temp_dir: Path, *, config: dict[str, Any], cancel: CancelToken
    ) -> Path:
        destination = temp_dir / f"deezer-{uuid.uuid4().hex}.mp3"
        return network.download_audio(
            candidate.ref,
            destination,
            config=config,
            cancel=cancel,
            bytes_per_second=PREVIEW_BYTES_PER_SECOND,
        )

    def health(self, *, config: dict[str, Any]) -> dict[str, Any]:
        try:
            data = network.get_json(f"{settings.DEEZER_API_URL}infos")
        except (safe_fetch.FetchError, SourceError) as error:
            return {"ok": False, "detail": f"Deezer's API cannot be reached: {error}"}
        if not isinstance(data, dict) or data.get("error"):
            return {"ok": False, "detail": "Deezer's API answered with an error"}
        return {"ok": True, "detail": "Deezer's API answers; previews are 30-second clips"}
