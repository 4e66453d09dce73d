"""Reads of the download history. Users see their own entries, admins everyone's.

List totals and stats come from the counter tables (``library_history.counters``), never from
counting entries, so their cost does not grow with the history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from library_history import search
from library_history.models import (
    DownloadType,
    HistoryArtistCounter,
    HistoryArtistTotal,
    HistoryCounter,
    HistoryDailyCounter,
    HistoryEntry,
    HistoryStatus,
    HistoryTrack,
)
from spotizerr.errors import NotFound
from spotizerr.lib.prepared import PreparedQuery

STATS_DAYS = 30
TOP_ARTISTS = 10


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry]
    total: int


def _owner_filter(user: Any) -> int | None:
    """The owner id a user is limited to, or None for admins (everyone's history)."""
    return None if getattr(user, "is_admin", False) else user.id


def visible_entries(*, user: Any) -> QuerySet[HistoryEntry]:
    """The entries ``user`` may see, newest first, with their owner loaded."""
    entries = HistoryEntry.objects.select_related("owner").order_by("-created_at", "-id")
    owner_id = _owner_filter(user)
    return entries if owner_id is None else entries.filter(owner_id=owner_id)


#: ``sort`` values of the history list and the order each one means (names ignore case)
SORTS: dict[str, tuple[Any, str]] = {
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
    "name": (Lower("name").asc(), "id"),
    "-name": (Lower("name").desc(), "-id"),
}


def history_list(
    *,
    user: Any,
    limit: int,
    offset: int,
    download_type: str | None = None,
    status: str | None = None,
    sort: str = "-created_at",
    created_from: date | None = None,
    created_to: date | None = None,
) -> HistoryPage:
    """One page of visible entries, optionally of one type and status and made between two days
    (inclusive, UTC), in ``sort`` order (a key of ``SORTS``), plus the filtered total. Without a
    date range the total comes from the counters; with one it is counted."""
    filters = {key: value for key, value in (("download_type", download_type), ("status", status)) if value}
    entries = visible_entries(user=user).filter(**filters)
    span = _day_span(created_from, created_to)
    if span:
        entries = entries.filter(**span)
        total = entries.count()
    else:
        total = _total(user, filters)
    # the counters are exact: no query for a page past the end (an empty history, say)
    page = list(entries.order_by(*SORTS[sort])[offset : offset + limit]) if offset < total else []
    return HistoryPage(entries=page, total=total)


def _day_span(first: date | None, last: date | None) -> dict[str, datetime]:
    span = {}
    if first is not None:
        span["created_at__gte"] = datetime.combine(first, time.min, tzinfo=UTC)
    if last is not None:
        span["created_at__lt"] = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
    return span


# The unfiltered totals every plain history page shows: compiled once (spotizerr.lib.prepared). A few
# counter rows per user (one per type and status), summed here.
_TOTAL_ALL = PreparedQuery(lambda: HistoryCounter.objects.order_by().values_list("entries"))
_TOTAL_OWNED = PreparedQuery(
    lambda owner_id: HistoryCounter.objects.filter(owner_id=owner_id).order_by().values_list("entries"),
    -7_301,
)


def _total(user: Any, filters: dict[str, str]) -> int:
    if filters:
        return _counted(user, filters).aggregate(n=Sum("entries"))["n"] or 0
    owner_id = _owner_filter(user)
    rows = _TOTAL_ALL.rows() if owner_id is None else _TOTAL_OWNED.rows(owner_id)
    return sum(entries for (entries,) in rows)


def _counted(user: Any, filters: dict[str, str]) -> QuerySet[HistoryCounter]:
    counters = HistoryCounter.objects.filter(**filters)
    owner_id = _owner_filter(user)
    return counters if owner_id is None else counters.filter(owner_id=owner_id)


def history_recent(*, user: Any, limit: int) -> list[HistoryEntry]:
    return list(visible_entries(user=user)[:limit])


def history_failed(*, user: Any, limit: int) -> list[HistoryEntry]:
    return list(visible_entries(user=user).filter(status=HistoryStatus.FAILED)[:limit])


def history_get(*, user: Any, task_id: uuid.UUID) -> HistoryEntry:
    """The visible entry of ``task_id``; raises ``NotFound`` (also for someone else's entry)."""
    entry = visible_entries(user=user).filter(task_id=task_id).first()
    if entry is None:
        raise NotFound("No download with that task id in your history.", code="history_not_found")
    return entry


def history_children(*, user: Any, task_id: uuid.UUID) -> tuple[HistoryEntry, list[HistoryTrack]]:
    """The visible entry of ``task_id`` and its per-track rows in order; raises ``NotFound``."""
    entry = history_get(user=user, task_id=task_id)
    return entry, list(HistoryTrack.objects.filter(parent=entry).order_by("position"))


def history_search(*, user: Any, query: str, limit: int) -> list[HistoryEntry]:
    """Visible entries whose name, artist or album match every word of ``query``, newest first."""
    ids = search.matching_ids(words=search.query_words(query), owner_id=_owner_filter(user), limit=limit)
    return list(visible_entries(user=user).filter(id__in=ids)) if ids else []


def history_stats(*, user: Any) -> dict[str, Any]:
    """Counts by type and status, tracks and bytes downloaded, the last 30 days, top artists."""
    counters = list(_counted(user, {}).values("download_type", "status", "entries", "tracks", "size_bytes"))
    by_type = dict.fromkeys(DownloadType.values, 0)
    by_status = dict.fromkeys(HistoryStatus.values, 0)
    for row in counters:
        by_type[row["download_type"]] += row["entries"]
        by_status[row["status"]] += row["entries"]
    return {
        "total_downloads": sum(by_type.values()),
        "by_type": by_type,
        "by_status": by_status,
        "tracks_downloaded": sum(row["tracks"] for row in counters),
        "bytes_downloaded": sum(row["size_bytes"] for row in counters),
        "downloads_per_day": _per_day(user),
        "top_artists": _top_artists(user),
    }


def _per_day(user: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    first = today - timedelta(days=STATS_DAYS - 1)
    daily = HistoryDailyCounter.objects.filter(day__gte=first, day__lte=today)
    owner_id = _owner_filter(user)
    if owner_id is not None:
        daily = daily.filter(owner_id=owner_id)
    counts: dict[date, int] = {row["day"]: row["n"] for row in daily.values("day").annotate(n=Sum("entries"))}
    return [
        {"date": first + timedelta(days=i), "count": counts.get(first + timedelta(days=i), 0)}
        for i in range(STATS_DAYS)
    ]


def _top_artists(user: Any) -> list[dict[str, Any]]:
    owner_id = _owner_filter(user)
    artists = (
        HistoryArtistTotal.objects.all()
        if owner_id is None
        else HistoryArtistCounter.objects.filter(owner_id=owner_id)
    )
    top = (
        artists.filter(entries__gt=0).order_by("-entries", "artist").values("artist", "entries")[:TOP_ARTISTS]
    )
    return [{"artist": row["artist"], "count": row["entries"]} for row in top]
