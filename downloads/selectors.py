"""Reads of download tasks and their progress (lookups in the library index: ``library_index.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from downloads import event_order
from downloads.event_order import Position
from downloads.models import (
    ACTIVE_STATUSES,
    DownloadTask,
    TaskEvent,
    TaskStatus,
    TrackJob,
    TrackStatus,
)
from downloads.outcome import outcome_counts, summary_document
from spotizerr.errors import NotFound
from spotizerr.lib.prepared import PreparedQuery


def tasks_visible_to(user: User) -> QuerySet[DownloadTask]:
    """Admins (and the system admin while auth is off) see every task; users their own."""
    tasks = DownloadTask.objects.all()
    return tasks if user.is_admin else tasks.filter(owner=user)


def _visible_one(tasks: QuerySet[DownloadTask], *, task_id: uuid.UUID | str) -> DownloadTask:
    try:
        key = uuid.UUID(str(task_id))
    except ValueError:
        raise NotFound("No such task.", code="task_not_found") from None
    task = tasks.filter(pk=key).first()
    if task is None:
        raise NotFound("No such task.", code="task_not_found")
    return task


def task_get_visible(*, user: User, task_id: uuid.UUID | str) -> DownloadTask:
    """The task, if ``user`` may see it. Raises NotFound otherwise (also for ids that are not UUIDs),
    so nobody learns whether another user's task exists."""
    return _visible_one(tasks_visible_to(user), task_id=task_id)


def task_active_for(*, owner: User, download_type: str, item_id: str) -> DownloadTask | None:
    return DownloadTask.objects.filter(
        owner=owner,
        download_type=download_type,
        item_id=item_id,
        status__in=ACTIVE_STATUSES,
    ).first()


def task_counts(tasks: QuerySet[DownloadTask]) -> dict[str, int]:
    """How many of ``tasks`` are in each status (every status present, zero included)."""
    counts = {status: 0 for status in TaskStatus.values}
    for row in tasks.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["active"] = sum(counts[status] for status in ACTIVE_STATUSES)
    return counts


# The counts of every task list and update: compiled once (spotizerr.lib.prepared).
_COUNTS_ALL = PreparedQuery(
    lambda: DownloadTask.objects.order_by().values_list("status").annotate(n=Count("pk"))
)
_COUNTS_OWNED = PreparedQuery(
    lambda owner_id: (
        DownloadTask.objects.filter(owner_id=owner_id)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    ),
    -7_301,
)


def visible_task_counts(user: User) -> dict[str, int]:
    """``task_counts(tasks_visible_to(user))``, from SQL compiled once per process."""
    counts = {status: 0 for status in TaskStatus.values}
    rows = _COUNTS_ALL.rows() if user.is_admin else _COUNTS_OWNED.rows(user.pk)
    for status, number in rows:
        counts[status] = number
    counts["active"] = sum(counts[status] for status in ACTIVE_STATUSES)
    return counts


def all_tasks_count(counts: dict[str, int]) -> int:
    """How many tasks ``task_counts`` counted, whatever their status."""
    return sum(counts[status] for status in TaskStatus.values)


# What a progress document does not show; the album or playlist details alone can be tens of KB a task.
_NOT_IN_PROGRESS = ("settings_snapshot", "metadata", "context", "overrides")


def _with_event_stats(tasks: QuerySet[DownloadTask]) -> QuerySet[DownloadTask]:
    """``events_count`` and ``last_event_id`` per task, as subqueries: they run for the returned rows
    only (a page), where a join with GROUP BY aggregated every visible task's events first."""
    events = TaskEvent.objects.filter(task=OuterRef("pk")).order_by()
    count = events.values("task").annotate(n=Count("pk")).values("n")
    return (
        tasks.select_related("owner")
        .defer(*_NOT_IN_PROGRESS)
        .annotate(
            events_count=Coalesce(Subquery(count), 0),
            last_event_id=Subquery(events.order_by("-pk").values("pk")[:1]),
        )
    )


def tasks_progress(tasks: Iterable[DownloadTask]) -> list[dict[str, Any]]:
    """The progress document of each task, in order; ``tasks`` should come from ``tasks_annotated``."""
    tasks = list(tasks)
    last_ids = [getattr(task, "last_event_id", None) for task in tasks]
    events = TaskEvent.objects.in_bulk([event_id for event_id in last_ids if event_id])
    return [_progress(task, events.get(getattr(task, "last_event_id", None))) for task in tasks]


def tasks_annotated(tasks: QuerySet[DownloadTask]) -> QuerySet[DownloadTask]:
    return _with_event_stats(tasks)


