"""The watchlist: watched playlists and artists with their schedule and last result; Check now, Remove;
and the Watch toggle of the playlist and artist pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.current import request_user
from accounts.models import User
from accounts.spotify.services import spotify_user_token
from spotizerr.dashboard import watch_cards
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.pages import back_to, report_error
from spotizerr.dashboard.templatetags.dashboard import cover
from spotizerr.errors import ApiError
from spotizerr.integrations.spotify import get_spotify_client, looks_like_spotify_id
from watching import selectors, services
from watching.models import Watch, WatchKind

COVER_MAX_WAIT = 3.0  # seconds a cover may wait for Spotify (a rate limit gives the placeholder)


def watch_state(*, kind: str, spotify_id: str, user: User) -> Watch | None:
    """The watch of this playlist or artist that ``user`` sees, if any (drives the Watch toggle)."""
    return selectors.watch_find(user=user, kind=kind, spotify_id=spotify_id)


@require_GET
@member_required
def watchlist_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    groups: list[dict[str, Any]] = []
    for kind, label in WatchKind.choices:
        watches = list(
            selectors.watches_visible_to(user=request_user(request), kind=kind).order_by("target__name", "pk")
        )
        details = watch_cards.card_extras(selectors.watch_details(watches, now=now), watches)
        groups.append({"kind": kind, "label": f"{label}s", "watches": details})
    return render(
        request, "dashboard/watchlist.html", {"groups": groups, "show_owner": request_user(request).is_admin}
    )


@require_POST
@member_required
def watch_toggle_view(request: HttpRequest, kind: str, spotify_id: str) -> HttpResponse:
    """Start (``action=add``) or stop (``action=remove``) watching a playlist or artist."""
    user = request_user(request)
    everything = request.POST.get("mode") == "all"  # the dialog: "everything now and new additions"
    try:
        if request.POST.get("action") == "remove":
            services.watch_remove(user=user, kind=kind, spotify_id=spotify_id)
            messages.success(request, f"Stopped watching this {kind}.")
        elif kind == WatchKind.PLAYLIST:
            watch, created = services.watch_playlist_add(
                user=user, playlist_id=spotify_id, download_existing=everything
            )
            messages.success(request, _added_text(watch, created))
        else:
            watch, created = services.watch_artist_add(
                user=user,
                artist_id=spotify_id,
                download_existing=everything,
                album_types=_album_types(request),
            )
            messages.success(request, _added_text(watch, created))
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:watchlist"))


def _album_types(request: HttpRequest) -> list[str] | None:
    """The dialog's ticked release groups; None (the watch settings' groups) when the form has none.
    Ticking none is refused by the service (``invalid_album_types``)."""
    if "album_types" not in request.POST and not request.POST.get("mode"):
        return None  # an older form without the dialog
    return request.POST.getlist("album_types")


def _added_text(watch: Watch, created: bool) -> str:
    name = watch.target.name or watch.target.spotify_id
    if not created:
        return f"You already watch “{name}”."
    kind = "tracks" if watch.target.kind == WatchKind.PLAYLIST else "releases"
    if watch.download_existing:
        return f"Watching “{name}”: every current and new {kind[:-1]} will be downloaded."
    return f"Watching “{name}”: new {kind} will be downloaded on their own."


PLACEHOLDER_COVER = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#8881"/></svg>'


@require_GET
@member_required
def watch_cover_view(request: HttpRequest, kind: str, spotify_id: str) -> HttpResponse:
    """A watched playlist's or artist's cover: a redirect to Spotify's image (one cached catalog read, made
    only when a card's lazy image is shown), else a plain placeholder (Liked Songs, imported playlists,
    Spotify unavailable). 404 for a watch the caller does not see."""
    user = request_user(request)
    url = ""
    if looks_like_spotify_id(spotify_id):  # not Liked Songs nor an imported playlist
        if selectors.watch_find(user=user, kind=kind, spotify_id=spotify_id) is None:
            raise Http404("No such watch.")
        try:
            reader = get_spotify_client(max_wait=COVER_MAX_WAIT, user=spotify_user_token(user=user))
            found = reader.artist(spotify_id) if kind == WatchKind.ARTIST else reader.playlist(spotify_id)
            url = cover(found.images, 160)
        except ApiError:
            url = ""
    response: HttpResponse = (
        HttpResponseRedirect(url) if url else HttpResponse(PLACEHOLDER_COVER, content_type="image/svg+xml")
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@member_required
def watch_check_view(request: HttpRequest, kind: str, spotify_id: str) -> HttpResponse:
    try:
        services.watch_checks_trigger(user=request_user(request), kind=kind, spotify_id=spotify_id)
        messages.success(request, "A check was asked for; the result shows here when it is done.")
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:watchlist"))
