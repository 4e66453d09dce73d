"""Writes on finished tasks: retrying their failed tracks in place, deleting them, clearing them from the queue.

A retry reopens the same task (its id, its history entry, its playlist file): the failed tracks go
back to pending and the task back to downloading, so when they complete the task ends again and its
history entry follows (a child row turns from failed to completed, the parent's counts and status are
recomputed). This is the one way out of a terminal status, taken here with a conditional update and
never through ``DownloadTask.move_to`` (the reaper's moves must never resurrect a finished task).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from downloads import selectors
from downloads.models import TERMINAL_STATUSES, DownloadTask, TaskEvent, TaskStatus, TrackJob, TrackStatus
from downloads.pipeline.finish import task_progress_refresh
from downloads.progress import progress_deleted, progress_publish
from downloads.tasks import RUN_TASK, WORK_TASK, task_enqueue
from spotizerr.errors import Conflict

DELETION_MARKERS_KEPT = timedelta(days=7)


def _retryable(task: DownloadTask) -> bool:
    """A finished task with failed tracks, or one that failed before it had any track (start-up)."""
    jobs = TrackJob.objects.filter(task=task)
    if jobs.filter(status=TrackStatus.FAILED).exists():
        return True
    return task.status == TaskStatus.ERROR and not jobs.exists()


def _reopen(task: DownloadTask) -> int:
    """Put ``task``'s failed tracks back to pending and the task back in the queue; the number of
    tracks re-queued (0 when another request reopened it first). Raises IntegrityError when the same
    item is already active for the owner in another task."""
    now = timezone.now()
    has_jobs = TrackJob.objects.filter(task=task).exists()
    status = TaskStatus.DOWNLOADING if has_jobs else TaskStatus.QUEUED
    with transaction.atomic():
        reopened = DownloadTask.objects.filter(pk=task.pk, status__in=TERMINAL_STATUSES).update(
            status=status,
            cancel_requested=False,
            error_message="",
            finished_at=None,
            lease_owner="",
            workers_requested=1,
            updated_at=now,
        )
        if not reopened:
            return 0
        retried = TrackJob.objects.filter(task=task, status=TrackStatus.FAILED).update(
            status=TrackStatus.PENDING,
            reason="",
            lease_owner="",
            heartbeat_at=None,
            attempts=0,
            retries=0,
            started_at=None,
            finished_at=None,
        )
        task.refresh_from_db()
        if has_jobs:
            task_progress_refresh(task)
        what = f"{retried} failed track(s)" if has_jobs else "the download"
        progress_publish(task, status=task.status, message=f"Retrying {what}.")
        func = WORK_TASK if has_jobs else RUN_TASK
        transaction.on_commit(partial(task_enqueue, task_id=task.pk, func=func))
    return retried if has_jobs else 1


def task_retry_failed(*, user: User, task_id: uuid.UUID | str) -> int:
    """Re-queue the failed tracks of a finished task ``user`` may see; how many were re-queued (0
    when nothing failed: asking twice is harmless). A task that failed before it had tracks starts
    again from the beginning (counted as 1).

    Raises NotFound (unknown or not visible), Conflict ``task_active`` (still queued or running) and
    Conflict ``duplicate_download`` (the same item is queued again in another task)."""
    task = selectors.task_get_visible(user=user, task_id=task_id)
    if task.is_active:
        raise Conflict(
            "The task is still running; retry once it has ended.",
            code="task_active",
            details={"status": task.status},
        )
    if not _retryable(task):
        return 0
    try:
        return _reopen(task)
    except IntegrityError:
        other = selectors.task_active_for(
            owner=task.owner, download_type=task.download_type, item_id=task.item_id
        )
        raise Conflict(
            f"This {task.download_type} is queued again in another task.",
            code="duplicate_download",
            details={"task_id": str(other.pk) if other else None},
        ) from None


def tasks_retry_failed(*, user: User) -> list[tuple[str, int]]:
    """``task_retry_failed`` for each of ``user``'s own finished tasks with failed tracks; the ids and
    counts of those re-queued (a task whose item is active again elsewhere is left alone)."""
    failed = TrackJob.objects.filter(status=TrackStatus.FAILED).values("task_id")
    tasks = DownloadTask.objects.filter(owner=user, status__in=TERMINAL_STATUSES, pk__in=failed)
    done: list[tuple[str, int]] = []
    for task in tasks.order_by("created_at"):
        try:
            retried = _reopen(task)
        except IntegrityError:
            continue
        if retried:
            done.append((str(task.pk), retried))
    return done


def task_delete(*, user: User, task_id: uuid.UUID | str) -> None:
    """Delete a finished task and its events (library files and history stay).

    Raises NotFound, and Conflict when the task is still queued or running (cancel it first).
    """
    task = selectors.task_get_visible(user=user, task_id=task_id)
    if task.is_active:
        raise Conflict(
            "The task is still running; cancel it first.", code="task_active", details={"status": task.status}
        )
    with transaction.atomic():
        deleted, _ = DownloadTask.objects.filter(pk=task.pk, status=task.status).delete()
        if deleted:
            progress_deleted(task_id=task.pk, owner_id=task.owner_id)
    # deletion markers only matter to clients that were away a short while
    TaskEvent.objects.filter(
        task__isnull=True, created_at__lt=timezone.now() - DELETION_MARKERS_KEPT
    ).delete()


def tasks_clear_finished(*, user: User) -> int:
    """Delete every finished task of ``user``'s own (library files and history stay) and tell the
    streams; how many were deleted. Safe to run twice."""
    ended = DownloadTask.objects.filter(owner=user, status__in=TERMINAL_STATUSES)
    count = 0
    for task_id in list(ended.values_list("pk", flat=True)):
        with transaction.atomic():
            deleted, _ = DownloadTask.objects.filter(pk=task_id, status__in=TERMINAL_STATUSES).delete()
            if deleted:
                progress_deleted(task_id=task_id, owner_id=user.pk)
                count += 1
    return count
