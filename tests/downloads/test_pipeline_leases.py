"""Crash safety: leases, second deliveries and the reaper. A "dead worker" is a lease whose heartbeat
stopped; the reaper gives its work to a new delivery (run inline here)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from downloads import cancelling, services, tasks
from downloads.models import DownloadTask, LibraryFile, TaskStatus, TrackJob, TrackStatus
from downloads.pipeline.claims import MAX_CLAIMS, task_claim_start, track_claim_next, track_finish
from downloads.pipeline.plan import plan_jobs, plan_save
from library_history.models import HistoryEntry
from tests.downloads.workers import run_queue
from tests.fakes.spotify_api import IDS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("auth_on", "engine")]

LONG_AGO = timedelta(minutes=5)


@pytest.fixture
def album_task(alice, album_in_inbox, queued_only) -> DownloadTask:
    album_in_inbox(IDS.small_album)
    return services.download_request(user=alice, download_type="album", item_id=IDS.small_album)


def started_by_a_dead_worker(task: DownloadTask, *, claimed_tracks: int = 1) -> None:
    """The task's first delivery started it and claimed tracks, then its process died."""
    assert task_claim_start(task=task, worker="dead")
    assert plan_save(task, *plan_jobs(task))
    for _ in range(claimed_tracks):
        track_claim_next(task_id=task.pk, worker="dead", limit=10)
    past = timezone.now() - LONG_AGO
    TrackJob.objects.filter(task=task).update(heartbeat_at=past)
    DownloadTask.objects.filter(pk=task.pk).update(worker_seen_at=past)


def test_a_second_delivery_of_a_finished_task_changes_nothing(
    alice_client, album_in_inbox, inline_queue
) -> None:
    album_in_inbox(IDS.small_album)
    task_id = alice_client.get(f"/api/album/download/{IDS.small_album}").json()["task_id"]
    events = DownloadTask.objects.get(pk=task_id).events.count()

    tasks.download_task_run(task_id)
    tasks.download_task_work(task_id)

    task = DownloadTask.objects.get(pk=task_id)
    assert task.status == TaskStatus.COMPLETE and task.events.count() == events


def test_two_deliveries_of_one_task_make_each_track_once(album_task, library_root) -> None:
    tasks.task_enqueue(task_id=album_task.pk)  # the queue delivered it twice

    run_queue(workers=2)

    album_task.refresh_from_db()
    assert album_task.status == TaskStatus.COMPLETE
    assert sorted(path.name for path in library_root.rglob("*.mp3")) == [
        "01. Four Forty.mp3",
        "02. Eight Eighty.mp3",
        "03. Either_Or_ Live_.mp3",
    ]
    assert HistoryEntry.objects.get(task_id=album_task.pk).tracks.count() == 3


def test_the_reaper_gives_a_dead_workers_track_to_a_new_delivery(album_task, inline_queue) -> None:
    started_by_a_dead_worker(album_task)

    counts = services.downloads_reap()

    assert counts["tracks_requeued"] == 1 and counts["tasks_resumed"] == 1
    album_task.refresh_from_db()
    assert album_task.status == TaskStatus.COMPLETE and album_task.summary["total_successful"] == 3
    assert TrackJob.objects.get(task=album_task, position=1).attempts == 2


def test_a_track_its_dead_worker_had_already_placed_is_done_with_that_file(
    album_task, inline_queue, library_root
) -> None:
    """GIVEN a worker that placed and indexed track 1, then died before marking it done WHEN the
    reaper hands the track to a new delivery THEN the track is done with that file, not skipped as
    "already in the library"."""
    started_by_a_dead_worker(album_task)
    job = TrackJob.objects.get(task=album_task, position=1)
    placed = library_root / "Placed" / "01. Track.mp3"
    placed.parent.mkdir(parents=True)
    placed.write_bytes(b"audio")
    LibraryFile.objects.create(
        library_root=str(library_root),
        relative_path="Placed/01. Track.mp3",
        spotify_id=job.track_id,
        size_bytes=5,
        source="inbox",
    )

    services.downloads_reap()

    job.refresh_from_db()
    assert (job.status, job.reason, job.file_path) == (TrackStatus.DONE, "", "Placed/01. Track.mp3")


def test_a_track_whose_workers_keep_dying_fails_instead_of_looping(album_task, queued_only) -> None:
    started_by_a_dead_worker(album_task)
    TrackJob.objects.filter(task=album_task, position=1).update(attempts=MAX_CLAIMS)

    services.downloads_reap()

    job = TrackJob.objects.get(task=album_task, position=1)
    assert job.status == TrackStatus.FAILED and "stopped" in job.reason


