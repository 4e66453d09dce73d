"""Replacing a library copy with a better file: a full track for a preview, and with
``upgradeToLossless`` a lossless file for a lossy one.

``CheckLibrary`` no longer skips a track whose only copy is upgradable: it notes the copy in
``ctx.replaces`` and lets ``Acquire`` look for a better file (only a better one is taken; with none,
the track is skipped as before). ``Place`` writes the new file atomically (same naming rules: a file
of the same name is replaced in place), ``Record`` indexes it, and only then ``upgrade_finish``
removes the old file when it had another name, drops its index row, points the tasks that listed it
at the new file and rewrites their playlist M3Us. A worker killed in between leaves the old copy
indexed and the new one on disk under its final name; the next run replaces that file (same track)
and finishes the job, so neither a duplicate nor a lost file remains.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from downloads.models import DownloadTask, DownloadType, LibraryFile, TrackJob, TrackStatus

if TYPE_CHECKING:
    from downloads.pipeline.context import TrackContext
    from downloads.pipeline.settings import PipelineSettings
    from downloads.sources.base import Candidate

logger = logging.getLogger(__name__)

LOSSLESS_FORMATS = frozenset({"flac", "wav", "aiff", "aif", "alac"})
FULL, LOSSLESS = "full", "lossless"


def file_format(found: LibraryFile) -> str:
    """The library file's format as a lower-case extension."""
    return (found.format or Path(found.relative_path).suffix.lstrip(".")).lower()


def upgrade_kind(found: LibraryFile, settings: PipelineSettings) -> str:
    """What would replace ``found``: "full" for a preview, "lossless" for a lossy file when
    ``upgradeToLossless`` is on and conversion keeps lossless files lossless; "" when nothing."""
    if found.is_preview:
        return FULL
    keeps_lossless = settings.convert_to is None or settings.convert_to.lower() in LOSSLESS_FORMATS
    if settings.upgrade_to_lossless and keeps_lossless and file_format(found) not in LOSSLESS_FORMATS:
        return LOSSLESS
    return ""


def candidate_is_lossless(candidate: Candidate) -> bool:
    return candidate.extension.lstrip(".").lower() in LOSSLESS_FORMATS or candidate.quality.upper() in (
        "FLAC",
        "WAV",
        "AIFF",
        "ALAC",
    )


def candidate_upgrades(kind: str, candidate: Candidate) -> bool:
    """True when ``candidate`` is the better file ``kind`` asks for."""
    if kind == FULL:
        return not candidate.is_preview
    if kind == LOSSLESS:
        return not candidate.is_preview and candidate_is_lossless(candidate)
    return True


def upgrade_finish(ctx: TrackContext) -> bool:
    """After the better file is placed and indexed: remove the old copy if it had another name, and
    repoint what listed it. True when an upgrade happened. Safe to run twice."""
    old = ctx.replaces
    if old is None:
        return False
    if old.relative_path != ctx.relative_path:
        root = Path(old.library_root)
        (root / old.relative_path).unlink(missing_ok=True)
        LibraryFile.objects.filter(pk=old.pk).delete()
        jobs_repoint(old=old.relative_path, new=ctx.relative_path, track_id=ctx.track.id)
    logger.info("Upgraded %s: %s -> %s", ctx.track.id, old.relative_path, ctx.relative_path)
    return True


def jobs_repoint(*, old: str, new: str, track_id: str) -> None:
    """Tasks whose finished track pointed at ``old`` now point at ``new``; their playlist M3Us are
    rewritten so they list the file that exists."""
    from downloads.pipeline.finish import playlist_file_write

    jobs = TrackJob.objects.filter(track_id=track_id, file_path=old)
    task_ids = set(jobs.values_list("task_id", flat=True))
    jobs.update(file_path=new)
    for task in DownloadTask.objects.filter(pk__in=task_ids, download_type=DownloadType.PLAYLIST):
        playlist_file_write(task)


def playlists_rewrite(*, track_id: str) -> int:
    """Rewrite the M3U of every finished playlist task that lists ``track_id``; returns how many."""
    from downloads.pipeline.finish import playlist_file_write

    task_ids = TrackJob.objects.filter(
        track_id=track_id, status__in=(TrackStatus.DONE, TrackStatus.SKIPPED)
    ).values("task_id")
    count = 0
    for task in DownloadTask.objects.filter(pk__in=task_ids, download_type=DownloadType.PLAYLIST):
        playlist_file_write(task)
        count += 1
    return count
