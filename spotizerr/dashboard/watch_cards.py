"""What a watchlist card shows beyond the API's watch details: the wanted count (tracks no source had
yet, kept by ``downloads.models.WantedTrack`` with the watch as context), a result sentence that fits the
kind, and the cover (read from Spotify only when the browser asks for the image)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Count

from downloads.models import WantedTrack
from watching.models import Watch, WatchKind

_CHANGE = re.compile(r"^(?P<added>\d+) added, (?P<removed>\d+) removed, (?P<moved>\d+) moved$")
_SYNC = re.compile(
    r"^(?P<queued>\d+) queued(?: \((?P<retried>\d+) retried\))?(?:, (?P<failed>\d+) could not be queued)?$"
)


def wanted_counts(watches: Iterable[Watch]) -> dict[int, int]:
    """Wanted tracks per watch pk: rows of its owner whose context is a watch of its target (one query)."""
    watches = list(watches)
    rows = (
        WantedTrack.objects.filter(
            context_type=WantedTrack.Context.WATCH,
            context_id__in={watch.target.spotify_id for watch in watches},
            owner_id__in={watch.user_id for watch in watches},
        )
        .order_by()
        .values("owner_id", "context_id")
        .annotate(n=Count("pk"))
    )
    found = {(row["owner_id"], row["context_id"]): row["n"] for row in rows}
    return {watch.pk: found.get((watch.user_id, watch.target.spotify_id), 0) for watch in watches}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _change_text(kind: str, change: dict[str, int], queued: int) -> str:
    if kind == WatchKind.ARTIST:
        if queued:
            return f"{_plural(queued, 'new release')} queued"
        return (
            f"{_plural(change['added'], 'new release')} found, none queued"
            if change["added"]
            else ("No new releases")
        )
    parts = [_plural(change["added"], "track") + " added"] if change["added"] else []
    parts += [f"{change[key]} {key}" for key in ("removed", "moved") if change[key]]
    text = ", ".join(parts) or "No changes"
    return f"{text}; {queued} queued" if queued and queued != change["added"] else text


def result_sentence(kind: str, last_result: str) -> str:
    """The last check's result (``watching.services.checks`` writes "<change>; <sync>") as a sentence:
    "2 new releases queued", "3 tracks added, 1 removed". Other texts are shown as they are."""
    text = (last_result or "").strip()
    if not text:
        return "Not checked yet"
    if text == "first read":
        return "Watching started"
    if text == "failed":
        return "The last check failed"
    found, _, sync = text.partition("; ")
    sync_match = _SYNC.match(sync)
    change_match = _CHANGE.match(found)
    if sync_match is None or (change_match is None and found != "unchanged"):
        return text
    change = {key: int(value) for key, value in change_match.groupdict().items()} if change_match else None
    counts = {key: int(value or 0) for key, value in sync_match.groupdict().items()}
    sentence = _change_text(kind, change or {"added": 0, "removed": 0, "moved": 0}, counts["queued"])
    if counts["retried"]:
        sentence += f" ({counts['retried']} retried)"
    if counts["failed"]:
        sentence += f"; {counts['failed']} could not be queued"
    return sentence


def card_extras(details: list[dict[str, Any]], watches: list[Watch]) -> list[dict[str, Any]]:
    """``details`` (``watching.selectors.watch_details`` of ``watches``, same order) with ``wanted``,
    ``result_text`` and ``cover_url`` added."""
    from django.urls import reverse

    wanted = wanted_counts(watches)
    for detail, watch in zip(details, watches, strict=True):
        detail["wanted"] = wanted[watch.pk]
        detail["result_text"] = result_sentence(watch.target.kind, watch.target.last_result)
        detail["cover_url"] = reverse("dashboard:watch-cover", args=[detail["type"], detail["spotify_id"]])
    return details
