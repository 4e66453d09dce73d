"""HTTP to the Spotify Web API: the only module that imports spotipy.

spotipy signs requests (client credentials) and builds URLs; we keep its own retries off and decide here:
- a 429 stores "blocked until" in Django's default cache (shared by every process); every request first
  waits for that moment, or raises ``SpotifyRateLimited`` when the wait is longer than the caller allows;
- 5xx answers and timeouts are retried with capped exponential back-off, then ``SpotifyUnavailable``;
- a 429 whose body says ``"reason": "QUOTA_EXCEEDED"`` is the spent daily quota -> ``SpotifyQuotaExhausted``
  at once (no back-off: the wait is hours); a 403 "Active premium subscription required ..." ->
  ``SpotifyOwnerNotPremium``;
- a 401 fetches a new token once; 404 -> ``SpotifyNotFound``; other 4xx -> ``SpotifyError(permanent=True)``;
- successful answers are cached for ``SPOTIFY_CACHE_SECONDS`` under a generation that
  ``spotify_cache_clear`` bumps.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from typing import Any

import requests
import spotipy
from django.conf import settings
from django.core.cache import cache
from spotipy.cache_handler import CacheHandler
from spotipy.exceptions import SpotifyException, SpotifyOauthError

from spotizerr.integrations.spotify.errors import (
    SpotifyCredentialsRejected,
    SpotifyError,
    SpotifyNotFound,
    SpotifyOwnerNotPremium,
    SpotifyQuotaExhausted,
    SpotifyRateLimited,
    SpotifyUnavailable,
)

logger = logging.getLogger("spotizerr.spotify")

BLOCKED_UNTIL_KEY = "spotify:blocked-until"
GENERATION_KEY = "spotify:generation"
DEFAULT_RETRY_AFTER = 2.0
BACKOFF_CAP_SECONDS = 8.0
# Spotify's 403 text (lower-cased) for every call while the app owner's Premium has lapsed
PREMIUM_REQUIRED = "active premium subscription required"
_REJECTED_CLIENT = {"invalid_client", "unauthorized_client", "invalid_grant", "unsupported_grant_type"}


def spotify_cache_clear() -> None:
    """Forget every cached Spotify answer (tokens and the rate-limit back-off stay)."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def blocked_for() -> float:
    """Seconds left of the shared 429 back-off (0 when none)."""
    until = cache.get(BLOCKED_UNTIL_KEY)
    return max(0.0, float(until) - time.time()) if until else 0.0


def _block(seconds: float) -> None:
    until = time.time() + seconds
    current = cache.get(BLOCKED_UNTIL_KEY)
    if not current or float(current) < until:
        cache.set(BLOCKED_UNTIL_KEY, until, int(seconds) + 5)


class _TokenCache(CacheHandler):
    """Access tokens in Django's cache, so every process and client instance shares one token."""

    def __init__(self, key: str) -> None:
        self.key = key

    def get_cached_token(self) -> dict | None:
        return cache.get(self.key)

    def save_token_to_cache(self, token_info: dict) -> None:
        cache.set(self.key, token_info, max(1, int(token_info.get("expires_in", 3600)) - 60))

    def forget(self) -> None:
        cache.delete(self.key)


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str


# reduces an answer before it is cached (``SpotifyTransport.get``)
Shape = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class UserToken:
    """A linked user's access token, handed in by the caller (this layer stores none): ``access(force)``
    returns a valid token, refreshed first when ``force`` (after a 401) or when it is about to expire.
    ``key`` (the Spotify user id) separates that user's cached answers from everyone else's."""

    key: str
    access: Callable[[bool], str]


