"""The plain-dict track and entry bodies (``spotizerr.catalog.bodies``) give exactly what DRF's declared
fields give: the serializers hand ``to_representation`` to them, so the OpenAPI schema (built from the
fields) and the responses cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from spotizerr.catalog import serializers as s
from spotizerr.integrations.catalog_types import AlbumRef, ArtistRef, Image, PlaylistEntry, Track
from spotizerr.integrations.spotify import parse

FAST = (s.CatalogAlbumTrackSerializer, s.CatalogTrackSerializer, s.CatalogPlaylistEntrySerializer)


@contextmanager
def declared_fields_only() -> Iterator[None]:
    """DRF's own field-by-field representation on the three serializers: the reference."""
    with ExitStack() as stack:
        for cls in FAST:
            stack.enter_context(
                patch.object(cls, "to_representation", serializers.Serializer.to_representation)
            )
        yield


def both(serializer: type[serializers.Serializer], instance: Any) -> tuple[Any, Any]:
    fast = serializer(instance).data
    with declared_fields_only():
        reference = serializer(instance).data
    return dict(fast), dict(reference)


text = st.text(max_size=12)
maybe_text = st.none() | text
ids = st.none() | st.text(alphabet="abcdefXYZ0123456789", min_size=1, max_size=22)
images = st.lists(
    st.builds(Image, url=st.just("https://i.scdn.co/image/x"), width=st.none() | st.integers(0, 640)),
    max_size=2,
)
artists = st.lists(st.builds(ArtistRef, id=ids, name=text), max_size=3).map(tuple)
albums = st.builds(
    AlbumRef,
    id=ids,
    name=text,
    album_type=st.sampled_from(["album", "single", "compilation"]),
    release_date=st.sampled_from(["", "1999", "2024-03-01"]),
    total_tracks=st.integers(0, 99),
    images=images.map(tuple),
    artists=artists,
)
tracks = st.builds(
    Track,
    id=st.text(alphabet="abc123", min_size=1, max_size=22),
    name=text,
    artists=artists,
    album=albums,
    duration_ms=st.integers(0, 10**7),
    explicit=st.booleans(),
    track_number=st.integers(1, 99),
    disc_number=st.integers(1, 9),
    isrc=maybe_text,
    preview_url=st.none() | st.just("https://p.scdn.co/mp3-preview/x"),
    is_playable=st.booleans(),
    popularity=st.none() | st.integers(0, 100),
)
entries = st.builds(
    PlaylistEntry,
    position=st.integers(0, 10_000),
    added_at=st.none() | st.just("2026-01-02T03:04:05Z"),
    track=st.none() | tracks,
    skip_reason=st.sampled_from([None, "local_file", "unavailable", "episode", "removed", "unmatched"]),
)


@settings(max_examples=150, deadline=None)
@given(track=tracks)
def test_track_bodies_match_the_declared_fields(track: Track) -> None:
    fast, reference = both(s.CatalogTrackSerializer, track)
    assert fast == reference
    assert list(fast) == list(reference)  # same keys in the same order
    fast, reference = both(s.CatalogAlbumTrackSerializer, track)
    assert fast == reference and "album" not in fast


@settings(max_examples=150, deadline=None)
@given(entry=entries)
def test_entry_bodies_match_the_declared_fields(entry: PlaylistEntry) -> None:
    fast, reference = both(s.CatalogPlaylistEntrySerializer, entry)
    assert fast == reference
    assert list(fast) == list(reference)


def test_parsed_spotify_entries_of_every_kind_match() -> None:
    track = {
        "id": "t1",
        "name": "Song",
        "type": "track",
        "duration_ms": 1000,
        "artists": [{"id": "a1", "name": "A"}, {"id": None, "name": "Local"}],
        "album": {"id": "al1", "name": "Album", "images": [{"url": "https://i/x", "width": None}]},
        "external_ids": {"isrc": "USX"},
    }
    raw = [
        {"added_at": "2026-01-01T00:00:00Z", "item": track},
        {"added_at": None, "is_local": True, "item": {"name": "local.mp3", "is_local": True}},
        {"item": None},
        {"item": {"type": "episode", "id": "e1"}},
        {"item": {"type": "track", "id": None, "name": "gone"}},
    ]
    entries = [parse.playlist_entry(item, n) for n, item in enumerate(raw)]
    page = {"items": entries, "total": 5, "limit": 5, "offset": 0, "next": None, "next_offset": None}
    fast = s.CatalogPlaylistEntriesPageSerializer(page).data["items"]
    with declared_fields_only():
        reference = s.CatalogPlaylistEntriesPageSerializer(page).data["items"]
    assert [dict(item) for item in fast] == [dict(item) for item in reference]
    assert [item["skip_reason"] for item in fast] == [None, "local_file", "unavailable", "episode", "removed"]
    assert fast[0]["track"]["album"]["images"] == [{"url": "https://i/x", "width": None, "height": None}]
