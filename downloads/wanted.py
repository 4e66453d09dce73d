"""The wanted list: tracks a user asked for that no source had yet.

A track whose every source answered "not found" ends its task child failed, as always, and is also
recorded here with the context it was asked in (album, playlist, watch). The inbox scan
(``downloads.fulfilment``) imports a file for it when one arrives; a track that lands by any other
route (a retry, another task) leaves the list too, its wanting child turned done
(``fulfilment.wanted_landed``). Recording is an upsert, so a redelivered track records it again
harmlessly.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import User
from downloads.models import DownloadTask, DownloadType, TrackJob, WantedTrack
from spotizerr.errors import NotFound


def _context(task: DownloadTask) -> tuple[str, str, str]:
    """(context_type, context_id, context_name) of the task that asked for the track."""
    given = task.context or {}
    if given.get("watch_id"):
        return WantedTrack.Context.WATCH, str(given["watch_id"]), str(given.get("watch_name") or "")
    if task.download_type == DownloadType.TRACK and given.get("playlist_id"):
        return WantedTrack.Context.PLAYLIST, str(given["playlist_id"]), str(given.get("playlist_name") or "")
    if task.download_type == DownloadType.TRACK:
        return WantedTrack.Context.TRACK, task.item_id, task.name
    return str(task.download_type), task.item_id, task.name


def _fields(task: DownloadTask, job: TrackJob, isrc: str | None) -> dict[str, Any]:
    data = dict(job.track_data or {})
    if isrc and not data.get("isrc"):  # album listings carry none; the resolve step found it
        data["isrc"] = isrc
    album = data.get("album") or {}
    context_type, context_id, context_name = _context(task)
    return {
        "isrc": str(data.get("isrc") or "").upper()[:20],
        "name": (job.name or str(data.get("name") or ""))[:500],
        "artists": [str(artist.get("name") or "") for artist in data.get("artists") or []],
        "album": str(album.get("name") or "")[:500],
        "album_id": str(album.get("id") or "")[:64],
        "duration_ms": int(data.get("duration_ms") or job.duration_ms or 0),
        "track_data": data,
        "context_type": context_type,
        "context_id": context_id[:100],
        "context_name": context_name[:500],
        "task_id": task.pk,
        "position": job.position,
    }


def wanted_record(*, task: DownloadTask, job: TrackJob, isrc: str | None = None) -> WantedTrack | None:
    """Put the job's track on its owner's wanted list (or refresh the entry with this newer request);
    ``isrc`` is the resolved one when the job's catalog data had none. Safe to call twice; None for a
    job without a Spotify track id."""
    if not job.track_id:
        return None
    fields = _fields(task, job, isrc)
    try:
        with transaction.atomic():
            wanted, _ = WantedTrack.objects.update_or_create(
                owner_id=task.owner_id, track_id=job.track_id, defaults=fields
            )
    except IntegrityError:  # a second delivery recorded it at the same moment
        wanted = WantedTrack.objects.get(owner_id=task.owner_id, track_id=job.track_id)
    return wanted


def wanted_list(*, user: User, everyone: bool = False) -> QuerySet[WantedTrack]:
    """The caller's wanted tracks, newest first (every user's with ``everyone``; admins only)."""
    entries = WantedTrack.objects.select_related("owner")
    if not (everyone and user.is_admin):
        entries = entries.filter(owner=user)
    return entries.order_by("-created_at", "-id")


def wanted_delete(*, user: User, track_id: str) -> None:
    """Drop one track from the caller's wanted list; NotFound when it is not on it."""
    deleted, _ = WantedTrack.objects.filter(owner=user, track_id=track_id).delete()
    if not deleted:
        raise NotFound("This track is not on your wanted list.", code="wanted_not_found")


def wanted_as_json(entry: WantedTrack) -> dict[str, Any]:
    """One entry as the API shows it."""
    return {
        "track_id": entry.track_id,
        "name": entry.name,
        "artists": list(entry.artists or []),
        "album": entry.album,
        "album_id": entry.album_id,
        "isrc": entry.isrc,
        "duration_ms": entry.duration_ms,
        "since": entry.created_at.isoformat(),
        "requested_by": entry.owner.username,
        "context": {"type": entry.context_type, "id": entry.context_id, "name": entry.context_name},
        "task_id": str(entry.task_id) if entry.task_id else None,
    }
