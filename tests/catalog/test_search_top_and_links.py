"""The client's multi-type search (the dashboard's Top results) and the link reader that lets a pasted
link or URI open its item."""

from __future__ import annotations

import pytest

from spotizerr.integrations.spotify import get_spotify_client, looks_like_spotify_id, spotify_link
from tests.fakes.spotify_api import IDS, FakeSpotify

TRACK = "4iV5W9uYEdYUVa79Axb7Rh"


def test_the_top_search_reads_four_types_in_one_call_within_the_limit(spotify_api: FakeSpotify) -> None:
    found = get_spotify_client().search_top("Test Pattern", limit=25)
    assert set(found) == {"track", "album", "artist", "playlist"}
    assert [hit.name for hit in found["artist"]] == ["The Test Pattern"]
    assert all(hit.album is not None for hit in found["track"])  # track hits name their album
    calls = [r for r in spotify_api.requests if r.path == "/v1/search"]
    assert len(calls) == 1 and calls[0].query["limit"] == "10" and calls[0].status == 200


def test_the_top_search_refuses_an_unknown_type(spotify_api: FakeSpotify) -> None:
    with pytest.raises(ValueError):
        get_spotify_client().search_top("x", ("podcast",))


@pytest.mark.parametrize(
    ("value", "found"),
    [
        (f"https://open.spotify.com/intl-ja/album/{TRACK}?si=xyz", ("album", TRACK)),
        (f"open.spotify.com/artist/{TRACK}", ("artist", TRACK)),
        (f"https://open.spotify.com/user/someone/playlist/{TRACK}", ("playlist", TRACK)),
        (f"spotify:track:{TRACK}", ("track", TRACK)),
        (f"spotify:episode:{TRACK}", ("episode", TRACK)),
        (TRACK, None),  # a bare id does not say its kind
        ("spotify songs about links", None),
        ("https://example.com/track/" + TRACK, None),
    ],
)
def test_spotify_link_reads_the_kind_and_id(value: str, found: tuple[str, str] | None) -> None:
    assert spotify_link(value) == found


@pytest.mark.parametrize(
    ("value", "expected"),
    [(TRACK, True), (f" {IDS.artist} ", True), ("Donaudampfschifffahrt", False), ("", False)],
)
def test_a_bare_id_is_a_22_character_base62_token(value: str, expected: bool) -> None:
    assert looks_like_spotify_id(value) is expected
