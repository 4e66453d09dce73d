"""Checks ("Check now" and the scheduled ones) read what decides "new" from Spotify, not from the
catalog's response cache (``SPOTIFY_CACHE_SECONDS``): the real Spotify tells nobody when an artist or
a playlist changes, so ``spotify_uncleared`` keeps the cache across the fake's changes."""

from __future__ import annotations

import pytest

from spotizerr.integrations.spotify import RELEASE_GROUPS, get_spotify_client
from tests.fakes.spotify_api import IDS
from tests.watching.conftest import downloads_of, run_queued_watch_tasks
from watching.models import WatchKind, WatchTarget
from watching.services import watch_playlist_add
from watching.services.common import PAGE_SIZE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


def test_check_now_finds_a_release_out_since_the_artist_was_read_into_the_cache(
    spotify_uncleared, spotify, alice, alice_client, django_capture_on_commit_callbacks
) -> None:
    """GIVEN a watched artist whose releases were just read (and so cached), as a check reads them
    WHEN a single comes out and the user presses "Check now"
    THEN the check finds it and queues its download."""
    assert alice_client.put(f"/api/artist/watch/{IDS.artist}").status_code == 201
    get_spotify_client().artist_releases_page(
        IDS.artist, include_groups=list(RELEASE_GROUPS), limit=PAGE_SIZE, offset=0
    )
    single = spotify.catalog.artist_add_release(IDS.artist, "Just Out", album_group="single", tracks=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post(f"/api/artist/watch/trigger_check/{IDS.artist}").status_code == 200
    run_queued_watch_tasks()

    assert downloads_of(alice, "album") == [single]


def test_a_check_reads_the_new_name_of_a_renamed_playlist(spotify_uncleared, spotify, alice, check) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    get_spotify_client().playlist(IDS.small_playlist)  # the catalog page's read, cached
    spotify.catalog.playlist_rename(IDS.small_playlist, "Renamed Mix")

    check(IDS.small_playlist)

    target = WatchTarget.objects.get(kind=WatchKind.PLAYLIST, spotify_id=IDS.small_playlist)
    assert target.name == "Renamed Mix"


def test_an_unchanged_playlist_still_costs_one_call_after_a_fresh_read(
    spotify_uncleared, spotify, alice, check
) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    spotify.clear_requests()

    check(IDS.small_playlist)

    assert [request.query for request in spotify.requests] == [{"fields": "snapshot_id"}]
