"""Checking a watched playlist against the fake Spotify API: what is queued, removed, moved, and read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from downloads.models import DownloadTask
from tests.fakes.spotify_api import IDS
from tests.watching.conftest import downloads_of
from watching.models import ItemStatus, WatchItem, WatchItemState, WatchTarget
from watching.services import watch_playlist_add

pytestmark = pytest.mark.django_db

PLAYLIST = IDS.small_playlist


def _tracks(spotify, album: str = IDS.big_album, count: int = 3) -> list[str]:
    return spotify.catalog.albums[album].track_ids[:count]


def _playlist_order(spotify) -> list[str]:
    return [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]


def _current(playlist_id: str = PLAYLIST) -> list[str]:
    return list(
        WatchItem.objects.filter(target__spotify_id=playlist_id, removed_at__isnull=True)
        .order_by("position")
        .values_list("spotify_id", flat=True)
    )


def test_adding_a_playlist_marks_its_current_tracks_known_without_queueing(spotify, alice) -> None:
    watch, created = watch_playlist_add(user=alice, playlist_id=PLAYLIST)

    assert created
    assert _current() == _playlist_order(spotify)
    assert set(watch.states.values_list("status", flat=True)) == {ItemStatus.KNOWN}
    assert DownloadTask.objects.count() == 0


def test_download_existing_queues_every_current_track_at_the_first_check(spotify, alice, check) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST, download_existing=True)

    check(PLAYLIST)

    assert downloads_of(alice) == _playlist_order(spotify)


def test_an_unchanged_snapshot_costs_one_small_api_call_and_nothing_else(spotify, alice, check) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    spotify.clear_requests()

    result = check(PLAYLIST)

    assert [(request.path, request.query) for request in spotify.requests] == [
        (f"/v1/playlists/{PLAYLIST}", {"fields": "snapshot_id"})
    ]
    assert result.startswith("unchanged")
    assert DownloadTask.objects.count() == 0


def test_tracks_added_between_checks_are_queued_with_their_playlist_context(spotify, alice, check) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    new = _tracks(spotify, count=2)
    spotify.catalog.playlist_add(PLAYLIST, new, position=1)

    check(PLAYLIST)

    tasks = DownloadTask.objects.filter(owner=alice).order_by("created_at")
    assert [task.item_id for task in tasks] == new
    assert [task.context for task in tasks] == [
        {
            "playlist_id": PLAYLIST,
            "playlist_name": "Fixture Mix",
            "playlist_position": 2,
            "playlist_total": 7,
            "watch_id": PLAYLIST,
            "watch_name": "Fixture Mix",
        },
        {
            "playlist_id": PLAYLIST,
            "playlist_name": "Fixture Mix",
            "playlist_position": 3,
            "playlist_total": 7,
            "watch_id": PLAYLIST,
            "watch_name": "Fixture Mix",
        },
    ]


def test_removed_tracks_are_marked_removed_with_the_time_of_the_check(spotify, alice, check, later) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    gone = _playlist_order(spotify)[2]
    spotify.catalog.playlist_remove(PLAYLIST, gone)
    at = later(minutes=5)

    check(PLAYLIST, at=at)

    item = WatchItem.objects.get(spotify_id=gone)
    assert (item.removed_at, item.position) == (at, None)
    assert gone not in _current()
    assert DownloadTask.objects.count() == 0


def test_a_removed_track_that_comes_back_is_not_downloaded_again(spotify, alice, check) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    track = _playlist_order(spotify)[0]
    spotify.catalog.playlist_remove(PLAYLIST, track)
    check(PLAYLIST)
    spotify.catalog.playlist_add(PLAYLIST, [track])

    result = check(PLAYLIST)

    assert _current()[-1] == track
    assert WatchItem.objects.get(spotify_id=track).removed_at is None
    assert DownloadTask.objects.count() == 0
    assert result.startswith("1 added, 0 removed")


def test_moved_tracks_take_their_new_positions(spotify, alice, check) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    spotify.catalog.playlist_move(PLAYLIST, 4, 0)

    result = check(PLAYLIST)

    assert _current() == _playlist_order(spotify)
    assert result.startswith("0 added, 0 removed, 1 moved")
    assert DownloadTask.objects.count() == 0


def test_a_changed_playlist_is_read_in_full_in_one_check(spotify, alice, check) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.big_playlist)
    spotify.catalog.playlist_add(IDS.big_playlist, _tracks(spotify, count=1))
    spotify.clear_requests()

    check(IDS.big_playlist)

    offsets = [request.query.get("offset") for request in spotify.requests if request.path.endswith("/items")]
    assert offsets == ["0", "50", "100"]
    assert len(_current(IDS.big_playlist)) == 118  # 121 entries minus a local file, a gap and an episode
    assert downloads_of(alice) == _tracks(spotify, count=1)


def test_with_snapshot_checking_off_every_check_reads_every_page(spotify, alice, check, watch_config) -> None:
    watch_config(useSnapshotIdChecking=False)
    watch_playlist_add(user=alice, playlist_id=IDS.big_playlist)
    spotify.clear_requests()

    result = check(IDS.big_playlist)

    assert sum(request.path.endswith("/items") for request in spotify.requests) == 3
    assert result.startswith("0 added, 0 removed, 0 moved")


def test_watch_new_additions_off_queues_nothing_and_marks_new_tracks_known(spotify, alice, check) -> None:
    watch, _ = watch_playlist_add(user=alice, playlist_id=PLAYLIST, watch_new_additions=False)
    new = _tracks(spotify, count=1)
    spotify.catalog.playlist_add(PLAYLIST, new)

    check(PLAYLIST)

    assert DownloadTask.objects.count() == 0
    assert watch.states.get(item_id=new[0]).status == ItemStatus.KNOWN
    assert _current()[-1] == new[0]


def test_two_users_watching_one_playlist_cost_one_check_and_both_get_new_tracks(
    spotify, alice, bob, check
) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    watch_playlist_add(user=bob, playlist_id=PLAYLIST)
    new = _tracks(spotify, count=1)
    spotify.catalog.playlist_add(PLAYLIST, new)
    spotify.clear_requests()

    check(PLAYLIST)

    assert WatchTarget.objects.count() == 1
    assert sum(request.path.startswith(f"/v1/playlists/{PLAYLIST}") for request in spotify.requests) == 3
    assert (downloads_of(alice), downloads_of(bob)) == (new, new)


def test_a_track_the_user_already_has_queued_counts_as_queued(spotify, alice, check) -> None:
    from downloads.services import download_request

    watch, _ = watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    new = _tracks(spotify, count=1)
    existing = download_request(user=alice, download_type="track", item_id=new[0])
    spotify.catalog.playlist_add(PLAYLIST, new)

    check(PLAYLIST)

    assert DownloadTask.objects.filter(owner=alice).count() == 1
    state = watch.states.get(item_id=new[0])
    assert (state.status, state.task_id) == (ItemStatus.QUEUED, existing.pk)


def test_a_deleted_playlist_is_reported_on_the_watch_and_checked_again_later(
    spotify, alice, check, later
) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    spotify.catalog.remove("playlist", PLAYLIST)
    at = later(seconds=10)

    check(PLAYLIST, at=at)

    target = WatchTarget.objects.get()
    assert target.last_error == "Spotify no longer knows this playlist."
    assert target.next_check_at == at + timedelta(hours=1)  # rescheduled (check_interval), not dropped
    assert WatchItemState.objects.filter(status=ItemStatus.KNOWN).count() == 5


def test_a_track_cancelled_before_it_started_and_deleted_from_the_queue_counts_as_cancelled(
    spotify, alice, check
) -> None:
    """Its history entry says ``cancelled``: the watch must not take it for downloaded."""
    from downloads.cancelling import task_cancel
    from downloads.requeue import task_delete

    watch, _ = watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    new = _tracks(spotify, count=1)
    spotify.catalog.playlist_add(PLAYLIST, new)
    check(PLAYLIST)
    task = DownloadTask.objects.get(owner=alice, item_id=new[0])
    task_cancel(user=alice, task_id=task.pk)
    task_delete(user=alice, task_id=task.pk)

    check(PLAYLIST)

    assert watch.states.get(item_id=new[0]).status == ItemStatus.CANCELLED
