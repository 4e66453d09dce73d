"""Lyrics for files already in the library (``manage.py lyrics_backfill``). Shares the pipeline's
LRCLIB rate limit and its once-a-week memory of misses; resumes after the last file it finished."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from downloads.extras import lyrics as lyrics_service
from downloads.models import LibraryFile
from downloads.tag_reading import read_tags
from downloads.tagging import TaggingError, write_lyrics
from spotizerr.integrations.lyrics.transport import Lyrics, TrackQuery
from spotizerr.lib import atomic

CHECKPOINT_KEY = "lyrics_backfill:last_id"
CHECKPOINT_SECONDS = 90 * 24 * 3600


@dataclass(frozen=True)
class BackfillResult:
    file_id: int
    relative_path: str
    status: str  # LyricsLookup.Status, or "skipped" / "unreadable"


def backfill_queryset(*, resume: bool) -> Iterator[LibraryFile]:
    """Every indexed full-length file in id order, after the checkpoint when ``resume``."""
    after = int(cache.get(CHECKPOINT_KEY) or 0) if resume else 0
    files = LibraryFile.objects.filter(is_preview=False, id__gt=after).order_by("id")
    return files.iterator(chunk_size=200)


def backfill_count(*, resume: bool) -> int:
    after = int(cache.get(CHECKPOINT_KEY) or 0) if resume else 0
    return LibraryFile.objects.filter(is_preview=False, id__gt=after).count()


def lyrics_backfill_file(item: LibraryFile, *, mode: str, missing_only: bool) -> BackfillResult:
    """Look up and write the lyrics of one library file (as ``mode`` says), then move the checkpoint."""
    path = Path(item.library_root) / item.relative_path
    status = _backfill(path, Path(item.library_root), item, mode=mode, missing_only=missing_only)
    cache.set(CHECKPOINT_KEY, item.id, timeout=CHECKPOINT_SECONDS)
    return BackfillResult(item.id, item.relative_path, status)


def checkpoint_clear() -> None:
    cache.delete(CHECKPOINT_KEY)


def _backfill(path: Path, root: Path, item: LibraryFile, *, mode: str, missing_only: bool) -> str:
    try:
        tags = read_tags(path)
    except (TaggingError, OSError):
        return "unreadable"
    has_lrc = lyrics_service.lrc_sidecar_path(path).exists()
    if missing_only and _complete(mode, bool(tags["lyrics"]), has_lrc):
        return "skipped"
    query = TrackQuery(
        title=tags["title"],
        artist=(tags["artists"] or [""])[0],
        album=tags["album"],
        duration_s=tags["duration_ms"] / 1000,
    )
    status, found = lyrics_service.lyrics_lookup(track_key=item.spotify_id or item.isrc, query=query)
    if found is not None:
        _write(path, root, found, mode)
    return status


def _complete(mode: str, embedded: bool, has_lrc: bool) -> bool:
    return (embedded or not lyrics_service.wants_embed(mode)) and (
        has_lrc or not lyrics_service.wants_lrc(mode)
    )


def _write(path: Path, root: Path, found: Lyrics, mode: str) -> None:
    if lyrics_service.wants_embed(mode) and found.unsynced:
        work = Path(settings.DATA_DIR) / "work"
        work.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work) as folder:
            copy = Path(folder) / path.name  # tag a copy, then rename it over the library file
            shutil.copyfile(path, copy)
            write_lyrics(copy, found.unsynced)
            atomic.atomic_move(copy, path, root=root, replace=True)
    if lyrics_service.wants_lrc(mode) and found.synced:
        lyrics_service.lrc_sidecar_write(path, found.synced, root=root)
