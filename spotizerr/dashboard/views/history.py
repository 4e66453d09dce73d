"""History: the filtered, sortable, searchable, paged table, one download's tracks, and the statistics."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.current import request_user
from library_history import selectors
from library_history.models import DownloadType, HistoryEntry, HistoryStatus
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.charts import stats_charts
from spotizerr.dashboard.pages import error_page, int_param, pager
from spotizerr.errors import ApiError, NotFound

HISTORY_PAGE = 25
SEARCH_LIMIT = 100


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class HistoryFilters:
    query: str
    download_type: str | None
    status: str | None
    sort: str
    created_from: date | None
    created_to: date | None

    @classmethod
    def from_request(cls, request: HttpRequest) -> HistoryFilters:
        first, last = _day(request.GET.get("from")), _day(request.GET.get("to"))
        if first and last and first > last:
            first, last = last, first  # a range typed backwards still means the days between
        return cls(
            query=request.GET.get("q", "").strip()[:200],
            download_type=_choice(request.GET.get("type"), DownloadType.values),
            status=_choice(request.GET.get("status"), HistoryStatus.values),
            sort=_choice(request.GET.get("sort"), list(selectors.SORTS)) or "-created_at",
            created_from=first,
            created_to=last,
        )

    def keeps(self, entry: HistoryEntry) -> bool:
        day = entry.created_at.astimezone(UTC).date()
        return (
            (not self.download_type or entry.download_type == self.download_type)
            and (not self.status or entry.status == self.status)
            and (not self.created_from or day >= self.created_from)
            and (not self.created_to or day <= self.created_to)
        )


def _sorted(entries: list[HistoryEntry], sort: str) -> list[HistoryEntry]:
    field = sort.lstrip("-")
    key = (lambda e: e.name.casefold()) if field == "name" else (lambda e: e.created_at)
    return sorted(entries, key=key, reverse=sort.startswith("-"))


def _sort_links(request: HttpRequest, sort: str) -> dict[str, dict[str, str]]:
    """For the Name and When headers: the link that sorts by them (flipping the direction when they
    are the current order) and the ``aria-sort`` they carry now."""
    links = {}
    for field, first in (("name", "name"), ("created_at", "-created_at")):
        current = sort.lstrip("-") == field
        target = ("" if sort.startswith("-") else "-") + field if current else first
        params = {**request.GET.dict(), "sort": target}
        params.pop("offset", None)
        state = ("descending" if sort.startswith("-") else "ascending") if current else "none"
        links[field] = {"url": f"{request.path}?{urlencode(params)}", "aria": state}
    return links


@require_GET
@member_required
def history_view(request: HttpRequest) -> HttpResponse:
    chosen = HistoryFilters.from_request(request)
    offset = int_param(request, "offset")
    listing = None
    if chosen.query:
        found = selectors.history_search(user=request.user, query=chosen.query, limit=SEARCH_LIMIT)
        entries = _sorted([entry for entry in found if chosen.keeps(entry)], chosen.sort)
    else:
        page = selectors.history_list(
            user=request.user,
            limit=HISTORY_PAGE,
            offset=offset,
            download_type=chosen.download_type,
            status=chosen.status,
            sort=chosen.sort,
            created_from=chosen.created_from,
            created_to=chosen.created_to,
        )
        entries = page.entries
        listing = pager(request, offset=offset, limit=HISTORY_PAGE, total=page.total)
    context = {
        "entries": entries,
        "pager": listing,
        "filters": chosen,
        "sorting": _sort_links(request, chosen.sort),
        "types": DownloadType.choices,
        "statuses": HistoryStatus.choices,
        "show_owner": request_user(request).is_admin,
    }
    return render(request, "dashboard/history.html", context)


@require_GET
@member_required
def history_entry_view(request: HttpRequest, task_id: str) -> HttpResponse:
    try:
        key = uuid.UUID(task_id)
        entry, tracks = selectors.history_children(user=request.user, task_id=key)
    except ValueError:
        return error_page(request, NotFound("No such download."), title="Not in your history")
    except ApiError as error:
        return error_page(request, error, title="Not in your history")
    return render(request, "dashboard/history_entry.html", {"entry": entry, "tracks": tracks})


@require_GET
@member_required
def history_stats_view(request: HttpRequest) -> HttpResponse:
    stats = selectors.history_stats(user=request.user)
    return render(request, "dashboard/history_stats.html", {"stats": stats, "charts": stats_charts(stats)})
