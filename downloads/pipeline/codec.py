"""How catalog data is kept in the database: catalog dataclasses to plain JSON and back.

Stored rows outlive code changes, so reading ignores fields a dataclass no longer has."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from spotizerr.integrations.catalog_types import Album, AlbumRef, ArtistRef, Image, Track


def to_json(value: Any) -> Any:
    """A catalog dataclass (Track, Album, ...) as plain JSON data."""
    return dataclasses.asdict(value)


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(item.name for item in dataclasses.fields(cls))


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = _field_names(cls)
    return {key: value for key, value in data.items() if key in names}


def _images(data: Any) -> tuple[Image, ...]:
    return tuple(Image(**_known(Image, item)) for item in data or ())


def _artists(data: Any) -> tuple[ArtistRef, ...]:
    return tuple(ArtistRef(**_known(ArtistRef, item)) for item in data or ())


def album_ref_from_json(data: dict[str, Any]) -> AlbumRef:
    return AlbumRef(
        **{
            **_known(AlbumRef, data),
            "images": _images(data.get("images")),
            "artists": _artists(data.get("artists")),
        }
    )


def track_from_json(data: dict[str, Any]) -> Track:
    return Track(
        **{
            **_known(Track, data),
            "artists": _artists(data.get("artists")),
            "album": album_ref_from_json(data.get("album") or {"id": None, "name": ""}),
        }
    )


def album_from_json(data: dict[str, Any]) -> Album:
    return Album(
        **{
            **_known(Album, data),
            "artists": _artists(data.get("artists")),
            "images": _images(data.get("images")),
            "genres": tuple(data.get("genres") or ()),
            "copyrights": tuple(data.get("copyrights") or ()),
            "tracks": tuple(track_from_json(item) for item in data.get("tracks") or ()),
        }
    )
