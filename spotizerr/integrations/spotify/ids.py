"""Spotify ids from what users paste: bare ids, open.spotify.com links and spotify: URIs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from spotizerr.errors import BadRequest

KINDS = ("track", "album", "artist", "playlist", "episode", "show")
_ID = re.compile(r"[0-9A-Za-z]{22}")
_HOSTS = {"open.spotify.com", "play.spotify.com", "spotify.com", "www.spotify.com"}


def parse_spotify_id(value: str, kind: str) -> str:
    """The 22-character id of a ``kind`` object in ``value``: a bare id, an ``open.spotify.com`` URL (also
    with ``intl-xx/``, ``embed/`` or ``user/<name>/`` parts and a query string) or a ``spotify:`` URI.

    Raises BadRequest (code ``invalid_spotify_id``) for anything else, including a link to another kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown Spotify object kind {kind!r}")
    text = (value or "").strip()
    if _ID.fullmatch(text):
        return text
    if text.lower().startswith("spotify:"):
        parts = text.split(":")[1:]
    elif "spotify.com" in text:
        parts = _url_parts(text)
    else:
        parts = []
    found_kind, found_id = _kind_and_id(parts)
    if found_id is None:
        raise BadRequest(
            f"Not a Spotify {kind} id, link or URI: {value!r}.",
            code="invalid_spotify_id",
            details={"id": value, "expected": kind},
        )
    if found_kind != kind:
        raise BadRequest(
            f"That is a Spotify {found_kind}, not a {kind}.",
            code="invalid_spotify_id",
            details={"id": value, "expected": kind, "found": found_kind},
        )
    return found_id


def spotify_link(value: str) -> tuple[str, str] | None:
    """``(kind, id)`` for an ``open.spotify.com`` link or a ``spotify:`` URI of any kind in ``KINDS``, else
    None (bare ids too: they do not say their kind)."""
    text = (value or "").strip()
    if text.lower().startswith("spotify:"):
        parts = text.split(":")[1:]
    elif "spotify.com" in text and not any(space in text for space in " \t\n"):
        parts = _url_parts(text)
    else:
        return None
    kind, found = _kind_and_id(parts)
    return (kind, found) if kind is not None and found is not None else None


def looks_like_spotify_id(value: str) -> bool:
    """A bare 22-character base-62 token: what a pasted Spotify id looks like (its kind unknown)."""
    return bool(_ID.fullmatch((value or "").strip()))


def _url_parts(text: str) -> list[str]:
    url = urlsplit(text if "://" in text else f"https://{text}")
    if url.hostname not in _HOSTS:
        return []
    parts = [part for part in url.path.split("/") if part]
    if parts and parts[0].startswith("intl-"):
        parts = parts[1:]
    if parts and parts[0] == "embed":
        parts = parts[1:]
    return parts


def _kind_and_id(parts: list[str]) -> tuple[str | None, str | None]:
    """Find ``<kind>/<id>`` in path or URI parts, skipping a leading ``user/<name>``."""
    if len(parts) >= 4 and parts[0] == "user":
        parts = parts[2:]
    if len(parts) == 2 and parts[0] in KINDS and _ID.fullmatch(parts[1]):
        return parts[0], parts[1]
    return None, None
