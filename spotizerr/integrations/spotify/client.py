"""The Spotify metadata client: typed catalog data, every page followed, single-object endpoints only."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from django.conf import settings

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
from spotizerr.integrations.spotify.errors import SpotifyError, SpotifyNotConfigured, SpotifyPlaylistForbidden
from spotizerr.integrations.spotify.me import LIKED_ID, UserReads
from spotizerr.integrations.spotify.transport import Credentials, SpotifyTransport, UserToken

SEARCH_TYPES = ("track", "album", "artist", "playlist", "episode", "show")
RELEASE_GROUPS = ("album", "single", "compilation", "appears_on")
# the largest offset Spotify's paged listings accept (documented as 100,000; search: 1,000): callers
# validate against it, since Spotify's 400 past it would reach our users as a 502
MAX_OFFSET = 100_000


class ClientCredentials(Protocol):
    """What a credentials provider returns: the operator's Spotify app id and secret."""

    @property
    def client_id(self) -> str: ...

    @property
    def client_secret(self) -> str: ...


CredentialsProvider = Callable[[], ClientCredentials | None]
# Where the active credentials come from. The settings app, which stores them, registers its selector when
# Django starts (``SettingsAppConfig.ready``), so this layer never names an app.
_credentials_provider: CredentialsProvider | None = None


def set_credentials_provider(provider: CredentialsProvider) -> None:
    """Register the function that returns the active Spotify credentials (or None when none are set)."""
    global _credentials_provider
    _credentials_provider = provider


