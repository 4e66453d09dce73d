"""Who is looking at the dashboard, and the two gates every page goes through.

With auth off every request acts as the built-in system admin (as the API does); with auth on a
page needs a logged-in session, and admin pages need the admin role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from accounts.authentication import get_system_user
from accounts.models import User

View = Callable[..., HttpResponse]


def dashboard_user(request: HttpRequest) -> User | None:
    """The user a dashboard request acts as: the system admin with auth off, else the session's."""
    if not settings.AUTH_ENABLED:
        return get_system_user()
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and user.is_active and not user.is_system:
        return user
    return None


def _login_redirect(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': request.get_full_path()})}")


def member_required(view: View) -> View:
    """Any logged-in user (or everyone while auth is off); others go to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = dashboard_user(request)
        if user is None:
            return _login_redirect(request)
        request.user = user  # templates and views see the acting user, the system admin included
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view: View) -> View:
    """Admins only: others get a 403 page that says so."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = dashboard_user(request)
        if user is None:
            return _login_redirect(request)
        request.user = user
        if not user.is_admin:
            return forbidden(request, "Only administrators may open this page.")
        return view(request, *args, **kwargs)

    return wrapper


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "dashboard/error.html", {"title": "Not allowed", "message": message}, status=403)


def not_found(request: HttpRequest, message: str = "") -> HttpResponse:
    """The styled 404 page, with the navigation of whoever is looking."""
    user = dashboard_user(request)
    if user is not None:
        request.user = user
    text = message or "There is no page at this address. It may have moved, or the link is mistyped."
    context = {"title": "Page not found", "message": text, "not_found": True}
    return render(request, "dashboard/error.html", context, status=404)
