"""parse_spotify_id: bare ids, open.spotify.com links and spotify: URIs; everything else is a 400."""

from __future__ import annotations

import pytest

from spotizerr.errors import BadRequest
from spotizerr.integrations.spotify import parse_spotify_id

TRACK = "4iV5W9uYEdYUVa79Axb7Rh"


@pytest.mark.parametrize(
    "value",
    [
        TRACK,
        f"  {TRACK}\n",
        f"https://open.spotify.com/track/{TRACK}",
        f"https://open.spotify.com/track/{TRACK}?si=abc123&context=spotify%3Aalbum",
        f"https://open.spotify.com/intl-de/track/{TRACK}",
        f"https://open.spotify.com/embed/track/{TRACK}",
        f"open.spotify.com/track/{TRACK}",
        f"http://play.spotify.com/track/{TRACK}/",
        f"spotify:track:{TRACK}",
    ],
)
def test_it_accepts_ids_links_and_uris(value: str) -> None:
    assert parse_spotify_id(value, "track") == TRACK


def test_it_accepts_legacy_user_playlist_links_and_uris() -> None:
    playlist = "37i9dQZF1DXcBWIGoYBM5M"
    assert (
        parse_spotify_id(f"https://open.spotify.com/user/spotify/playlist/{playlist}", "playlist") == playlist
    )
    assert parse_spotify_id(f"spotify:user:spotify:playlist:{playlist}", "playlist") == playlist


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        TRACK + "x",
        "not an id at all!!!!!!",
        f"https://example.com/track/{TRACK}",
        f"https://open.spotify.com/track/{TRACK[:-1]}",
        "spotify:track:",
        f"spotify:banana:{TRACK}",
        f"https://open.spotify.com.evil.test/track/{TRACK}",
    ],
)
def test_it_rejects_anything_else_as_a_bad_request(value: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_spotify_id(value, "track")
    assert caught.value.error_code == "invalid_spotify_id"


def test_it_rejects_a_link_to_another_kind_naming_both() -> None:
    with pytest.raises(BadRequest) as caught:
        parse_spotify_id(f"https://open.spotify.com/album/{TRACK}", "track")
    assert caught.value.details == {
        "id": f"https://open.spotify.com/album/{TRACK}",
        "expected": "track",
        "found": "album",
    }