def test_the_reaper_restarts_a_task_whose_start_up_died(album_task, inline_queue) -> None:
    task_claim_start(task=album_task, worker="dead")
    DownloadTask.objects.filter(pk=album_task.pk).update(heartbeat_at=timezone.now() - LONG_AGO)

    assert services.downloads_reap()["tasks_restarted"] == 1

    album_task.refresh_from_db()
    assert album_task.status == TaskStatus.COMPLETE and album_task.attempts == 2


def test_the_reaper_leaves_live_work_alone(album_task, queued_only) -> None:
    started_by_a_dead_worker(album_task)
    now = timezone.now()
    TrackJob.objects.filter(task=album_task).update(heartbeat_at=now)
    DownloadTask.objects.filter(pk=album_task.pk).update(worker_seen_at=now)

    assert services.downloads_reap() == {
        "tracks_requeued": 0,
        "tasks_restarted": 0,
        "tasks_resumed": 0,
        "cancels_finished": 0,
        "history_repaired": 0,
    }
    assert TrackJob.objects.get(task=album_task, position=1).status == TrackStatus.RUNNING


def test_a_worker_that_lost_its_lease_does_not_record_the_track(album_task, queued_only) -> None:
    started_by_a_dead_worker(album_task)
    job = TrackJob.objects.get(task=album_task, position=1)

    recorded = track_finish(job=job, worker="someone-else", status=TrackStatus.DONE)

    assert not recorded and TrackJob.objects.get(pk=job.pk).status == TrackStatus.RUNNING


def test_the_reaper_records_the_end_of_a_task_whose_worker_died_before_its_history(
    alice_client, album_in_inbox, inline_queue
) -> None:
    """GIVEN an album that ended, but whose worker died before writing its history entry (which still
    says in progress, as the start left it) WHEN the reaper runs THEN the entry gets the end: status
    and counts, once however often it runs."""
    album_in_inbox(IDS.small_album)
    task_id = alice_client.get(f"/api/album/download/{IDS.small_album}").json()["task_id"]
    HistoryEntry.objects.filter(task_id=task_id).update(
        status="in_progress", successful_tracks=0, completed_at=None
    )

    first, second = services.downloads_reap(), services.downloads_reap()

    entry = HistoryEntry.objects.get(task_id=task_id)
    assert (first["history_repaired"], second["history_repaired"]) == (1, 0)
    assert (entry.status, entry.successful_tracks, entry.completed_at is not None) == ("completed", 3, True)


def test_the_reap_command_reports_what_it_did(queued_only) -> None:
    out = StringIO()

    call_command("reap_downloads", "--schedule", stdout=out)

    assert "tracks requeued: 0" in out.getvalue()


def test_the_reaper_schedule_is_created_once(queued_only) -> None:
    from django_q.models import Schedule

    services.downloads_schedule_ensure()
    services.downloads_schedule_ensure()

    schedule = Schedule.objects.get(name="downloads-reaper")
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "downloads.tasks.downloads_reap_task",
        Schedule.MINUTES,
        1,
    )


def test_a_cancel_whose_track_is_slow_to_stop_says_cancelling_until_the_track_ends(
    album_task, alice_client, monkeypatch
) -> None:
    """GIVEN a track in progress whose worker is alive (fresh lease) but slow to stop
    WHEN the task is cancelled
    THEN the answer is "cancelling" and the task stays active; it is reported cancelled when that
    worker's track ends."""
    monkeypatch.setattr(cancelling, "CANCEL_WAIT_SECONDS", 0.3)
    started_by_a_dead_worker(album_task)
    TrackJob.objects.filter(task=album_task).update(heartbeat_at=timezone.now())  # alive after all

    answer = alice_client.post(f"/api/prgs/cancel/{album_task.pk}").json()

    album_task.refresh_from_db()
    assert answer["status"] == "cancelling" and album_task.is_active and album_task.cancel_requested
    assert "Cancelling" in str(album_task.events.last().payload)
    running = TrackJob.objects.get(task=album_task, status=TrackStatus.RUNNING)
    assert track_finish(job=running, worker="dead", status=TrackStatus.CANCELLED)
    tasks.download_task_work(album_task.pk)  # what that worker does next
    album_task.refresh_from_db()
    assert album_task.status == TaskStatus.CANCELLED
    assert not TrackJob.objects.filter(task=album_task).exclude(status=TrackStatus.CANCELLED).exists()


def test_the_reaper_ends_a_cancel_whose_worker_vanished(album_task, alice_client) -> None:
    started_by_a_dead_worker(album_task)
    DownloadTask.objects.filter(pk=album_task.pk).update(cancel_requested=True)

    counts = services.downloads_reap()

    album_task.refresh_from_db()
    assert counts["cancels_finished"] == 1 and album_task.status == TaskStatus.CANCELLED
    assert HistoryEntry.objects.get(task_id=album_task.pk).status != "in_progress"
