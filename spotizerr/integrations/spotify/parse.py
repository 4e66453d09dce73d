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


# ------------------------------------------------------------------ what the cache keeps of entries
_TRACK_FIELDS = (
    "id",
    "name",
    "type",
    "is_local",
    "duration_ms",
    "explicit",
    "track_number",
    "disc_number",
    "preview_url",
    "is_playable",
    "popularity",
)
_ALBUM_FIELDS = ("id", "name", "album_type", "release_date", "total_tracks", "images")


def _pick(data: Json, fields: tuple[str, ...]) -> Json:
    return {name: data[name] for name in fields if name in data}


def _slim_artists(data: Json, slim: Json) -> None:
    artists = data.get("artists")
    if isinstance(artists, list):
        slim["artists"] = [_pick(a, ("id", "name")) if isinstance(a, dict) else a for a in artists]
    elif "artists" in data:
        slim["artists"] = artists


def _slim_item(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    slim = _pick(item, _TRACK_FIELDS)
    _slim_artists(item, slim)
    album = item.get("album")
    if isinstance(album, dict):
        slim["album"] = _pick(album, _ALBUM_FIELDS)
        _slim_artists(album, slim["album"])
    elif "album" in item:
        slim["album"] = album
    if isinstance(item.get("external_ids"), dict):
        slim["external_ids"] = _pick(item["external_ids"], ("isrc",))
    return slim


def slim_playlist_items(body: Json) -> Json:
    """A page of playlist entries reduced to what ``playlist_entry`` reads, before it is cached.

    Spotify's entries carry the track twice (``item`` and the legacy ``track``) with URIs, hrefs and
    markets: ~3 KB each, a third of it read. A 500-entry page then unpickles from the cache in a third
    of the time. ``playlist_entry`` gives the same entry for the slim and the full answer (tested)."""
    items = body.get("items")
    if not isinstance(items, list):
        return body
    slim = [_slim_entry(entry) for entry in items]
    return {**{key: value for key, value in body.items() if key != "items"}, "items": slim}


def _slim_entry(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    slim = _pick(entry, ("added_at", "is_local"))
    slim["item"] = _slim_item(entry["item"] if "item" in entry else entry.get("track"))
    return slim


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