class SpotifyClient(UserReads):
    """Reads the catalog. Playlists are read with ``user`` (a linked account's token) when given, the app's
    token otherwise; Spotify's refusal of a playlist's items becomes ``SpotifyPlaylistForbidden``. Methods
    raise ``SpotifyNotFound`` for unknown ids, ``SpotifyRateLimited`` when a back-off is longer than ``max_wait`` seconds, ``SpotifyUnavailable`` when retries are spent and
    ``SpotifyError`` otherwise (all with ``permanent`` telling whether a retry can help)."""

    ALBUM_PAGE = 50  # Spotify's maximum for album tracks
    ARTIST_PAGE = 10  # /artists/{id}/albums refuses more for development-mode apps (400 "Invalid limit")
    PLAYLIST_PAGE = 50  # /playlists/{id}/items documents 50 for new apps (100 before)
    SEARCH_PAGE = 10  # search answers at most 10 items a call for new apps

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
        self,
        artist_id: str,
        *,
        include_groups: list[str] | None = None,
        limit: int = 50,
        offset: int = 0,
        read_token: str | None = None,
    ) -> Page:
        """``limit`` releases from ``offset`` on, counted over the groups in ``RELEASE_GROUPS`` order.

        Development-mode apps get no ``album_group`` and at most 10 items a call, so each group is
        asked separately and every item is filed under the group it was asked for. Each group's first
        page (cached, so later pages reuse it) tells its total; more pages are read only when needed.
        With ``read_token`` only answers cached under that token are reused, so a watch check (one token)
        asks each page once and never sees an answer older than itself (a release out a minute ago must
        be found)."""
        extra = read_token or ""  # "" is the shared cache
        items: list[ArtistRelease] = []
        start = 0  # where the current group begins in the combined listing
        for group in _groups(include_groups):
            params = {"include_groups": group}
            first = self._get(
                f"artists/{artist_id}/albums",
                {**params, "limit": self.ARTIST_PAGE, "offset": 0},
                cache_extra=extra,
            )
            total = first.get("total") or 0
            at, want = offset + len(items) - start, limit - len(items)
            if want > 0 and at < total:
                found = [item for item in first.get("items") or () if item is not None][at : at + want]
                if len(found) < want and at + len(found) < total:
                    more, _ = self._collect(
                        f"artists/{artist_id}/albums",
                        params,
                        limit=want - len(found),
                        offset=at + len(found),
                        page_size=self.ARTIST_PAGE,
                        cache_extra=extra,
                    )
                    found.extend(more)
                items.extend(parse.artist_release(item, group) for item in found)
            start += total
        return self._page(tuple(items), start, limit, offset)

    def artist_releases(self, artist_id: str, include_groups: list[str] | None = None) -> list[ArtistRelease]:
        """Every release of the artist in the given groups (default all four), all pages followed."""
        releases: list[ArtistRelease] = []
        for group in _groups(include_groups):
            found, _ = self._collect(
                f"artists/{artist_id}/albums",
                {"include_groups": group},
                limit=None,
                offset=0,
                page_size=self.ARTIST_PAGE,
            )
            releases.extend(parse.artist_release(item, group) for item in found)
        return releases

    # ------------------------------------------------------------ playlists
    def _items(
        self, playlist_id: str, *, limit: int | None, offset: int, snapshot_id: str
    ) -> tuple[list[dict], int]:
        """Entries of a playlist, with the user's token when there is one. Raises
        ``SpotifyPlaylistForbidden`` when Spotify refuses them to that token (2026 development mode)."""
        try:
            return self._collect(
                f"playlists/{playlist_id}/items",
                {},
                limit=limit,
                offset=offset,
                page_size=self.PLAYLIST_PAGE,
                cache_extra=snapshot_id,
                as_user=True,
                shape=parse.slim_playlist_items,
            )
        except SpotifyError as error:
            if type(error) is SpotifyError and error.upstream_status == 403:
                raise SpotifyPlaylistForbidden(
                    playlist_id=playlist_id, linked=self.user is not None
                ) from error
            raise

    def playlist(
        self, playlist_id: str, *, include_entries: bool = False, snapshot_id: str | None = None
    ) -> Playlist:
        """The playlist (``liked``: the user's Liked Songs); with ``include_entries`` every entry (local
        files and unavailable tracks included as entries with ``track=None`` and a ``skip_reason``).
        Metadata answers for any playlist; entries raise ``SpotifyPlaylistForbidden`` when refused.
        Pass the current ``snapshot_id`` (``playlist_snapshot``) to key the cache on it: the answer is
        then never older than that version."""
        if playlist_id == LIKED_ID:
            return self.liked_playlist(include_entries=include_entries)
        data = self._get(f"playlists/{playlist_id}", cache_extra=snapshot_id or "", as_user=True)
        if not include_entries:
            return parse.playlist(data)
        first = parse.playlist_items_page(data)
        readable = isinstance(first.get("items"), list) and first.get("offset", 0) == 0
        items = list(first["items"]) if readable else []
        if not readable or len(items) < (first.get("total") or 0):
            rest, _ = self._items(
                playlist_id, limit=None, offset=len(items), snapshot_id=data.get("snapshot_id") or ""
            )
            items.extend(rest)
        entries = tuple(parse.playlist_entry(item, n) for n, item in enumerate(items))
        return parse.playlist(data, entries)

    def playlist_snapshot(self, playlist_id: str) -> str:
        """The current snapshot_id, always asked of Spotify (one small, uncached call)."""
        if playlist_id == LIKED_ID:
            return self.liked_snapshot()
        body = self._get(f"playlists/{playlist_id}", {"fields": "snapshot_id"}, cached=False, as_user=True)
        return body.get("snapshot_id", "")

    def playlist_entries_page(
        self, playlist_id: str, *, limit: int = 50, offset: int = 0, snapshot_id: str | None = None
    ) -> Page:
        """One page of entries (``PlaylistEntry`` items). Pass ``snapshot_id`` to key the cache on it."""
        if playlist_id == LIKED_ID:
            return self.liked_entries_page(limit=limit, offset=offset, snapshot_id=snapshot_id)
        items, total = self._items(playlist_id, limit=limit, offset=offset, snapshot_id=snapshot_id or "")
        entries = tuple(parse.playlist_entry(item, offset + n) for n, item in enumerate(items))
        return self._page(entries, total, limit, offset)

    def playlist_entries(self, playlist_id: str, *, snapshot_id: str | None = None) -> list[PlaylistEntry]:
        """Every entry of the playlist, all pages followed (cache keyed on ``snapshot_id`` when given)."""
        if playlist_id == LIKED_ID:
            return list(self.liked_playlist(include_entries=True).entries)
        items, _ = self._items(playlist_id, limit=None, offset=0, snapshot_id=snapshot_id or "")
        return [parse.playlist_entry(item, n) for n, item in enumerate(items)]

    # ------------------------------------------------------------ search and the health check
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

    def search_top(
        self, query: str, types: tuple[str, ...] = ("track", "album", "artist", "playlist"), *, limit: int = 5
    ) -> dict[str, list[SearchItem]]:
        """The first ``limit`` (at most 10) hits of each of ``types``, from one multi-type search call."""
        if not types or any(kind not in SEARCH_TYPES for kind in types):
            raise ValueError(f"search types must be among {SEARCH_TYPES}")
        body = self._get(
            "search",
            {"q": query, "type": ",".join(types), "limit": min(limit, self.SEARCH_PAGE), "offset": 0},
        )
        found: dict[str, list[SearchItem]] = {}
        for kind in types:
            items = (body.get(f"{kind}s") or {}).get("items") or ()
            found[kind] = [parse.search_item(kind, item) for item in items if item and item.get("id")]
        return found

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

    def check(self) -> None:
        """One small uncached call (a search for one track) that raises what Spotify would raise now,
        without retries, so a page showing the result never waits out a back-off."""
        params = {"q": "isrc:USRC17607839", "type": "track", "limit": 1}
        self.transport.get("search", params, max_wait=self.max_wait, cached=False, retries=0)


