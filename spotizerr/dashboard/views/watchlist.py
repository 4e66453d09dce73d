"""The watchlist: watched playlists and artists with their schedule and last result; Check now, Remove;
and the Watch toggle of the playlist and artist pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.current import request_user
from accounts.models import User
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.pages import back_to, report_error
from spotizerr.errors import ApiError
from watching import selectors, services
from watching.models import Watch, WatchKind


def watch_state(*, kind: str, spotify_id: str, user: User) -> Watch | None:
    """The watch of this playlist or artist that ``user`` sees, if any (drives the Watch toggle)."""
    return selectors.watch_find(user=user, kind=kind, spotify_id=spotify_id)


@require_GET
@member_required
def watchlist_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    groups: list[dict[str, Any]] = []
    for kind, label in WatchKind.choices:
        watches = selectors.watches_visible_to(user=request_user(request), kind=kind).order_by(
            "target__name", "pk"
        )
        groups.append(
            {"kind": kind, "label": f"{label}s", "watches": selectors.watch_details(watches, now=now)}
        )
    return render(
        request, "dashboard/watchlist.html", {"groups": groups, "show_owner": request_user(request).is_admin}
    )


@require_POST
@member_required
def watch_toggle_view(request: HttpRequest, kind: str, spotify_id: str) -> HttpResponse:
    """Start (``action=add``) or stop (``action=remove``) watching a playlist or artist."""
    try:
        if request.POST.get("action") == "remove":
            services.watch_remove(user=request_user(request), kind=kind, spotify_id=spotify_id)
            messages.success(request, f"Stopped watching this {kind}.")
        elif kind == WatchKind.PLAYLIST:
            watch, created = services.watch_playlist_add(user=request_user(request), playlist_id=spotify_id)
            messages.success(request, _added_text(watch, created))
        else:
            watch, created = services.watch_artist_add(user=request_user(request), artist_id=spotify_id)
            messages.success(request, _added_text(watch, created))
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:watchlist"))


def _added_text(watch: Watch, created: bool) -> str:
    name = watch.target.name or watch.target.spotify_id
    if not created:
        return f"You already watch “{name}”."
    kind = "tracks" if watch.target.kind == WatchKind.PLAYLIST else "releases"
    return f"Watching “{name}”: new {kind} will be downloaded on their own."


@require_POST
@member_required
def watch_check_view(request: HttpRequest, kind: str, spotify_id: str) -> HttpResponse:
    try:
        services.watch_checks_trigger(user=request_user(request), kind=kind, spotify_id=spotify_id)
        messages.success(request, "A check was asked for; the result shows here when it is done.")
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:watchlist"))
