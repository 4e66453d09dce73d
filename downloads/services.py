"""Writes of the download engine: requests, stream tickets and the reaper.

Views, admin actions, tasks, management commands and the watching app call these and their siblings
``downloads.cancelling`` (cancelling tasks) and ``downloads.requeue`` (retrying, deleting and clearing
finished ones); nothing else changes download state except the pipeline's own workers.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import StreamCredential, stream_credentials_valid
from accounts.spotify.services import spotify_user_token
from downloads import selectors
from downloads.models import DownloadTask, DownloadType, StreamTicket, TaskStatus
from downloads.pipeline import reaper
from downloads.pipeline.codec import to_json
from downloads.progress import progress_publish
from downloads.tasks import REAP_TASK, task_enqueue
from settings_app.config.main import MAIN
from settings_app.selectors import get_config, get_watch_config, stored_values
from spotizerr.errors import BadRequest, Conflict
from spotizerr.integrations.catalog_types import ArtistRelease, Track
from spotizerr.integrations.spotify import LIKED_ID, get_spotify_client, parse_playlist_id, parse_spotify_id

logger = logging.getLogger(__name__)

#: Settings a single request may change (query parameters of the download endpoints).
OVERRIDABLE_SETTINGS: frozenset[str] = frozenset(
    {
        "convertTo",
        "fileFormat",
        "bitrate",
        "customDirFormat",
        "customTrackFormat",
        "tracknumPadding",
        "padNumberWidth",
        "saveCover",
        "artistSeparator",
        "explicitFilter",
        "lyrics",
        "genres",
    }
)
CONTEXT_KEYS: frozenset[str] = frozenset(
    {"playlist_id", "playlist_name", "playlist_position", "playlist_total", "watch_id", "watch_name"}
)
ARTIST_ALBUM_GROUPS: tuple[str, ...] = ("album", "single", "compilation", "appears_on")
STREAM_TICKET_SECONDS = 60
REQUEST_SPOTIFY_MAX_WAIT = 5.0
#: Ids of playlists of ours whose tracks come with the request (imported playlists), not from Spotify.
GIVEN_PLAYLIST_PREFIX = "import:"


# ---------------------------------------------------------------------------------------------- requests
def overrides_validate(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """``overrides`` checked like a configuration change; ``fileFormat`` becomes ``convertTo``.

    Raises BadRequest (code ``invalid_overrides``) naming each bad or unknown setting.
    """
    given = dict(overrides or {})
    unknown = sorted(set(given) - OVERRIDABLE_SETTINGS)
    if unknown:
        raise BadRequest(
            "These settings cannot be changed per request.",
            code="invalid_overrides",
            details={name: ["cannot be overridden per request"] for name in unknown},
        )
    normalised, errors = MAIN.validate(given, stored_values(MAIN))
    if errors:
        raise BadRequest("Invalid download settings.", code="invalid_overrides", details=errors)
    return normalised  # aliases resolved: fileFormat arrives as convertTo


def _context_validate(context: dict[str, Any] | None) -> dict[str, Any]:
    context = dict(context or {})
    unknown = sorted(set(context) - CONTEXT_KEYS)
    if unknown:
        raise BadRequest("Unknown download context.", code="invalid_context", details={"unknown": unknown})
    for key in ("playlist_position", "playlist_total"):
        value = context.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise BadRequest(
                "Invalid download context.",
                code="invalid_context",
                details={key: ["must be a whole number from 1"]},
            )
    if "playlist_id" in context and not str(context["playlist_id"]).startswith(GIVEN_PLAYLIST_PREFIX):
        context["playlist_id"] = parse_playlist_id(str(context["playlist_id"]))
    return context


def _describe(download_type: str, spotify_id: str, user: User) -> tuple[str, str]:
    """Name and artist of the item; Spotify's own errors (404 unknown id, 503 rate limit) pass through.
    A playlist must be readable through ``user``'s linked account (``SpotifyPlaylistForbidden``, 403, when
    not; ``SpotifyAccountNotLinked``, 409, for ``liked`` without an account): one small read checks now."""
    client = get_spotify_client(max_wait=REQUEST_SPOTIFY_MAX_WAIT, user=spotify_user_token(user=user))
    if download_type == DownloadType.TRACK:
        track = client.track(spotify_id)
        return track.name, ", ".join(track.artist_names)
    if download_type == DownloadType.ALBUM:
        album = client.album(spotify_id)
        return album.name, ", ".join(artist.name for artist in album.artists)
    playlist = client.playlist(spotify_id, include_entries=False)
    if spotify_id != LIKED_ID:
        client.playlist_entries_page(spotify_id, limit=1, offset=0, snapshot_id=playlist.snapshot_id)
    return playlist.name, playlist.owner


def _conflict(existing: DownloadTask) -> Conflict:
    return Conflict(
        f"This {existing.download_type} is already {existing.status} for you.",
        code="duplicate_download",
        details={"task_id": str(existing.pk), "status": existing.status},
        extra={"existing_task": str(existing.pk)},
    )


def download_request(
    *,
    user: User,
    download_type: str,
    item_id: str,
    overrides: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    missing_only: bool = False,
) -> DownloadTask:
    """Queue a download of a track, album or playlist for ``user`` and return its task.

    ``item_id`` may be a bare id, an open.spotify.com link or a ``spotify:`` URI. ``overrides``
    changes settings for this download only (``OVERRIDABLE_SETTINGS``). ``context`` says which
    playlist a track belongs to (``playlist_id``, ``playlist_name``, ``playlist_position``,
    ``playlist_total``): it feeds ``%playlist%``/``%playlistnum%`` and that playlist's M3U file.
    ``missing_only`` ("Download missing"): tracks the library already holds in full are skipped when
    the task is planned, with their files, so only the rest is fetched and the M3U stays whole.

    Raises BadRequest (bad id, type or overrides), NotFound (unknown on Spotify), Conflict with
    ``existing_task`` (the same item is already queued or running for ``user``) and Spotify's
    errors when it cannot be asked.
    """
    if download_type not in DownloadType.values:
        raise BadRequest(f"Cannot download a {download_type!r}.", code="invalid_download_type")
    if download_type == DownloadType.PLAYLIST:
        spotify_id = parse_playlist_id(item_id)
    else:
        spotify_id = parse_spotify_id(item_id, download_type)
    clean = overrides_validate(overrides)
    clean_context = _context_validate(context)
    existing = selectors.task_active_for(owner=user, download_type=download_type, item_id=spotify_id)
    if existing is not None:
        raise _conflict(existing)
    name, artist = _describe(download_type, spotify_id, user)
    return _task_create(
        user=user,
        download_type=download_type,
        spotify_id=spotify_id,
        given=item_id,
        name=name,
        artist=artist,
        overrides=clean,
        context=clean_context,
        extra={"missing_only": True} if missing_only else None,
    )


def _task_create(
    *,
    user: User,
    download_type: str,
    spotify_id: str,
    given: str,
    name: str,
    artist: str,
    overrides: dict[str, Any],
    context: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> DownloadTask:
    request = {
        "type": download_type,
        "id": given,
        "spotify_id": spotify_id,
        "url": "https://open.spotify.com/collection/tracks"
        if spotify_id == LIKED_ID
        else f"https://open.spotify.com/{download_type}/{spotify_id}",
        "overrides": overrides,
        "context": context,
        "requested_by": user.username,
        **(extra or {}),
    }
    try:
        with transaction.atomic():
            task = DownloadTask.objects.create(
                owner=user,
                download_type=download_type,
                item_id=spotify_id,
                name=name[:500],
                artist=artist[:500],
                overrides=overrides,
                context=context,
                original_request=request,
                settings_snapshot={**get_config(), **overrides},
            )
            progress_publish(task, status=TaskStatus.QUEUED, message="Queued")
            transaction.on_commit(partial(task_enqueue, task_id=task.pk))
    except IntegrityError:
        existing = selectors.task_active_for(owner=user, download_type=download_type, item_id=spotify_id)
        if existing is None:
            raise
        raise _conflict(existing) from None
    return task


def download_given_playlist_request(
    *,
    user: User,
    playlist_id: str,
    name: str,
    owner: str,
    tracks: list[Track | None],
    overrides: dict[str, Any] | None = None,
) -> DownloadTask:
    """Queue a playlist of ours whose tracks the caller knows (an imported playlist, ``import:<uuid>``):
    Spotify is not asked for its entries; a ``None`` track becomes a skipped job ("not matched").

    Raises BadRequest (overrides) and Conflict with ``existing_task`` (already queued or running)."""
    clean = overrides_validate(overrides)
    existing = selectors.task_active_for(owner=user, download_type=DownloadType.PLAYLIST, item_id=playlist_id)
    if existing is not None:
        raise _conflict(existing)
    entries = [{"track": to_json(track) if track else None, "reason": "unmatched"} for track in tracks]
    return _task_create(
        user=user,
        download_type=DownloadType.PLAYLIST,
        spotify_id=playlist_id,
        given=playlist_id,
        name=name,
        artist=owner,
        overrides=clean,
        context={},
        extra={"url": "", "entries": entries},
    )


def download_artist_request(
    *,
    user: User,
    artist_id: str,
    album_types: list[str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Queue one album task per release of the artist in ``album_types`` (default: the watch setting
    ``watchedArtistAlbumGroup``). Releases already queued or running for ``user`` are reported in
    ``duplicate_albums`` with their existing task ids instead."""
    spotify_id = parse_spotify_id(artist_id, "artist")
    groups = album_types or list(get_watch_config()["watchedArtistAlbumGroup"])
    bad = sorted(set(groups) - set(ARTIST_ALBUM_GROUPS))
    if bad:
        raise BadRequest(
            "Unknown album type.",
            code="invalid_album_type",
            details={"album_type": [f"must be among {', '.join(ARTIST_ALBUM_GROUPS)}"]},
        )
    clean = overrides_validate(overrides)
    client = get_spotify_client(max_wait=REQUEST_SPOTIFY_MAX_WAIT)
    artist = client.artist(spotify_id)
    releases = client.artist_releases(spotify_id, include_groups=groups)
    queued, duplicates = _releases_queue(user=user, releases=releases, artist=artist.name, overrides=clean)
    return {
        "status": "complete",
        "message": f"Artist discography processing initiated. {len(queued)} albums queued.",
        "artist": {"id": artist.id, "name": artist.name},
        "album_types": groups,
        "queued_albums": queued,
        "duplicate_albums": duplicates,
    }


