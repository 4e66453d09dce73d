"""``maxConcurrentDownloads`` across workers: the queue is drained by threads acting as a django-q
cluster of two workers; the ``command`` source makes each track take a known time."""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask, TaskStatus, TrackJob
from tests.downloads.workers import in_background, max_overlap, run_queue, wait_until
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "queued_only"),
]


def request(client, kind: str, item_id: str) -> str:
    response = client.get(f"/api/{kind}/download/{item_id}")
    assert response.status_code == 202, response.json()
    return response.json()["task_id"]


def overlap(jobs) -> int:
    return max_overlap([(job.started_at.timestamp(), job.finished_at.timestamp()) for job in jobs])


def test_two_workers_make_two_tracks_of_one_album_at_once(alice_client, command_source, configure) -> None:
    command_source(delay=0.4)
    configure(maxConcurrentDownloads=2)
    task_id = request(alice_client, "album", IDS.two_disc_album)

    run_queue(workers=2)

    assert DownloadTask.objects.get(pk=task_id).status == TaskStatus.COMPLETE
    assert overlap(TrackJob.objects.filter(task_id=task_id)) == 2


def test_a_limit_of_one_holds_across_workers_and_tasks(alice_client, command_source, configure) -> None:
    command_source(delay=0.2)
    configure(maxConcurrentDownloads=1)
    first, second = (
        request(alice_client, "album", IDS.small_album),
        request(alice_client, "album", IDS.single),
    )

    run_queue(workers=2)

    assert set(DownloadTask.objects.values_list("status", flat=True)) == {TaskStatus.COMPLETE}
    assert overlap(TrackJob.objects.filter(task_id__in=[first, second])) == 1


def test_raising_the_limit_while_an_album_runs_applies_from_the_next_track(
    alice_client, command_source, configure
) -> None:
    """GIVEN an album running one track at a time on a two-worker cluster
    WHEN an admin raises maxConcurrentDownloads to 2 after its first track
    THEN later tracks run two at a time, without a restart."""
    command_source(delay=0.4)
    configure(maxConcurrentDownloads=1)
    task_id = request(alice_client, "album", IDS.two_disc_album)
    cluster = in_background(run_queue, workers=2)
    wait_until(lambda: TrackJob.objects.filter(task_id=task_id, finished_at__isnull=False).exists())

    configure(maxConcurrentDownloads=2)
    cluster.finish(timeout=30)

    jobs = list(TrackJob.objects.filter(task_id=task_id).order_by("position"))
    assert overlap(jobs[:1]) == 1 and overlap(jobs[2:]) == 2
