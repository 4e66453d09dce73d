"""The Django admin site, whose login goes through the same throttle as every other login."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from accounts import services
from accounts.errors import InvalidCredentials, LoginThrottled

_RETRY_AFTER_ATTR = "_spotizerr_login_retry_after"


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """Django admin login through ``accounts.services.login_authenticate``."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            assert self.request is not None  # the admin login view passes it
            try:
                self.user_cache = services.login_authenticate(
                    username=username,
                    password=password,
                    address=services.client_address(self.request),
                    request=self.request,
                )
            except LoginThrottled as exc:
                setattr(self.request, _RETRY_AFTER_ATTR, exc.wait)
                raise ValidationError(exc.message, code="throttled") from exc
            except InvalidCredentials as exc:
                raise self.get_invalid_login_error() from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ThrottledAdminSite(admin.AdminSite):
    """Answers 429 with Retry-After while the login throttle holds the user name or address."""

    login_form = ThrottledAdminLoginForm
    site_header = "Spotizerr administration"
    site_title = "Spotizerr admin"
    index_title = "Operator tools"
    site_url = "/"  # "View site" opens the dashboard

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().login(request, extra_context)
        wait = getattr(request, _RETRY_AFTER_ATTR, None)
        if wait is not None:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response
