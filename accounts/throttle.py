"""Failed-login throttle shared by every login path: the API, the dashboard and the Django admin.

Counters live in Django's default cache (the database cache table, or Redis when configured),
so every process sees the same counts. Each key (one user name, one client address) holds
``{"count", "window_ends", "locked_until"}``: a window opens at the first failure and lasts
``LOGIN_COOLOFF_SECONDS``; the failure that reaches the limit locks the key for another
``LOGIN_COOLOFF_SECONDS``. Login paths call :func:`login_throttle_check` before checking the
password and :func:`login_record_failure` / :func:`login_record_success` after it
(``accounts.services.login_authenticate`` does all three).

The counter update is read-modify-write: attempts racing in parallel may lose a count, which
at worst lets a parallel guesser through a few more times before the lock; it never locks
anyone out early.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_KEY_PREFIX = "spotizerr:login-failures"


def client_address(request: HttpRequest) -> str:
    """The address a request comes from, for throttling and logs.

    ``REMOTE_ADDR``, unless it is one of ``settings.TRUSTED_PROXIES``: then the right-most
    ``X-Forwarded-For`` hop that is not itself a trusted proxy (hops further left are written
    by the client and cannot be believed).
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if not _is_trusted_proxy(remote):
        return remote or "unknown"
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if _parse_ip(hop) is None:
            break
        if not _is_trusted_proxy(hop):
            return hop
    return remote


def login_throttle_check(*, username: str, address: str) -> int | None:
    """Seconds the caller must wait before another login attempt, or None if it may try now."""
    now = time.time()
    waits = [
        entry["locked_until"] - now
        for entry in cache.get_many([_username_key(username), _address_key(address)]).values()
        if _locked_until(entry) > now
    ]
    return max(1, math.ceil(max(waits))) if waits else None


def login_record_failure(*, username: str, address: str) -> None:
    """Count one failed login against the user name and the address."""
    _count_failure(_username_key(username), limit=settings.LOGIN_FAILURES_PER_USERNAME)
    _count_failure(_address_key(address), limit=settings.LOGIN_FAILURES_PER_ADDRESS)


def login_record_success(*, username: str, address: str) -> None:
    """A correct password clears the user name's failures (the address keeps its count)."""
    cache.delete(_username_key(username))


def _count_failure(key: str, *, limit: int) -> None:
    now = time.time()
    cooloff = settings.LOGIN_COOLOFF_SECONDS
    entry = cache.get(key)
    if not isinstance(entry, dict) or (entry["window_ends"] <= now and _locked_until(entry) <= now):
        entry = {"count": 0, "window_ends": now + cooloff, "locked_until": None}
    entry["count"] += 1
    if entry["count"] >= limit:
        entry["locked_until"] = now + cooloff
    expires = max(entry["window_ends"], _locked_until(entry))
    cache.set(key, entry, timeout=max(1, math.ceil(expires - now)))


def _locked_until(entry: Any) -> float:
    if isinstance(entry, dict) and entry.get("locked_until"):
        return float(entry["locked_until"])
    return 0.0


def _username_key(username: str) -> str:
    # Case-folded: "Alice" and "alice" share a counter, whatever the backends match on.
    return _key("username", username.strip().casefold())


def _address_key(address: str) -> str:
    return _key("address", address)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{_KEY_PREFIX}:{kind}:{digest}"


def _parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def trusted_proxy_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``settings.TRUSTED_PROXIES`` as networks (single addresses become /32 or /128).

    Raises ValueError naming a bad entry; ``accounts.checks`` reports that at start-up.
    """
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in settings.TRUSTED_PROXIES if entry]


def _is_trusted_proxy(value: str) -> bool:
    address = _parse_ip(value)
    if address is None or not settings.TRUSTED_PROXIES:
        return False
    try:
        networks = trusted_proxy_networks()
    except ValueError:
        return False
    return any(address in network for network in networks)
