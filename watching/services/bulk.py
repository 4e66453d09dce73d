"""Watching many artists at once from ids, links or names (names found by a Spotify search)."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from downloads.sources.inbox.matching import fold
from spotizerr.errors import ApiError, BadRequest
from spotizerr.integrations.spotify import SpotifyNotFound, get_spotify_client
from watching.services.common import REQUEST_SPOTIFY_MAX_WAIT, watching_require_enabled
from watching.services.subscriptions import watch_artist_add

MAX_BULK_ARTISTS = 200
SEARCH_LIMIT = 5  # within development mode's 10


def _looks_like_id(text: str) -> bool:
    return "spotify" in text.lower() or (len(text) == 22 and text.isalnum())


def _resolve(given: str) -> tuple[str | None, str]:
    """An artist id for an id, link or name, and how it was found (or why not)."""
    if _looks_like_id(given):
        return given, "id"
    hits = get_spotify_client(max_wait=REQUEST_SPOTIFY_MAX_WAIT).search(given, "artist", limit=SEARCH_LIMIT)
    if not hits:
        return None, "No Spotify artist by that name."
    exact = [hit for hit in hits if fold(hit.name) == fold(given)]
    return (exact or hits)[0].id, "search"


def watch_artists_bulk(*, user: User, artists: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Watch every artist in ``artists`` (ids, links or names) for ``user``. Answers ``added``,
    ``already_watched`` (each ``{"given", "id", "name", "matched_by"}``) and ``not_found``
    (``{"given", "reason"}``). Raises Forbidden (watching disabled), BadRequest (more than 200 or
    none) and Spotify's transient errors."""
    watching_require_enabled()
    wanted = [str(item).strip() for item in artists if str(item).strip()]
    if not wanted or len(wanted) > MAX_BULK_ARTISTS:
        raise BadRequest(
            f"Give from 1 to {MAX_BULK_ARTISTS} artists.",
            code="invalid_artists",
            details={"artists": [f"1 to {MAX_BULK_ARTISTS} ids, links or names"]},
        )
    result: dict[str, list[dict[str, Any]]] = {"added": [], "already_watched": [], "not_found": []}
    for given in dict.fromkeys(wanted):
        artist_id, how = _resolve(given)
        if artist_id is None:
            result["not_found"].append({"given": given, "reason": how})
            continue
        try:
            watch, created = watch_artist_add(user=user, artist_id=artist_id)
        except SpotifyNotFound:
            result["not_found"].append({"given": given, "reason": "Spotify does not know this artist."})
            continue
        except ApiError as refused:
            if refused.status_code >= 500:
                raise
            result["not_found"].append({"given": given, "reason": refused.message})
            continue
        row = {"given": given, "id": watch.target.spotify_id, "name": watch.target.name, "matched_by": how}
        result["added" if created else "already_watched"].append(row)
    return result
