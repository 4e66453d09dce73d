"""Bringing each watcher up to date with a target's items: queue what is new for them, retry what
failed, and read how earlier downloads ended. Downloads are queued only through the engine's
``downloads.services.download_request``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from downloads.services import download_request
from spotizerr.errors import ApiError, Conflict
from spotizerr.integrations.spotify import SpotifyRateLimited
from watching import selectors
from watching.liked import client_playlist_id
from watching.models import ItemStatus, Watch, WatchItem, WatchItemState, WatchKind, WatchTarget


@dataclass
class SyncSummary:
    queued: int = 0
    retried: int = 0
    failed: int = 0

    def describe(self) -> str:
        text = f"{self.queued} queued"
        if self.retried:
            text += f" ({self.retried} retried)"
        return text + (f", {self.failed} could not be queued" if self.failed else "")


def items_mark_known(*, watch: Watch, item_ids: Iterable[str], now: datetime) -> None:
    """Give every listed item without a state the state ``known`` (nothing is downloaded)."""
    WatchItemState.objects.bulk_create(
        [
            WatchItemState(watch=watch, item_id=item_id, status=ItemStatus.KNOWN, updated_at=now)
            for item_id in item_ids
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def _outcomes_refresh(states: list[WatchItemState], now: datetime) -> None:
    """Queued states take the outcome of their download once it ended."""
    outcomes = selectors.task_outcomes(state.task_id for state in states)
    for state in states:
        unknown: selectors.Outcome = (ItemStatus.QUEUED, "", None)
        status, error, ended = outcomes.get(state.task_id, unknown) if state.task_id else unknown
        if status == ItemStatus.QUEUED:
            continue
        state.status, state.last_error, state.updated_at = status, error, ended or now
        state.save(update_fields=["status", "last_error", "updated_at"])


def _context(target: WatchTarget, item: WatchItem) -> dict[str, Any]:
    position = (item.position or 0) + 1
    return {
        "playlist_id": client_playlist_id(target.spotify_id),
        "playlist_name": target.name or target.spotify_id,
        "playlist_position": position,
        "playlist_total": max(target.entry_total, position),
        **_watch_context(target),
    }


def _watch_context(target: WatchTarget) -> dict[str, Any]:
    """Marks a task as queued by a watch: a track no source has enters the wanted list as ``watch``."""
    return {"watch_id": target.spotify_id, "watch_name": target.name or target.spotify_id}


def _queue(*, watch: Watch, item: WatchItem, state: WatchItemState | None, now: datetime) -> WatchItemState:
    """Ask the engine for the item's download. An item already queued for this user counts as queued;
    one the engine refuses is failed with its message. ``SpotifyRateLimited`` passes through."""
    target = watch.target
    playlist = target.kind == WatchKind.PLAYLIST
    task_id: uuid.UUID | None = state.task_id if state else None
    error = ""
    try:
        task = download_request(
            user=watch.user,
            download_type="track" if playlist else "album",
            item_id=item.spotify_id,
            context=_context(target, item) if playlist else _watch_context(target),
        )
        status, task_id = ItemStatus.QUEUED, task.pk
    except SpotifyRateLimited:
        raise
    except Conflict as conflict:
        status, task_id = ItemStatus.QUEUED, uuid.UUID(str(conflict.extra["existing_task"]))
    except ApiError as refused:
        status, error = ItemStatus.FAILED, refused.message
    state, _ = WatchItemState.objects.update_or_create(
        watch=watch,
        item_id=item.spotify_id,
        defaults={
            "status": status,
            "task_id": task_id,
            "last_error": error,
            "updated_at": now,
            "attempts": (state.attempts if state else 0) + 1,
        },
    )
    return state


def _needing_work(watch: Watch, retry_before: datetime) -> list[WatchItem]:
    """Current items this watch wants that have no state yet or failed before ``retry_before``, in
    order. Found in SQL, so a watch with nothing to do costs two small queries."""
    items = WatchItem.objects.filter(target_id=watch.target_id, removed_at__isnull=True)
    if watch.target.kind == WatchKind.ARTIST:
        items = items.filter(album_group__in=watch.album_types)
    handled = watch.states.exclude(status=ItemStatus.FAILED, updated_at__lte=retry_before).values("item_id")
    return list(items.exclude(spotify_id__in=handled).order_by("position", "pk"))


def watch_sync(*, watch: Watch, now: datetime, retry_failed_after: int, summary: SyncSummary) -> None:
    """Bring one watch up to date with the target's current items: an item without a state is new for
    this watcher (queued when ``watch_new`` is on, else known); a failed one is queued again once
    ``retry_failed_after`` seconds passed since it failed."""
    _outcomes_refresh(list(watch.states.filter(status=ItemStatus.QUEUED)), now)
    needing = _needing_work(watch, now - timedelta(seconds=retry_failed_after))
    if not needing:
        return
    states = {
        state.item_id: state for state in watch.states.filter(item_id__in=[i.spotify_id for i in needing])
    }
    unwanted: list[str] = []
    for item in needing:
        state = states.get(item.spotify_id)
        if state is None and not watch.watch_new:
            unwanted.append(item.spotify_id)
            continue
        state = _queue(watch=watch, item=item, state=state, now=now)
        summary.queued += state.status == ItemStatus.QUEUED
        summary.retried += item.spotify_id in states and state.status == ItemStatus.QUEUED
        summary.failed += state.status == ItemStatus.FAILED
    items_mark_known(watch=watch, item_ids=unwanted, now=now)


def target_sync(*, target: WatchTarget, now: datetime, retry_failed_after: int) -> SyncSummary:
    """``watch_sync`` for every watcher of ``target``. ``SpotifyRateLimited`` passes through; states
    written before it stay, so the next check continues with the rest."""
    summary = SyncSummary()
    for watch in target.watches.select_related("user", "target"):
        watch_sync(watch=watch, now=now, retry_failed_after=retry_failed_after, summary=summary)
    return summary
