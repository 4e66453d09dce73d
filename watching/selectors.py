"""Reads of watches: who sees which, their details for the API, what is due, and download outcomes."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from downloads.models import DownloadTask, LibraryFile, TaskStatus
from library_history.models import HistoryEntry, HistoryStatus
from spotizerr.errors import NotFound
from watching.liked import client_playlist_id
from watching.models import ItemStatus, Watch, WatchItem, WatchItemState, WatchKind, WatchTarget

DETAIL_LIST_LIMIT = 50  # failed and removed items shown in a status answer
LOOKUP_CHUNK = 500  # ids per IN (...) query


# ---------------------------------------------------------------------------------------------- visibility
def watches_visible_to(*, user: User, kind: str) -> QuerySet[Watch]:
    """Admins see every watch of ``kind``; users their own."""
    watches = Watch.objects.filter(target__kind=kind).select_related("target", "user")
    return watches if user.is_admin else watches.filter(user=user)


def watch_find(*, user: User, kind: str, spotify_id: str) -> Watch | None:
    """The watch of ``spotify_id`` that ``user`` sees: their own first, for admins anyone's."""
    watches = watches_visible_to(user=user, kind=kind).filter(target__spotify_id=spotify_id)
    own = watches.filter(user=user).first()
    return own or watches.order_by("created_at", "pk").first()


def watch_get(*, user: User, kind: str, spotify_id: str) -> Watch:
    """Like ``watch_find`` but raises NotFound, also for another user's watch (nobody learns it exists)."""
    watch = watch_find(user=user, kind=kind, spotify_id=spotify_id)
    if watch is None:
        raise NotFound(f"This {kind} is not on your watch list.", code="watch_not_found")
    return watch


def targets_visible_to(*, user: User, kind: str) -> QuerySet[WatchTarget]:
    targets = WatchTarget.objects.filter(kind=kind)
    return targets if user.is_admin else targets.filter(watches__user=user).distinct()


# ---------------------------------------------------------------------------------------------- details
def watch_options(watch: Watch) -> dict[str, Any]:
    if watch.target.kind == WatchKind.PLAYLIST:
        return {"watch_new_additions": watch.watch_new, "download_existing": watch.download_existing}
    return {
        "watch_new_releases": watch.watch_new,
        "album_types": list(watch.album_types),
        "download_existing": watch.download_existing,
    }


def _item_counts(target_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"items": 0, "removed": 0})
    rows = (
        WatchItem.objects.filter(target_id__in=target_ids)
        .order_by()
        .values("target_id")
        .annotate(
            current=Count("pk", filter=Q(removed_at__isnull=True)),
            removed=Count("pk", filter=Q(removed_at__isnull=False)),
        )
    )
    for row in rows:
        counts[row["target_id"]] = {"items": row["current"], "removed": row["removed"]}
    return counts


