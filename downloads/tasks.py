"""django-q2 entry points. Plain functions fed ids; every one is safe to run twice."""

from __future__ import annotations

from downloads.pipeline import runner


def download_task_run(task_id: str) -> None:
    """Start a queued download task and work on its tracks."""
    runner.task_run(task_id)


def download_task_work(task_id: str) -> None:
    """Help with (or resume) the tracks of a running download task."""
    runner.task_work(task_id)


def downloads_reap_task() -> dict[str, int]:
    """Scheduled every minute: return work of vanished workers to the queue."""
    from downloads.services import downloads_reap

    return downloads_reap()
