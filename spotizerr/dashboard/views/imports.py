"""The Import page: paste links, upload a CSV or M3U (or give a link to one), or give a Deezer link; then a review page with
progress while matching, every entry with its match or the reason it has none, a fix box for each
unmatched one, and Download / Watch buttons."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.current import request_user
from downloads.services import download_given_playlist_request
from playlist_imports import selectors, services
from playlist_imports.errors import ImportTooLarge
from playlist_imports.models import ImportKind, ImportStatus
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.pages import error_page, report_error
from spotizerr.errors import ApiError, Conflict
from watching import selectors as watch_selectors


def _source(request: HttpRequest) -> services.ImportSource:
    upload = request.FILES.get("file")
    if upload is not None and (upload.size or 0) > settings.IMPORT_MAX_BYTES:
        raise ImportTooLarge(f"The file is {upload.size} bytes; an import takes at most 5 MB.")
    return services.ImportSource(
        kind=request.POST.get("kind", ""),
        name=request.POST.get("name", "").strip()[:500],
        text=request.POST.get("text", ""),
        data=upload.read() if upload is not None else b"",
        url=(request.POST.get("list_url") or request.POST.get("url", "")).strip(),
    )


@require_http_methods(["GET", "POST"])
@member_required
def import_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            playlist = services.import_create(user=request_user(request), source=_source(request))
        except ApiError as error:
            report_error(request, error)
        else:
            return HttpResponseRedirect(reverse("dashboard:import-review", args=[playlist.pk]))
    return render(
        request,
        "dashboard/import.html",
        {
            "kinds": ImportKind.choices,
            "imports": selectors.imports_of(request_user(request)),
            "given": request.POST,
        },
    )


@require_http_methods(["GET"])
@member_required
def import_review_view(request: HttpRequest, import_id: str) -> HttpResponse:
    try:
        playlist = selectors.import_get(user=request_user(request), playlist_id=str(import_id))
    except ApiError as error:
        return error_page(request, error, title="Import not available")
    summary = selectors.import_summary(playlist, with_entries=True)
    watch = watch_selectors.watch_find(
        user=request_user(request), kind="playlist", spotify_id=playlist.playlist_id
    )
    return render(
        request,
        "dashboard/import_review.html",
        {
            "playlist": playlist,
            "summary": summary,
            "matching": playlist.status == ImportStatus.MATCHING,
            "done": summary["total"] - summary["pending"],
            "watched": watch is not None,
        },
    )


@require_POST
@member_required
def import_fix_view(request: HttpRequest, import_id: str, position: int) -> HttpResponse:
    try:
        entry = services.entry_fix(
            user=request_user(request),
            playlist_id=str(import_id),
            position=position,
            track=request.POST.get("track", ""),
        )
        messages.success(request, f"Entry {entry.position} now plays “{entry.track_data.get('name', '')}”.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:import-review", args=[import_id]) + f"#entry-{position}")


@require_POST
@member_required
def import_download_view(request: HttpRequest, import_id: str) -> HttpResponse:
    try:
        playlist = selectors.import_get(user=request_user(request), playlist_id=str(import_id))
        selectors.ensure_ready(playlist)
        task = download_given_playlist_request(
            user=request_user(request),
            playlist_id=playlist.playlist_id,
            name=playlist.name,
            owner=playlist.owner.username,
            tracks=selectors.tracks_of(playlist),
        )
        messages.success(request, f"Queued playlist “{task.name}”.")
    except Conflict as conflict:
        messages.info(request, f"{conflict.message} See the queue.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:import-review", args=[import_id]))
