"""Small helpers the dashboard views share: error pages, paging links and the settings they read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from settings_app.selectors import get_config
from spotizerr.errors import ApiError


def error_page(request: HttpRequest, error: ApiError, *, title: str = "Something went wrong") -> HttpResponse:
    """The error a service raised, in its own words, with its status code."""
    return render(
        request,
        "dashboard/error.html",
        {"title": title, "message": error.message, "error": error},
        status=error.status_code,
    )


def explicit_hidden() -> bool:
    return bool(get_config().get("explicitFilter"))


def int_param(request: HttpRequest, name: str, default: int = 0, *, maximum: int = 1_000_000) -> int:
    try:
        return min(max(int(request.GET.get(name, default)), 0), maximum)
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class Pager:
    """Previous/next links for an offset-paged listing."""

    offset: int
    limit: int
    total: int
    prev_url: str | None
    next_url: str | None

    @property
    def first(self) -> int:
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.offset + self.limit, self.total)


def pager(request: HttpRequest, *, offset: int, limit: int, total: int) -> Pager:
    def link(new_offset: int) -> str:
        params: dict[str, Any] = {**request.GET.dict(), "offset": new_offset}
        return f"{request.path}?{urlencode(params)}"

    prev_url = link(max(0, offset - limit)) if offset > 0 else None
    next_url = link(offset + limit) if offset + limit < total else None
    return Pager(offset, limit, total, prev_url, next_url)


def back_to(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to the form's ``next`` (same site only) or ``default``."""
    target = request.POST.get("next") or default
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = default
    return HttpResponseRedirect(target)


#: Field names the services put in error details, as the dashboard's forms label them
FIELD_LABELS = {
    "client_id": "Client id",
    "client_secret": "Client secret",
    "name": "Name",
    "service": "Service",
    "new_password": "New password",
    "password": "Password",
    "username": "User name",
    "role": "Role",
    "email": "E-mail",
}


def report_error(request: HttpRequest, error: ApiError) -> None:
    """An action's failure as a message, with the field details (under their labels) when there are any."""
    details = error.details if isinstance(error.details, dict) else {}
    extra = "; ".join(
        f"{FIELD_LABELS.get(key, key)}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in details.items()
        if key not in {"retry_after", "task_id", "status"}
    )
    messages.error(request, f"{error.message} {extra}".strip())
