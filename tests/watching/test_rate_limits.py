"""A Spotify 429 pauses every watch check until Retry-After has passed; the check resumes in place."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from downloads.models import DownloadTask
from spotizerr.integrations.spotify import spotify_cache_clear
from tests.fakes.spotify_api import IDS
from tests.watching.conftest import downloads_of
from watching.models import WatchTarget
from watching.services import watch_artist_add, watch_lanes_start, watch_playlist_add

pytestmark = pytest.mark.django_db

BIG = IDS.big_playlist


def _fail_nth(spotify, monkeypatch, path: str, *, nth: int, retry_after: float) -> None:
    """The ``nth`` request for ``path`` (counting from 1) answers 429 with Retry-After."""
    take = spotify._take_fault
    seen = 0

    def counting(request_path: str) -> object:  # the fake's fault or None
        nonlocal seen
        if request_path == path:
            seen += 1
            if seen == nth:
                spotify.fail_next(429, retry_after=retry_after, path_prefix=path)
        return take(request_path)

    monkeypatch.setattr(spotify, "_take_fault", counting)


@pytest.fixture
def changed_big_playlist(spotify, alice):
    """GIVEN alice watches the 120-entry playlist and a track was appended to it since."""
    watch_playlist_add(user=alice, playlist_id=BIG)
    track = spotify.catalog.albums[IDS.big_album].track_ids[0]
    spotify.catalog.playlist_add(BIG, [track])
    spotify.clear_requests()
    return track


def test_a_rate_limit_mid_check_keeps_the_place_and_moves_the_next_check(
    changed_big_playlist, spotify, check, monkeypatch, later
) -> None:
    _fail_nth(spotify, monkeypatch, f"/v1/playlists/{BIG}/items", nth=2, retry_after=30)
    at = later()

    result = check(BIG, at=at)

    target = WatchTarget.objects.get()
    assert result == "Paused by a Spotify rate limit; continues in 30 s"
    assert (target.cursor["offset"], len(target.cursor["rows"])) == (50, 48)  # a local file and a gap skipped
    assert target.next_check_at == at + timedelta(seconds=30)
    assert DownloadTask.objects.count() == 0


def test_the_next_check_resumes_at_the_page_that_was_refused(
    changed_big_playlist, spotify, alice, check, monkeypatch
) -> None:
    _fail_nth(spotify, monkeypatch, f"/v1/playlists/{BIG}/items", nth=2, retry_after=1)
    check(BIG)
    time.sleep(1.05)  # the shared back-off lasts Retry-After seconds
    spotify.clear_requests()

    check(BIG)

    offsets = [request.query["offset"] for request in spotify.requests if request.path.endswith("/items")]
    assert offsets == ["50", "100"]
    assert downloads_of(alice) == [changed_big_playlist]
    assert WatchTarget.objects.get().cursor == {}


def test_a_rate_limit_pauses_every_other_watch_check(spotify, alice, inline_queue, later) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    watch_playlist_add(user=alice, playlist_id=BIG)
    spotify.fail_next(429, retry_after=30)
    at = later(hours=2)

    started = watch_lanes_start(now=at)

    assert started == 1  # only one lane: after the 429 it stopped instead of checking the other
    checked = WatchTarget.objects.filter(check_count__gt=0).count()
    paused = WatchTarget.objects.filter(next_check_at=at + timedelta(seconds=30)).count()
    assert (checked, paused) == (0, 1)
    assert watch_lanes_start(now=at + timedelta(seconds=1)) == 0


def test_a_spent_daily_quota_moves_the_next_check_past_the_renewal_and_says_so(
    spotify, alice, check, later
) -> None:
    watch_artist_add(user=alice, artist_id=IDS.artist)
    spotify_cache_clear()
    spotify.exhaust_quota()
    at = later()

    result = check(IDS.artist, kind="artist", at=at)

    target = WatchTarget.objects.get()
    assert "daily request quota" in result and target.last_error == result
    assert target.next_check_at >= at + timedelta(minutes=1)  # not the short back-off of a rate limit
    assert "Paused by a Spotify rate limit" not in result