def _groups(include_groups: list[str] | None) -> list[str]:
    """The asked-for release groups in Spotify's order (all four when none are given)."""
    wanted = set(include_groups or RELEASE_GROUPS)
    return [group for group in RELEASE_GROUPS if group in wanted]


_transports: dict[tuple[str, str, str, str], SpotifyTransport] = {}
_transports_lock = threading.Lock()


def spotify_app_client_id() -> str:
    """The client id of the active Spotify app (linked accounts sign in to it); SpotifyNotConfigured
    when none is set."""
    found = _credentials_provider() if _credentials_provider is not None else None
    if found is None or not found.client_id:
        raise SpotifyNotConfigured()
    return found.client_id


def get_spotify_client(*, max_wait: float | None = None, user: UserToken | None = None) -> SpotifyClient:
    """A client with the active Spotify credentials; ``user`` (a linked account's token, see
    ``accounts.spotify.services.spotify_user_token``) signs the playlist and ``/me`` reads. ``max_wait``
    caps how long a call waits out a 429 back-off before raising ``SpotifyRateLimited`` (default ``SPOTIFY_MAX_WAIT_SECONDS``; views pass a few
    seconds, download tasks can wait longer).

    Raises ``SpotifyNotConfigured`` when no credentials are set."""
    found = _credentials_provider() if _credentials_provider is not None else None
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
    return SpotifyClient(transport, max_wait=wait, user=user)


def spotify_credentials_try(client_id: str, client_secret: str) -> None:
    """Fetch a token with these (possibly unsaved) credentials and make the ``check`` call, on a
    transport of their own that is closed afterwards. Raises what Spotify would raise now."""
    transport = SpotifyTransport(
        Credentials(client_id, client_secret),
        api_url=settings.SPOTIFY_API_URL,
        token_url=settings.SPOTIFY_TOKEN_URL,
    )
    try:
        SpotifyClient(transport, max_wait=0).check()
    finally:
        transport.close()


def spotify_clients_close() -> None:
    """Close and forget the pooled connections (tests, after their fake server stops)."""
    with _transports_lock:
        for transport in _transports.values():
            transport.close()
        _transports.clear()
