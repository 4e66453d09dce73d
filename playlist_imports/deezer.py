"""Reading a public Deezer playlist through Deezer's public API (no account): ``GET /playlist/{id}``,
its tracks page by page from ``/playlist/{id}/tracks``, and ``/track/{id}`` for an ISRC the list lacks.

The base URL is ``DEEZER_API_URL`` (``SPOTIZERR_DEEZER_API_URL``), which tests point at a local fake.
Deezer answers errors with HTTP 200 and an ``error`` object: code 800 for an unknown id, an
``OAuthException`` for a private playlist."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from playlist_imports.errors import DeezerPrivate, DeezerRefused, DeezerUnavailable
from playlist_imports.parsers import ParsedEntry, check_size
from spotizerr.errors import BadRequest
from spotizerr.lib import safe_fetch

PAGE = 100
MAX_BYTES = 2 * 1024 * 1024
_PLAYLIST_PATH = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?playlist/(\d+)/?$", re.IGNORECASE)
_HOSTS = {"deezer.com", "www.deezer.com"}


def playlist_id_from_url(url: str) -> str:
    """The numeric id of a ``deezer.com/[lang/]playlist/<id>`` link. Raises BadRequest."""
    parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
    match = _PLAYLIST_PATH.match(parts.path or "")
    if (parts.hostname or "").lower() not in _HOSTS or match is None:
        raise BadRequest(
            "Not a Deezer playlist link; copy it from the playlist's page: "
            "https://www.deezer.com/playlist/<number>.",
            code="invalid_deezer_link",
            details={"url": url},
        )
    return match.group(1)


def _get(path: str) -> dict[str, Any]:
    url = f"{settings.DEEZER_API_URL}{path}"
    try:
        data = json.loads(safe_fetch.fetch_bytes(url, max_bytes=MAX_BYTES, timeout=15.0))
    except safe_fetch.FetchError as error:
        raise DeezerUnavailable(f"Deezer could not be asked: {error.reason}. Try again later.") from None
    except ValueError:
        raise DeezerUnavailable("Deezer answered with something that is not JSON.") from None
    if not isinstance(data, dict):
        raise DeezerUnavailable("Deezer answered with something unexpected.")
    refusal = data.get("error")
    if refusal:
        _raise_for(refusal if isinstance(refusal, dict) else {"message": str(refusal)})
    return data


def _raise_for(error: dict[str, Any]) -> None:
    if error.get("code") == 800:
        raise DeezerRefused("Deezer does not know this playlist; check the link.")
    if error.get("type") == "OAuthException" or error.get("code") in (200, 300):
        raise DeezerPrivate(
            "This Deezer playlist is private; make it public on Deezer, or export it as CSV and import that."
        )
    raise DeezerUnavailable(f"Deezer refused: {error.get('message') or 'unknown error'}.")


def read_playlist(url: str) -> tuple[str, list[ParsedEntry]]:
    """The playlist's name and entries (title, artist, album, duration, ISRC). Raises BadRequest (not a
    Deezer playlist link), DeezerRefused/DeezerPrivate (4xx), DeezerUnavailable (502), ImportTooLarge."""
    playlist_id = playlist_id_from_url(url)
    about = _get(f"playlist/{playlist_id}")
    check_size(int(about.get("nb_tracks") or 0))
    tracks: list[dict[str, Any]] = []
    while True:
        page = _get(f"playlist/{playlist_id}/tracks?index={len(tracks)}&limit={PAGE}")
        items = [item for item in page.get("data") or () if isinstance(item, dict)]
        tracks.extend(items)
        check_size(len(tracks))
        if not items or not page.get("next"):
            break
    return str(about.get("title") or f"Deezer playlist {playlist_id}"), [
        _entry(n, track) for n, track in enumerate(tracks, start=1)
    ]


def _entry(number: int, track: dict[str, Any]) -> ParsedEntry:
    artist = str((track.get("artist") or {}).get("name") or "")
    title = str(track.get("title") or "")
    isrc = str(track.get("isrc") or "")
    if not isrc and track.get("id"):
        try:
            isrc = str(_get(f"track/{int(track['id'])}").get("isrc") or "")
        except (DeezerRefused, ValueError):
            isrc = ""
    duration = track.get("duration")
    return ParsedEntry(
        line=number,
        text=f"{artist} - {title}"[:1000],
        title=title[:500],
        artists=[artist] if artist else [],
        album=str((track.get("album") or {}).get("title") or "")[:500],
        duration_ms=int(duration) * 1000 if isinstance(duration, int) and duration > 0 else None,
        isrc=isrc.upper()[:20],
    )
