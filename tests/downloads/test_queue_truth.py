"""Issue 17 and 16: task documents say what really happened (summary.status in the history's words),
failed tracks are retried in place, and finished tasks are cleared. The real pipeline, run inline."""

from __future__ import annotations

import pytest

from downloads.cancelling import task_cancel
from downloads.models import DownloadTask, TaskStatus, TrackJob, TrackStatus
from library_history.models import HistoryEntry
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def download(client, kind: str, item_id: str) -> DownloadTask:
    response = client.get(f"/api/{kind}/download/{item_id}")
    assert response.status_code == 202, response.json()
    return DownloadTask.objects.get(pk=response.json()["task_id"])


def documents(client, task: DownloadTask) -> list[dict]:
    """The task's document from each of the three reads of the API."""
    single = client.get(f"/api/prgs/{task.pk}").json()
    listed = next(
        doc for doc in client.get("/api/prgs/list").json()["tasks"] if doc["task_id"] == str(task.pk)
    )
    updated = next(
        doc for doc in client.get("/api/prgs/updates").json()["tasks"] if doc["task_id"] == str(task.pk)
    )
    return [single, listed, updated]


def test_an_album_with_a_failed_track_says_partial_everywhere(alice_client, album_in_inbox) -> None:
    album_in_inbox(IDS.small_album, skip=(3,))

    task = download(alice_client, "album", IDS.small_album)

    assert task.status == TaskStatus.COMPLETE  # the task's own lifecycle word is unchanged
    for doc in documents(alice_client, task):
        summary = doc["summary"]
        assert (summary["status"], summary["completed"], summary["failed"]) == ("partial", 2, 1)
        assert (summary["skipped"], summary["previews"], summary["total_tracks"]) == (0, 0, 3)
        assert summary["total_successful"] == 2  # the older keys stay
    assert HistoryEntry.objects.get(task_id=task.pk).status == "partial"


def test_a_queued_task_has_a_summary_in_progress(alice_client, album_in_inbox, monkeypatch) -> None:
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    task = download(alice_client, "album", IDS.small_album)

    summary = alice_client.get(f"/api/prgs/{task.pk}").json()["summary"]

    assert summary["status"] == "in_progress"
    assert (summary["completed"], summary["failed"], summary["total_tracks"]) == (0, 0, 0)


@pytest.mark.spotify_extended_quota  # only apps with the old extended quota still get preview_url
def test_a_preview_only_track_counts_its_preview(alice_client) -> None:
    task = download(alice_client, "track", IDS.track)

    summary = alice_client.get("/api/prgs/list").json()["tasks"][0]["summary"]

    assert (summary["status"], summary["completed"], summary["previews"]) == ("complete", 1, 1)
    assert task.pk and HistoryEntry.objects.get(task_id=task.pk).is_preview


def test_a_track_no_source_has_is_failed_and_an_existing_one_skipped(alice_client, album_in_inbox) -> None:
    failed = download(alice_client, "track", IDS.track_no_preview)
    assert alice_client.get(f"/api/prgs/{failed.pk}").json()["summary"]["status"] == "failed"

    album_in_inbox(IDS.small_album)
    download(alice_client, "album", IDS.small_album)
    skipped = download(alice_client, "track", IDS.track)

    assert alice_client.get(f"/api/prgs/{skipped.pk}").json()["summary"]["status"] == "skipped"
    # the album brought the track the first task wanted: that task is fulfilled (issue 16)
    assert alice_client.get(f"/api/prgs/{failed.pk}").json()["summary"]["status"] == "complete"


def test_a_cancelled_album_keeps_its_real_fraction_and_is_partial(alice, alice_client) -> None:
    """GIVEN an album of 4 tracks, the first done WHEN it is cancelled THEN progress stays at 25 %
    (not 100) and the summary says partial, 1 completed, 3 cancelled."""
    task = DownloadTask.objects.create(
        owner=alice,
        download_type="album",
        item_id=IDS.big_album,
        status=TaskStatus.DOWNLOADING,
        total_tracks=4,
    )
    TrackJob.objects.create(task=task, position=1, name="One", status=TrackStatus.DONE)
    for position in (2, 3, 4):
        TrackJob.objects.create(task=task, position=position, name=f"T{position}")

    task_cancel(user=alice, task_id=task.pk)

    doc = alice_client.get(f"/api/prgs/{task.pk}").json()
    assert (doc["status"], doc["progress"]) == ("cancelled", 25)
    assert (doc["summary"]["status"], doc["summary"]["completed"], doc["summary"]["cancelled"]) == (
        "partial",
        1,
        3,
    )


