"""Who is working on what: leases on tasks and tracks, heartbeats, the cancel watch and the reaper.

Crash safety does not rest on the queue. A worker claims a unit of work with a conditional update,
renews a heartbeat while it runs and gives the work up if its lease is taken away. The reaper
returns work whose heartbeat went stale to the queue. So any delivery of a task may run twice,
or die half-way, and the work still gets done exactly once.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from downloads.models import (
    ACTIVE_STATUSES,
    ConcurrencyGate,
    DownloadTask,
    TaskStatus,
    TrackJob,
    TrackStatus,
)
from downloads.pipeline import broker, history
from spotizerr.lib.cancel import CancelToken

logger = logging.getLogger(__name__)

# no heartbeat for this long: the worker is gone (SPOTIZERR_LEASE_STALE_SECONDS, short in fault tests)
STALE_AFTER = timedelta(seconds=settings.LEASE_STALE_SECONDS)
HEARTBEAT_SECONDS = min(5.0, settings.LEASE_STALE_SECONDS / 4)
CANCEL_POLL_SECONDS = 0.4
MAX_CLAIMS = 3  # a track whose worker vanished this often fails instead of being tried again
QUEUED_RESEND_AFTER = timedelta(hours=1)  # when the broker cannot be read (see broker.py)
RUN_TASK = "downloads.tasks.download_task_run"
WORK_TASK = "downloads.tasks.download_task_work"
AT_CAPACITY = "at-capacity"
RUNNING_TASK_STATUSES = (TaskStatus.DOWNLOADING, TaskStatus.RETRYING)


def worker_id() -> str:
    """A name for this delivery of a task, unique across machines, processes and threads."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:10]}"


def task_enqueue(*, task_id: uuid.UUID | str, func: str = RUN_TASK) -> None:
    """Hand ``func(task_id)`` to the django-q2 queue. Call after the transaction that made the work
    committed (``transaction.on_commit``)."""
    from django_q.tasks import async_task

    DownloadTask.objects.filter(pk=task_id).update(enqueued_at=timezone.now())
    async_task(func, str(task_id), group="downloads")


def work_dir_for(job: TrackJob) -> Path:
    return Path(settings.DATA_DIR) / "work" / f"{job.task_id}-{job.position}.{job.attempts}"


# ---------------------------------------------------------------------------------------------- claims
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


def track_claim_next(*, task_id: uuid.UUID | str, worker: str, limit: int) -> TrackJob | str | None:
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


def track_finish(*, job: TrackJob, worker: str, status: str, **fields: object) -> bool:
    """Record how the job ended, only if ``worker`` still holds its lease."""
    changed = TrackJob.objects.filter(pk=job.pk, status=TrackStatus.RUNNING, lease_owner=worker).update(
        status=status, finished_at=timezone.now(), lease_owner="", **fields
    )
    job.refresh_from_db()
    return bool(changed)


# ---------------------------------------------------------------------------------------------- watching a job
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

    def __init__(self, *, job: TrackJob, worker: str, token: WatchedCancelToken) -> None:
        self.job, self.worker, self.token = job, worker, token
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-watch-{job.pk}", daemon=True)

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
            self.token.cancel_because("cancelled")
        elif row[0] != TrackStatus.RUNNING or row[1] != self.worker:
            self.token.cancel_because("lease-lost")

    def _beat(self) -> None:
        now = timezone.now()
        TrackJob.objects.filter(pk=self.job.pk, lease_owner=self.worker, status=TrackStatus.RUNNING).update(
            heartbeat_at=now
        )
        DownloadTask.objects.filter(pk=self.job.task_id).update(worker_seen_at=now)


