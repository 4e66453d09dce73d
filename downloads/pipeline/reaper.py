"""The reaper: return work whose worker vanished to the queue.

Tracks whose heartbeat went stale go back to pending (or fail after ``MAX_CLAIMS`` claims), start-ups
whose worker vanished are queued again, queued tasks whose message a dead cluster took are sent again
(``broker.py``), running tasks without a live worker get a new delivery, cancels whose last worker
vanished are finished, history is repaired and stale work directories are removed.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone

from downloads.models import ACTIVE_STATUSES, DownloadTask, TaskStatus, TrackJob, TrackStatus
from downloads.pipeline import broker, history
from downloads.pipeline.claims import (
    MAX_CLAIMS,
    RUNNING_TASK_STATUSES,
    STALE_AFTER,
    live_work_dir_names,
    task_seen,
    work_dir_for,
)
from downloads.tasks import RUN_TASK, WORK_TASK, task_enqueue

logger = logging.getLogger(__name__)

QUEUED_RESEND_AFTER = timedelta(hours=1)  # when the broker cannot be read (see broker.py)


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
    live = live_work_dir_names()
    cutoff = time.time() - STALE_AFTER.total_seconds()
    for path in base.iterdir():
        try:
            if path.name not in live and path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
        except FileNotFoundError:
            continue