def _state_counts(watch_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ItemStatus.values, 0))
    rows = (
        WatchItemState.objects.filter(watch_id__in=watch_ids)
        .order_by()
        .values("watch_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["watch_id"]][row["status"]] = row["n"]
    return counts


def _latest_failures(watch_ids: list[int]) -> dict[int, WatchItemState]:
    latest: dict[int, WatchItemState] = {}
    failed = WatchItemState.objects.filter(watch_id__in=watch_ids, status=ItemStatus.FAILED).order_by(
        "-updated_at"
    )
    for state in failed:
        latest.setdefault(state.watch_id, state)
    return latest


def _item_names(target: WatchTarget, item_ids: Iterable[str]) -> dict[str, str]:
    return dict(
        WatchItem.objects.filter(target=target, spotify_id__in=list(item_ids)).values_list(
            "spotify_id", "name"
        )
    )


def _failure_text(watch: Watch, state: WatchItemState | None) -> str:
    if state is None:
        return ""
    name = _item_names(watch.target, [state.item_id]).get(state.item_id) or state.item_id
    tries = "attempt" if state.attempts == 1 else "attempts"
    return f"{name}: {state.last_error or 'download failed'} ({state.attempts} {tries})"


def watch_details(watches: Iterable[Watch], *, now: datetime) -> list[dict[str, Any]]:
    """Each watch as the API shows it: target, owner, options, counts, schedule, last result and error.
    A constant number of queries however many watches there are (plus one per failing watch)."""
    watches = list(watches)
    items = _item_counts(sorted({watch.target_id for watch in watches}))
    states = _state_counts([watch.pk for watch in watches])
    failures = _latest_failures([watch.pk for watch in watches])
    return [
        _detail(watch, {**items[watch.target_id], **states[watch.pk]}, failures.get(watch.pk), now)
        for watch in watches
    ]


def _detail(
    watch: Watch, counts: dict[str, int], failure: WatchItemState | None, now: datetime
) -> dict[str, Any]:
    target = watch.target
    return {
        "spotify_id": client_playlist_id(target.spotify_id),  # "liked" for Liked Songs
        "type": target.kind,
        "name": target.name,
        "owner": watch.user.username,
        "spotify_owner": target.spotify_owner,
        "options": watch_options(watch),
        "counts": counts,
        "snapshot_id": target.snapshot_id,
        "watched_since": watch.created_at,
        "last_checked": target.last_checked_at,
        "next_check": target.next_check_at,
        "check_running": bool(target.lease_until and target.lease_until > now),
        "last_result": target.last_result,
        "last_error": target.last_error or _failure_text(watch, failure),
    }


def watch_status(watch: Watch, *, now: datetime) -> dict[str, Any]:
    """Details of one watch plus its failing and removed items."""
    detail = watch_details([watch], now=now)[0]
    failed = list(watch.states.filter(status=ItemStatus.FAILED).order_by("-updated_at")[:DETAIL_LIST_LIMIT])
    names = _item_names(watch.target, [state.item_id for state in failed])
    removed = watch.target.items.filter(removed_at__isnull=False).order_by("-removed_at")[:DETAIL_LIST_LIMIT]
    return {
        "is_watched": True,
        **detail,
        "failed_items": [
            {
                "id": state.item_id,
                "name": names.get(state.item_id, ""),
                "attempts": state.attempts,
                "error": state.last_error,
                "failed_at": state.updated_at,
            }
            for state in failed
        ],
        "removed_items": [
            {"id": item.spotify_id, "name": item.name, "removed_at": item.removed_at} for item in removed
        ],
    }


# ---------------------------------------------------------------------------------------------- checking
def targets_due(*, horizon: datetime, now: datetime) -> QuerySet[WatchTarget]:
    """Targets with at least one watcher whose next check is before ``horizon`` and that no live check
    holds, soonest first."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return (
        WatchTarget.objects.filter(free, next_check_at__lt=horizon, watches__isnull=False)
        .distinct()
        .order_by("next_check_at", "pk")
    )


def target_current_items(target: WatchTarget) -> list[WatchItem]:
    """The items Spotify listed at the last check, in playlist order (artists: release order)."""
    return list(target.items.filter(removed_at__isnull=True).order_by("position", "pk"))


Outcome = tuple[str, str, datetime | None]  # item status, error, when the download ended
_TASK_OUTCOMES: dict[str, ItemStatus] = {
    TaskStatus.COMPLETE: ItemStatus.DOWNLOADED,
    TaskStatus.SKIPPED: ItemStatus.DOWNLOADED,
    TaskStatus.ERROR: ItemStatus.FAILED,
    TaskStatus.CANCELLED: ItemStatus.CANCELLED,
}
FAILED_WITHOUT_MESSAGE = "The download failed."


def library_paths(*, spotify_ids: list[str], root: Path, owner: User | None = None) -> dict[str, Path]:
    """The file under ``root`` the library index holds for each track that has one still on disk (full
    files before previews, newest first); only ``owner``'s files when given (``separateTracksByUser``).
    A few queries however long the playlist."""
    found: dict[str, Path] = {}
    for start in range(0, len(spotify_ids), LOOKUP_CHUNK):
        files = LibraryFile.objects.filter(
            library_root=str(root), spotify_id__in=spotify_ids[start : start + LOOKUP_CHUNK]
        )
        if owner is not None:
            files = files.filter(owner=owner)
        rows = files.order_by("is_preview", "-created_at").values_list("spotify_id", "relative_path")
        for spotify_id, relative in rows:
            if spotify_id not in found and (root / relative).is_file():
                found[spotify_id] = root / relative
    return found


def _history_outcome(entry: HistoryEntry) -> Outcome:
    if entry.status == HistoryStatus.FAILED:
        return ItemStatus.FAILED, entry.error or FAILED_WITHOUT_MESSAGE, entry.completed_at
    if entry.status == HistoryStatus.CANCELLED:  # as for a cancelled task still in the task list
        return ItemStatus.CANCELLED, "", entry.completed_at
    if entry.status == HistoryStatus.IN_PROGRESS:
        return ItemStatus.QUEUED, "", None
    return ItemStatus.DOWNLOADED, "", entry.completed_at


def task_outcomes(task_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Outcome]:
    """How each download task ended as an item status (``queued`` while it runs), its error and when it
    ended. A deleted task is looked up in the history; one found nowhere counts as downloaded."""
    wanted = {task_id for task_id in task_ids if task_id is not None}
    outcomes: dict[uuid.UUID, Outcome] = {}
    rows = DownloadTask.objects.filter(pk__in=wanted).values_list(
        "pk", "status", "error_message", "finished_at"
    )
    for pk, status, error, finished_at in rows:
        outcome = _TASK_OUTCOMES.get(status, ItemStatus.QUEUED)
        message = (error or FAILED_WITHOUT_MESSAGE) if outcome == ItemStatus.FAILED else ""
        outcomes[pk] = (outcome, message, finished_at)
    for entry in HistoryEntry.objects.filter(task_id__in=wanted - set(outcomes)):
        outcomes[entry.task_id] = _history_outcome(entry)
    for missing in wanted - set(outcomes):
        outcomes[missing] = (ItemStatus.DOWNLOADED, "", None)
    return outcomes


def releases_in_library(*, watch: Watch, release_ids: list[str]) -> set[str]:
    """Releases of a watched artist already downloaded: by this watch, or as a completed album task."""
    downloaded = set(
        WatchItemState.objects.filter(
            watch=watch, item_id__in=release_ids, status=ItemStatus.DOWNLOADED
        ).values_list("item_id", flat=True)
    )
    completed = DownloadTask.objects.filter(
        download_type="album", item_id__in=release_ids, status=TaskStatus.COMPLETE
    ).values_list("item_id", flat=True)
    return downloaded | set(completed)
