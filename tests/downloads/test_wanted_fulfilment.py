"""The wanted list and its fulfilment: tracks no source had are listed, and when their files arrive
in the inbox the scan imports them through the pipeline, completing the task, its history and its
playlist M3U. Real files (ffmpeg), the real pipeline, the worker's own scan loop."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from downloads.fulfilment import LANDED_NOTE, inbox_scan
from downloads.models import TaskEvent, TaskStatus, TrackJob, TrackStatus, WantedTrack
from library_history.models import HistoryEntry
from spotizerr.runtime import upkeep
from tests.downloads.queueing import download
from tests.downloads.workers import Background
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def wanted_of(client) -> list[dict]:
    response = client.get("/api/library/wanted?limit=100")
    assert response.status_code == 200, response.json()
    return response.json()["items"]


def m3u_paths(root: Path, name: str = "Fixture Mix") -> list[str]:
    return (root / "playlists" / f"{name}.m3u").read_text(encoding="utf-8").splitlines()[2::2]


@pytest.fixture
def inbox_only(configure) -> None:
    configure(sourceOrder=["inbox"], inboxScanSeconds=1)


@pytest.mark.usefixtures("inbox_only")
def test_a_half_owned_album_downloads_the_present_half_and_lists_the_rest_as_wanted(
    alice_client, album_in_inbox, library_root
) -> None:
    album_in_inbox(IDS.two_disc_album, skip=(2, 4, 6, 8))

    task = download(alice_client, "album", IDS.two_disc_album)

    assert task.status == TaskStatus.COMPLETE
    assert (task.summary["total_successful"], task.summary["total_failed"]) == (4, 4)
    assert HistoryEntry.objects.get(task_id=task.pk).status == "partial"
    wanted = wanted_of(alice_client)
    assert sorted(item["name"] for item in wanted) == [f"Two Sides {n}" for n in (2, 4, 6, 8)]
    first = wanted[0]
    assert first["context"] == {"type": "album", "id": IDS.two_disc_album, "name": "Two Sides"}
    assert first["album"] == "Two Sides" and first["artists"] == ["The Test Pattern"]
    assert first["isrc"] and first["duration_ms"] > 0 and first["requested_by"] == "alice"
    assert first["task_id"] == str(task.pk)


@pytest.mark.usefixtures("inbox_only")
def test_dropping_the_missing_files_completes_the_album_within_one_scan_period_unasked(
    alice_client, album_in_inbox, library_root
) -> None:
    """GIVEN a half-owned album downloaded (partial) and the worker's scan loop running every second
    WHEN the missing files are dropped into the inbox
    THEN without any request the album completes: files placed and tagged, history completed."""
    album_in_inbox(IDS.two_disc_album, skip=(2, 4, 6, 8))
    task = download(alice_client, "album", IDS.two_disc_album)
    stop = threading.Event()
    scanner = Background(upkeep.inbox_scan_forever, stop=stop)
    scanner.start()
    try:
        time.sleep(1.5)  # let the loop scan once with nothing new
        album_in_inbox(IDS.two_disc_album, skip=(1, 3, 5, 7))
        dropped = time.monotonic()
        entry = HistoryEntry.objects.get(task_id=task.pk)
        while entry.status != "completed" and time.monotonic() - dropped < 30:
            time.sleep(0.2)
            entry.refresh_from_db()
        took = time.monotonic() - dropped
    finally:
        stop.set()
        scanner.join(10)

    assert entry.status == "completed" and (entry.successful_tracks, entry.failed_tracks) == (8, 0), took
    assert took < 15  # one 1 s period plus the imports themselves, on a busy machine
    assert set(entry.tracks.values_list("status", flat=True)) == {"completed"}
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETE and task.summary["total_successful"] == 8
    folder = library_root / "The Test Pattern" / "Two Sides"
    assert len(list(folder.glob("*.mp3"))) == 8
    assert WantedTrack.objects.count() == 0
    fulfilled = TaskEvent.objects.filter(task=task, payload__status_info__fulfilled=True)
    assert fulfilled.count() == 4
    assert not TrackJob.objects.filter(task=task).exclude(lease_owner="").exists()


@pytest.mark.usefixtures("engine", "inbox_only", "spotify_owner_linked")
def test_a_wanted_check_fills_the_playlist_m3u_in_order(alice_client, album_in_inbox, library_root) -> None:
    album_in_inbox(IDS.small_album, skip=(2,))
    task = download(alice_client, "playlist", IDS.small_playlist)
    assert len(m3u_paths(library_root)) == 2 and len(wanted_of(alice_client)) == 3

    album_in_inbox(IDS.small_album, skip=(1, 3))
    album_in_inbox(IDS.two_disc_album)
    response = alice_client.post("/api/library/wanted/check")

    assert response.status_code == 202 and response.json() == {"queued": True}
    assert m3u_paths(library_root) == [
        "../The Test Pattern/Sine Waves/01. Four Forty.mp3",
        "../The Test Pattern/Sine Waves/02. Eight Eighty.mp3",
        "../The Test Pattern/Sine Waves/03. Either_Or_ Live_.mp3",
        "../The Test Pattern/Two Sides/01. Two Sides 1.mp3",
        "../The Test Pattern/Two Sides/02. Two Sides 2.mp3",
    ]
    assert HistoryEntry.objects.get(task_id=task.pk).status == "completed"
    assert wanted_of(alice_client) == []


@pytest.mark.usefixtures("inbox_only")
def test_a_track_that_lands_through_another_task_leaves_the_wanted_list(alice_client, inbox_file) -> None:
    first = download(alice_client, "album", IDS.small_album)
    assert len(wanted_of(alice_client)) == 3 and first.status == TaskStatus.ERROR

    inbox_file(IDS.track)
    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.COMPLETE
    assert IDS.track not in [item["track_id"] for item in wanted_of(alice_client)]
    first.refresh_from_db()  # the album that wanted it has the track now
    assert (first.status, first.summary["total_successful"]) == (TaskStatus.COMPLETE, 1)
    row = HistoryEntry.objects.get(task_id=first.pk).tracks.get(position=1)
    assert (row.status, row.reason) == ("completed", LANDED_NOTE)


@pytest.mark.usefixtures("inbox_only")
def test_a_single_track_in_error_turns_complete_when_fulfilled(alice_client, inbox_file) -> None:
    task = download(alice_client, "track", IDS.track)
    assert task.status == TaskStatus.ERROR and wanted_of(alice_client)[0]["context"]["type"] == "track"

    inbox_file(IDS.track)
    result = inbox_scan()

    task.refresh_from_db()
    assert (result.fulfilled, task.status, task.error_message) == (1, TaskStatus.COMPLETE, "")
    assert HistoryEntry.objects.get(task_id=task.pk).status == "completed"
    assert TrackJob.objects.get(task=task).status == TrackStatus.DONE


@pytest.mark.usefixtures("inbox_only")
def test_tracks_queued_by_a_watch_are_wanted_in_the_watch_context(alice) -> None:
    from downloads.services import download_request

    task = download_request(
        user=alice,
        download_type="album",
        item_id=IDS.small_album,
        context={"watch_id": IDS.artist, "watch_name": "The Test Pattern"},
    )

    task.refresh_from_db()
    contexts = set(WantedTrack.objects.filter(owner=alice).values_list("context_type", "context_name"))
    assert task.status == TaskStatus.ERROR and contexts == {("watch", "The Test Pattern")}


@pytest.mark.usefixtures("inbox_only")
def test_a_scan_with_nothing_new_imports_nothing_and_keeps_the_list(alice_client) -> None:
    download(alice_client, "track", IDS.track)

    assert (inbox_scan().fulfilled, len(wanted_of(alice_client))) == (0, 1)


class _Killed(BaseException):
    """Stands for SIGKILL at one point of a scan: nothing in the scan catches it."""


@pytest.mark.usefixtures("inbox_only")
def test_a_scan_killed_after_marking_a_track_done_is_finished_by_the_next_one(
    alice_client, album_in_inbox, monkeypatch
) -> None:
    """GIVEN a partial album whose missing file arrived, and a scan killed right after it turned the
    track done (before the task, its history and M3U followed: the fault test saw it under load)
    WHEN the next scan runs
    THEN the task and its history complete and the wanted entry goes."""
    from django.utils import timezone

    from downloads import fulfilment

    album_in_inbox(IDS.two_disc_album, skip=(2,))
    task = download(alice_client, "album", IDS.two_disc_album)
    assert HistoryEntry.objects.get(task_id=task.pk).status == "partial"
    album_in_inbox(IDS.two_disc_album, skip=(1, 3, 4, 5, 6, 7, 8))

    def killed(*args, **kwargs) -> None:
        raise _Killed

    monkeypatch.setattr(fulfilment, "task_after_change", killed)
    monkeypatch.setattr(
        fulfilment, "fulfil_release", lambda job, holder: None
    )  # a dead scan releases nothing
    with pytest.raises(_Killed):
        inbox_scan()
    monkeypatch.undo()
    job = TrackJob.objects.get(task=task, position=2)
    assert job.status == TrackStatus.DONE and job.lease_owner  # done, still claimed by the dead scan
    TrackJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timezone.timedelta(hours=1))
    assert HistoryEntry.objects.get(task_id=task.pk).status == "partial"

    assert WantedTrack.objects.filter(task_id=task.pk, position=2).exists()  # left for the next scan

    inbox_scan()

    entry = HistoryEntry.objects.get(task_id=task.pk)
    assert entry.status == "completed" and (entry.successful_tracks, entry.failed_tracks) == (8, 0)
    assert set(entry.tracks.values_list("status", flat=True)) == {"completed"}
    task.refresh_from_db()
    assert task.summary["total_successful"] == 8 and task.summary["total_failed"] == 0
    assert WantedTrack.objects.count() == 0
