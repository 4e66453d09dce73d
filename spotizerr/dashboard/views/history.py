"""History: the filtered, searchable, paged table, one download's tracks, and the statistics."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.current import request_user
from library_history import selectors
from library_history.models import DownloadType, HistoryStatus
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.charts import stats_charts
from spotizerr.dashboard.pages import error_page, int_param, pager
from spotizerr.errors import ApiError, NotFound

HISTORY_PAGE = 25
SEARCH_LIMIT = 100


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


@require_GET
@member_required
def history_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    download_type = _choice(request.GET.get("type"), DownloadType.values)
    status = _choice(request.GET.get("status"), HistoryStatus.values)
    offset = int_param(request, "offset")
    listing = None
    if query:
        entries = selectors.history_search(user=request.user, query=query, limit=SEARCH_LIMIT)
        entries = [
            entry
            for entry in entries
            if (not download_type or entry.download_type == download_type)
            and (not status or entry.status == status)
        ]
    else:
        page = selectors.history_list(
            user=request.user, limit=HISTORY_PAGE, offset=offset, download_type=download_type, status=status
        )
        entries = page.entries
        listing = pager(request, offset=offset, limit=HISTORY_PAGE, total=page.total)
    return render(
        request,
        "dashboard/history.html",
        {
            "entries": entries,
            "pager": listing,
            "query": query,
            "type": download_type or "",
            "status": status or "",
            "types": DownloadType.choices,
            "statuses": HistoryStatus.choices,
            "show_owner": request_user(request).is_admin,
        },
    )


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
