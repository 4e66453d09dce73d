"""User management (admins): create, change role, reset password, (de)activate, delete, through
accounts.services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.current import request_user
from spotizerr.dashboard.access import admin_required
from spotizerr.dashboard.forms import PasswordResetForm, UserCreateForm, apply_api_error
from spotizerr.dashboard.pages import report_error
from spotizerr.dashboard.views.settings import section_tabs
from spotizerr.errors import ApiError


def _users_page(request: HttpRequest, form: UserCreateForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "dashboard/users.html",
        {
            "users": selectors.user_list(),
            "form": form,
            "reset_form": PasswordResetForm(),
            "sections": section_tabs("users"),
            "title": "Users",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@admin_required
def users_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method != "POST":
        return _users_page(request, form)
    if form.is_valid():
        try:
            user = services.user_create(**form.cleaned_data)
        except ApiError as error:
            apply_api_error(form, error)
            return _users_page(request, form, status=error.status_code)
        messages.success(request, f"Created {user.role} {user.username!r}.")
        return HttpResponseRedirect(reverse("dashboard:users"))
    return _users_page(request, form, status=400)


@require_POST
@admin_required
def user_role_view(request: HttpRequest, username: str) -> HttpResponse:
    try:
        user = services.user_set_role(
            actor=request_user(request),
            user=selectors.user_get(username=username),
            role=request.POST.get("role", ""),
        )
        messages.success(request, f"{user.username!r} is now {user.role}.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:users"))


@require_POST
@admin_required
def user_password_view(request: HttpRequest, username: str) -> HttpResponse:
    try:
        user = services.user_set_password(
            user=selectors.user_get(username=username), new_password=request.POST.get("new_password", "")
        )
        messages.success(request, f"Password of {user.username!r} changed; their sessions and tokens ended.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:users"))


@require_POST
@admin_required
def user_active_view(request: HttpRequest, username: str) -> HttpResponse:
    """Deactivate (sessions and tokens end, the account stays) or activate again."""
    active = request.POST.get("active") == "true"
    try:
        user = services.user_set_active(
            actor=request_user(request), user=selectors.user_get(username=username), active=active
        )
        state = "active again" if active else "deactivated; their sessions and tokens ended"
        messages.success(request, f"{user.username!r} is {state}.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:users"))


@require_POST
@admin_required
def user_delete_view(request: HttpRequest, username: str) -> HttpResponse:
    try:
        services.user_delete(actor=request_user(request), user=selectors.user_get(username=username))
        messages.success(request, f"Deleted {username!r}.")
    except ApiError as error:
        report_error(request, error)
    return HttpResponseRedirect(reverse("dashboard:users"))
