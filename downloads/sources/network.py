"""What the network sources share: safe downloads with ``realTime`` pacing, errors as SourceError."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from downloads.sources.audio_files import probe
from downloads.sources.base import SourceError
from spotizerr.lib import safe_fetch
from spotizerr.lib.cancel import NEVER_CANCELLED, CancelToken

PREVIEW_MAX_BYTES = 10 * 1024 * 1024
DOWNLOAD_TIMEOUT = 20.0  # seconds without data before a download counts as stalled
LOOKUP_TIMEOUT = 10.0
LOOKUP_MAX_BYTES = 1024 * 1024


def pace(config: dict[str, Any], *, bytes_per_second: float) -> float | None:
    """The transfer rate ``realTime`` asks for: playback speed times ``realTimeMultiplier``
    (None: as fast as possible, when ``realTime`` is off or the multiplier is 0)."""
    multiplier = float(config.get("realTimeMultiplier") or 0)
    if not config.get("realTime") or multiplier <= 0:
        return None
    return bytes_per_second * multiplier


def as_source_error(error: safe_fetch.FetchError) -> SourceError:
    return SourceError(error.reason, permanent=error.permanent, retry_after=error.retry_after)


def download_audio(
    url: str,
    destination: Path,
    *,
    config: dict[str, Any],
    cancel: CancelToken,
    bytes_per_second: float,
    max_bytes: int = PREVIEW_MAX_BYTES,
) -> Path:
    """Download ``url`` to ``destination`` and check that it is real audio. Raises SourceError
    (nothing is left behind) or Cancelled."""
    try:
        safe_fetch.download_to_file(
            url,
            destination,
            max_bytes=max_bytes,
            timeout=DOWNLOAD_TIMEOUT,
            cancel=cancel,
            pace_bytes_per_second=pace(config, bytes_per_second=bytes_per_second),
        )
    except safe_fetch.FetchError as error:
        raise as_source_error(error) from None
    try:
        probe(destination)
    except SourceError:
        destination.unlink(missing_ok=True)
        raise
    return destination


def get_json(url: str, *, cancel: CancelToken = NEVER_CANCELLED) -> Any:
    """A small JSON document from an allowed host. Raises safe_fetch.FetchError, or SourceError
    (transient) when the body is not JSON."""
    body = safe_fetch.fetch_bytes(url, max_bytes=LOOKUP_MAX_BYTES, timeout=LOOKUP_TIMEOUT, cancel=cancel)
    try:
        return json.loads(body)
    except ValueError:
        raise SourceError("the service answered with something that is not JSON", permanent=False) from None
