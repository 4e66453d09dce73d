"""Keeps every response under ``/api/`` in the one JSON error shape."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from spotizerr.errors import json_error, server_error_body

_MESSAGES = {
    400: ("Bad request.", "bad_request"),
    401: ("Authentication required.", "not_authenticated"),
    403: ("Forbidden.", "forbidden"),
    404: ("Not found.", "not_found"),
    405: ("Method not allowed.", "method_not_allowed"),
    413: ("Request body too large.", "too_large"),
    429: ("Too many requests.", "throttled"),
}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") and not request.path.startswith(("/api/docs", "/api/schema"))


class ApiErrorMiddleware:
    """Turns HTML error pages (CSRF failures, unmatched URLs, crashes) into JSON under /api/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400:
            return response
        if "json" in response.get("Content-Type", ""):
            return response
        message, code = _MESSAGES.get(response.status_code, ("Error.", "error"))
        if response.status_code >= 500:
            message, code = "Internal server error.", "server_error"
        replacement = json_error(message, status_code=response.status_code, code=code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_api(request):
            return None
        from django.http import Http404, JsonResponse

        if isinstance(exception, Http404):
            return json_error("Not found.", status_code=404, code="not_found")
        return JsonResponse(server_error_body(exception), status=500)


def _content_security_policy() -> str:
    """Same-origin everything; cover art may also come from Spotify's image hosts and the
    configured API host (the local fake in tests)."""
    from urllib.parse import urlparse

    from django.conf import settings

    image_hosts = ["https://i.scdn.co", "https://mosaic.scdn.co", "https://*.spotifycdn.com"]
    api = urlparse(settings.SPOTIFY_API_URL or "")
    if api.scheme and api.netloc:
        image_hosts.append(f"{api.scheme}://{api.netloc}")
    # the profile's "Link Spotify account" form redirects to Spotify's Accounts service (the fake in tests)
    accounts = urlparse(getattr(settings, "SPOTIFY_ACCOUNTS_URL", "") or "https://accounts.spotify.com")
    form_hosts = [
        "https://accounts.google.com",
        "https://github.com",
        f"{accounts.scheme}://{accounts.netloc}",
    ]
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src 'self' data: {' '.join(image_hosts)}",
            "style-src 'self'",
            "script-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            f"form-action 'self' {' '.join(dict.fromkeys(form_hosts))}",
        ]
    )


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response (nosniff, referrer and frame headers come from
    Django's SecurityMiddleware and XFrameOptionsMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = _content_security_policy()
        return response
