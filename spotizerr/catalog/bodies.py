"""Plain-dict bodies of the catalog's track lists, built without DRF's field machinery.

A 500-track playlist page goes through DRF's nested serializers in ~25 ms of CPU; these builders make
the same dicts in ~2 ms. ``serializers.py`` keeps the declared fields (the OpenAPI schema comes from
them) and hands its track and entry serializers' ``to_representation`` to these functions;
``tests/catalog/test_bodies.py`` checks that both give the same body for every kind of track and entry.
"""

from __future__ import annotations

from typing import Any

from spotizerr.integrations.catalog_types import AlbumRef, ArtistRef, Image, PlaylistEntry, Track

Body = dict[str, Any]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> int | None:
    return None if value is None else int(value)


def image_body(image: Image) -> Body:
    return {"url": _text(image.url), "width": _number(image.width), "height": _number(image.height)}


def artist_ref_body(artist: ArtistRef) -> Body:
    return {
        "id": _text(artist.id),
        "name": _text(artist.name),
        "external_urls": {"spotify": _text(artist.url)},
    }


def album_ref_body(album: AlbumRef) -> Body:
    return {
        "id": _text(album.id),
        "name": _text(album.name),
        "album_type": _text(album.album_type),
        "release_date": _text(album.release_date),
        "total_tracks": _number(album.total_tracks),
        "images": [image_body(image) for image in album.images],
        "artists": [artist_ref_body(artist) for artist in album.artists],
        "external_urls": {"spotify": _text(album.url)},
    }


def album_track_body(track: Track) -> Body:
    """A track as listed on its album's page (no album object)."""
    return {
        "id": _text(track.id),
        "name": _text(track.name),
        "type": "track",
        "artists": [artist_ref_body(artist) for artist in track.artists],
        "duration_ms": _number(track.duration_ms),
        "explicit": bool(track.explicit),
        "track_number": _number(track.track_number),
        "disc_number": _number(track.disc_number),
        "isrc": _text(track.isrc),
        "external_ids": {"isrc": _text(track.isrc)},
        "preview_url": _text(track.preview_url),
        "is_playable": bool(track.is_playable),
        "external_urls": {"spotify": _text(track.url)},
    }


def track_body(track: Track) -> Body:
    """A track with its album, as on the track page, in search results and in playlists."""
    body = album_track_body(track)
    body["album"] = album_ref_body(track.album)
    body["popularity"] = _number(track.popularity)
    return body


def entry_body(entry: PlaylistEntry) -> Body:
    return {
        "position": _number(entry.position),
        "added_at": _text(entry.added_at),
        "is_local": entry.skip_reason == "local_file",
        "skip_reason": _text(entry.skip_reason),
        "track": None if entry.track is None else track_body(entry.track),
    }
