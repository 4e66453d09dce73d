"""Watching and unwatching playlists and artists, marking items known or forgetting them, and asking
for checks now. These are what the API and the admin call."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.spotify.services import spotify_user_token
from settings_app.selectors import get_watch_config
from spotizerr.errors import BadRequest
from spotizerr.integrations.spotify import (
    LIKED_ID,
    RELEASE_GROUPS,
    get_spotify_client,
    parse_playlist_id,
    parse_spotify_id,
)
from watching import selectors
from watching.liked import client_playlist_id, target_spotify_id
from watching.models import ItemStatus, Watch, WatchItemState, WatchKind, WatchTarget
from watching.services.artists import artist_releases_read
from watching.services.common import REQUEST_SPOTIFY_MAX_WAIT, watching_require_enabled
from watching.services.imported import imported_about, is_imported, target_id
from watching.services.playlists import playlist_entries_read, playlist_m3u_write
from watching.services.reading import Row, rows_apply
from watching.services.schedule import watch_checks_request
from watching.services.sync import items_mark_known

ITEM_KIND: dict[str, str] = {WatchKind.PLAYLIST: "track", WatchKind.ARTIST: "album"}
MAX_ITEM_IDS = 1000


def _target_create(
    *,
    kind: str,
    spotify_id: str,
    name: str,
    owner: str,
    snapshot_id: str,
    rows: list[Row],
    total: int,
    now: datetime,
) -> WatchTarget:
    """The target with its current items; the one another request created meanwhile if it lost the race."""
    interval = timedelta(seconds=get_watch_config()["check_interval"])
    try:
        with transaction.atomic():
            target = WatchTarget.objects.create(
                kind=kind,
                spotify_id=spotify_id,
                name=name[:500],
                spotify_owner=owner[:500],
                snapshot_id=snapshot_id,
                entry_total=total,
                next_check_at=now + interval,
                last_checked_at=now,
                last_result="first read",
            )
            rows_apply(target=target, rows=rows, now=now)
    except IntegrityError:
        return WatchTarget.objects.get(kind=kind, spotify_id=spotify_id)
    return target


def watch_target_id(user: User, kind: str, value: str, *, own_import: bool = False) -> str:
    """The target's ``spotify_id`` for an id given to the API (``liked``: ``user``'s Liked Songs;
    ``import:<uuid>``: an imported playlist, which with ``own_import`` must be one ``user`` may see)."""
    if kind == WatchKind.PLAYLIST and is_imported(value):
        return target_id(value, kind, user=user if own_import else None)
    if kind == WatchKind.PLAYLIST:
        return target_spotify_id(user=user, playlist_id=parse_playlist_id(value))
    return parse_spotify_id(value, kind)


def _imported_target(spotify_id: str, now: datetime) -> WatchTarget:
    """The target of an imported playlist: its matched entries, no Spotify read."""
    target = WatchTarget.objects.filter(kind=WatchKind.PLAYLIST, spotify_id=spotify_id).first()
    if target is not None:
        return target
    imported, rows, total = imported_about(spotify_id)
    target = _target_create(
        kind=WatchKind.PLAYLIST,
        spotify_id=spotify_id,
        name=imported.name,
        owner=imported.owner.username,
        snapshot_id=imported.snapshot_id,
        rows=rows,
        total=total,
        now=now,
    )
    playlist_m3u_write(target=target)
    return target


def _playlist_target(spotify_id: str, user: User, now: datetime) -> WatchTarget:
    """The target, read through ``user``'s linked Spotify account: ``SpotifyPlaylistForbidden`` when that
    account may not read the playlist's items (checked with one small read even if others watch it)."""
    if is_imported(spotify_id):
        return _imported_target(spotify_id, now)
    client = get_spotify_client(max_wait=REQUEST_SPOTIFY_MAX_WAIT, user=spotify_user_token(user=user))
    api_id = client_playlist_id(spotify_id)
    target = WatchTarget.objects.filter(kind=WatchKind.PLAYLIST, spotify_id=spotify_id).first()
    if target is not None:
        if api_id != LIKED_ID:
            client.playlist_entries_page(api_id, limit=1, offset=0, snapshot_id=target.snapshot_id)
        return target
    about = client.playlist(api_id)  # SpotifyNotFound -> 404
    snapshot = client.playlist_snapshot(api_id)
    unsaved = WatchTarget(kind=WatchKind.PLAYLIST, spotify_id=spotify_id)
    rows, total = playlist_entries_read(
        client=client, target=unsaved, snapshot_id=snapshot, renew=lambda: None
    )
    target = _target_create(
        kind=WatchKind.PLAYLIST,
        spotify_id=spotify_id,
        name=about.name,
        owner=about.owner,
        snapshot_id=snapshot,
        rows=rows,
        total=total,
        now=now,
    )
    playlist_m3u_write(target=target)
    return target


