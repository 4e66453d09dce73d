"""The linked user's own Spotify library: their playlists with owned/collaborative/watched flags, and
watching every artist they follow."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import User
from tests.fakes.spotify_api import IDS, FakeSpotify
from watching.models import Watch, WatchKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on", "queued_only", "library_root")]


def test_my_playlists_carry_owned_collaborative_and_watched_flags(
    alice: User, alice_client, spotify_api: FakeSpotify, spotify_link: Callable
) -> None:
    from watching.services import watch_playlist_add

    shared = spotify_api.catalog.add_playlist(
        "Shared", track_ids=[IDS.track], owner_id="someone", collaborators=["fixture-user"]
    )
    spotify_link(alice)
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    answer = alice_client.get("/api/spotify/me/playlists")
    assert answer.status_code == 200, answer.content
    items = {item["id"]: item for item in answer.json()["items"]}
    assert items[IDS.small_playlist] == {
        **items[IDS.small_playlist],
        "name": "Fixture Mix",
        "owned": True,
        "collaborative": False,
        "is_watched": True,
        "total_tracks": 5,
    }
    assert items[shared]["owned"] is False and items[shared]["collaborative"] is True
    assert items[shared]["is_watched"] is False


def test_watching_followed_artists_adds_the_new_ones_and_reports_the_rest(
    alice: User, alice_client, spotify_api: FakeSpotify, spotify_link: Callable
) -> None:
    from watching.services import watch_artist_add

    spotify_api.accounts.add_user("fan", "Fan", followed=[IDS.artist, IDS.featured_artist])
    spotify_link(alice, "fan")
    watch_artist_add(user=alice, artist_id=IDS.artist)
    answer = alice_client.post("/api/artist/watch/followed")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [a["id"] for a in body["added"]] == [IDS.featured_artist]
    assert body["already_watched"] == [{"id": IDS.artist, "name": "The Test Pattern"}]
    watched = set(
        Watch.objects.filter(user=alice, target__kind=WatchKind.ARTIST).values_list(
            "target__spotify_id", flat=True
        )
    )
    assert watched == {IDS.artist, IDS.featured_artist}
