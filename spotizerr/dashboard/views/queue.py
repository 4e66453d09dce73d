"""Starting downloads (POST only) and the queue: every task with live progress, Cancel, Delete, Retry."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.current import request_user
from downloads import selectors, services
from spotizerr.dashboard.access import member_required
from spotizerr.dashboard.pages import back_to, int_param, report_error
from spotizerr.errors import ApiError, BadRequest, Conflict

QUEUE_PAGE = 50


@require_POST
@member_required
def download_view(request: HttpRequest, download_type: str, item_id: str) -> HttpResponse:
    """Queue a track, album or playlist, or (for an artist) one album task per release."""
    try:
        if download_type == "artist":
            groups = request.POST.getlist("album_type")  # the discography dialog's ticked groups
            if request.POST.get("groups_chosen") and not groups:
                raise BadRequest("Choose at least one release group.", code="invalid_album_type")
            result = services.download_artist_request(
                user=request_user(request), artist_id=item_id, album_types=groups or None
            )
            messages.success(
                request, f"{result['message']} {len(result['duplicate_albums'])} already queued."
            )
        else:
            missing_only = request.POST.get("missing_only") == "1"
            task = services.download_request(
                user=request_user(request),
                download_type=download_type,
                item_id=item_id,
                missing_only=missing_only,
            )
            what = "the missing tracks of" if missing_only else task.download_type
            messages.success(request, f"Queued {what} “{task.name}”.")
    except Conflict as conflict:
        messages.info(request, f"{conflict.message} See the queue.")
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:queue"))


@require_GET
@member_required
def queue_view(request: HttpRequest) -> HttpResponse:
    page = max(1, int_param(request, "page", 1))
    listing = selectors.tasks_list(user=request_user(request), page=page, limit=QUEUE_PAGE, active_only=False)
    return render(
        request,
        "dashboard/queue.html",
        {
            "tasks": listing["tasks"],
            "pagination": listing["pagination"],
            "counts": listing["task_counts"],
            "show_owner": request_user(request).is_admin,
            "timestamp": listing["timestamp"],
        },
    )


@require_POST
@member_required
def task_cancel_view(request: HttpRequest, task_id: str) -> HttpResponse:
    try:
        task = services.task_cancel(user=request_user(request), task_id=task_id)
        name = task.name or task.item_id
        if task.is_active:  # a track in progress is still stopping; the task ends once it has
            messages.success(request, f"Cancelling “{name}”: waiting for the track in progress to stop.")
        else:
            messages.success(request, f"Cancelled “{name}”.")
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:queue"))


@require_POST
@member_required
def task_delete_view(request: HttpRequest, task_id: str) -> HttpResponse:
    try:
        task = selectors.task_get_visible(user=request_user(request), task_id=task_id)
        services.task_delete(user=request_user(request), task_id=task_id)
        messages.success(request, f"Removed “{task.name or task.item_id}” from the queue.")
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:queue"))


@require_POST
@member_required
def task_retry_view(request: HttpRequest, task_id: str) -> HttpResponse:
    """Queue the same item again, with the same per-request settings and context, for the same owner."""
    try:
        old = selectors.task_get_visible(user=request_user(request), task_id=task_id)
        task = services.download_request(
            user=old.owner,
            download_type=old.download_type,
            item_id=old.item_id,
            overrides=old.overrides or None,
            context=old.context or None,
        )
        messages.success(request, f"Queued “{task.name}” again.")
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:queue"))
