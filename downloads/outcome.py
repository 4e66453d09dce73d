"""What a task came to, in the history's words (``HistoryStatus``): the one vocabulary of the API's
task summaries, the queue, the history list and the home page.

``partial`` is an album or playlist with some tracks in the library and some not (failed, or
cancelled before their turn); ``cancelled`` and ``failed`` mean nothing of it reached the library.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from downloads.models import ACTIVE_STATUSES, DownloadTask, DownloadType, TaskStatus
from library_history.models import HistoryStatus

#: ``summary.status`` spells history's ``completed`` as the task status does, ``complete`` (issue 17's
#: API contract: complete, partial, failed, cancelled, skipped, and in_progress while active).
API_COMPLETE = "complete"

#: The per-track lists a stored summary may still hold (tasks finished by older versions).
SUMMARY_LISTS = ("successful_tracks", "skipped_tracks", "failed_tracks")


def outcome_status(*, task_status: str, download_type: str, done: int, skipped: int, failed: int) -> str:
    """The ``HistoryStatus`` value of a task in ``task_status`` with these track counts."""
    if task_status in ACTIVE_STATUSES:
        return HistoryStatus.IN_PROGRESS
    if task_status == TaskStatus.SKIPPED:
        return HistoryStatus.SKIPPED
    if task_status == TaskStatus.COMPLETE:
        if download_type == DownloadType.TRACK:
            return HistoryStatus.SKIPPED if skipped and not done else HistoryStatus.COMPLETED
        return HistoryStatus.PARTIAL if failed else HistoryStatus.COMPLETED
    if done + skipped:
        return HistoryStatus.PARTIAL
    return HistoryStatus.CANCELLED if task_status == TaskStatus.CANCELLED else HistoryStatus.FAILED


def summary_document(task: DownloadTask) -> dict[str, Any]:
    """The task's ``summary`` as the API shows it: the stored counts (``total_*``, ``m3u_file``) plus
    ``status`` (``outcome_status``, with ``complete`` for ``completed``) and ``completed``, ``failed``, ``skipped``, ``cancelled``,
    ``previews`` and ``total_tracks``, present on every task, queued ones included."""
    stored = {key: value for key, value in (task.summary or {}).items() if key not in SUMMARY_LISTS}
    done = int(stored.get("total_successful") or 0)
    skipped = int(stored.get("total_skipped") or 0)
    failed = int(stored.get("total_failed") or 0)
    status = outcome_status(
        task_status=task.status, download_type=task.download_type, done=done, skipped=skipped, failed=failed
    )
    return {
        **stored,
        "status": API_COMPLETE if status == HistoryStatus.COMPLETED else str(status),
        "completed": done,
        "failed": failed,
        "skipped": skipped,
        "cancelled": int(stored.get("total_cancelled") or 0),
        "previews": int(stored.get("previews") or 0),
        "total_tracks": int(stored.get("total_tracks") or task.total_tracks or 0),
    }


def preview_only(summary: dict[str, Any]) -> bool:
    """Every track that reached the library is a 30-second preview."""
    return bool(summary.get("previews")) and summary.get("previews") == summary.get("completed")


def history_word(summary_status: str) -> str:
    """The ``HistoryStatus`` value of a ``summary.status`` (``complete`` is history's ``completed``)."""
    return str(HistoryStatus.COMPLETED) if summary_status == API_COMPLETE else summary_status


def outcome_counts(tasks: Iterable[DownloadTask]) -> dict[str, int]:
    """How many of ``tasks`` ended in each ``HistoryStatus`` (``in_progress`` for active ones), and
    ``preview_only``: finished tasks whose every downloaded track is a preview."""
    counts = dict.fromkeys(HistoryStatus.values, 0)
    counts["preview_only"] = 0
    for task in tasks:
        summary = summary_document(task)
        counts[history_word(summary["status"])] += 1
        counts["preview_only"] += int(
            summary["status"] != HistoryStatus.IN_PROGRESS and preview_only(summary)
        )
    return counts
