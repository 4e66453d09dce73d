"""Writes to the download history. The download engine records; the API reads (selectors).

Both record services are idempotent upserts: django-q2 delivers at least once, so running one
twice with the same values changes nothing, and running it with a new status moves the entry
(and the counters) to that status.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import PurePosixPath, PureWindowsPath

from django.db import IntegrityError, transaction
from django.db.models import QuerySet, TextChoices
from django.utils import timezone

from library_history.counters import (
    SNAPSHOT_FIELDS,
    Snapshot,
    counters_change,
    counters_rebuild,
    counters_remove,
)
from library_history.models import DownloadType, HistoryEntry, HistoryStatus, HistoryTrack

_CLEANUP_BATCH = 2000


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _check_choice(value: str, choices: type[TextChoices], name: str) -> None:
    if value not in choices.values:
        raise ValueError(f"{name} must be one of {', '.join(choices.values)}, got {value!r}")


def _relative_path(file_path: str) -> str:
    """The library-relative path; absolute paths and ``..`` would leak or escape the library."""
    if not file_path:
        return ""
    if PurePosixPath(file_path).is_absolute() or PureWindowsPath(file_path).is_absolute():
        raise ValueError(f"file_path must be relative to the library root, got {file_path!r}")
    if ".." in PurePosixPath(file_path.replace("\\", "/")).parts:
        raise ValueError(f"file_path must stay inside the library, got {file_path!r}")
    return file_path


def history_record_download(
    *,
    task_id: uuid.UUID,
    owner_id: int,
    download_type: str,
    spotify_url: str,
    name: str,
    artist: str,
    album: str = "",
    status: str,
    service: str = "",
    quality: str = "",
    is_preview: bool = False,
    file_path: str = "",
    created_at: datetime,
    completed_at: datetime | None = None,
    total_tracks: int = 0,
    successful_tracks: int = 0,
    skipped_tracks: int = 0,
    failed_tracks: int = 0,
    error: str = "",
    size_bytes: int = 0,
) -> HistoryEntry:
    """Create or update the history entry of download ``task_id`` and keep the counters exact.

    Raises ``ValueError`` for an unknown ``download_type`` or ``status`` and for a ``file_path``
    that is absolute or leaves the library (paths are stored relative to the library root).
    """
    _check_choice(download_type, DownloadType, "download_type")
    _check_choice(status, HistoryStatus, "status")
    values = {
        "owner_id": owner_id,
        "download_type": download_type,
        "spotify_url": spotify_url,
        "name": name,
        "artist": artist,
        "album": album,
        "status": status,
        "service": service,
        "quality": quality,
        "is_preview": is_preview,
        "file_path": _relative_path(file_path),
        "created_at": _aware(created_at),
        "completed_at": _aware(completed_at),
        "total_tracks": total_tracks,
        "successful_tracks": successful_tracks,
        "skipped_tracks": skipped_tracks,
        "failed_tracks": failed_tracks,
        "error": error,
        "size_bytes": size_bytes,
    }
    with transaction.atomic():
        entry = HistoryEntry.objects.select_for_update().filter(task_id=task_id).first()
        if entry is None:
            entry = _create_entry(task_id, values)
            if entry is not None:
                counters_change(before=None, after=Snapshot.of(entry))
                return entry
            entry = HistoryEntry.objects.select_for_update().get(task_id=task_id)
        before = Snapshot.of(entry)
        changed = [field for field, value in values.items() if getattr(entry, field) != value]
        if changed:
            for field in changed:
                setattr(entry, field, values[field])
            entry.save(update_fields=changed)
            counters_change(before=before, after=Snapshot.of(entry))
    return entry


def _create_entry(task_id: uuid.UUID, values: dict) -> HistoryEntry | None:
    """The new entry, or None when a concurrent writer inserted the same task first."""
    try:
        with transaction.atomic():
            return HistoryEntry.objects.create(task_id=task_id, **values)
    except IntegrityError:
        if not HistoryEntry.objects.filter(task_id=task_id).exists():
            raise
        return None


def history_record_track(
    *,
    parent_task_id: uuid.UUID,
    position: int,
    track_id: str,
    spotify_url: str,
    name: str,
    artist: str,
    album: str = "",
    status: str,
    reason: str = "",
    service: str = "",
    quality: str = "",
    is_preview: bool = False,
    file_path: str = "",
    size_bytes: int = 0,
    duration_ms: int = 0,
    lyrics: str = "",
    completed_at: datetime | None = None,
) -> HistoryTrack:
    """Create or update track ``position`` of the album or playlist download ``parent_task_id``.

    The parent entry must be recorded first (``HistoryEntry.DoesNotExist`` otherwise).
    Raises ``ValueError`` for an unknown ``status`` or a non-relative ``file_path``.
    """
    _check_choice(status, HistoryStatus, "status")
    parent_id = HistoryEntry.objects.values_list("id", flat=True).get(task_id=parent_task_id)
    track, _ = HistoryTrack.objects.update_or_create(
        parent_id=parent_id,
        position=position,
        defaults={
            "track_id": track_id,
            "spotify_url": spotify_url,
            "name": name,
            "artist": artist,
            "album": album,
            "status": status,
            "reason": reason,
            "service": service,
            "quality": quality,
            "is_preview": is_preview,
            "file_path": _relative_path(file_path),
            "size_bytes": size_bytes,
            "duration_ms": duration_ms,
            "lyrics": lyrics,
            "completed_at": _aware(completed_at),
        },
    )
    return track


def history_cleanup(*, days_old: int) -> int:
    """Delete entries created more than ``days_old`` days ago; return how many went.

    Only database rows go: library files are never touched. Works in batches so a large
    cleanup does not hold the write lock for long.
    """
    if days_old < 1:
        raise ValueError("days_old must be a positive integer")
    return _delete_in_batches(
        HistoryEntry.objects.filter(created_at__lt=timezone.now() - timedelta(days=days_old))
    )


def history_delete(*, task_ids: Iterable[uuid.UUID]) -> int:
    """Delete the entries (and their tracks) of ``task_ids``; return how many went. Files stay."""
    return _delete_in_batches(HistoryEntry.objects.filter(task_id__in=list(task_ids)))


def history_counters_rebuild() -> None:
    """Recompute every counter from the entries (after a bulk import, or to repair drift)."""
    counters_rebuild()


def _delete_in_batches(entries: QuerySet[HistoryEntry]) -> int:
    deleted = 0
    while True:
        with transaction.atomic():
            rows = list(entries.order_by("id").values("id", *SNAPSHOT_FIELDS)[:_CLEANUP_BATCH])
            if not rows:
                return deleted
            HistoryEntry.objects.filter(id__in=[row.pop("id") for row in rows]).delete()
            counters_remove(snapshots=[Snapshot(**row) for row in rows])
            deleted += len(rows)
