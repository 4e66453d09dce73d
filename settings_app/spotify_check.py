"""Is Spotify usable right now with the configured app? One small call, its answer cached briefly.

``spotify_check()`` answers ``{"status", "ok", "message", "retry_after", "checked_at"}`` where status is one
of ``STATUSES``. The dashboard's banner and ``GET /api/config/check`` read it; the credential services call
``spotify_check_forget()`` so a fixed set is checked again at once. ``credential_test()`` tries one set,
stored or not yet saved, without touching the cache.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone

from settings_app import selectors
from spotizerr.errors import BadRequest, NotFound
from spotizerr.integrations.spotify import (
    SpotifyCredentialsRejected,
    SpotifyError,
    SpotifyNotConfigured,
    SpotifyOwnerNotPremium,
    SpotifyQuotaExhausted,
    SpotifyRateLimited,
    SpotifyUnavailable,
    get_spotify_client,
    spotify_credentials_try,
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


DEEZER_UNTESTABLE = (
    "Nothing to test: no built-in source uses Deezer credentials (Deezer's previews and public playlists "
    "need no account). They are kept for the original web UI."
)


def credential_test(
    *, service: str, name: str, client_id: str | None = None, client_secret: str | None = None
) -> dict[str, Any]:
    """``{"ok", "message"}`` for the set ``name`` of ``service`` with ``client_id``/``client_secret``
    (when given) in place of the stored values, so a set can be tried before it is saved. Raises
    ``BadRequest`` for an unknown service, ``NotFound`` when a value is missing and no set is stored."""
    if service not in selectors.SERVICES:
        raise BadRequest(
            f"Unknown service {service!r}.",
            code="unknown_service",
            details={"service": [f"must be one of {', '.join(selectors.SERVICES)}"]},
        )
    stored = selectors.credential_get(service=service, name=name)
    if stored is None and not (client_id and client_secret):
        raise NotFound(f"No {service} credential set named {name!r}: send client_id and client_secret.")
    if service != "spotify":
        return {"ok": False, "message": DEEZER_UNTESTABLE}
    try:
        found_id = client_id or (stored.client_id if stored else "")
        found_secret = client_secret or (stored.client_secret if stored else "")
    except crypto.DecryptionError:
        return {"ok": False, "message": UNDECRYPTABLE}
    try:
        spotify_credentials_try(found_id, found_secret)
    except SpotifyError as error:
        return {"ok": False, "message": error.message}
    return {"ok": True, "message": "Spotify accepted the client id and secret and answered a search."}
