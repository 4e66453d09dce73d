"""The integrations on the dashboard: media servers and operator-wide notification targets on the
settings page (admins), a user's own notification targets on the profile page; each with its Test
button. Views only parse the form and call the services; what a Test found is flashed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.current import request_user
from accounts.models import User
from settings_app import media_servers, notifications
from settings_app.models import MediaServer, NotificationEvent
from spotizerr.dashboard.access import admin_required, member_required
from spotizerr.dashboard.pages import report_error
from spotizerr.errors import ApiError

SETTINGS_PAGE = "integrations"


def integrations_context(user: User, *, operator: bool) -> dict[str, Any]:
    """What the integrations partials show: the targets (operator-wide or the user's own), the
    events to choose from, and for admins on the settings page the media servers."""
    visible = notifications.notification_targets_visible(user=user)
    targets = visible.filter(owner__isnull=True) if operator else visible.filter(owner=user)
    context: dict[str, Any] = {
        "targets": list(targets),
        "events": NotificationEvent.choices,
        "target_scope": "operator" if operator else "user",
    }
    if operator:
        context["media_servers"] = list(MediaServer.objects.prefetch_related("playlists"))
        context["media_server_kinds"] = MediaServer.Kind.choices
    return context


def _back(request: HttpRequest, scope: str) -> HttpResponseRedirect:
    if scope == "operator":
        return HttpResponseRedirect(reverse("dashboard:settings-section", args=[SETTINGS_PAGE]))
    return HttpResponseRedirect(reverse("dashboard:profile"))


@require_POST
@member_required
def target_add_view(request: HttpRequest) -> HttpResponse:
    scope = (
        "operator" if request.POST.get("scope") == "operator" and request_user(request).is_admin else "user"
    )
    try:
        notifications.notification_target_create(
            owner=None if scope == "operator" else request_user(request),
            name=request.POST.get("name", ""),
            url=request.POST.get("url", ""),
            events=request.POST.getlist("events"),
        )
        messages.success(request, "Notification target added.")
    except ApiError as error:
        report_error(request, error)
    return _back(request, scope)


@require_POST
@member_required
def target_test_view(request: HttpRequest, target_id: int) -> HttpResponse:
    try:
        ok, detail = notifications.notification_test(user=request_user(request), target_id=target_id)
    except ApiError as error:
        report_error(request, error)
        return _back(request, request.POST.get("scope", "user"))
    if ok:
        messages.success(request, "Test message sent: the target accepted it.")
    else:
        messages.error(request, f"The test message failed: {detail}. Check the URL, then try again.")
    return _back(request, request.POST.get("scope", "user"))


@require_POST
@member_required
def target_delete_view(request: HttpRequest, target_id: int) -> HttpResponse:
    try:
        notifications.notification_target_delete(user=request_user(request), target_id=target_id)
        messages.success(request, "Notification target removed.")
    except ApiError as error:
        report_error(request, error)
    return _back(request, request.POST.get("scope", "user"))


@require_POST
@admin_required
def media_server_add_view(request: HttpRequest) -> HttpResponse:
    data: dict[str, object] = {
        key: request.POST.get(key, "") for key in ("kind", "name", "url", "username", "secret", "section")
    }
    data["sync_playlists"] = request.POST.get("sync_playlists") == "on"
    try:
        media_servers.media_server_create(data=data)
        messages.success(request, f"Media server {data['name']!r} added; use Test to check it.")
    except ApiError as error:
        report_error(request, error)
    return _back(request, "operator")


@require_POST
@admin_required
def media_server_test_view(request: HttpRequest, server_id: int) -> HttpResponse:
    try:
        ok, detail = media_servers.media_server_test(server_id=server_id)
    except ApiError as error:
        report_error(request, error)
        return _back(request, "operator")
    (messages.success if ok else messages.error)(request, detail if ok else f"Test failed: {detail}")
    return _back(request, "operator")


@require_POST
@admin_required
def media_server_delete_view(request: HttpRequest, server_id: int) -> HttpResponse:
    try:
        media_servers.media_server_delete(server_id=server_id)
        messages.success(request, "Media server removed.")
    except ApiError as error:
        report_error(request, error)
    return _back(request, "operator")
