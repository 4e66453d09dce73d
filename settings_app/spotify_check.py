"""Is Spotify usable right now with the configured app? One small call, its answer cached briefly.

``spotify_check()`` answers ``{"status", "ok", "message", "retry_after", "checked_at"}`` where status is one
of ``STATUSES``. The dashboard's banner and ``GET /api/config/check`` read it; the credential services call
``spotify_check_forget()`` so a fixed set is checked again at once.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone

from spotizerr.integrations.spotify import (
    SpotifyCredentialsRejected,
    SpotifyError,
    SpotifyNotConfigured,
    SpotifyOwnerNotPremium,
    SpotifyQuotaExhausted,
    SpotifyRateLimited,
    SpotifyUnavailable,
    get_spotify_client,
)
from spotizerr.lib import crypto

CACHE_KEY = "spotify:check"
OK_SECONDS = 300  # a good answer is trusted this long
PROBLEM_SECONDS = 60  # a problem is asked again after this long (or its Retry-After, if sooner)
STATUSES = (
    "ok",
    "not_configured",
    "credentials_rejected",
    "owner_not_premium",
    "quota_exhausted",
    "rate_limited",
    "unavailable",
    "error",
)
_BY_ERROR: tuple[tuple[type[SpotifyError], str], ...] = (
    (SpotifyNotConfigured, "not_configured"),
    (SpotifyCredentialsRejected, "credentials_rejected"),
    (SpotifyOwnerNotPremium, "owner_not_premium"),
    (SpotifyQuotaExhausted, "quota_exhausted"),
    (SpotifyRateLimited, "rate_limited"),
    (SpotifyUnavailable, "unavailable"),
)
UNDECRYPTABLE = (
    "The stored Spotify client secret cannot be decrypted (was the encryption key changed?). "
    "An administrator must store the credentials again under Settings > Credentials."
)


def spotify_check(*, fresh: bool = False) -> dict[str, Any]:
    """The cached result of the last check, or a new one (``fresh`` always asks Spotify again)."""
    if not fresh and (cached := cache.get(CACHE_KEY)) is not None:
        return cached
    result = _probe()
    ttl = OK_SECONDS if result["ok"] else PROBLEM_SECONDS
    if result["retry_after"]:
        ttl = max(1, min(ttl, result["retry_after"]))
    cache.set(CACHE_KEY, result, ttl)
    return result


def spotify_check_forget() -> None:
    """Drop the cached result (credentials changed)."""
    cache.delete(CACHE_KEY)


def _probe() -> dict[str, Any]:
    try:
        get_spotify_client(max_wait=0).check()
    except crypto.DecryptionError:
        return _result("not_configured", UNDECRYPTABLE)
    except SpotifyError as error:
        status = next((name for kind, name in _BY_ERROR if isinstance(error, kind)), "error")
        return _result(status, error.message, getattr(error, "wait", None))
    return _result("ok", "Spotify answers with the configured app.")


def _result(status: str, message: str, retry_after: int | None = None) -> dict[str, Any]:
    return {
        "status": status,
        "ok": status == "ok",
        "message": message,
        "retry_after": retry_after,
        "checked_at": timezone.now().isoformat(),
    }
