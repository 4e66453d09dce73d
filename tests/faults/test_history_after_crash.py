"""A worker killed between ending a track and recording it in the history: the task's end fills the gap
(seen once in the whole-cluster-kill fault test; here made deterministic)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from downloads.models import DownloadTask, TaskStatus, TrackJob, TrackStatus
from downloads.pipeline import history
from library_history.models import HistoryTrack

pytestmark = [pytest.mark.django_db]


def test_ending_an_album_records_the_tracks_a_dead_worker_never_recorded(alice) -> None:
    task = DownloadTask.objects.create(
        owner=alice,
        download_type="album",
        item_id="album1",
        name="Album",
        status=TaskStatus.DOWNLOADING,
        total_tracks=3,
    )
    history.history_task_started(task)
    for position in (1, 2, 3):
        job = TrackJob.objects.create(
            task=task,
            position=position,
            name=f"Song {position}",
            status=TrackStatus.DONE,
            finished_at=timezone.now(),
            file_path=f"Album/{position}.mp3",
        )
        if position != 2:  # the worker of track 2 died right after marking it done
            history.history_track_finished(task, job)
    task.move_to(TaskStatus.COMPLETE)

    history.history_task_finished(task)

    rows = HistoryTrack.objects.filter(parent__task_id=task.pk).order_by("position")
    assert [(row.position, row.status) for row in rows] == [
        (1, "completed"),
        (2, "completed"),
        (3, "completed"),
    ]