def _artist_target(spotify_id: str, now: datetime) -> WatchTarget:
    target = WatchTarget.objects.filter(kind=WatchKind.ARTIST, spotify_id=spotify_id).first()
    if target is not None:
        return target
    client = get_spotify_client(max_wait=REQUEST_SPOTIFY_MAX_WAIT)
    about = client.artist(spotify_id)  # SpotifyNotFound -> 404
    unsaved = WatchTarget(kind=WatchKind.ARTIST, spotify_id=spotify_id)
    rows, total = artist_releases_read(client=client, target=unsaved, renew=lambda: None)
    return _target_create(
        kind=WatchKind.ARTIST,
        spotify_id=spotify_id,
        name=about.name,
        owner="",
        snapshot_id="",
        rows=rows,
        total=total,
        now=now,
    )


def _watch_create(
    *,
    target: WatchTarget,
    user: User,
    watch_new: bool,
    download_existing: bool,
    album_types: list[str],
    now: datetime,
) -> tuple[Watch, bool]:
    """The new watch with its baseline: every current item known, or (``download_existing``) none, so
    the check requested here queues them all."""
    try:
        with transaction.atomic():
            watch = Watch.objects.create(
                target=target,
                user=user,
                watch_new=watch_new,
                created_at=now,
                download_existing=download_existing,
                album_types=album_types,
            )
            if not download_existing:
                items_mark_known(
                    watch=watch,
                    now=now,
                    item_ids=[item.spotify_id for item in selectors.target_current_items(target)],
                )
    except IntegrityError:  # the same user, twice at once
        return Watch.objects.select_related("target", "user").get(target=target, user=user), False
    if download_existing:
        watch_checks_request(targets=[target], now=now)
    return watch, True


def _existing(user: User, kind: str, spotify_id: str) -> Watch | None:
    return (
        Watch.objects.select_related("target", "user")
        .filter(user=user, target__kind=kind, target__spotify_id=spotify_id)
        .first()
    )


def watch_playlist_add(
    *,
    user: User,
    playlist_id: str,
    watch_new_additions: bool | None = None,
    download_existing: bool | None = None,
    now: datetime | None = None,
) -> tuple[Watch, bool]:
    """Watch a playlist for ``user``; returns the watch and whether it is new.

    New: the playlist is read in full now; ``download_existing`` (default false) says whether its current
    tracks are queued (by a check requested at once) or only marked known. Already watched: only
    ``watch_new_additions``, when given, changes. Raises Forbidden (watching disabled), BadRequest (bad
    id), SpotifyNotFound (unknown playlist) and the Spotify client's other errors.
    """
    watching_require_enabled()
    spotify_id = watch_target_id(user, WatchKind.PLAYLIST, playlist_id, own_import=True)
    at = now or timezone.now()
    existing = _existing(user, WatchKind.PLAYLIST, spotify_id)
    if existing is not None:
        if watch_new_additions is not None and watch_new_additions != existing.watch_new:
            existing.watch_new = watch_new_additions
            existing.save(update_fields=["watch_new"])
        return existing, False
    target = _playlist_target(spotify_id, user, at)
    return _watch_create(
        target=target,
        user=user,
        watch_new=True if watch_new_additions is None else watch_new_additions,
        download_existing=bool(download_existing),
        album_types=[],
        now=at,
    )


def _album_types(album_types: list[str] | None) -> list[str] | None:
    if album_types is None:
        return None
    unknown = sorted(set(album_types) - set(RELEASE_GROUPS))
    if unknown or not album_types:
        raise BadRequest(
            "Unknown or missing album types.",
            code="invalid_album_types",
            details={"album_types": [f"choose among {', '.join(RELEASE_GROUPS)}"]},
        )
    return [group for group in RELEASE_GROUPS if group in album_types]


def _artist_options_update(
    watch: Watch, watch_new: bool | None, groups: list[str] | None, now: datetime
) -> None:
    """Releases of groups the watcher adds are existing releases: they become known, not downloaded."""
    if watch_new is not None:
        watch.watch_new = watch_new
    if groups is not None:
        added = set(groups) - set(watch.album_types)
        watch.album_types = groups
        items_mark_known(
            watch=watch,
            now=now,
            item_ids=[
                item.spotify_id
                for item in selectors.target_current_items(watch.target)
                if item.album_group in added
            ],
        )
    watch.save(update_fields=["watch_new", "album_types"])


