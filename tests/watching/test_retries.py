"""Downloads that failed are tried again after ``retry_failed_after``; the last error shows on the watch."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from downloads.models import DownloadTask, TaskStatus
from tests.fakes.spotify_api import IDS
from tests.watching.conftest import downloads_of
from watching import selectors
from watching.models import ItemStatus
from watching.services import watch_playlist_add

pytestmark = pytest.mark.django_db

PLAYLIST = IDS.small_playlist


def _fail(task: DownloadTask, message: str, at: datetime | None = None) -> None:
    """End a queued task in error (at ``at``) the way a worker does, through its allowed transitions."""
    assert task.move_to(TaskStatus.INITIALIZING)
    assert task.move_to(TaskStatus.ERROR, error_message=message, finished_at=at or timezone.now())


@pytest.fixture
def failed_track(spotify, alice, check, later):
    """GIVEN alice watches the playlist, a new track was queued at a check and its download failed."""
    watch, _ = watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    track = spotify.catalog.albums[IDS.big_album].track_ids[0]
    spotify.catalog.playlist_add(PLAYLIST, [track])
    check(PLAYLIST)
    _fail(DownloadTask.objects.get(item_id=track), "No source has this track.")
    return watch, track


def test_a_failed_download_is_not_retried_before_retry_failed_after(
    failed_track, alice, check, later
) -> None:
    watch, track = failed_track

    check(PLAYLIST, at=later(minutes=29))

    assert downloads_of(alice) == [track]
    assert watch.states.get(item_id=track).status == ItemStatus.FAILED


def test_a_failed_download_is_queued_again_at_the_first_check_after_retry_failed_after(
    failed_track, alice, check, later
) -> None:
    watch, track = failed_track

    result = check(PLAYLIST, at=later(minutes=31))

    assert downloads_of(alice) == [track, track]
    state = watch.states.get(item_id=track)
    assert (state.status, state.attempts) == (ItemStatus.QUEUED, 2)
    assert "(1 retried)" in result


def test_the_retry_wait_follows_the_watch_configuration(
    failed_track, alice, check, later, watch_config
) -> None:
    watch_config(retry_failed_after=60)

    check(PLAYLIST, at=later(minutes=2))

    assert len(downloads_of(alice)) == 2


def test_a_track_that_keeps_failing_shows_its_last_error_on_the_watch(failed_track, check, later) -> None:
    watch, track = failed_track
    check(PLAYLIST, at=later(minutes=31))
    _fail(
        DownloadTask.objects.get(item_id=track, status=TaskStatus.QUEUED),
        "Every source refused it.",
        at=later(minutes=31, seconds=30),
    )

    check(PLAYLIST, at=later(minutes=32))

    detail = selectors.watch_details([watch], now=timezone.now())[0]
    assert detail["last_error"] == "The Long Player 1: Every source refused it. (2 attempts)"
    assert detail["counts"]["failed"] == 1


def test_a_cancelled_download_is_not_retried(spotify, alice, check, later) -> None:
    watch, _ = watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    track = spotify.catalog.albums[IDS.big_album].track_ids[0]
    spotify.catalog.playlist_add(PLAYLIST, [track])
    check(PLAYLIST)
    DownloadTask.objects.get(item_id=track).move_to(TaskStatus.CANCELLED)

    check(PLAYLIST, at=later(hours=2))

    assert downloads_of(alice) == [track]
    assert watch.states.get(item_id=track).status == ItemStatus.CANCELLED


def test_a_finished_download_marks_the_track_downloaded(spotify, alice, check) -> None:
    watch, _ = watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    track = spotify.catalog.albums[IDS.big_album].track_ids[0]
    spotify.catalog.playlist_add(PLAYLIST, [track])
    check(PLAYLIST)
    task = DownloadTask.objects.get(item_id=track)
    assert task.move_to(TaskStatus.INITIALIZING) and task.move_to(TaskStatus.COMPLETE)

    check(PLAYLIST)

    assert watch.states.get(item_id=track).status == ItemStatus.DOWNLOADED
