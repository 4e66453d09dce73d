"""Cancelling queued or running tasks: asking their workers to stop, waiting a moment for the tracks in
progress, and ending the cancel (or saying it is under way)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from accounts.models import User
from downloads import selectors
from downloads.models import ACTIVE_STATUSES, DownloadTask
from downloads.pipeline import finish
from downloads.progress import progress_publish
from spotizerr.errors import Conflict, NotFound

#: How long a cancel waits for the tracks in progress to stop before answering "cancelling".
CANCEL_WAIT_SECONDS = 5.0
CANCEL_POLL_SECONDS = 0.05


def task_cancel(*, user: User, task_id: uuid.UUID | str, download_type: str | None = None) -> DownloadTask:
    """Cancel a queued or running task ``user`` may see. Cancelling is final: the task is reported
    cancelled only once no track of it is still being made (``pipeline.finish``). Workers notice
    within about half a second, stop any converter, remove their work files and fetch nothing more;
    this waits up to ``CANCEL_WAIT_SECONDS`` for that. A track still stopping after that ends the
    cancel from its own worker: until then the task stays active with ``cancel_requested`` set, and
    a progress event says it is cancelling.

    Raises NotFound (not visible, or not of ``download_type`` when given) and Conflict (already over).
    """
    task = selectors.task_get_visible(user=user, task_id=task_id)
    if download_type is not None and task.download_type != download_type:
        raise NotFound("No such task.", code="task_not_found")
    if not finish.task_cancel_request(task):
        raise Conflict(
            f"The task already ended ({task.status}).", code="task_finished", details={"status": task.status}
        )
    _await_stopped([task.pk])
    _cancel_end(task)
    return task


def task_cancel_all(*, user: User) -> list[str]:
    """Cancel every active task ``user`` may see (as ``task_cancel``, waiting once for all of them);
    returns the ids that were cancelled or are cancelling."""
    active = selectors.tasks_visible_to(user).filter(status__in=ACTIVE_STATUSES)
    requested = [task for task in active if finish.task_cancel_request(task)]
    _await_stopped([task.pk for task in requested])
    for task in requested:
        _cancel_end(task)
    return [str(task.pk) for task in requested]


def _await_stopped(task_ids: list[Any]) -> None:
    deadline = time.monotonic() + CANCEL_WAIT_SECONDS
    while finish.tracks_running(task_ids) and time.monotonic() < deadline:
        time.sleep(CANCEL_POLL_SECONDS)


def _cancel_end(task: DownloadTask) -> None:
    """End the cancel now, or say that the task is cancelling until its last track has stopped."""
    if not finish.task_cancel_finish(task) and task.is_active:
        progress_publish(
            task, status=task.status, message="Cancelling: waiting for the track in progress to stop."
        )
