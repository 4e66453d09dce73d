"""Logging in and out, and registering, through the same services (and login throttle) as the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.errors import InvalidCredentials, LoginThrottled
from accounts.sso.selectors import sso_providers_offered
from spotizerr.dashboard.access import dashboard_user
from spotizerr.dashboard.forms import LoginForm, RegisterForm, apply_api_error
from spotizerr.errors import ApiError

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _auth_context(request: HttpRequest, form: LoginForm | RegisterForm) -> dict:
    return {
        "form": form,
        "next": _next_url(request),
        "sso_providers": sso_providers_offered(),
        "registration_enabled": settings.REGISTRATION_ENABLED,
    }


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if dashboard_user(request) is not None:
        return HttpResponseRedirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_authenticate(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                address=services.client_address(request),
                request=request,
            )
        except (InvalidCredentials, LoginThrottled) as error:
            form.add_error(None, error.message)
            status = error.status_code
        else:
            session_login(request, user, backend=_BACKEND)
            messages.success(request, f"Welcome, {user.username}.")
            return HttpResponseRedirect(_next_url(request))
    elif request.method == "POST":
        status = 400
    return render(request, "dashboard/login.html", _auth_context(request, form), status=status)


@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    if dashboard_user(request) is not None:
        return HttpResponseRedirect("/")
    if not settings.REGISTRATION_ENABLED:
        messages.error(request, "Registration is disabled on this server.")
        return HttpResponseRedirect(settings.LOGIN_URL)
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(**form.cleaned_data)
        except ApiError as error:
            apply_api_error(form, error)
            status = error.status_code
        else:
            session_login(request, user, backend=_BACKEND)
            messages.success(request, f"Account {user.username!r} created; you are logged in.")
            return HttpResponseRedirect("/")
    elif request.method == "POST":
        status = 400
    return render(request, "dashboard/register.html", _auth_context(request, form), status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    session_logout(request)
    messages.info(request, "You are logged out.")
    return HttpResponseRedirect(settings.LOGIN_URL if settings.AUTH_ENABLED else "/")
