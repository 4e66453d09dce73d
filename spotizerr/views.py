"""Project-level error views: JSON under /api/, plain pages elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError

from spotizerr.errors import json_error


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error("Not found.", status_code=404, code="not_found")
    return HttpResponseNotFound("<h1>Not found</h1>")


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error("Internal server error.", status_code=500, code="server_error")
    return HttpResponseServerError("<h1>Server error</h1>")
