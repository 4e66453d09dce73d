"""Starting downloads (POST only) and the queue: active tasks with live progress, then the finished
ones; Cancel, Delete, Retry (failed tracks only), Cancel all, Retry failed and Clear finished."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from accounts.current import request_user
from downloads import cancelling, requeue, selectors, services
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
            messages.success(
                request,
                format_html(
                    'Queued {} “{}”. <a href="{}">See it in the queue</a>',
                    what,
                    task.name,
                    _queue_link(task.pk),
                ),
            )
    except Conflict as conflict:
        existing = (conflict.extra or {}).get("existing_task")
        messages.info(
            request, format_html('{} <a href="{}">See the queue</a>', conflict.message, _queue_link(existing))
        )
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:queue"))


def _queue_link(task_id: object) -> str:
    """The queue, scrolled to the task's row (``id="task-<id>"``)."""
    url = reverse("dashboard:queue")
    return f"{url}#task-{task_id}" if task_id else url


@require_GET
@member_required
def queue_view(request: HttpRequest) -> HttpResponse:
    page = max(1, int_param(request, "page", 1))
    queue = selectors.tasks_queue(user=request_user(request), page=page, limit=QUEUE_PAGE)
    return render(
        request,
        "dashboard/queue.html",
        {
            "active_tasks": queue["active"],
            "finished_tasks": queue["finished"],
            "pagination": queue["pagination"],
            "counts": queue["task_counts"],
            "outcomes": queue["outcomes"],
            "show_owner": request_user(request).is_admin,
            "timestamp": queue["timestamp"],
        },
    )


@require_POST
@member_required
def task_cancel_view(request: HttpRequest, task_id: str) -> HttpResponse:
    try:
        task = cancelling.task_cancel(user=request_user(request), task_id=task_id)
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
        requeue.task_delete(user=request_user(request), task_id=task_id)
        messages.success(request, f"Removed “{task.name or task.item_id}” from the queue.")
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:queue"))


@require_POST
@member_required
def task_retry_view(request: HttpRequest, task_id: str) -> HttpResponse:
    """Download the task's failed tracks again, in the same task (``POST /api/prgs/retry/{task_id}``)."""
    try:
        task = selectors.task_get_visible(user=request_user(request), task_id=task_id)
        retried = requeue.task_retry_failed(user=request_user(request), task_id=task_id)
        name = task.name or task.item_id
        if retried:
            messages.success(request, f"Retrying {_tracks(retried)} of “{name}”.")
        else:
            messages.info(request, f"Nothing of “{name}” failed; there is nothing to retry.")
    except ApiError as error:
        report_error(request, error)
    return back_to(request, reverse("dashboard:queue"))


def _tracks(count: int) -> str:
    return f"{count} failed track" + ("" if count == 1 else "s")


@require_POST
@member_required
def queue_retry_failed_view(request: HttpRequest) -> HttpResponse:
    done = requeue.tasks_retry_failed(user=request_user(request))
    total = sum(count for _, count in done)
    if done:
        messages.success(request, f"Retrying {_tracks(total)} in {len(done)} task(s).")
    else:
        messages.info(request, "Nothing failed; there is nothing to retry.")
    return back_to(request, reverse("dashboard:queue"))


@require_POST
@member_required
def queue_cancel_all_view(request: HttpRequest) -> HttpResponse:
    cancelled = cancelling.task_cancel_all(user=request_user(request))
    messages.success(request, f"Cancelled {len(cancelled)} task(s).")
    return back_to(request, reverse("dashboard:queue"))


@require_POST
@member_required
def queue_clear_view(request: HttpRequest) -> HttpResponse:
    deleted = requeue.tasks_clear_finished(user=request_user(request))
    messages.success(request, f"Cleared {deleted} finished task(s) from the queue; their history stays.")
    return back_to(request, reverse("dashboard:queue"))
