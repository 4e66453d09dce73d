"""What a finished download tells its owner's and the operator's notification targets, and the media
servers that new files landed; when tracks failed, the operator about sources that need fixing
(``downloads.source_health``). Called once, when a task ends (``task_finish_if_done``)."""

from __future__ import annotations

import logging

from django.db import DatabaseError

from downloads.models import DownloadTask, TaskStatus
from downloads.pipeline.context import effective_config
from downloads.source_health import source_problems_announce
from settings_app.media_servers import media_servers_touch
from settings_app.models import NotificationEvent
from settings_app.notifications import notification_dispatch

logger = logging.getLogger(__name__)


def download_message(task: DownloadTask) -> tuple[str, str, str, str] | None:
    """``(event, kind, title, body)`` for a finished task, or None when there is nothing to say."""
    summary = task.summary or {}
    done, skipped = summary.get("total_successful", 0), summary.get("total_skipped", 0)
    failed, total = summary.get("total_failed", 0), summary.get("total_tracks", 0)
    name = task.name or task.item_id
    if task.status == TaskStatus.ERROR:
        return NotificationEvent.DOWNLOAD_FAILED, "failure", f"Download failed: {name}", task.error_message
    if task.status not in (TaskStatus.COMPLETE, TaskStatus.SKIPPED):
        return None
    counts = f"{done} downloaded, {skipped} already in the library, {failed} failed, of {total} tracks."
    if failed:
        return NotificationEvent.DOWNLOAD_PARTIAL, "warning", f"Download partly done: {name}", counts
    return NotificationEvent.DOWNLOAD_COMPLETE, "success", f"Download complete: {name}", counts


def download_finished_announce(task: DownloadTask) -> None:
    """Queue the finished-download message and owe the media servers a rescan when files landed.
    Never lets either touch the download: at worst they are logged."""
    message = download_message(task)
    try:
        if (task.summary or {}).get("total_successful"):
            media_servers_touch()
        if message is not None:
            event, kind, title, body = message
            notification_dispatch(event=event, owner_ids=[task.owner_id], title=title, body=body, kind=kind)
        if task.status == TaskStatus.ERROR or (task.summary or {}).get("total_failed"):
            source_problems_announce(effective_config(task))
    except DatabaseError:
        logger.warning("Could not queue the announcements of task %s", task.pk, exc_info=True)
