"""The one module that publishes download progress.

Every change a client should see becomes a ``TaskEvent`` row and bumps the task's ``updated_at``.
The progress stream reads the events table in an order no late commit can break
(``downloads.event_order``); with ``REDIS_URL`` set the event is also pushed through the channel
layer to each web process's stream hub, which hands it out or reads at once (on the embedded SQLite
the hub notices the write itself: ``downloads.stream_wake``).
"""

from __future__ import annotations

import logging
import uuid
from enum import StrEnum
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from downloads import event_order
from downloads.models import DownloadTask, TaskEvent

logger = logging.getLogger(__name__)

STREAM_GROUP = "downloads.progress"


class TrackEvent(StrEnum):
    """The ``status`` of a track's progress event (``TrackInfo.status``); see docs/architecture.md."""

    DOWNLOADING = "downloading"
    RETRYING = "retrying"
    DONE = "done"
    SKIPPED = "skipped"
    ERROR = "error"
    CANCELLED = "cancelled"


class TrackInfo(TypedDict, total=False):
    """The track an event is about."""

    position: int
    track_id: str
    name: str
    artist: str
    status: str
    reason: str
    file_path: str
    source: str
    quality: str
    is_preview: bool


def _payload(
    task: DownloadTask,
    *,
    status: str,
    message: str,
    error: str,
    track: TrackInfo | None,
    extra: dict[str, Any] | None,
) -> dict[str, Any]:
    now = timezone.now()
    status_info: dict[str, Any] = {
        "status": status,
        "message": message,
        "error": error or None,
        **(extra or {}),
    }
    payload: dict[str, Any] = {
        "status": status,
        "status_info": status_info,
        "type": "track" if track else task.download_type,
        "name": (track or {}).get("name") or task.name,
        "artist": (track or {}).get("artist") or task.artist,
        "current_track": task.current_track,
        "total_tracks": task.total_tracks,
        "progress": task.progress,
        "task_status": task.status,
        "track": dict(track) if track else None,
        "parent": None,
        "timestamp": now.timestamp(),
    }
    if track and task.download_type != "track":
        payload["parent"] = {
            "type": task.download_type,
            "name": task.name,
            "artist": task.artist,
            "task_id": str(task.pk),
        }
    return payload


def progress_publish(
    task: DownloadTask,
    *,
    status: str,
    message: str = "",
    error: str = "",
    track: TrackInfo | None = None,
    extra: dict[str, Any] | None = None,
) -> TaskEvent:
    """Record one progress event for ``task`` (its ``status``, a human ``message``, the ``track`` it
    is about) and tell connected streams. ``task`` should already hold its new state."""
    payload = _payload(task, status=status, message=message, error=error, track=track, extra=extra)
    kind = TaskEvent.Kind.TRACK if track else TaskEvent.Kind.STATUS
    event = TaskEvent.objects.create(
        task=task,
        task_uuid=task.pk,
        owner_id=task.owner_id,
        kind=kind,
        status=status,
        payload=payload,
    )
    DownloadTask.objects.filter(pk=task.pk).update(updated_at=event.created_at)
    _after_commit_push(event)
    return event


def progress_deleted(*, task_id: uuid.UUID, owner_id: int) -> TaskEvent:
    """Record that task ``task_id`` was deleted, so streams and ``/prgs/updates`` can drop it."""
    payload = {
        "status": "deleted",
        "status_info": {"status": "deleted"},
        "task_id": str(task_id),
        "timestamp": timezone.now().timestamp(),
    }
    event = TaskEvent.objects.create(
        task=None,
        task_uuid=task_id,
        owner_id=owner_id,
        kind=TaskEvent.Kind.DELETED,
        status="deleted",
        payload=payload,
    )
    _after_commit_push(event)
    return event


def _after_commit_push(event: TaskEvent) -> None:
    """Push once the event is committed (at once outside a transaction): a stream never shows an
    event a rollback undid, and the frames show the committed state."""
    if settings.REDIS_URL:
        transaction.on_commit(lambda: _push_to_streams(event))


def _push_to_streams(event: TaskEvent) -> None:
    """With Redis: push ``event`` and its rendered frames to the stream hub of every web process."""
    # Without Redis the hubs watch the database instead (downloads.stream_wake).
    if not settings.REDIS_URL:
        return
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer
    from django.db import DatabaseError
    from redis.exceptions import RedisError

    from downloads.stream_frames import pushed_frames

    layer = get_channel_layer()
    if layer is None:
        return
    message: dict[str, Any] = {
        "type": "progress.event",
        "event_id": event.pk,
        "owner_id": event.owner_id,
        # known from the id alone where ids commit in order; else the hub reads (PostgreSQL)
        "position": [0, event.pk] if event_order.ids_commit_in_order() else None,
    }
    try:
        message["frames"] = pushed_frames(event)
    except DatabaseError:  # the hubs read the event from the table instead
        logger.warning("Could not render progress event %s for the streams", event.pk, exc_info=True)
    try:
        async_to_sync(layer.group_send)(STREAM_GROUP, message)
    except (RedisError, OSError):  # the hubs' safety poll still delivers the event, a little later
        logger.warning("Could not push progress event %s to the streams", event.pk, exc_info=True)