class SpotifyTransport:
    """Signed GETs with the rate-limit, retry and cache policy above. Safe to share between threads."""

    def __init__(self, credentials: Credentials, *, api_url: str, token_url: str) -> None:
        fingerprint = hashlib.sha256(
            f"{credentials.client_id}:{credentials.client_secret}:{token_url}".encode()
        )
        self._tokens = _TokenCache(f"spotify:token:{fingerprint.hexdigest()[:24]}")
        session = requests.Session()
        auth = spotipy.SpotifyClientCredentials(
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            requests_session=session,
            cache_handler=self._tokens,
        )
        auth.OAUTH_TOKEN_URL = token_url  # instance attribute: point spotipy at the configured endpoint
        self._auth = auth
        self._spotify = spotipy.Spotify(
            auth_manager=auth, requests_session=session, retries=0, status_retries=0
        )
        self._spotify.prefix = api_url if api_url.endswith("/") else f"{api_url}/"
        self._session = session

    def close(self) -> None:
        self._session.close()

    def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        max_wait: float,
        cached: bool = True,
        cache_extra: str = "",
        retries: int | None = None,
        user: UserToken | None = None,
        shape: Shape | None = None,
    ) -> dict[str, Any]:
        """GET ``path`` (relative to the API URL) and return its JSON, from the cache when allowed;
        ``cache_extra`` (e.g. a playlist snapshot id) becomes part of the cache key only; ``retries``
        overrides ``SPOTIFY_RETRIES`` (a health check answers at once). With ``user`` the request is
        signed with that user's token instead of the app's (cached per user). ``shape`` reduces the
        answer before it is cached and returned (what is kept is keyed by its name)."""
        params = {key: value for key, value in (params or {}).items() if value is not None}
        ttl = settings.SPOTIFY_CACHE_SECONDS if cached else 0
        extra = f"{cache_extra}|user:{user.key}" if user is not None else cache_extra
        if shape is not None:
            extra = f"{extra}|shape:{shape.__module__}.{shape.__qualname__}"
        key = self._cache_key(path, params, extra) if ttl else ""
        if ttl and (hit := cache.get(key)) is not None:
            return hit
        body = self._fetch(
            path, params, max_wait, settings.SPOTIFY_RETRIES if retries is None else retries, user
        )
        if shape is not None:
            body = shape(body)
        if ttl:
            cache.set(key, body, ttl)
        return body

    @staticmethod
    def _cache_key(path: str, params: dict[str, Any], extra: str) -> str:
        generation = cache.get(GENERATION_KEY, 0)
        raw = json.dumps([path, sorted(params.items()), extra], default=str)
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return f"spotify:{generation}:{digest[:40]}"

    def _signed(self, user: UserToken | None, refresh: bool) -> spotipy.Spotify:
        """The app's client, or a client signed with the user's token (a fresh one when ``refresh``)."""
        if user is None:
            self._spotify.requests_timeout = settings.SPOTIFY_TIMEOUT_SECONDS
            return self._spotify
        signed = spotipy.Spotify(
            auth=user.access(refresh),
            requests_session=self._session,
            retries=0,
            status_retries=0,
            requests_timeout=settings.SPOTIFY_TIMEOUT_SECONDS,
        )
        signed.prefix = self._spotify.prefix
        return signed

    def _fetch(
        self, path: str, params: dict[str, Any], max_wait: float, retries: int, user: UserToken | None = None
    ) -> dict[str, Any]:
        failures = 0
        token_refreshed = refresh_user = False
        deadline = time.monotonic() + max_wait  # total 429 waiting allowed for this one answer
        while True:
            _wait_for_backoff(deadline)
            self._auth.requests_timeout = settings.SPOTIFY_TIMEOUT_SECONDS
            try:
                signed, refresh_user = self._signed(user, refresh_user), False
                return signed._get(path, **params) or {}
            except SpotifyException as error:
                status = error.http_status
                if status == 429 and error.reason == "QUOTA_EXCEEDED":
                    raise SpotifyQuotaExhausted(retry_after=_quota_retry_after(error)) from error
                if status == 429:
                    _on_rate_limited(error, deadline)
                    continue
                if status == 401 and not token_refreshed:
                    self._tokens.forget()
                    token_refreshed = refresh_user = True  # the user's token is refreshed once too
                    continue
                if status < 500:
                    raise _client_error(path, error) from error
                failures = _retry_or_raise(failures, retries, path, f"HTTP {status}", status)
            except SpotifyOauthError as error:
                if isinstance(error.error, str) and error.error in _REJECTED_CLIENT:
                    raise SpotifyCredentialsRejected(details={"error": error.error}) from error
                failures = _retry_or_raise(failures, retries, "token", f"token endpoint: {error.error}", None)
            except requests.RequestException as error:
                failures = _retry_or_raise(failures, retries, path, type(error).__name__, None)


def _wait_for_backoff(deadline: float) -> None:
    while (remaining := blocked_for()) > 0:
        if time.monotonic() + remaining > deadline:
            raise SpotifyRateLimited(retry_after=remaining)
        logger.info("Spotify back-off: waiting %.1f s", remaining)
        time.sleep(remaining)


def _on_rate_limited(error: SpotifyException, deadline: float) -> None:
    raw = (error.headers or {}).get("Retry-After")
    try:
        retry_after = float(raw) if raw is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        retry_after = DEFAULT_RETRY_AFTER
    logger.warning("Spotify rate limit: backing off %.1f s (all workers)", retry_after)
    _block(retry_after)
    if time.monotonic() + retry_after > deadline:
        raise SpotifyRateLimited(retry_after=retry_after) from error


def _retry_or_raise(failures: int, retries: int, path: str, reason: str, status: int | None) -> int:
    """Sleep the back-off for one more transient failure, or raise once ``retries`` are spent."""
    if failures >= retries:
        raise SpotifyUnavailable(
            f"Spotify did not answer ({reason}) after {failures + 1} attempts.", status=status
        )
    delay = min(BACKOFF_CAP_SECONDS, settings.SPOTIFY_RETRY_BACKOFF_MS / 1000 * 2**failures)
    logger.info("Spotify %s failed (%s); retry %d in %.2f s", path, reason, failures + 1, delay)
    time.sleep(delay * random.uniform(0.8, 1.0))
    return failures + 1


def _quota_retry_after(error: SpotifyException) -> float:
    """Spotify's Retry-After for a spent daily quota, else the seconds until the next midnight UTC."""
    raw = (error.headers or {}).get("Retry-After")
    try:
        return float(raw)  # type: ignore[arg-type]  # None is caught below
    except (TypeError, ValueError):
        now = datetime.now(UTC)
        midnight = datetime.combine(now.date() + timedelta(days=1), dt_time.min, tzinfo=UTC)
        return (midnight - now).total_seconds()


def _client_error(path: str, error: SpotifyException) -> SpotifyError:
    if error.http_status == 404:
        return SpotifyNotFound()
    message = str(error.msg).split("\n", 1)[-1].strip() or f"HTTP {error.http_status}"
    if error.http_status == 403 and PREMIUM_REQUIRED in message.lower():
        return SpotifyOwnerNotPremium()
    return SpotifyError(
        f"Spotify refused the request: {message}",
        permanent=True,
        status=error.http_status,
        details={"path": path, "status": error.http_status},
    )
