"""Small pieces every watching service shares: limits, leases and the "is watching on?" rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from settings_app.selectors import get_watch_config
from spotizerr.errors import Forbidden
from watching.models import WatchTarget

PAGE_SIZE = 50  # entries per call; Spotify's documented maximum for new apps
REQUEST_SPOTIFY_MAX_WAIT = 5.0  # an API request (adding a watch) waits out short back-offs
CHECK_SPOTIFY_MAX_WAIT = 0.0  # a check never sleeps on a 429: it stops, keeps its place and is rescheduled
CHECK_LEASE = timedelta(minutes=10)  # renewed after every page read
ENABLE_HINT = 'An administrator can enable it with PUT /api/config/watch {"enabled": true}.'


def watching_require_enabled() -> None:
    """Raise Forbidden (code ``watching_disabled``) when watching is switched off."""
    if not get_watch_config()["enabled"]:
        raise Forbidden(f"Watching is disabled. {ENABLE_HINT}", code="watching_disabled")


def clock(now: datetime | None) -> Callable[[], datetime]:
    """``now`` frozen when given (tests, benchmarks), else the wall clock."""
    return (lambda: now) if now is not None else timezone.now


def lease_renewer(*, target: WatchTarget, holder: str, now: Callable[[], datetime]) -> Callable[[], None]:
    """A callable that extends ``holder``'s claim on ``target`` (a no-op when there is no holder)."""

    def renew() -> None:
        if holder:
            WatchTarget.objects.filter(pk=target.pk, lease_holder=holder).update(
                lease_until=now() + CHECK_LEASE
            )

    return renew