# ---------------------------------------------------------------------------------------------- the reaper
def reap(*, enqueue: Callable[..., None] = task_enqueue) -> dict[str, int]:
    """Return stale work to the queue. See ``downloads.services.downloads_reap``."""
    close_old_connections()
    stale = timezone.now() - STALE_AFTER
    counts = {"tracks_requeued": _reap_tracks(stale), "tasks_restarted": 0, "tasks_resumed": 0}
    for task in DownloadTask.objects.filter(status=TaskStatus.INITIALIZING).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True)
    ):
        if task.move_to(TaskStatus.QUEUED, lease_owner="", enqueued_at=timezone.now()):
            enqueue(task_id=task.pk, func=RUN_TASK)
            counts["tasks_restarted"] += 1
    for task_id in _queued_without_message(stale):
        enqueue(task_id=task_id, func=RUN_TASK)
        counts["tasks_restarted"] += 1
    for task in _orphaned_tasks(stale):
        task_seen(task_id=task.pk)  # give the new delivery a full period to show up before trying again
        enqueue(task_id=task.pk, func=WORK_TASK)
        counts["tasks_resumed"] += 1
    counts["cancels_finished"] = _finish_cancels()
    counts["history_repaired"] = history.history_repair()
    _remove_stale_work_dirs()
    return counts


def _finish_cancels() -> int:
    """End cancelled tasks whose last running track's worker vanished before it could."""
    from downloads.pipeline.finish import task_cancel_finish

    asked = DownloadTask.objects.filter(status__in=ACTIVE_STATUSES, cancel_requested=True)
    return sum(task_cancel_finish(task) for task in asked)


def _queued_without_message(stale: datetime) -> list[uuid.UUID]:
    """Queued tasks, sent to the queue a lease period ago or longer, whose message no longer waits in
    the broker: a cluster took it and died before a worker started the task. (If a live cluster
    holds it after all, one of the two deliveries starts the task and the other only helps.) When
    the broker cannot be read, only tasks sent ``QUEUED_RESEND_AFTER`` ago go again."""
    queued = DownloadTask.objects.filter(status=TaskStatus.QUEUED, enqueued_at__lt=stale)
    candidates = list(queued.values_list("pk", "enqueued_at"))
    if not candidates:
        return []
    waiting = broker.waiting_task_ids(RUN_TASK)
    if waiting is None:
        long_ago = timezone.now() - QUEUED_RESEND_AFTER
        return [task_id for task_id, enqueued_at in candidates if enqueued_at and enqueued_at < long_ago]
    return [task_id for task_id, _ in candidates if str(task_id) not in waiting]


def _reap_tracks(stale: object) -> int:
    requeued = 0
    for job in TrackJob.objects.filter(status=TrackStatus.RUNNING).filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True)
    ):
        # its worker is gone: what it half-made goes now, not a lease period later
        shutil.rmtree(work_dir_for(job), ignore_errors=True)
        if job.attempts >= MAX_CLAIMS:
            TrackJob.objects.filter(
                pk=job.pk, status=TrackStatus.RUNNING, lease_owner=job.lease_owner
            ).update(
                status=TrackStatus.FAILED,
                lease_owner="",
                finished_at=timezone.now(),
                reason=f"The worker stopped {job.attempts} times while making this track; see the server log.",
            )
            continue
        requeued += TrackJob.objects.filter(
            pk=job.pk, status=TrackStatus.RUNNING, lease_owner=job.lease_owner
        ).update(status=TrackStatus.PENDING, lease_owner="", heartbeat_at=None)
        logger.warning(
            "Re-queued track %s of task %s: its worker stopped renewing the lease", job.position, job.task_id
        )
    return requeued


def _orphaned_tasks(stale: object) -> list[DownloadTask]:
    """Running tasks with work left (or only the finishing left) and no sign of a live worker."""
    fresh_running = TrackJob.objects.filter(status=TrackStatus.RUNNING, heartbeat_at__gte=stale)
    return list(
        DownloadTask.objects.filter(status__in=RUNNING_TASK_STATUSES, cancel_requested=False)
        .filter(Q(worker_seen_at__lt=stale) | Q(worker_seen_at__isnull=True))
        .exclude(pk__in=fresh_running.values("task_id"))
    )


def _remove_stale_work_dirs() -> None:
    base = Path(settings.DATA_DIR) / "work"
    if not base.is_dir():
        return
    live = {work_dir_for(job).name for job in TrackJob.objects.filter(status=TrackStatus.RUNNING)}
    cutoff = time.time() - STALE_AFTER.total_seconds()
    for path in base.iterdir():
        try:
            if path.name not in live and path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
        except FileNotFoundError:
            continue
