"""Who is working on what: claiming a task's start-up and its tracks, and recording how a track ended.

Crash safety does not rest on the queue. A worker claims a unit of work with a conditional update,
renews a heartbeat while it runs (``heartbeat.py``) and gives the work up if its lease is taken away.
The reaper (``reaper.py``) returns work whose heartbeat went stale to the queue. So any delivery of a
task may run twice, or die half-way, and the work still gets done exactly once.

``Worker`` is the runner's one handle on all of this: claims, the watch over a running track, the
sign of life while it waits, and handing work back to the queue.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Final, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from downloads.models import ConcurrencyGate, DownloadTask, TaskStatus, TrackJob, TrackStatus
from downloads.pipeline.heartbeat import HEARTBEAT_SECONDS, JobWatch, start_wait
from downloads.tasks import WORK_TASK, task_enqueue

# no heartbeat for this long: the worker is gone (SPOTIZERR_LEASE_STALE_SECONDS, short in fault tests)
STALE_AFTER = timedelta(seconds=settings.LEASE_STALE_SECONDS)
MAX_CLAIMS = 3  # a track whose worker vanished this often fails instead of being tried again
AT_CAPACITY: Final = "at-capacity"
RUNNING_TASK_STATUSES = (TaskStatus.DOWNLOADING, TaskStatus.RETRYING)


def worker_id() -> str:
    """A name for this delivery of a task, unique across machines, processes and threads."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:10]}"


def work_dir_for(job: TrackJob) -> Path:
    return Path(settings.DATA_DIR) / "work" / f"{job.task_id}-{job.position}.{job.attempts}"


#: the lease owner of a finished track job taken by the inbox scan (``downloads.fulfilment``)
FULFIL_LEASE_PREFIX = "fulfil:"


def fulfil_work_dir_for(job: TrackJob) -> Path:
    """The work folder of a fulfilment or upgrade of ``job`` (one at a time: it holds the lease)."""
    return Path(settings.DATA_DIR) / "work" / f"fulfil-{job.task_id}-{job.position}"


def live_work_dir_names() -> set[str]:
    """Work folders in use: those of running tracks and of fulfilments whose lease is fresh."""
    fresh = timezone.now() - STALE_AFTER
    running = TrackJob.objects.filter(status=TrackStatus.RUNNING)
    fulfilling = TrackJob.objects.filter(lease_owner__startswith=FULFIL_LEASE_PREFIX, heartbeat_at__gte=fresh)
    return {work_dir_for(job).name for job in running} | {fulfil_work_dir_for(job).name for job in fulfilling}


def task_claim_start(*, task: DownloadTask, worker: str) -> bool:
    """Claim a queued task's start-up (queued → initializing); False if someone else has it."""
    now = timezone.now()
    return task.move_to(
        TaskStatus.INITIALIZING,
        lease_owner=worker,
        heartbeat_at=now,
        worker_seen_at=now,
        attempts=F("attempts") + 1,
        started_at=task.started_at or now,
    )


def task_seen(*, task_id: uuid.UUID | str) -> None:
    """A worker is alive and busy with this task (also while it waits for a free download slot)."""
    DownloadTask.objects.filter(pk=task_id).update(worker_seen_at=timezone.now())


def track_claim_next(
    *, task_id: uuid.UUID | str, worker: str, limit: int
) -> TrackJob | Literal["at-capacity"] | None:
    """Claim the task's next pending track if fewer than ``limit`` tracks run anywhere.

    Returns the claimed job, ``AT_CAPACITY`` when the limit is reached, or None when the task has
    no pending track (or is no longer running). Counting and claiming happen in one transaction
    holding the gate row, so the limit holds across workers and processes.
    """
    now = timezone.now()
    with transaction.atomic():
        ConcurrencyGate.objects.select_for_update().get_or_create(pk=1)
        job = (
            TrackJob.objects.filter(
                task_id=task_id,  # type: ignore[misc]  # a str id works as well as a UUID
                status=TrackStatus.PENDING,
                task__status__in=RUNNING_TASK_STATUSES,
                task__cancel_requested=False,
            )
            .order_by("position")
            .first()
        )
        if job is None:
            return None
        running = TrackJob.objects.filter(
            status=TrackStatus.RUNNING, heartbeat_at__gte=now - STALE_AFTER
        ).count()
        if running >= limit:
            return AT_CAPACITY
        TrackJob.objects.filter(pk=job.pk, status=TrackStatus.PENDING).update(
            status=TrackStatus.RUNNING,
            lease_owner=worker,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            started_at=now,
            reason="",
        )
    job.refresh_from_db()
    return job


def track_finish(*, job: TrackJob, worker: str, status: TrackStatus, **fields: object) -> bool:
    """Record how the job ended, only if ``worker`` still holds its lease."""
    changed = TrackJob.objects.filter(pk=job.pk, status=TrackStatus.RUNNING, lease_owner=worker).update(
        status=status, finished_at=timezone.now(), lease_owner="", **fields
    )
    job.refresh_from_db()
    return bool(changed)


class Worker:
    """One delivery of a task, as the leases see it: what it claims, watches and hands back."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name or worker_id()
        self._last_seen = 0.0

    def claim_start(self, task: DownloadTask) -> bool:
        return task.status == TaskStatus.QUEUED and task_claim_start(task=task, worker=self.name)

    def wait_at_start(self, task: DownloadTask, seconds: float) -> bool:
        """Sleep keeping the start-up lease fresh; True when the task was cancelled meanwhile."""
        return start_wait(task, seconds)

    def claim_track(self, task: DownloadTask, *, limit: int) -> TrackJob | Literal["at-capacity"] | None:
        return track_claim_next(task_id=task.pk, worker=self.name, limit=limit)

    def still_waiting(self, task: DownloadTask) -> None:
        """Waiting for a slot is alive: tell the reaper so, once a heartbeat period."""
        if time.monotonic() - self._last_seen >= HEARTBEAT_SECONDS:
            task_seen(task_id=task.pk)
            self._last_seen = time.monotonic()

    def watch(self, job: TrackJob) -> JobWatch:
        """The heartbeat and cancel watch to run ``job`` under (a context manager)."""
        return JobWatch(job=job, worker=self.name)

    def finish_track(self, job: TrackJob, status: TrackStatus, **fields: object) -> bool:
        return track_finish(job=job, worker=self.name, status=status, **fields)

    @staticmethod
    def ask_for_help(task: DownloadTask) -> None:
        """Queue one more delivery to work on (or resume) the task's tracks."""
        task_enqueue(task_id=task.pk, func=WORK_TASK)
