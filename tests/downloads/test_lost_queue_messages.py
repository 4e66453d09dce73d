"""Queued tasks whose queue message was taken by a cluster that then died: the reaper sends them again
once a lease period has passed, and leaves alone those whose message still waits in the broker.
"Taken by a dead cluster" is the real broker's dequeue with nothing run and nothing acknowledged
(the Redis broker forgets such a message; the ORM broker hides it for hours)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from downloads import services
from downloads.models import DownloadTask, TaskStatus
from downloads.pipeline import broker
from downloads.pipeline.claims import STALE_AFTER
from downloads.pipeline.reaper import QUEUED_RESEND_AFTER
from downloads.tasks import RUN_TASK
from tests.downloads.workers import run_queue
from tests.fakes.spotify_api import IDS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("auth_on", "engine")]


@pytest.fixture
def album_task(alice, album_in_inbox, queued_only) -> DownloadTask:
    album_in_inbox(IDS.small_album)
    return services.download_request(user=alice, download_type="album", item_id=IDS.small_album)


def _sent(task: DownloadTask, ago: timedelta) -> None:
    DownloadTask.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - ago)


def _taken_by_a_cluster_that_died() -> None:
    from django_q.brokers import get_broker

    assert get_broker().dequeue(), "the task's message should have been waiting"


def _waiting() -> set[str]:
    waiting = broker.waiting_task_ids(RUN_TASK)
    assert waiting is not None
    return waiting


def test_a_queued_tasks_message_waits_in_the_broker_until_a_cluster_takes_it(album_task) -> None:
    assert _waiting() == {str(album_task.pk)}

    _taken_by_a_cluster_that_died()

    assert _waiting() == set()


def test_a_task_whose_message_a_dead_cluster_took_is_sent_again_and_completes(
    album_task, library_root
) -> None:
    _taken_by_a_cluster_that_died()
    _sent(album_task, STALE_AFTER + timedelta(seconds=1))

    assert services.downloads_reap()["tasks_restarted"] == 1
    assert _waiting() == {str(album_task.pk)}

    run_queue(workers=1)
    album_task.refresh_from_db()
    assert album_task.status == TaskStatus.COMPLETE
    assert len(list(library_root.rglob("*.mp3"))) == 3


def test_a_task_whose_message_still_waits_is_not_sent_twice(album_task) -> None:
    from django_q.brokers import get_broker

    _sent(album_task, timedelta(hours=3))

    assert services.downloads_reap()["tasks_restarted"] == 0
    assert get_broker().queue_size() == 1


def test_a_message_taken_less_than_a_lease_period_ago_is_left_to_its_cluster(album_task) -> None:
    _taken_by_a_cluster_that_died()
    _sent(album_task, STALE_AFTER / 2)

    assert services.downloads_reap()["tasks_restarted"] == 0
    assert _waiting() == set()


def test_a_queue_too_long_to_read_falls_back_on_the_hourly_resend(
    album_task, alice, album_in_inbox, monkeypatch
) -> None:
    album_in_inbox(IDS.single)
    other = services.download_request(user=alice, download_type="album", item_id=IDS.single)
    _taken_by_a_cluster_that_died()  # the first task's message; the second one's still waits
    monkeypatch.setattr(broker, "MAX_READ", 0)
    _sent(album_task, STALE_AFTER * 2)
    _sent(other, QUEUED_RESEND_AFTER + timedelta(minutes=1))

    assert broker.waiting_task_ids(RUN_TASK) is None
    assert services.downloads_reap()["tasks_restarted"] == 1  # only the one sent over an hour ago
    assert DownloadTask.objects.get(pk=other.pk).enqueued_at > timezone.now() - timedelta(minutes=1)
