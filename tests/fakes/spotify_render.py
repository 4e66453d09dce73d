"""Web API JSON for the records of ``tests.fakes.spotify_records`` (shapes as api.spotify.com sends them,
including the February 2026 renames: playlists carry ``items`` next to ``tracks``, entries ``item`` next to
``track``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tests.fakes.spotify_catalog import FakeCatalog
from tests.fakes.spotify_records import (
    FakeAlbum,
    FakeArtist,
    FakeEntry,
    FakeEpisode,
    FakePlaylist,
    FakeShow,
    FakeTrack,
)

Json = dict[str, Any]


class Renderer:
    def __init__(self, catalog: FakeCatalog, base_url: str) -> None:
        self.catalog = catalog
        self.base = base_url.rstrip("/")
        self.api = f"{self.base}/v1"

    # ------------------------------------------------------------ helpers
    def images(self, name: str | None) -> list[Json]:
        if not name:
            return []
        return [
            {"url": f"{self.base}/images/{name}-{size}.jpg", "width": size, "height": size}
            for size in (640, 300, 64)
        ]

    def _common(self, kind: str, object_id: str) -> Json:
        return {
            "id": object_id,
            "type": kind,
            "uri": f"spotify:{kind}:{object_id}",
            "href": f"{self.api}/{kind}s/{object_id}",
            "external_urls": {"spotify": f"https://open.spotify.com/{kind}/{object_id}"},
        }

    def page(
        self,
        path: str,
        items: list[Json],
        total: int,
        limit: int,
        offset: int,
        extra: dict[str, str] | None = None,
    ) -> Json:
        def link(at: int) -> str:
            return f"{self.api}/{path}?" + urlencode({**(extra or {}), "offset": at, "limit": limit})

        return {
            "href": link(offset),
            "items": items,
            "limit": limit,
            "offset": offset,
            "total": total,
            "next": link(offset + limit) if offset + limit < total else None,
            "previous": link(max(0, offset - limit)) if offset > 0 else None,
        }

    # ------------------------------------------------------------ artists
    def artist_simple(self, artist: FakeArtist) -> Json:
        return {**self._common("artist", artist.id), "name": artist.name}

    def artist_full(self, artist: FakeArtist) -> Json:
        return {
            **self.artist_simple(artist),
            "genres": list(artist.genres),
            "images": self.images(artist.image),
            "followers": {"href": None, "total": artist.followers},
            "popularity": artist.popularity,
        }

    def _artists(self, ids: list[str]) -> list[Json]:
        return [self.artist_simple(self.catalog.artists[i]) for i in ids if i in self.catalog.artists]

    # ------------------------------------------------------------ albums
    def album_simple(self, album: FakeAlbum, album_group: str | None = None) -> Json:
        body = {
            **self._common("album", album.id),
            "name": album.name,
            "album_type": album.album_type,
            "total_tracks": len(album.track_ids),
            "available_markets": ["GB", "US", "DE"],
            "images": self.images(album.image),
            "release_date": album.release_date,
            "release_date_precision": album.release_date_precision,
            "artists": self._artists(album.artist_ids),
        }
        if album_group:
            body["album_group"] = album_group
        return body

    def album_full(self, album: FakeAlbum, tracks_page: Json) -> Json:
        return {
            **self.album_simple(album),
            "tracks": tracks_page,
            "label": album.label,
            "genres": list(album.genres),
            "popularity": album.popularity,
            "external_ids": {"upc": album.upc} if album.upc else {},
            "copyrights": [{"text": text, "type": kind} for text, kind in album.copyrights],
        }

    # ------------------------------------------------------------ tracks
    def track_simple(self, track: FakeTrack) -> Json:
        return {
            **self._common("track", track.id),
            "name": track.name,
            "artists": self._artists(track.artist_ids),
            "duration_ms": track.duration_ms,
            "explicit": track.explicit,
            "track_number": track.track_number,
            "disc_number": track.disc_number,
            "is_local": False,
            "is_playable": True,
            "available_markets": ["GB", "US", "DE"],
            "preview_url": f"{self.base}/previews/{track.id}.mp3" if track.has_preview else None,
        }

    def track_full(self, track: FakeTrack) -> Json:
        album = self.catalog.albums[track.album_id]
        return {
            **self.track_simple(track),
            "album": self.album_simple(album),
            "popularity": track.popularity,
            "external_ids": {"isrc": track.isrc} if track.isrc else {},
        }

    # ------------------------------------------------------------ shows and episodes
    def show_simple(self, show: FakeShow) -> Json:
        return {
            **self._common("show", show.id),
            "name": show.name,
            "publisher": show.publisher,
            "description": show.description,
            "images": self.images(f"show-{show.id[:6]}"),
            "total_episodes": sum(1 for e in self.catalog.episodes.values() if e.show_id == show.id),
            "explicit": False,
            "media_type": "audio",
        }

    def episode(self, episode: FakeEpisode) -> Json:
        return {
            **self._common("episode", episode.id),
            "name": episode.name,
            "duration_ms": episode.duration_ms,
            "release_date": episode.release_date,
            "release_date_precision": "day",
            "explicit": False,
            "description": episode.description,
            "images": self.images(f"ep-{episode.id[:6]}"),
            "show": self.show_simple(self.catalog.shows[episode.show_id]),
        }

    # ------------------------------------------------------------ playlists
    def playlist_simple(self, playlist: FakePlaylist) -> Json:
        summary = {"href": f"{self.api}/playlists/{playlist.id}/items", "total": len(playlist.entries)}
        return {
            **self._common("playlist", playlist.id),
            "name": playlist.name,
            "description": playlist.description,
            "public": playlist.public,
            "collaborative": playlist.collaborative,
            "snapshot_id": playlist.snapshot_id,
            "images": self.images(playlist.image),
            "tracks": summary,
            "items": summary,
            "owner": {
                "id": playlist.owner_id,
                "display_name": playlist.owner_name,
                "type": "user",
                "uri": f"spotify:user:{playlist.owner_id}",
                "external_urls": {"spotify": f"https://open.spotify.com/user/{playlist.owner_id}"},
            },
        }

    def playlist_full(self, playlist: FakePlaylist, items_page: Json) -> Json:
        return {
            **self.playlist_simple(playlist),
            "followers": {"href": None, "total": playlist.followers},
            "tracks": items_page,
            "items": items_page,
        }

    def entry(self, entry: FakeEntry) -> Json:
        item: Json | None
        if entry.kind == "track" and entry.item_id in self.catalog.tracks:
            item = self.track_full(self.catalog.tracks[entry.item_id])
        elif entry.kind == "episode" and entry.item_id in self.catalog.episodes:
            item = self.episode(self.catalog.episodes[entry.item_id])
        elif entry.kind == "local":
            item = self._local_track(entry.local_name)
        else:
            item = None
        return {
            "added_at": entry.added_at,
            "is_local": entry.kind == "local",
            "primary_color": None,
            "added_by": {"id": "fixture-user", "type": "user"},
            "track": item,
            "item": item,
        }

    @staticmethod
    def _local_track(name: str) -> Json:
        return {
            "id": None,
            "name": name,
            "type": "track",
            "is_local": True,
            "uri": f"spotify:local:::{name}:200",
            "href": None,
            "duration_ms": 200_000,
            "explicit": False,
            "track_number": 0,
            "disc_number": 0,
            "preview_url": None,
            "external_ids": {},
            "external_urls": {},
            "popularity": 0,
            "artists": [{"id": None, "name": "", "type": "artist", "uri": None, "href": None}],
            "album": {
                "id": None,
                "name": "",
                "type": "album",
                "album_type": None,
                "images": [],
                "artists": [],
                "release_date": None,
                "uri": None,
                "href": None,
            },
        }
