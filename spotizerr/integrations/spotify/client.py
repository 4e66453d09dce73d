"""The Spotify metadata client: typed catalog data, every page followed, single-object endpoints only."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from spotizerr.integrations.catalog_types import (
    Album,
    Artist,
    ArtistRelease,
    Page,
    Playlist,
    PlaylistEntry,
    SearchItem,
    Track,
)
from spotizerr.integrations.spotify import parse
from spotizerr.integrations.spotify.errors import SpotifyNotConfigured
from spotizerr.integrations.spotify.transport import Credentials, SpotifyTransport

SEARCH_TYPES = ("track", "album", "artist", "playlist", "episode", "show")
RELEASE_GROUPS = ("album", "single", "compilation", "appears_on")
# where the active credentials come from; a setting so this layer does not import settings_app
DEFAULT_CREDENTIALS_PROVIDER = "settings_app.selectors.active_spotify_credentials"


class SpotifyClient:
    """Reads the catalog. Methods raise ``SpotifyNotFound`` for unknown ids, ``SpotifyRateLimited`` when a
    back-off is longer than ``max_wait`` seconds, ``SpotifyUnavailable`` when retries are spent and
    ``SpotifyError`` otherwise (all with ``permanent`` telling whether a retry can help)."""

    ALBUM_PAGE = 50  # Spotify's maximum for album tracks and artist albums
    PLAYLIST_PAGE = 50  # /playlists/{id}/items documents 50 for new apps (100 before)
    SEARCH_PAGE = 10  # search answers at most 10 items a call for new apps

    def __init__(self, transport: SpotifyTransport, *, max_wait: float) -> None:
        self.transport = transport
        self.max_wait = max_wait

    def _get(
        self, path: str, params: dict[str, Any] | None = None, *, cached: bool = True, cache_extra: str = ""
    ) -> dict[str, Any]:
        return self.transport.get(
            path, params, max_wait=self.max_wait, cached=cached, cache_extra=cache_extra
        )

    def _collect(
        self,
        path: str,
        params: dict[str, Any],
        *,
        limit: int | None,
        offset: int,
        page_size: int,
        unwrap: str | None = None,
        cache_extra: str = "",
    ) -> tuple[list[dict], int]:
        """Items from ``offset`` on, ``limit`` of them (None: all), in calls of at most ``page_size``.
        ``unwrap`` names the key holding the paging object (search answers ``{"tracks": {...}}``)."""
        items: list[dict] = []
        total = offset
        while limit is None or len(items) < limit:
            want = page_size if limit is None else min(page_size, limit - len(items))
            body = self._get(
                path, {**params, "limit": want, "offset": offset + len(items)}, cache_extra=cache_extra
            )
            paging = body.get(unwrap) or {} if unwrap else body
            page_items = [item for item in paging.get("items") or () if item is not None]
            total = paging.get("total", 0)
            items.extend(page_items)
            if not page_items or offset + len(items) >= total or not paging.get("next"):
                break
        return items, total

    @staticmethod
    def _page(items: tuple, total: int, limit: int, offset: int) -> Page:
        end = offset + len(items)
        return Page(
            items=items, total=total, limit=limit, offset=offset, next_offset=end if end < total else None
        )

    # ------------------------------------------------------------ tracks and albums
    def track(self, track_id: str) -> Track:
        return parse.track(self._get(f"tracks/{track_id}"))

    def album(self, album_id: str) -> Album:
        """The album with every track (pages past the first 50 fetched from /albums/{id}/tracks)."""
        data = self._get(f"albums/{album_id}")
        first = data.get("tracks") or {}
        items = list(first.get("items") or ())
        if len(items) < (first.get("total") or 0):
            rest, _ = self._collect(
                f"albums/{album_id}/tracks", {}, limit=None, offset=len(items), page_size=self.ALBUM_PAGE
            )
            items.extend(rest)
        return parse.album(data, items)

    def album_tracks_page(self, album_id: str, *, limit: int = 50, offset: int = 0) -> tuple[Album, Page]:
        """The album (``tracks`` empty) and one page of its tracks (``Track`` items with the album ref)."""
        data = self._get(f"albums/{album_id}")
        first = data.get("tracks") or {}
        if first.get("offset", 0) == 0 and offset + limit <= len(first.get("items") or ()):
            items, total = list(first["items"][offset : offset + limit]), first.get("total", 0)
        else:
            items, total = self._collect(
                f"albums/{album_id}/tracks", {}, limit=limit, offset=offset, page_size=self.ALBUM_PAGE
            )
        album = parse.album(data, [])
        ref = parse.album_ref(data)
        tracks = tuple(parse.track(item, ref) for item in items if item.get("id"))
        return album, self._page(tracks, total, limit, offset)

    # ------------------------------------------------------------ artists
    def artist(self, artist_id: str) -> Artist:
        return parse.artist(self._get(f"artists/{artist_id}"))

    def artist_releases_page(
        self, artist_id: str, *, include_groups: list[str] | None = None, limit: int = 50, offset: int = 0
    ) -> Page:
        params = {"include_groups": ",".join(include_groups or RELEASE_GROUPS)}
        items, total = self._collect(
            f"artists/{artist_id}/albums", params, limit=limit, offset=offset, page_size=self.ALBUM_PAGE
        )
        return self._page(tuple(parse.artist_release(item) for item in items), total, limit, offset)

    def artist_releases(self, artist_id: str, include_groups: list[str] | None = None) -> list[ArtistRelease]:
        """Every release of the artist in the given groups (default all four), all pages followed."""
        params = {"include_groups": ",".join(include_groups or RELEASE_GROUPS)}
        items, _ = self._collect(
            f"artists/{artist_id}/albums", params, limit=None, offset=0, page_size=self.ALBUM_PAGE
        )
        return [parse.artist_release(item) for item in items]

    # ------------------------------------------------------------ playlists
    def playlist(self, playlist_id: str, *, include_entries: bool = False) -> Playlist:
        """The playlist; with ``include_entries`` every entry (local files and unavailable tracks included as
        entries with ``track=None`` and a ``skip_reason``)."""
        data = self._get(f"playlists/{playlist_id}")
        if not include_entries:
            return parse.playlist(data)
        first = parse.playlist_items_page(data)
        items = list(first.get("items") or ()) if first.get("offset", 0) == 0 else []
        total = first.get("total") or 0
        if len(items) < total:
            rest, _ = self._collect(
                f"playlists/{playlist_id}/items",
                {},
                limit=None,
                offset=len(items),
                page_size=self.PLAYLIST_PAGE,
                cache_extra=data.get("snapshot_id") or "",
            )
            items.extend(rest)
        entries = tuple(parse.playlist_entry(item, n) for n, item in enumerate(items))
        return parse.playlist(data, entries)

    def playlist_snapshot(self, playlist_id: str) -> str:
        """The current snapshot_id, always asked of Spotify (one small, uncached call)."""
        return self._get(f"playlists/{playlist_id}", {"fields": "snapshot_id"}, cached=False).get(
            "snapshot_id", ""
        )

    def playlist_entries_page(
        self, playlist_id: str, *, limit: int = 50, offset: int = 0, snapshot_id: str | None = None
    ) -> Page:
        """One page of entries (``PlaylistEntry`` items). Pass ``snapshot_id`` to key the cache on it."""
        items, total = self._collect(
            f"playlists/{playlist_id}/items",
            {},
            limit=limit,
            offset=offset,
            page_size=self.PLAYLIST_PAGE,
            cache_extra=snapshot_id or "",
        )
        entries = tuple(parse.playlist_entry(item, offset + n) for n, item in enumerate(items))
        return self._page(entries, total, limit, offset)

    def playlist_entries(self, playlist_id: str, *, snapshot_id: str | None = None) -> list[PlaylistEntry]:
        """Every entry of the playlist, all pages followed (cache keyed on ``snapshot_id`` when given)."""
        items, _ = self._collect(
            f"playlists/{playlist_id}/items",
            {},
            limit=None,
            offset=0,
            page_size=self.PLAYLIST_PAGE,
            cache_extra=snapshot_id or "",
        )
        return [parse.playlist_entry(item, n) for n, item in enumerate(items)]

    # ------------------------------------------------------------ search and markets
    def search(self, query: str, search_type: str, *, limit: int = 10) -> list[SearchItem]:
        """Up to ``limit`` hits of one type, in calls of 10 (Spotify's maximum)."""
        if search_type not in SEARCH_TYPES:
            raise ValueError(f"search type must be one of {SEARCH_TYPES}")
        items, _ = self._collect(
            "search",
            {"q": query, "type": search_type},
            limit=limit,
            offset=0,
            page_size=self.SEARCH_PAGE,
            unwrap=f"{search_type}s",
        )
        return [parse.search_item(search_type, item) for item in items if item.get("id")]

    def search_tracks(self, query: str, *, limit: int = 10) -> list[Track]:
        """Up to ``limit`` (at most 10: one call) tracks for ``query`` as full ``Track`` objects, which a
        search answers with (track numbers and ISRC included), so no look-up per hit is needed."""
        items, _ = self._collect(
            "search",
            {"q": query, "type": "track"},
            limit=min(limit, self.SEARCH_PAGE),
            offset=0,
            page_size=self.SEARCH_PAGE,
            unwrap="tracks",
        )
        return [parse.track(item) for item in items if item.get("id")]

    def markets(self) -> list[str]:
        return list(self._get("markets").get("markets") or ())


_transports: dict[tuple[str, str, str, str], SpotifyTransport] = {}
_transports_lock = threading.Lock()


def get_spotify_client(*, max_wait: float | None = None) -> SpotifyClient:
    """A client with the active Spotify credentials. ``max_wait`` caps how long a call waits out a 429
    back-off before raising ``SpotifyRateLimited`` (default ``SPOTIFY_MAX_WAIT_SECONDS``; views pass a few
    seconds, download tasks can wait longer).

    Raises ``SpotifyNotConfigured`` when no credentials are set."""
    provider: Callable[[], Any] = import_string(
        getattr(settings, "SPOTIFY_CREDENTIALS_PROVIDER", DEFAULT_CREDENTIALS_PROVIDER)
    )
    found = provider()
    if found is None or not found.client_id or not found.client_secret:
        raise SpotifyNotConfigured()
    key = (found.client_id, found.client_secret, settings.SPOTIFY_API_URL, settings.SPOTIFY_TOKEN_URL)
    with _transports_lock:
        transport = _transports.get(key)
        if transport is None:
            transport = SpotifyTransport(
                Credentials(found.client_id, found.client_secret), api_url=key[2], token_url=key[3]
            )
            _transports[key] = transport
    wait = settings.SPOTIFY_MAX_WAIT_SECONDS if max_wait is None else max_wait
    return SpotifyClient(transport, max_wait=wait)


def spotify_clients_close() -> None:
    """Close and forget the pooled connections (tests, after their fake server stops)."""
    with _transports_lock:
        for transport in _transports.values():
            transport.close()
        _transports.clear()
