"""What the client reads with a linked user's token: the user, their Liked Songs (as the playlist ``liked``),
their playlists and the artists they follow. A mixin of ``client.SpotifyClient``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spotizerr.integrations.catalog_types import Page, Playlist
from spotizerr.integrations.spotify import parse
from spotizerr.integrations.spotify.errors import SpotifyAccountNotLinked
from spotizerr.integrations.spotify.reader import SpotifyReader

LIKED_ID = "liked"  # the id that names the caller's Liked Songs wherever a playlist id is accepted
LIKED_NAME = "Liked Songs"
ME_PAGE = 50  # /me/tracks, /me/playlists and /me/following answer at most 50 a call


@dataclass(frozen=True)
class SpotifyProfile:
    id: str
    display_name: str


@dataclass(frozen=True)
class UserPlaylist:
    """One of the linked user's playlists (``/me/playlists``): ``owned`` when the user owns it."""

    id: str
    name: str
    owner: str
    owned: bool
    collaborative: bool
    total_tracks: int
    image: str | None


@dataclass(frozen=True)
class FollowedArtist:
    id: str
    name: str


class UserReads(SpotifyReader):
    """Reads signed with ``self.user``; each raises ``SpotifyAccountNotLinked`` when there is none."""

    def _require_user(self) -> None:
        if self.user is None:
            raise SpotifyAccountNotLinked()

    def me(self) -> SpotifyProfile:
        self._require_user()
        body = self._get("me", as_user=True)
        return SpotifyProfile(
            id=body.get("id") or "", display_name=body.get("display_name") or body.get("id") or ""
        )

    def liked_snapshot(self) -> str:
        """A stand-in for a snapshot id (Liked Songs have none): the count and the newest like, one small
        uncached call. Liking or unliking a song changes it."""
        self._require_user()
        body = self._get("me/tracks", {"limit": 1, "offset": 0}, cached=False, as_user=True)
        first = (body.get("items") or [{}])[0] or {}
        newest = (first.get("track") or {}).get("id") or ""
        return f"liked:{body.get('total', 0)}:{newest}:{first.get('added_at') or ''}"

    def liked_entries_page(self, *, limit: int, offset: int, snapshot_id: str | None = None) -> Page:
        self._require_user()
        items, total = self._collect(
            "me/tracks",
            {},
            limit=limit,
            offset=offset,
            page_size=ME_PAGE,
            cache_extra=snapshot_id or "",
            as_user=True,
        )
        entries = tuple(parse.playlist_entry(item, offset + n) for n, item in enumerate(items))
        return self._page(entries, total, limit, offset)

    def liked_playlist(self, *, include_entries: bool) -> Playlist:
        """Liked Songs as a playlist named "Liked Songs" (newest like first, as Spotify lists them)."""
        profile = self.me()
        snapshot = self.liked_snapshot()
        total = int(snapshot.split(":")[1])
        entries: tuple = ()
        if include_entries:
            items, total = self._collect(
                "me/tracks", {}, limit=None, offset=0, page_size=ME_PAGE, cache_extra=snapshot, as_user=True
            )
            entries = tuple(parse.playlist_entry(item, n) for n, item in enumerate(items))
        return Playlist(
            id=LIKED_ID,
            name=LIKED_NAME,
            owner=profile.display_name,
            description=f"The songs {profile.display_name} liked on Spotify.",
            snapshot_id=snapshot,
            total_tracks=total,
            entries=entries,
        )

    def my_playlists(self) -> list[UserPlaylist]:
        """Every playlist in the user's library (owned, collaborative and followed ones)."""
        me = self.me()
        items, _ = self._collect(
            "me/playlists", {}, limit=None, offset=0, page_size=ME_PAGE, cached=False, as_user=True
        )
        found = []
        for item in items:
            owner = item.get("owner") or {}
            images = parse.images(item)
            found.append(
                UserPlaylist(
                    id=item["id"],
                    name=item.get("name") or "",
                    owner=owner.get("display_name") or owner.get("id") or "",
                    owned=owner.get("id") == me.id,
                    collaborative=bool(item.get("collaborative")),
                    total_tracks=parse.playlist_items_page(item).get("total") or 0,
                    image=images[0].url if images else None,
                )
            )
        return found

    def followed_artists(self) -> list[FollowedArtist]:
        """Every artist the user follows (cursor paging, 50 a call)."""
        self._require_user()
        found: list[FollowedArtist] = []
        params: dict[str, Any] = {"type": "artist", "limit": ME_PAGE}
        while True:
            page = self._get("me/following", params, cached=False, as_user=True).get("artists") or {}
            found.extend(FollowedArtist(a["id"], a.get("name") or "") for a in page.get("items") or () if a)
            after = (page.get("cursors") or {}).get("after")
            if not page.get("next") or not after:
                return found
            params = {**params, "after": after}


def parse_playlist_id(value: str) -> str:
    """A playlist id as ``parse_spotify_id`` accepts it, or ``liked`` (the caller's Liked Songs)."""
    from spotizerr.integrations.spotify.ids import parse_spotify_id

    if str(value).strip().lower() == LIKED_ID:
        return LIKED_ID
    return parse_spotify_id(value, "playlist")
