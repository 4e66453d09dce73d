"""What the search page shows: the page a pasted Spotify link opens, the Top results (one multi-type call)
and one type's results with "More" paging (Spotify answers at most 10 hits a call for new apps)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from spotizerr.integrations.catalog_types import SearchItem
from spotizerr.integrations.spotify import (
    SpotifyClient,
    SpotifyNotFound,
    looks_like_spotify_id,
    spotify_link,
)

PAGE_KINDS = ("track", "album", "artist", "playlist")  # the kinds with a dashboard page
TYPE_TABS = (("track", "Tracks"), ("album", "Albums"), ("artist", "Artists"), ("playlist", "Playlists"))
TOP = "top"
TOP_LIMIT = 5  # hits of each type in the Top results, all from one call
TYPE_PAGE = 10  # one Spotify call per "More"
MAX_PAGES = 10  # 100 hits of one type at most


def link_destination(client: SpotifyClient, query: str) -> str | None:
    """The dashboard page a pasted link, URI or id opens, else None (search for the text).

    A link or URI names its kind. A bare id does not: it is looked up as a track, an album, an artist,
    then a playlist (one small cached call each, stopping at the first that exists); Spotify's ids are
    unique across kinds, so at most one answers. An id nothing answers to is searched as text."""
    found = spotify_link(query)
    if found is not None:
        kind, spotify_id = found
        return reverse(f"dashboard:{kind}", args=[spotify_id]) if kind in PAGE_KINDS else None
    if not looks_like_spotify_id(query):
        return None
    spotify_id = query.strip()
    lookups: tuple[Callable[[str], object], ...] = (
        client.track,
        lambda album_id: client.album_tracks_page(album_id, limit=1),
        client.artist,
        client.playlist,
    )
    for kind, lookup in zip(PAGE_KINDS, lookups, strict=True):
        try:
            lookup(spotify_id)
        except SpotifyNotFound:
            continue
        return reverse(f"dashboard:{kind}", args=[spotify_id])
    return None


@dataclass
class Results:
    """Hits to show: ``top`` maps each type to a few hits (Top results), else ``items`` of one type."""

    top: dict[str, list[SearchItem]] = field(default_factory=dict)
    items: list[SearchItem] = field(default_factory=list)
    hidden: int = 0  # explicit hits left out by the explicit filter
    more_page: int | None = None  # the page number the "More" link asks for


def _kept(items: list[SearchItem], hide_explicit: bool) -> tuple[list[SearchItem], int]:
    if not hide_explicit:
        return items, 0
    kept = [item for item in items if not item.explicit]
    return kept, len(items) - len(kept)


def top_results(client: SpotifyClient, query: str, *, hide_explicit: bool) -> Results:
    results = Results()
    for kind, items in client.search_top(query, PAGE_KINDS, limit=TOP_LIMIT).items():
        results.top[kind], hidden = _kept(items, hide_explicit)
        results.hidden += hidden
    return results


def type_results(client: SpotifyClient, query: str, kind: str, *, page: int, hide_explicit: bool) -> Results:
    """The first ``page`` pages of one type: earlier pages come from the client's response cache, so a
    "More" costs one new call."""
    page = max(1, min(page, MAX_PAGES))
    found = client.search(query, kind, limit=TYPE_PAGE * page)
    items, hidden = _kept(found, hide_explicit)
    more = page + 1 if len(found) >= TYPE_PAGE * page and page < MAX_PAGES else None
    return Results(items=items, hidden=hidden, more_page=more)