def watch_artist_add(
    *,
    user: User,
    artist_id: str,
    watch_new_releases: bool | None = None,
    album_types: list[str] | None = None,
    download_existing: bool | None = None,
    now: datetime | None = None,
) -> tuple[Watch, bool]:
    """Watch an artist's releases of ``album_types`` (default: the ``watchedArtistAlbumGroup`` setting)
    for ``user``; returns the watch and whether it is new. Existing releases are marked known unless
    ``download_existing``. Already watched: ``watch_new_releases`` and ``album_types``, when given,
    change. Raises Forbidden, BadRequest (bad id or album types), SpotifyNotFound and Spotify's errors.
    """
    watching_require_enabled()
    spotify_id = parse_spotify_id(artist_id, "artist")
    groups = _album_types(album_types)
    at = now or timezone.now()
    existing = _existing(user, WatchKind.ARTIST, spotify_id)
    if existing is not None:
        _artist_options_update(existing, watch_new_releases, groups, at)
        return existing, False
    target = _artist_target(spotify_id, at)
    default_groups = list(get_watch_config()["watchedArtistAlbumGroup"])
    return _watch_create(
        target=target,
        user=user,
        watch_new=True if watch_new_releases is None else watch_new_releases,
        download_existing=bool(download_existing),
        album_types=groups or default_groups,
        now=at,
    )


def watch_remove(*, user: User, kind: str, spotify_id: str) -> int:
    """Stop watching: ``user``'s own watch, or for an admin without one every watch of it. A target
    nobody watches any more is forgotten with its items (library files stay). Returns how many watches
    ended; raises NotFound when ``user`` sees none."""
    spotify_id = watch_target_id(user, kind, spotify_id)
    watch = selectors.watch_get(user=user, kind=kind, spotify_id=spotify_id)
    watches = Watch.objects.filter(target=watch.target)
    if watch.user_id == user.pk or not user.is_admin:
        watches = watches.filter(pk=watch.pk)
    with transaction.atomic():
        removed, _ = watches.delete()
        WatchTarget.objects.filter(pk=watch.target_id, watches__isnull=True).delete()
    return removed


def _item_ids(kind: str, item_ids: Iterable[str]) -> list[str]:
    ids = list(dict.fromkeys(parse_spotify_id(str(item_id), ITEM_KIND[kind]) for item_id in item_ids))
    if not ids or len(ids) > MAX_ITEM_IDS:
        raise BadRequest(f"Give between 1 and {MAX_ITEM_IDS} ids.", code="invalid_item_ids")
    return ids


def watch_items_mark_known(
    *, user: User, kind: str, spotify_id: str, item_ids: Iterable[str], now: datetime | None = None
) -> list[str]:
    """Mark tracks (playlists) or albums (artists) as known for ``user``'s watch, so checks never queue
    them; items with a download queued keep it. Returns the ids. Raises NotFound and BadRequest."""
    watch = selectors.watch_get(user=user, kind=kind, spotify_id=watch_target_id(user, kind, spotify_id))
    ids = _item_ids(kind, item_ids)
    at = now or timezone.now()
    with transaction.atomic():
        watch.states.filter(item_id__in=ids).exclude(status=ItemStatus.QUEUED).update(
            status=ItemStatus.KNOWN, last_error="", updated_at=at
        )
        items_mark_known(watch=watch, item_ids=ids, now=at)
    return ids


def watch_items_forget(*, user: User, kind: str, spotify_id: str, item_ids: Iterable[str]) -> list[str]:
    """Forget what was done with these items for ``user``'s watch: the next check treats them as new
    (queued when the watch takes new items). Returns the ids. Raises NotFound and BadRequest."""
    watch = selectors.watch_get(user=user, kind=kind, spotify_id=watch_target_id(user, kind, spotify_id))
    ids = _item_ids(kind, item_ids)
    WatchItemState.objects.filter(watch=watch, item_id__in=ids).delete()
    return ids


def watch_checks_trigger(
    *, user: User, kind: str, spotify_id: str | None = None, now: datetime | None = None
) -> int:
    """Check now one watched target (``spotify_id``) or every one ``user`` sees of ``kind``; returns how
    many were asked for. Raises Forbidden (watching disabled) and NotFound (not on the watch list)."""
    watching_require_enabled()
    if spotify_id is None:
        targets = list(selectors.targets_visible_to(user=user, kind=kind))
    else:
        targets = [
            selectors.watch_get(
                user=user, kind=kind, spotify_id=watch_target_id(user, kind, spotify_id)
            ).target
        ]
    return watch_checks_request(targets=targets, now=now)