# ---------------------------------------------------------------------------------------------- retry
def test_retry_downloads_only_the_failed_tracks_and_history_follows(
    alice_client, album_in_inbox, inbox_file, spotify_api
) -> None:
    """GIVEN an album whose third track no source had WHEN its file arrives and the task is retried
    THEN only that track is downloaded, in the same task, and the history entry turns completed."""
    album_in_inbox(IDS.small_album, skip=(3,))
    task = download(alice_client, "album", IDS.small_album)
    done_before = list(
        TrackJob.objects.filter(task=task, status=TrackStatus.DONE).values_list("pk", "finished_at")
    )
    inbox_file(spotify_api.catalog.albums[IDS.small_album].track_ids[2])

    response = alice_client.post(f"/api/prgs/retry/{task.pk}")

    assert response.status_code == 200, response.json()
    assert response.json() == {"task_id": str(task.pk), "retried": 1}
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.COMPLETE, 100)
    assert alice_client.get(f"/api/prgs/{task.pk}").json()["summary"]["status"] == "complete"
    assert (
        list(
            TrackJob.objects.filter(task=task, pk__in=[pk for pk, _ in done_before]).values_list(
                "pk", "finished_at"
            )
        )
        == done_before
    )  # the tracks already downloaded were not touched
    entry = HistoryEntry.objects.get(task_id=task.pk)
    assert (entry.status, entry.successful_tracks, entry.failed_tracks) == ("completed", 3, 0)
    assert entry.tracks.get(position=3).status == "completed"
    assert DownloadTask.objects.count() == 1


def test_retrying_twice_is_harmless(alice_client, album_in_inbox) -> None:
    album_in_inbox(IDS.small_album, skip=(3,))
    task = download(alice_client, "album", IDS.small_album)

    first = alice_client.post(f"/api/prgs/retry/{task.pk}").json()
    second = alice_client.post(f"/api/prgs/retry/{task.pk}").json()

    assert (first["retried"], second["retried"]) == (1, 1)  # still missing: it failed again
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETE
    assert TrackJob.objects.filter(task=task).count() == 3
    entry = HistoryEntry.objects.get(task_id=task.pk)
    assert (entry.status, entry.failed_tracks, entry.tracks.count()) == ("partial", 1, 3)


def test_retry_of_a_task_with_nothing_failed_retries_nothing(alice_client, album_in_inbox) -> None:
    album_in_inbox(IDS.small_album)
    task = download(alice_client, "album", IDS.small_album)

    response = alice_client.post(f"/api/prgs/retry/{task.pk}")

    assert response.json() == {"task_id": str(task.pk), "retried": 0}
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETE


def test_retry_refuses_running_unknown_and_other_users_tasks(alice_client, bob_client, monkeypatch) -> None:
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    task = download(alice_client, "album", IDS.small_album)

    running = alice_client.post(f"/api/prgs/retry/{task.pk}")
    assert (running.status_code, running.json()["code"]) == (409, "task_active")
    assert bob_client.post(f"/api/prgs/retry/{task.pk}").status_code == 404
    assert alice_client.post("/api/prgs/retry/00000000-0000-4000-8000-000000000000").status_code == 404
    assert alice_client.post("/api/prgs/retry/not-a-uuid").status_code == 404


def test_retry_failed_reopens_every_one_of_your_tasks_with_failures(
    alice_client, bob_client, album_in_inbox
) -> None:
    album_in_inbox(IDS.small_album, skip=(3,))
    album = download(alice_client, "album", IDS.small_album)
    track = download(alice_client, "track", IDS.explicit_track)  # the album's missing third track
    bobs = download(bob_client, "track", IDS.explicit_track)

    response = alice_client.post("/api/prgs/retry/failed")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["retried"] == 2
    assert {row["task_id"] for row in body["tasks"]} == {str(album.pk), str(track.pk)}
    assert DownloadTask.objects.get(pk=bobs.pk).finished_at == bobs.finished_at  # not alice's to retry
    assert alice_client.post("/api/prgs/retry/failed").json()["retried"] == 2  # they failed again


# ---------------------------------------------------------------------------------------------- clear
def test_clear_deletes_your_finished_tasks_and_keeps_history_and_active_ones(
    alice_client, bob_client, album_in_inbox, monkeypatch
) -> None:
    album_in_inbox(IDS.small_album)
    finished = download(alice_client, "album", IDS.small_album)
    failed = download(alice_client, "track", IDS.track_no_preview)
    bobs = download(bob_client, "track", IDS.track_no_preview)
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    active = download(alice_client, "album", IDS.two_disc_album)
    since = alice_client.get("/api/prgs/updates").json()["current_timestamp"]

    response = alice_client.post("/api/prgs/clear")

    assert response.status_code == 200
    assert response.json() == {"status": "cleared", "deleted_count": 2}
    assert set(DownloadTask.objects.values_list("pk", flat=True)) == {active.pk, bobs.pk}
    assert HistoryEntry.objects.filter(task_id__in=[finished.pk, failed.pk]).count() == 2
    deleted = alice_client.get(f"/api/prgs/updates?since={since}").json()["deleted_tasks"]
    assert set(deleted) == {str(finished.pk), str(failed.pk)}
    assert alice_client.post("/api/prgs/clear").json()["deleted_count"] == 0
