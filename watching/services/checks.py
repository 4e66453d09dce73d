"""One check of a watched playlist or artist: read it, diff it, update every watcher, reschedule."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.spotify.services import spotify_user_token, spotify_user_token_require
from settings_app.models import NotificationEvent
from settings_app.notifications import notification_dispatch, notification_health_problem
from settings_app.selectors import get_watch_config
from spotizerr.errors import ApiError
from spotizerr.integrations.spotify import (
    SpotifyError,
    SpotifyNotFound,
    SpotifyPlaylistForbidden,
    SpotifyQuotaExhausted,
    SpotifyRateLimited,
    UserToken,
    get_spotify_client,
)
from watching.liked import liked_owner_pk
from watching.models import WatchKind, WatchTarget
from watching.services.artists import artist_refresh
from watching.services.common import CHECK_SPOTIFY_MAX_WAIT, clock, lease_renewer
from watching.services.imported import is_imported
from watching.services.playlists import playlist_m3u_write, playlist_refresh
from watching.services.reading import Change
from watching.services.sync import SyncSummary, target_sync

logger = logging.getLogger(__name__)


def _playlist_readers(target: WatchTarget) -> list[UserToken | None]:
    """Whose Spotify account reads a watched playlist: the owner's for Liked Songs; else the linked
    accounts of its watchers, oldest watch first (the first that may read it is used), or the app's own
    token when no watcher linked one (that works only for apps in extended quota mode)."""
    owner_pk = liked_owner_pk(target.spotify_id)
    if owner_pk is not None:
        return [spotify_user_token_require(user=User.objects.get(pk=owner_pk))]
    readers: dict[str, UserToken] = {}
    for watch in target.watches.select_related("user").order_by("created_at", "pk"):
        token = spotify_user_token(user=watch.user)
        if token is not None:
            readers.setdefault(token.key, token)
    return list(readers.values()) or [None]


def _refresh(target: WatchTarget, config: dict[str, Any], holder: str, now: datetime) -> Change | None:
    renew = lease_renewer(target=target, holder=holder, now=clock(now))
    if target.kind != WatchKind.PLAYLIST:
        client = get_spotify_client(max_wait=CHECK_SPOTIFY_MAX_WAIT)
        return artist_refresh(client=client, target=target, renew=renew, now=now)
    readers = _playlist_readers(target)
    for number, reader in enumerate(readers, start=1):
        client = get_spotify_client(max_wait=CHECK_SPOTIFY_MAX_WAIT, user=reader)
        try:
            return playlist_refresh(
                client=client, target=target, force=not config["useSnapshotIdChecking"], renew=renew, now=now
            )
        except SpotifyPlaylistForbidden:
            if number == len(readers):
                raise
    return None


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


def _health_topic(target: WatchTarget, failed: ApiError) -> tuple[str, str]:
    """The once-an-hour key and title of a failed check's operator notice: an imported playlist's
    source (Deezer, a user's URL) has its own, so one broken list neither is called a Spotify problem
    nor mutes the notices of a real one for an hour."""
    if is_imported(target.spotify_id) and not isinstance(failed, SpotifyError):
        return f"import-source:{target.pk}", "Imported playlist source problem"
    return "spotify", "Spotify problem"


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
    except SpotifyQuotaExhausted as spent:  # nothing to do but wait for the quota to renew
        wait = timedelta(seconds=max(interval.total_seconds(), spent.retry_after))
        _finish(
            target, holder, now=at, next_check=at + wait, result="failed", error=spent.message, checked=False
        )
        return spent.message
    except SpotifyNotFound:
        error = f"Spotify no longer knows this {target.kind}."
        _finish(target, holder, now=at, next_check=at + interval, result="failed", error=error)
        return error
    except ApiError as failed:  # Spotify, or the source of an imported playlist (Deezer, a URL)
        _finish(target, holder, now=at, next_check=at + interval, result="failed", error=failed.message)
        key, title = _health_topic(target, failed)
        notification_health_problem(key=key, title=title, body=f"Checking {target} failed: {failed.message}")
        return failed.message
    result = _result(change, sync)
    _finish(target, holder, now=at, next_check=at + interval, result=result, error="")
    if sync.queued:
        watch_new_items_notify(target=target, queued=sync.queued)
    logger.info("Checked %s: %s", target, result)
    return result