def _releases_queue(
    *, user: User, releases: list[ArtistRelease], artist: str, overrides: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """One album task per release (``artist`` names a release without artists of its own): the ids
    of the tasks queued, and the ids of the existing tasks of releases already queued or running."""
    queued: list[str] = []
    duplicates: list[str] = []
    for release in releases:
        try:
            task = _task_create(
                user=user,
                download_type=DownloadType.ALBUM,
                spotify_id=release.id,
                given=release.id,
                name=release.name,
                artist=", ".join(ref.name for ref in release.artists) or artist,
                overrides=overrides,
                context={},
            )
        except Conflict as conflict:
            duplicates.append(conflict.extra["existing_task"])
            continue
        queued.append(str(task.pk))
    return queued, duplicates


# ---------------------------------------------------------------------------------------------- stream tickets
def _ticket_hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def stream_ticket_issue(*, credential: StreamCredential) -> tuple[str, int]:
    """A new single-use ticket to open the progress stream with ``credential`` (the caller's user and
    session) and its lifetime in seconds."""
    ticket = secrets.token_urlsafe(32)
    StreamTicket.objects.filter(expires_at__lt=timezone.now() - timedelta(hours=1)).delete()
    StreamTicket.objects.create(
        key_hash=_ticket_hash(ticket),
        user_id=credential.user_id,
        expires_at=timezone.now() + timedelta(seconds=STREAM_TICKET_SECONDS),
        token_version=credential.token_version,
        session_id=credential.session_id,
        session_key=credential.session_key,
    )
    return ticket, STREAM_TICKET_SECONDS


def stream_ticket_redeem(*, ticket: str) -> tuple[User, StreamCredential] | None:
    """The user and credential of a valid, unused, unexpired ticket, which is used up; None otherwise,
    also when the session it was asked from has logged out since (or the user's password or role
    changed, or the user was deactivated)."""
    key = _ticket_hash(ticket)
    now = timezone.now()
    used = StreamTicket.objects.filter(key_hash=key, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    )
    if not used:
        return None
    row = StreamTicket.objects.select_related("user").get(key_hash=key)
    credential = StreamCredential(
        row.user_id, row.token_version, row.user.role, row.session_id, row.session_key
    )
    if credential not in stream_credentials_valid([credential]):
        return None
    return row.user, credential


# ---------------------------------------------------------------------------------------------- upkeep
def downloads_reap() -> dict[str, int]:
    """Re-queue work whose worker stopped renewing its lease and re-enqueue tasks that have work
    left but no live worker. Safe to run any time, from many places at once."""
    return reaper.reap()


def downloads_schedule_ensure() -> None:
    """Create (once) the django-q2 schedule that runs the reaper every minute."""
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name="downloads-reaper",
        defaults={
            "func": REAP_TASK,
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )
