"""One check of a watched playlist or artist: read it, diff it, update every watcher, reschedule."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from settings_app.models import NotificationEvent
from settings_app.notifications import notification_dispatch, notification_health_problem
from settings_app.selectors import get_watch_config
from spotizerr.integrations.spotify import (
    SpotifyError,
    SpotifyNotFound,
    SpotifyRateLimited,
    get_spotify_client,
)
from watching.models import WatchKind, WatchTarget
from watching.services.artists import artist_refresh
from watching.services.common import CHECK_SPOTIFY_MAX_WAIT, clock, lease_renewer
from watching.services.playlists import playlist_m3u_write, playlist_refresh
from watching.services.reading import Change
from watching.services.sync import SyncSummary, target_sync

logger = logging.getLogger(__name__)


def _refresh(target: WatchTarget, config: dict[str, Any], holder: str, now: datetime) -> Change | None:
    client = get_spotify_client(max_wait=CHECK_SPOTIFY_MAX_WAIT)
    renew = lease_renewer(target=target, holder=holder, now=clock(now))
    if target.kind == WatchKind.PLAYLIST:
        return playlist_refresh(
            client=client, target=target, force=not config["useSnapshotIdChecking"], renew=renew, now=now
        )
    return artist_refresh(client=client, target=target, renew=renew, now=now)


def _result(change: Change | None, sync: SyncSummary) -> str:
    found = "unchanged" if change is None else change.describe()
    return f"{found}; {sync.describe()}"


def _finish(
    target: WatchTarget,
    holder: str,
    *,
    now: datetime,
    next_check: datetime,
    result: str,
    error: str,
    checked: bool = True,
) -> None:
    """Record the outcome and give the claim back (only if ``holder`` still holds it)."""
    values: dict[str, Any] = {
        "next_check_at": next_check,
        "last_result": result[:300],
        "last_error": error,
        "lease_holder": "",
        "lease_until": None,
    }
    if checked:
        values.update(last_checked_at=now, check_count=F("check_count") + 1)
    claimed = WatchTarget.objects.filter(pk=target.pk)
    if holder:
        claimed = claimed.filter(lease_holder=holder)
    claimed.update(**values)


def watch_new_items_notify(*, target: WatchTarget, queued: int) -> None:
    """Tell the watchers' (and the operator's) notification targets that new items were queued."""
    users = list(target.watches.values_list("user_id", flat=True))
    title = f"New on {target.name or target.spotify_id}"
    body = f"The watched {target.kind} {target.name or target.spotify_id!r} has {queued} new item(s), queued for download."
    notification_dispatch(event=NotificationEvent.WATCH_NEW_ITEMS, owner_ids=users, title=title, body=body)


def target_check(*, target: WatchTarget, holder: str = "", now: datetime | None = None) -> str:
    """Check ``target`` (claimed by ``holder``; empty when the caller runs it directly) and return the
    result text. Never raises for Spotify trouble: a rate limit keeps the place reached and moves the
    next check to when Spotify allows it; other errors are recorded as the target's ``last_error``."""
    config = get_watch_config()
    at = now or timezone.now()
    interval = timedelta(seconds=config["check_interval"])
    try:
        change = _refresh(target, config, holder, at)
        sync = target_sync(target=target, now=at, retry_failed_after=config["retry_failed_after"])
        if change is not None and target.kind == WatchKind.PLAYLIST:
            playlist_m3u_write(target=target)
    except SpotifyRateLimited as limited:
        wait = timedelta(seconds=max(1.0, limited.retry_after))
        result = f"Paused by a Spotify rate limit; continues in {round(wait.total_seconds())} s"
        _finish(target, holder, now=at, next_check=at + wait, result=result, error=result, checked=False)
        return result
    except SpotifyNotFound:
        error = f"Spotify no longer knows this {target.kind}."
        _finish(target, holder, now=at, next_check=at + interval, result="failed", error=error)
        return error
    except SpotifyError as failed:
        _finish(target, holder, now=at, next_check=at + interval, result="failed", error=failed.message)
        notification_health_problem(
            key="spotify", title="Spotify problem", body=f"Checking {target} failed: {failed.message}"
        )
        return failed.message
    result = _result(change, sync)
    _finish(target, holder, now=at, next_check=at + interval, result=result, error="")
    if sync.queued:
        watch_new_items_notify(target=target, queued=sync.queued)
    logger.info("Checked %s: %s", target, result)
    return result
