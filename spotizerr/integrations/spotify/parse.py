"""Web API JSON -> the typed data of ``spotizerr.integrations.catalog_types``.

Tolerant of the fields Spotify drops for some apps (popularity, followers, external_ids, label) and of the
February 2026 renames (playlist ``items``/``item`` next to the older ``tracks``/``track``).
"""

from __future__ import annotations

from typing import Any

from spotizerr.integrations.catalog_types import (
    Album,
    AlbumRef,
    Artist,
    ArtistRef,
    ArtistRelease,
    Image,
    Playlist,
    PlaylistEntry,
    SearchItem,
    Track,
)

Json = dict[str, Any]


def images(data: Json | None) -> tuple[Image, ...]:
    return tuple(
        Image(url=i["url"], width=i.get("width"), height=i.get("height"))
        for i in (data or {}).get("images") or ()
        if i and i.get("url")
    )


def artist_refs(data: Json | None) -> tuple[ArtistRef, ...]:
    return tuple(
        ArtistRef(id=a.get("id"), name=a.get("name") or "") for a in (data or {}).get("artists") or ()
    )


def album_ref(data: Json) -> AlbumRef:
    return AlbumRef(
        id=data.get("id"),
        name=data.get("name") or "",
        album_type=data.get("album_type") or "album",
        release_date=data.get("release_date") or "",
        total_tracks=data.get("total_tracks") or 0,
        images=images(data),
        artists=artist_refs(data),
    )


def track(data: Json, album: AlbumRef | None = None) -> Track:
    """A track; ``album`` stands in for the album when ``data`` is a simplified track (album listings)."""
    return Track(
        id=data["id"],
        name=data.get("name") or "",
        artists=artist_refs(data),
        album=album or album_ref(data.get("album") or {}),
        duration_ms=data.get("duration_ms") or 0,
        explicit=bool(data.get("explicit")),
        track_number=data.get("track_number") or 1,
        disc_number=data.get("disc_number") or 1,
        isrc=(data.get("external_ids") or {}).get("isrc"),
        preview_url=data.get("preview_url"),
        is_playable=data.get("is_playable", True) is not False,
        popularity=data.get("popularity"),
    )


def album(data: Json, track_items: list[Json]) -> Album:
    """An album with every track in ``track_items`` (simplified tracks, all pages)."""
    ref = album_ref(data)
    return Album(
        id=data["id"],
        name=ref.name,
        album_type=ref.album_type,
        artists=ref.artists,
        release_date=ref.release_date,
        total_tracks=ref.total_tracks or len(track_items),
        images=ref.images,
        label=data.get("label") or None,
        upc=(data.get("external_ids") or {}).get("upc"),
        genres=tuple(data.get("genres") or ()),
        copyrights=tuple(c.get("text", "") for c in data.get("copyrights") or ()),
        tracks=tuple(track(item, ref) for item in track_items if item and item.get("id")),
    )


def artist(data: Json) -> Artist:
    return Artist(
        id=data["id"],
        name=data.get("name") or "",
        genres=tuple(data.get("genres") or ()),
        images=images(data),
        followers=(data.get("followers") or {}).get("total"),
        popularity=data.get("popularity"),
    )


def artist_release(data: Json, group: str) -> ArtistRelease:
    """A release listed under ``group``: the ``include_groups`` value it was asked for, since items of
    development-mode apps carry no ``album_group`` (and ``album_type`` cannot tell an appears-on release
    from the artist's own compilation)."""
    return ArtistRelease(
        id=data["id"],
        name=data.get("name") or "",
        album_type=data.get("album_type") or "album",
        album_group=group,
        release_date=data.get("release_date") or "",
        total_tracks=data.get("total_tracks") or 0,
        artists=artist_refs(data),
        images=images(data),
    )


def playlist_items_page(data: Json) -> Json:
    """The entries paging object of a playlist (``items`` since 2026, ``tracks`` before)."""
    for key in ("items", "tracks"):
        value = data.get(key)
        if isinstance(value, dict):
            return value
    return {}


def playlist(data: Json, entries: tuple[PlaylistEntry, ...] = ()) -> Playlist:
    owner = data.get("owner") or {}
    return Playlist(
        id=data["id"],
        name=data.get("name") or "",
        owner=owner.get("display_name") or owner.get("id") or "",
        description=data.get("description") or "",
        snapshot_id=data.get("snapshot_id") or "",
        total_tracks=playlist_items_page(data).get("total") or 0,
        images=images(data),
        public=data.get("public"),
        collaborative=bool(data.get("collaborative")),
        followers=(data.get("followers") or {}).get("total"),
        entries=entries,
    )


def playlist_entry(data: Json, position: int) -> PlaylistEntry:
    """One playlist entry; local files, missing tracks and episodes get ``track=None`` and a reason."""
    item = data.get("item", data.get("track"))
    added_at = data.get("added_at")
    if data.get("is_local") or (item and item.get("is_local")):
        return PlaylistEntry(position, added_at, None, "local_file")
    if not item:
        return PlaylistEntry(position, added_at, None, "unavailable")
    if item.get("type", "track") != "track":
        return PlaylistEntry(position, added_at, None, "episode")
    if not item.get("id"):
        return PlaylistEntry(position, added_at, None, "removed")
    return PlaylistEntry(position, added_at, track(item))


def search_item(kind: str, data: Json) -> SearchItem:
    owner = data.get("owner") or {}
    total = data.get("total_tracks")
    if kind == "playlist":
        total = playlist_items_page(data).get("total")
    return SearchItem(
        id=data["id"],
        name=data.get("name") or "",
        type=kind,
        artists=artist_refs(data),
        images=images(data) or (images(data["album"]) if data.get("album") else ()),
        album=album_ref(data["album"]) if kind == "track" and data.get("album") else None,
        release_date=data.get("release_date"),
        duration_ms=data.get("duration_ms"),
        explicit=data.get("explicit"),
        total_tracks=total,
        owner=(owner.get("display_name") or owner.get("id")) if owner else None,
        publisher=data.get("publisher"),
        description=data.get("description"),
        isrc=(data.get("external_ids") or {}).get("isrc"),
    )
