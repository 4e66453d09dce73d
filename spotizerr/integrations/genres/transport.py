"""MusicBrainz genres by ISRC: recording → its first release's release group and its first artist →
their tags, most-voted first (three requests; callers cache by album). Through ``musicbrainzngs`` (its ``set_hostname`` points it at any server, its
``set_rate_limit`` keeps 1 request a second in this process) plus the installation-wide limiter.

musicbrainzngs has no timeout and retries 5xx for up to a minute, so each call runs on one helper
thread and is waited for at most ``timeout`` seconds; after a call that timed out, MusicBrainz is
left alone for ``BACKOFF_SECONDS`` so that a dead server costs one wait, not one per track.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any
from urllib.parse import urlsplit

import musicbrainzngs

from spotizerr.integrations.transport import TransportError, rate_limit_wait

BACKOFF_SECONDS = 60.0
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="musicbrainz")
_lock = threading.Lock()
_resting_until = 0.0


class MusicBrainzTransport:
    name = "MusicBrainz"

    def __init__(self, base_url: str, *, timeout: float = 10.0, per_second: float = 1.0) -> None:
        parts = urlsplit(base_url)
        self.host, self.https = parts.netloc, parts.scheme == "https"
        self.timeout, self.per_second = timeout, per_second

    def _call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        global _resting_until
        if time.monotonic() < _resting_until:
            raise TransportError("MusicBrainz did not answer lately; left alone for a minute")

        def call() -> Any:
            musicbrainzngs.set_useragent("Spotizerr", "0.1", "https://github.com/spotizerr")
            musicbrainzngs.set_hostname(self.host, use_https=self.https)
            if self.per_second > 0:
                musicbrainzngs.set_rate_limit(1.0 / self.per_second, 1)
            else:
                musicbrainzngs.set_rate_limit(False)
            return function(*args, **kwargs)

        rate_limit_wait("musicbrainz", self.per_second)  # here: the helper thread has no database
        future = _executor.submit(call)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            with _lock:
                _resting_until = time.monotonic() + BACKOFF_SECONDS
            raise TransportError(f"MusicBrainz did not answer within {self.timeout:g} s") from None
        except musicbrainzngs.ResponseError as error:
            if getattr(error.cause, "code", None) == 404:
                return None
            raise TransportError(f"MusicBrainz rejected the request: {error}", permanent=True) from None
        except musicbrainzngs.AuthenticationError:
            raise TransportError("MusicBrainz refused the request (HTTP 401)", permanent=True) from None
        except musicbrainzngs.WebServiceError as error:
            raise TransportError(f"MusicBrainz cannot be reached: {error}") from None

    def genres_by_isrc(self, isrc: str, *, limit: int) -> list[str]:
        """Up to ``limit`` genres for the recording with ``isrc``: its release group's tags, then its
        artist's, most votes first. [] when MusicBrainz knows none. Raises ``TransportError``."""
        found = self._call(musicbrainzngs.get_recordings_by_isrc, isrc, includes=["artists", "releases"])
        recordings = ((found or {}).get("isrc") or {}).get("recording-list") or []
        if not recordings:
            return []
        recording = recordings[0]
        tags: list[dict[str, Any]] = []
        release_id = _release_id(recording)
        if release_id:
            groups = self._call(musicbrainzngs.browse_release_groups, release=release_id, includes=["tags"])
            for group in ((groups or {}).get("release-group-list") or [])[:1]:
                tags += group.get("tag-list") or []
        artist_id = _artist_id(recording)
        if artist_id:
            artist = self._call(musicbrainzngs.get_artist_by_id, artist_id, includes=["tags"])
            tags += ((artist or {}).get("artist") or {}).get("tag-list") or []
        return _top(tags, limit)

    def check(self) -> str:
        self._call(musicbrainzngs.search_artists, artist="test", limit=1)
        return "MusicBrainz answered."


def _release_id(recording: dict[str, Any]) -> str:
    for release in recording.get("release-list") or []:
        if release.get("id"):
            return str(release["id"])
    return ""


def _artist_id(recording: dict[str, Any]) -> str:
    for credit in recording.get("artist-credit") or []:
        if isinstance(credit, dict) and (credit.get("artist") or {}).get("id"):
            return str(credit["artist"]["id"])
    return ""


def _top(tags: list[dict[str, Any]], limit: int) -> list[str]:
    votes: dict[str, int] = {}
    for tag in tags:
        name = str(tag.get("name") or "").strip()
        if name:
            votes[name.lower()] = votes.get(name.lower(), 0) + int(tag.get("count") or 0)
    ranked = sorted(votes, key=lambda name: (-votes[name], name))
    return [name for name in ranked if votes[name] > 0][:limit]
