"""Watching a running job: its heartbeat, and the cancel watch that stops it when the task is cancelled
or its lease is taken away. The start-up of a task keeps its lease fresh the same way while it waits."""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from downloads.models import DownloadTask, TaskStatus, TrackJob, TrackStatus
from spotizerr.lib.cancel import CancelToken

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = min(5.0, settings.LEASE_STALE_SECONDS / 4)
CANCEL_POLL_SECONDS = 0.4
CANCELLED = "cancelled"
LEASE_LOST = "lease-lost"


class WatchedCancelToken(CancelToken):
    """Cancelled by the job's watch when the task is cancelled or the lease is lost; ``reason`` says which."""

    def __init__(self) -> None:
        super().__init__()
        self.reason = ""

    def cancel_because(self, reason: str) -> None:
        if not self.reason:
            self.reason = reason
        self.cancel()


class JobWatch:
    """A thread that, while a job runs, renews its heartbeat and cancels ``token`` within
    ``CANCEL_POLL_SECONDS`` of the task being cancelled or the lease being taken away."""

    def __init__(self, *, job: TrackJob, worker: str, token: WatchedCancelToken | None = None) -> None:
        self.job, self.worker = job, worker
        self.token = token or WatchedCancelToken()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-watch-{job.pk}", daemon=True)

    @property
    def lease_lost(self) -> bool:
        return self.token.reason == LEASE_LOST

    def __enter__(self) -> JobWatch:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        last_beat = time.monotonic()
        try:
            while not self._stop.wait(CANCEL_POLL_SECONDS):
                try:
                    self._look()
                    if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                        self._beat()
                        last_beat = time.monotonic()
                except DatabaseError:  # a busy database: try again on the next tick
                    logger.warning("Job watch could not reach the database", exc_info=True)
        finally:
            connection.close()

    def _look(self) -> None:
        row = (
            TrackJob.objects.filter(pk=self.job.pk)
            .values_list("status", "lease_owner", "task__status", "task__cancel_requested")
            .first()
        )
        if row is None or row[2] == TaskStatus.CANCELLED or row[3]:
            self.token.cancel_because(CANCELLED)
        elif row[0] != TrackStatus.RUNNING or row[1] != self.worker:
            self.token.cancel_because(LEASE_LOST)

    def _beat(self) -> None:
        now = timezone.now()
        TrackJob.objects.filter(pk=self.job.pk, lease_owner=self.worker, status=TrackStatus.RUNNING).update(
            heartbeat_at=now
        )
        DownloadTask.objects.filter(pk=self.job.task_id).update(worker_seen_at=now)


def start_wait(task: DownloadTask, seconds: float) -> bool:
    """Sleep while keeping the start-up lease fresh; True when the task was cancelled meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(min(CANCEL_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        now = timezone.now()
        DownloadTask.objects.filter(pk=task.pk, status=TaskStatus.INITIALIZING).update(
            heartbeat_at=now, worker_seen_at=now
        )
        task.refresh_from_db(fields=["status", "cancel_requested"])
        if task.status != TaskStatus.INITIALIZING or task.cancel_requested:
            return True
    return False
