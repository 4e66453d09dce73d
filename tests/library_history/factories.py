"""Build history through the real write services."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from library_history.models import HistoryEntry, HistoryTrack
from library_history.services import history_record_download, history_record_track


def record_download(owner: Any, **overrides: Any) -> HistoryEntry:
    """A completed track download owned by ``owner`` unless ``overrides`` say otherwise."""
    values: dict[str, Any] = {
        "task_id": uuid.uuid4(),
        "owner_id": owner.id,
        "download_type": "track",
        "spotify_url": "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
        "name": "Song",
        "artist": "Artist",
        "album": "Album",
        "status": "completed",
        "service": "deezer",
        "quality": "MP3_320",
        "file_path": "Artist/Album/01 - Song.mp3",
        "created_at": timezone.now(),
        "completed_at": timezone.now(),
        "size_bytes": 1000,
    }
    values.update(overrides)
    return history_record_download(**values)


def record_track(parent: HistoryEntry, position: int, **overrides: Any) -> HistoryTrack:
    values: dict[str, Any] = {
        "parent_task_id": parent.task_id,
        "position": position,
        "track_id": f"track{position:04d}",
        "spotify_url": f"https://open.spotify.com/track/track{position:04d}",
        "name": f"Track {position}",
        "artist": parent.artist,
        "album": parent.name,
        "status": "completed",
        "file_path": f"{parent.artist}/{parent.name}/{position:02d} - Track {position}.mp3",
        "size_bytes": 100,
        "duration_ms": 1000,
    }
    values.update(overrides)
    return history_record_track(**values)


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)
