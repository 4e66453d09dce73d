"""Small builders shared by the source tests."""

from __future__ import annotations

from spotizerr.integrations.catalog_types import AlbumRef, ArtistRef, Track


def make_track(
    *,
    name: str = "Blue Monday",
    artists: tuple[str, ...] = ("New Order",),
    isrc: str | None = None,
    duration_ms: int = 2000,
    album: str = "Power, Corruption & Lies",
    preview_url: str | None = None,
    track_id: str = "4cktbXiXOapiLBMprHFErI",
) -> Track:
    return Track(
        id=track_id,
        name=name,
        artists=tuple(ArtistRef(id=None, name=artist) for artist in artists),
        album=AlbumRef(id="album1", name=album),
        duration_ms=duration_ms,
        isrc=isrc,
        preview_url=preview_url,
    )
