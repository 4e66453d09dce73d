"""Reading a target's listing page by page (resumable) and applying it to the stored items.

A listing is turned into rows (plain dicts, so an interrupted read can be kept in ``WatchTarget.cursor``):
``id``, ``name``, ``artists``, ``position`` and, per kind, ``duration_ms``/``added_at`` (playlist tracks)
or ``album_group``/``release_date`` (artist releases).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from spotizerr.integrations.catalog_types import Page
from watching.models import WatchItem, WatchTarget

Row = dict[str, Any]
ITEM_FIELDS = ("name", "artists", "duration_ms", "album_group", "release_date", "added_at")


@dataclass
class Change:
    """What a check found changed in a target's listing."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: int = 0

    def describe(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {self.moved} moved"


def cursor_for(target: WatchTarget, key: str) -> dict[str, Any]:
    """The stored cursor when it belongs to the same listing version ``key``, else a fresh one."""
    cursor = target.cursor or {}
    if cursor.get("key") == key and isinstance(cursor.get("rows"), list):
        return {
            "key": key,
            "offset": int(cursor.get("offset", 0)),
            "rows": list(cursor["rows"]),
            "total": int(cursor.get("total", 0)),
        }
    return {"key": key, "offset": 0, "rows": [], "total": 0}


def rows_read(
    *,
    cursor: dict[str, Any],
    fetch: Callable[[int], Page],
    to_row: Callable[[Any], Row | None],
    renew: Callable[[], None],
) -> tuple[list[Row], int]:
    """Every row of the listing from ``cursor["offset"]`` on, one page per ``fetch(offset)`` call.

    ``cursor`` is updated after every page, so when ``fetch`` raises (a rate limit) the caller can keep
    it and a later read continues with the page that failed. Returns the rows and Spotify's total.
    """
    while True:
        page = fetch(cursor["offset"])
        cursor["rows"].extend(row for row in map(to_row, page.items) if row is not None)
        cursor["total"] = page.total
        renew()
        if page.next_offset is None or not page.items:
            return cursor["rows"], cursor["total"]
        cursor["offset"] = page.next_offset


def _moves(old_positions_in_new_order: list[int]) -> int:
    """The fewest items that must move to turn the old order into the new one (length minus the
    longest increasing subsequence): inserting one track at the top moves nothing else."""
    tails: list[int] = []
    for position in old_positions_in_new_order:
        at = bisect.bisect_left(tails, position)
        if at == len(tails):
            tails.append(position)
        else:
            tails[at] = position
    return len(old_positions_in_new_order) - len(tails)


def _item_from(target: WatchTarget, row: Row, now: datetime) -> WatchItem:
    values = {name: row[name] for name in ITEM_FIELDS if name in row}
    return WatchItem(
        target=target, spotify_id=row["id"], position=row["position"], first_seen_at=now, **values
    )


@transaction.atomic
def rows_apply(*, target: WatchTarget, rows: list[Row], now: datetime) -> Change:
    """Store ``rows`` as the target's current items: new ones created, gone ones marked removed with the
    time (never deleted), the rest updated with their new position and details. A track listed twice
    keeps its first place."""
    known = {item.spotify_id: item for item in target.items.all()}
    change = Change()
    seen: set[str] = set()
    new: list[WatchItem] = []
    updated: list[WatchItem] = []
    kept_old_positions: list[int] = []
    for row in rows:
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        item = known.get(row["id"])
        if item is None or item.removed_at is not None:
            change.added.append(row["id"])
        if item is None:
            new.append(_item_from(target, row, now))
            continue
        if item.removed_at is None and item.position is not None:
            kept_old_positions.append(item.position)
        item.position, item.removed_at = row["position"], None
        for name in ITEM_FIELDS:
            if name in row:
                setattr(item, name, row[name])
        updated.append(item)
    for item in known.values():
        if item.spotify_id not in seen and item.removed_at is None:
            item.position, item.removed_at = None, now
            change.removed.append(item.spotify_id)
            updated.append(item)
    change.moved = _moves(kept_old_positions)
    WatchItem.objects.bulk_create(new, batch_size=500)
    WatchItem.objects.bulk_update(updated, ["position", "removed_at", *ITEM_FIELDS], batch_size=500)
    return change
