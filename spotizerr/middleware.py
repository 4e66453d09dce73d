"""Keeps every response under ``/api/`` in the one JSON error shape, and every API route reachable
with or without its trailing slash."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import is_valid_path

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


class ApiSlashMiddleware:
    """Every ``/api/`` route answers with and without its trailing slash, for every method, without a
    redirect: clients of the original Spotizerr send ``POST /api/config`` where the route is
    ``config/``, and a 301 would turn that write into a GET that saves nothing. Runs before
    ``CommonMiddleware``, so ``APPEND_SLASH`` never redirects an API path that has a twin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        twin = None
        if path.startswith("/api/"):  # long paths uncached: the cache stays small whatever is sent
            twin = _routed_twin(path) if len(path) <= 200 else _routed_twin.__wrapped__(path)
        if twin is not None:
            request.path_info = twin
            request.path = request.path[: len(request.path) - len(path)] + twin
        return self.get_response(request)


@functools.lru_cache(maxsize=4096)
def _routed_twin(path: str) -> str | None:
    """``path`` with its trailing slash toggled when only that form is routed; else None. Cached:
    resolving costs a few hundred microseconds, and clients repeat the same paths (the URLconf
    does not change while the process runs)."""
    if is_valid_path(path):
        return None
    twin = path[:-1] if path.endswith("/") else path + "/"
    return twin if is_valid_path(twin) else None


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


def _origin(url: str) -> str | None:
    from urllib.parse import urlparse

    parsed = urlparse(url or "")
    return f"{parsed.scheme}://{parsed.netloc}" if parsed.scheme and parsed.netloc else None


def _content_security_policy() -> str:
    """Same-origin everything; cover art may also come from Spotify's image hosts and the
    configured API host (the local fake in tests); forms may lead (by redirect) to the configured
    single sign-on providers, e.g. a GitHub Enterprise server."""
    from django.conf import settings

    return _policy_for(
        settings.SPOTIFY_API_URL,
        getattr(settings, "SPOTIFY_ACCOUNTS_URL", ""),
        settings.SSO_GOOGLE_AUTHORIZE_URL,
        settings.SSO_GITHUB_URL,
    )


@functools.lru_cache(maxsize=8)
def _policy_for(api_url: str, accounts_url: str, google_url: str, github_url: str) -> str:
    """The policy for these settings, built once (every response carries it)."""
    image_hosts = ["https://i.scdn.co", "https://mosaic.scdn.co", "https://*.spotifycdn.com"]
    api = _origin(api_url)
    if api:
        image_hosts.append(api)
    # the profile's "Link Spotify account" form redirects to Spotify's Accounts service (the fake in tests)
    accounts = _origin(accounts_url or "https://accounts.spotify.com")
    sso = (_origin(google_url), _origin(github_url), accounts)
    form_targets = ["'self'", *dict.fromkeys(origin for origin in sso if origin)]
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src 'self' data: {' '.join(image_hosts)}",
            "style-src 'self'",
            "script-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            f"form-action {' '.join(form_targets)}",
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


class ReleaseRenderedViewMiddleware:
    """Breaks the reference cycle between a rendered DRF response and its view.

    DRF keeps the view on the response (``renderer_context``) and the response on the view
    (``view.response``), and the view is in a cycle with its request: once sent, the response body
    (every dict of a 500-track page) is garbage that only the collector's full sweep frees, 15-25 ms
    each time it runs. With the links cut after rendering, the body is freed as soon as it is sent.
    Innermost in ``MIDDLEWARE``: the response it sees is rendered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        context = getattr(response, "renderer_context", None)
        if context and getattr(response, "is_rendered", False):
            view = context.get("view")
            if getattr(view, "response", None) is response:
                del view.response
            response.renderer_context = None  # type: ignore[attr-defined]
        return response
