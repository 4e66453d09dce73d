"""django-q2 entry points, and the one place that names them. Plain functions fed ids; every one is
safe to run twice. ``task_enqueue`` hands a download task to the queue under these dotted paths."""

from __future__ import annotations

import uuid

from django.utils import timezone

from downloads.models import DownloadTask

RUN_TASK = "downloads.tasks.download_task_run"
WORK_TASK = "downloads.tasks.download_task_work"
REAP_TASK = "downloads.tasks.downloads_reap_task"
WANTED_CHECK_TASK = "downloads.tasks.wanted_check_task"


def task_enqueue(*, task_id: uuid.UUID | str, func: str = RUN_TASK) -> None:
    """Hand ``func(task_id)`` to the django-q2 queue. Call after the transaction that made the work
    committed (``transaction.on_commit``)."""
    from django_q.tasks import async_task

    DownloadTask.objects.filter(pk=task_id).update(enqueued_at=timezone.now())
    async_task(func, str(task_id), group="downloads")


def download_task_run(task_id: str) -> None:
    """Start a queued download task and work on its tracks."""
    from downloads.pipeline import runner

    runner.task_run(task_id)


def download_task_work(task_id: str) -> None:
    """Help with (or resume) the tracks of a running download task."""
    from downloads.pipeline import runner

    runner.task_work(task_id)


def downloads_reap_task() -> dict[str, int]:
    """Scheduled every minute: return work of vanished workers to the queue."""
    from downloads.services import downloads_reap

    return downloads_reap()


def wanted_check_task() -> dict[str, int]:
    """``POST /api/library/wanted/check``: one inbox scan for wanted tracks and upgrades, now."""
    from downloads.fulfilment import inbox_scan

    result = inbox_scan()
    return {"fulfilled": result.fulfilled, "upgraded": result.upgraded}


def wanted_check_enqueue() -> None:
    from django_q.tasks import async_task

    async_task(WANTED_CHECK_TASK, group="downloads")