def task_progress(*, user: User, task_id: uuid.UUID | str) -> dict[str, Any]:
    """The progress document of one task ``user`` may see (see ``TaskProgressSerializer``), with the
    per-track lists in its summary, even while it runs (task lists and the stream carry only the
    counts). Raises NotFound like ``task_get_visible``."""
    task = _visible_one(_with_event_stats(tasks_visible_to(user)), task_id=task_id)
    document = tasks_progress([task])[0]
    summary = task_summary(task)
    if summary["total_tracks"]:
        document["summary"] = {**document["summary"], **summary}
    return document


# Keys of an event that a client tells the kind of line by (``"track" in last_line``): present only
# with a value, never as null (the original Spotizerr web UI reads ``last_line.track.title`` then).
_KIND_KEYS = ("track", "album", "playlist", "parent")


def last_line_of(event: TaskEvent) -> dict[str, Any]:
    """An event as clients see it (``last_line``): its payload and ``event_id``, null kind keys left out.

    On an event about one track of an album or playlist, ``status`` is the task's status (the track's
    own is in ``track.status`` and ``status_info.status``): clients show ``last_line.status`` as the
    task's, and a first track "done" must not read as a finished album."""
    line = {key: value for key, value in event.payload.items() if not (key in _KIND_KEYS and value is None)}
    if line.get("parent") and line.get("task_status"):
        line["status"] = line["task_status"]
    line["event_id"] = event.pk
    return line


def _progress(task: DownloadTask, last_event: TaskEvent | None) -> dict[str, Any]:
    return {
        "task_id": str(task.pk),
        "status": task.status,
        "progress": task.progress,
        "name": task.name,
        "artist": task.artist,
        "type": task.download_type,
        "download_type": task.download_type,
        "item_id": task.item_id,
        "original_url": task.spotify_url,  # clients take the item id from its end
        "owner": task.owner.username,
        "original_request": task.original_request,
        "created_at": task.created_at.timestamp(),
        "timestamp": task.updated_at.timestamp(),
        "started_at": task.started_at.timestamp() if task.started_at else None,
        "finished_at": task.finished_at.timestamp() if task.finished_at else None,
        "current_track": task.current_track,
        "total_tracks": task.total_tracks,
        "status_count": getattr(task, "events_count", 0),
        "summary": summary_document(task),
        "error": task.error_message or None,
        "last_line": last_line_of(last_event) if last_event else None,
    }


def tasks_changed_since(*, user: User, since: datetime) -> QuerySet[DownloadTask]:
    return tasks_visible_to(user).filter(updated_at__gt=since)


def deleted_task_ids_since(*, user: User, since: datetime) -> list[str]:
    events = TaskEvent.objects.filter(kind=TaskEvent.Kind.DELETED, created_at__gt=since)
    if not user.is_admin:
        events = events.filter(owner=user)
    return [str(task_uuid) for task_uuid in events.values_list("task_uuid", flat=True)]


def events_after(*, user: User, after: Position, limit: int) -> list[TaskEvent]:
    """Up to ``limit`` events after position ``after`` that ``user`` may see, in position order:
    settled ones only, so a later read never finds one behind them (``downloads.event_order``)."""
    events = event_order.after(after)
    if not user.is_admin:
        events = events.filter(owner=user)
    return event_order.settled(list(events[:limit]))[0]


def track_jobs_of(task: DownloadTask) -> QuerySet[TrackJob]:
    return TrackJob.objects.filter(task=task).order_by("position")


_SUMMARY_FIELDS = (
    "position",
    "track_id",
    "name",
    "artist",
    "status",
    "reason",
    "file_path",
    "source",
    "quality",
    "is_preview",
)


def task_summary(task: DownloadTask) -> dict[str, Any]:
    """Successful, skipped and failed tracks with reasons, and the totals."""
    rows = list(TrackJob.objects.filter(task=task).order_by("position").values(*_SUMMARY_FIELDS))
    by_status: dict[str, list[dict[str, Any]]] = {status: [] for status in TrackStatus.values}
    for row in rows:
        by_status[row["status"]].append(row)
    return {
        "successful_tracks": by_status[TrackStatus.DONE],
        "skipped_tracks": by_status[TrackStatus.SKIPPED],
        "failed_tracks": by_status[TrackStatus.FAILED],
        "total_successful": len(by_status[TrackStatus.DONE]),
        "total_skipped": len(by_status[TrackStatus.SKIPPED]),
        "total_failed": len(by_status[TrackStatus.FAILED]),
        "total_cancelled": len(by_status[TrackStatus.CANCELLED]),
        "total_tracks": len(rows),
        "previews": sum(1 for row in by_status[TrackStatus.DONE] if row["is_preview"]),
        "m3u_file": (task.summary or {}).get("m3u_file"),
    }


