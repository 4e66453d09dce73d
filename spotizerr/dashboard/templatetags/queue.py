"""How the queue shows a task: one view of a progress document, mirrored by static/dashboard/queue.js
(``view``) for live updates, and the live task count of the navigation."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from accounts.current import request_user
from downloads.models import ACTIVE_STATUSES, TaskStatus
from downloads.outcome import history_word
from downloads.selectors import tasks_visible_to
from library_history.models import HistoryStatus

register = template.Library()

PREVIEW_LABEL = "Preview (30 s)"


def _track_line(doc: dict[str, Any], total: int) -> tuple[str, str, bool]:
    """``Track n of N``, the current track's title, and whether the event's message adds anything
    (a track just started says "Track n of N." again)."""
    line = doc.get("last_line") or {}
    track = line.get("track") or {}
    current = int(doc.get("current_track") or 0)
    text = f"Track {current} of {total}" if total and current else ""
    busy = track.get("status") in ("downloading", "retrying")
    title = str(track.get("name") or "") if busy else ""
    return text, title, track.get("status") != "downloading"


def _counts_text(doc: dict[str, Any], summary: dict[str, Any], total: int) -> str:
    """``3 of 5 · 2 failed``: tracks in the library out of all, then what did not make it."""
    if doc.get("download_type") == "track" or not total:
        return ""
    got = int(summary.get("completed") or 0) + int(summary.get("skipped") or 0)
    parts = [f"{got} of {total}"]
    for key in ("failed", "cancelled"):
        if summary.get(key):
            parts.append(f"{summary[key]} {key}")
    return " · ".join(parts)


def _preview_text(summary: dict[str, Any]) -> str:
    previews, completed = int(summary.get("previews") or 0), int(summary.get("completed") or 0)
    if not previews:
        return ""
    return PREVIEW_LABEL if previews == completed else f"{previews} previews (30 s)"


def _share(part: int, total: int) -> int:
    """``part`` of ``total`` in percent, halves rounded up (as ``Math.round`` in queue.js)."""
    return int(100 * part / total + 0.5)


@register.filter
def task_view(doc: dict[str, Any]) -> dict[str, Any]:
    """What the queue row of ``doc`` (a progress document) shows: the status in the history's words
    once the task has ended (Partial, not Complete, when tracks failed), the bar at the share of
    tracks in the library, the counts, a preview badge, and whether Retry applies."""
    summary = doc.get("summary") or {}
    status = str(doc.get("status") or "")
    active = status in ACTIVE_STATUSES
    total = int(summary.get("total_tracks") or doc.get("total_tracks") or 0)
    outcome = history_word(str(summary.get("status") or (HistoryStatus.IN_PROGRESS if active else status)))
    view: dict[str, Any] = {"active": active, "outcome": outcome, "preview": _preview_text(summary)}
    if active:
        track_text, title, show_message = _track_line(doc, total)
        message = ((doc.get("last_line") or {}).get("status_info") or {}).get("message") or ""
        view.update(
            label=TaskStatus(status).label,
            css=status,
            bar=int(doc.get("progress") or 0),
            track=track_text,
            title=title,
            counts="",
            message=message if show_message else "",
            retryable=False,
        )
        return view
    got = int(summary.get("completed") or 0) + int(summary.get("skipped") or 0)
    failed = int(summary.get("failed") or 0)
    view.update(
        label=HistoryStatus(outcome).label if outcome in HistoryStatus.values else outcome.capitalize(),
        css=outcome,
        bar=_share(got, total) if total else (100 if outcome == HistoryStatus.COMPLETED else 0),
        track="",
        title="",
        counts=_counts_text(doc, summary, total),
        message="",
        retryable=bool(failed) or (status == TaskStatus.ERROR and not total),
    )
    return view


@register.simple_tag(takes_context=True)
def queue_nav_count(context: template.Context) -> str:
    """The number of active tasks beside "Queue" in the navigation (hidden at 0); queue.js and
    app.js keep it current."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return ""
    count = tasks_visible_to(request_user(request)).filter(status__in=ACTIVE_STATUSES).count()
    return format_html(
        ' <span class="nav-count" data-count="active" data-hide-zero{}>{}</span>',
        " hidden" if not count else "",
        count,
    )
