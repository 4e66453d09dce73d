"""Project-level error views: JSON under /api/, pages elsewhere (a 404 is the dashboard's styled page)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
)

from spotizerr.errors import DISALLOWED_HOST_MESSAGE, api_error_for_django, json_error, json_error_for


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's answer to a refused request (``SuspiciousOperation``, raised outside a DRF view, e.g.
    a dashboard form or the CSRF check reading a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``): 413 for
    a body too large, else 400."""
    if request.path.startswith("/api/"):
        refused = api_error_for_django(exception) if exception is not None else None
        if refused is not None:
            return json_error_for(refused)
        return json_error("Bad request.", status_code=400, code="bad_request")
    if isinstance(exception, RequestDataTooBig):
        limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000
        return HttpResponse(
            f"<h1>Request too large</h1><p>The form sent more than {limit_mb:g} MB. Send less and try again.</p>",
            status=413,
        )
    if isinstance(exception, DisallowedHost):
        return HttpResponseBadRequest(f"<h1>Unknown host name</h1><p>{DISALLOWED_HOST_MESSAGE}</p>")
    return HttpResponseBadRequest("<h1>Bad request</h1>")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error("Not found.", status_code=404, code="not_found")
    from spotizerr.dashboard.access import not_found as page_not_found

    return page_not_found(request)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error("Internal server error.", status_code=500, code="server_error")
    return HttpResponseServerError("<h1>Server error</h1>")
