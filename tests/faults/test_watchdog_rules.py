"""When does serve's watchdog call a cluster hung? (The restart itself: tests/faults/test_watchdog.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from downloads.models import DownloadTask, TaskStatus, TrackJob, TrackStatus
from spotizerr.runtime.watchdog import Watchdog

pytestmark = [pytest.mark.django_db(transaction=True)]  # the watchdog closes old connections

STALL = timedelta(minutes=15)


class Cluster:
    """Stands in for ClusterProcess: alive, started long ago, counting restarts."""

    def __init__(self) -> None:
        self.started_at = timezone.now() - timedelta(hours=2)
        self.alive = True
        self.restarts = 0
        self.process = None

    def restart(self) -> None:
        self.restarts += 1
        self.started_at = timezone.now()


def watchdog(cluster: Cluster | None = None, *, minutes_from_now: float = 0) -> Watchdog:
    later = timezone.now() + timedelta(minutes=minutes_from_now)
    return Watchdog(cluster or Cluster(), stall=STALL, interval=0, clock=lambda: later)  # type: ignore[arg-type]


def _task(
    alice, *, status: str = TaskStatus.QUEUED, queued_minutes_ago: float = 60, **fields
) -> DownloadTask:
    return DownloadTask.objects.create(
        owner=alice,
        download_type="album",
        item_id=f"a{DownloadTask.objects.count()}",
        status=status,
        created_at=timezone.now() - timedelta(minutes=queued_minutes_ago),
        **fields,
    )


def test_an_idle_cluster_with_nothing_waiting_is_not_hung(alice) -> None:
    assert watchdog().hung() is False


def test_work_waiting_with_no_sign_of_life_for_the_stall_period_is_hung(alice) -> None:
    _task(alice, queued_minutes_ago=20)

    assert watchdog().hung() is True


def test_work_that_arrived_recently_gets_a_full_stall_period(alice) -> None:
    _task(alice, queued_minutes_ago=5)

    assert watchdog().hung() is False
    assert watchdog(minutes_from_now=11).hung() is True


def test_a_fresh_heartbeat_means_the_cluster_is_alive(alice) -> None:
    task = _task(alice, status=TaskStatus.DOWNLOADING, worker_seen_at=timezone.now() - timedelta(hours=1))
    TrackJob.objects.create(
        task=task, position=1, status=TrackStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(seconds=5)
    )

    assert watchdog().hung() is False


def test_a_cluster_just_started_gets_a_full_stall_period(alice) -> None:
    _task(alice, queued_minutes_ago=120)
    cluster = Cluster()
    cluster.started_at = timezone.now()

    assert watchdog(cluster).hung() is False


def test_tick_restarts_a_hung_cluster_and_says_why(alice) -> None:
    _task(alice, queued_minutes_ago=20)
    cluster = Cluster()

    assert watchdog(cluster).tick() == "hung"
    assert cluster.restarts == 1


def test_tick_restarts_a_cluster_that_died(alice) -> None:
    cluster = Cluster()
    cluster.alive = False

    assert watchdog(cluster).tick() == "died"
    assert cluster.restarts == 1