def track_job_counts(task: DownloadTask) -> tuple[dict[str, int], int]:
    """The task's tracks per status, and how many of the done ones are previews (one grouped query)."""
    counts = {status: 0 for status in TrackStatus.values}
    previews = 0
    for row in (
        TrackJob.objects.filter(task=task)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), previews=Count("pk", filter=Q(is_preview=True)))
    ):
        counts[row["status"]] = row["n"]
        previews += row["previews"] if row["status"] == TrackStatus.DONE else 0
    return counts, previews


# ---------------------------------------------------------------------------------------------- progress lists
MAX_UPDATES = 500


def _page(
    tasks: QuerySet[DownloadTask], *, page: int, limit: int, total: int
) -> tuple[list[DownloadTask], dict[str, Any]]:
    start = (page - 1) * limit
    # the counts say how many there are: no query for a page past the end (an empty list, say)
    rows = list(tasks_annotated(tasks)[start : start + limit]) if start < total else []
    pages = max(1, -(-total // limit))
    return rows, {
        "page": page,
        "limit": limit,
        "total_count": total,
        "total_pages": pages,
        "has_more": page * limit < total,
    }


def tasks_list(*, user: User, page: int, limit: int, active_only: bool) -> dict[str, Any]:
    """A page of the tasks ``user`` may see, newest first, with counts per status."""
    visible = tasks_visible_to(user)
    counts = visible_task_counts(user)  # also the page's total: no COUNT query of its own
    tasks = visible.filter(status__in=ACTIVE_STATUSES) if active_only else visible
    total = counts["active"] if active_only else all_tasks_count(counts)
    rows, pagination = _page(tasks.order_by("-created_at"), page=page, limit=limit, total=total)
    return {
        "tasks": tasks_progress(rows),
        "pagination": pagination,
        "task_counts": counts,
        "timestamp": timezone.now().timestamp(),
    }


def tasks_updates(
    *, user: User, since: float | None, page: int, limit: int, active_only: bool
) -> dict[str, Any]:
    """With ``since`` (a Unix timestamp): only tasks changed after it, and ids deleted after it.
    Without: every active task plus a page of the others (unless ``active_only``)."""
    now = timezone.now()
    visible = tasks_visible_to(user)
    counts = visible_task_counts(user)
    pagination = None
    if since is not None:
        moment = datetime.fromtimestamp(since, tz=UTC)
        changed = visible.filter(updated_at__gt=moment)
        if active_only:
            changed = changed.filter(status__in=ACTIVE_STATUSES)
        rows = list(tasks_annotated(changed.order_by("updated_at"))[: MAX_UPDATES + 1])
        deleted = deleted_task_ids_since(user=user, since=moment)
    else:
        rows = list(tasks_annotated(visible.filter(status__in=ACTIVE_STATUSES).order_by("-created_at")))
        if not active_only:
            finished = all_tasks_count(counts) - counts["active"]
            others, pagination = _page(
                visible.exclude(status__in=ACTIVE_STATUSES).order_by("-created_at"),
                page=page,
                limit=limit,
                total=finished,
            )
            rows += others
        deleted = []
    truncated = len(rows) > MAX_UPDATES
    rows = rows[:MAX_UPDATES]
    return {
        "tasks": tasks_progress(rows),
        "deleted_tasks": deleted,
        "task_counts": counts,
        "since": since,
        "current_timestamp": now.timestamp(),
        "changes_count": len(rows) + len(deleted),
        "truncated": truncated,
        "pagination": pagination,
    }


def tasks_queue(*, user: User, page: int, limit: int) -> dict[str, Any]:
    """The queue page: every active task (up to ``MAX_UPDATES``, oldest first: the order they run),
    a page of the finished ones (newest first), counts per status and per outcome."""
    visible = tasks_visible_to(user)
    counts = task_counts(visible)
    active = list(
        tasks_annotated(visible.filter(status__in=ACTIVE_STATUSES).order_by("created_at"))[:MAX_UPDATES]
    )
    finished, pagination = _page(
        visible.exclude(status__in=ACTIVE_STATUSES).order_by("-created_at"),
        page=page,
        limit=limit,
        total=all_tasks_count(counts) - counts["active"],
    )
    fields = ("pk", "status", "download_type", "summary", "total_tracks")
    # A task that ended between the two reads is in both: keep its newer document, in the finished list.
    newest: dict[str, dict[str, Any]] = {}
    for doc in tasks_progress(active) + tasks_progress(finished):
        if doc["task_id"] not in newest or doc["timestamp"] >= newest[doc["task_id"]]["timestamp"]:
            newest[doc["task_id"]] = doc
    docs = list(newest.values())
    return {
        "active": [doc for doc in docs if doc["status"] in ACTIVE_STATUSES],
        "finished": [doc for doc in docs if doc["status"] not in ACTIVE_STATUSES],
        "pagination": pagination,
        "task_counts": counts,
        "outcomes": outcome_counts(visible.only(*fields).order_by().iterator()),
        "timestamp": timezone.now().timestamp(),
    }
