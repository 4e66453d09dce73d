"""LRCLIB: ``api/get`` for the exact track, then ``api/search``; a match is within 2 s of the
track's duration. The base URL is a value (``SPOTIZERR_LRCLIB_URL``) so tests use a local fake."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spotizerr.integrations.transport import Transport, TransportError, rate_limit_wait

DURATION_TOLERANCE_S = 2.0
_TIMESTAMP = re.compile(r"^(\[\d+:\d+(?:[.:]\d+)?\])+\s?", re.MULTILINE)


@dataclass(frozen=True)
class Lyrics:
    """What LRCLIB knows of one track. ``instrumental`` tracks have no text."""

    plain: str = ""
    synced: str = ""
    instrumental: bool = False

    @property
    def unsynced(self) -> str:
        """The plain text; derived from the synced lines when LRCLIB has only those."""
        return self.plain or _TIMESTAMP.sub("", self.synced).strip()

    @property
    def status(self) -> str:
        """``synced``, ``plain`` or ``instrumental``: what was found."""
        if self.instrumental:
            return "instrumental"
        return "synced" if self.synced else "plain"


@dataclass(frozen=True)
class TrackQuery:
    title: str
    artist: str
    album: str
    duration_s: float


class LrclibTransport(Transport):
    name = "LRCLIB"

    def __init__(self, base_url: str, *, per_second: float = 10.0, timeout: float = 10.0) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.per_second = per_second

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        rate_limit_wait("lrclib", self.per_second)
        return self.get_json(self.base_url + path, params=params)

    def find(self, query: TrackQuery) -> Lyrics | None:
        """The lyrics of ``query``'s track, or None when LRCLIB has none that match its duration.
        Raises ``TransportError`` when LRCLIB cannot be asked."""
        exact = self._get(
            "api/get",
            {
                "track_name": query.title,
                "artist_name": query.artist,
                "album_name": query.album,
                "duration": round(query.duration_s),
            },
        )
        if isinstance(exact, dict) and _matches(exact, query.duration_s):
            return _lyrics(exact)
        found = self._get("api/search", {"track_name": query.title, "artist_name": query.artist})
        if found is not None and not isinstance(found, list):
            raise TransportError("LRCLIB answered a search with something that is not a list")
        for record in found or []:
            if isinstance(record, dict) and _matches(record, query.duration_s):
                return _lyrics(record)
        return None

    def check(self) -> str:
        """A cheap call for the settings page's Test button."""
        self.get_json(self.base_url + "api/search", params={"q": "test"})
        return "LRCLIB answered."


def _matches(record: dict[str, Any], duration_s: float) -> bool:
    try:
        return abs(float(record.get("duration") or 0) - duration_s) <= DURATION_TOLERANCE_S
    except (TypeError, ValueError):
        return False


def _lyrics(record: dict[str, Any]) -> Lyrics:
    return Lyrics(
        plain=str(record.get("plainLyrics") or ""),
        synced=str(record.get("syncedLyrics") or ""),
        instrumental=bool(record.get("instrumental")),
    )
