"""The start page: a search box, what is in the queue, and the latest downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.current import request_user
from downloads import selectors as download_selectors
from downloads.outcome import outcome_counts
from library_history import selectors as history_selectors
from spotizerr.dashboard.access import member_required

RECENT = 8


@require_GET
@member_required
def home_view(request: HttpRequest) -> HttpResponse:
    tasks = download_selectors.tasks_visible_to(request_user(request))
    counts = outcome_counts(
        tasks.only("status", "download_type", "summary", "total_tracks").order_by().iterator()
    )
    return render(
        request,
        "dashboard/home.html",
        {
            "counts": counts,
            "recent": history_selectors.history_recent(user=request.user, limit=RECENT),
        },
    )
