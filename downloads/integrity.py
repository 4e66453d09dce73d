"""Is the library consistent with its index and are the workers' leases sane? Read-only checks behind
``manage.py library_check`` (and the fault tests, which end by expecting no finding at all).

Findings:

- ``missing_files``: indexed library files (``LibraryFile``) whose file is gone;
- ``orphan_files``: audio files in a library root that the index does not know (the M3U folder
  ``playlists/`` and ``cover.jpg`` files are not tracks and are left out);
- ``stale_temp_files``: temporary files of interrupted writes (``spotizerr.lib.atomic``) in a library
  root and leftover per-track work folders under ``DATA_DIR/work``, older than ``temp_age``;
- ``stuck_tasks``: tasks running without any sign of a worker for longer than the lease period,
  finished tasks that still have tracks pending or running, and tasks finished longer ago than that
  whose history entry still says in progress (the reaper repairs those);
- ``stuck_tracks``: tracks marked running whose worker stopped renewing the lease.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from downloads.models import (
    TERMINAL_STATUSES,
    DownloadTask,
    LibraryFile,
    TaskStatus,
    TrackJob,
    TrackStatus,
)
from downloads.pipeline.history import tasks_with_unfinished_history
from downloads.playlist_files import PLAYLISTS_FOLDER
from downloads.sources.audio_files import AUDIO_EXTENSIONS
from spotizerr.lib.atomic import TEMP_PREFIX, stale_temp_files

COVER_FILE_NAME = "cover.jpg"
DEFAULT_TEMP_AGE_SECONDS = 3600.0


@dataclass
class Findings:
    roots: list[str] = field(default_factory=list)
    missing_files: list[dict[str, Any]] = field(default_factory=list)
    orphan_files: list[dict[str, Any]] = field(default_factory=list)
    stale_temp_files: list[dict[str, Any]] = field(default_factory=list)
    stuck_tasks: list[dict[str, Any]] = field(default_factory=list)
    stuck_tracks: list[dict[str, Any]] = field(default_factory=list)

    KINDS = ("missing_files", "orphan_files", "stale_temp_files", "stuck_tasks", "stuck_tracks")

    @property
    def total(self) -> int:
        return sum(len(getattr(self, kind)) for kind in self.KINDS)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "total": self.total}


def library_roots() -> list[Path]:
    """The configured ``downloadPath`` and every root the index has files under."""
    from settings_app.selectors import get_config

    roots = {str(get_config()["downloadPath"])}
    roots.update(LibraryFile.objects.values_list("library_root", flat=True).distinct())
    return [Path(root) for root in sorted(roots)]


def library_check(
    *, temp_age_s: float = DEFAULT_TEMP_AGE_SECONDS, stale_after: timedelta | None = None
) -> Findings:
    """Every finding, see the module docstring. ``stale_after`` defaults to the lease period."""
    stale_after = stale_after or timedelta(seconds=settings.LEASE_STALE_SECONDS)
    roots = library_roots()
    findings = Findings(roots=[str(root) for root in roots])
    findings.missing_files = missing_files()
    for root in roots:
        findings.orphan_files += orphan_files(root)
        findings.stale_temp_files += [
            {"path": str(path), "kind": "temp file"}
            for path in stale_temp_files(root, older_than_s=temp_age_s)
        ]
    findings.stale_temp_files += leftover_work_dirs(temp_age_s=temp_age_s)
    findings.stuck_tasks = stuck_tasks(stale_after=stale_after)
    findings.stuck_tracks = stuck_tracks(stale_after=stale_after)
    return findings


def missing_files() -> list[dict[str, Any]]:
    found = []
    for pk, root, relative in LibraryFile.objects.order_by("pk").values_list(
        "pk", "library_root", "relative_path"
    ):
        if not (Path(root) / relative).is_file():
            found.append({"id": pk, "path": str(Path(root) / relative)})
    return found


def orphan_files(root: Path) -> list[dict[str, Any]]:
    if not root.is_dir():
        return []
    indexed = set(LibraryFile.objects.filter(library_root=str(root)).values_list("relative_path", flat=True))
    found = []
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        if here == root and PLAYLISTS_FOLDER in subfolders:
            subfolders.remove(PLAYLISTS_FOLDER)
        for name in names:
            if name == COVER_FILE_NAME or name.startswith(TEMP_PREFIX):
                continue
            if Path(name).suffix.lower() not in AUDIO_EXTENSIONS:
                continue
            relative = (here / name).relative_to(root).as_posix()
            if relative not in indexed:
                found.append({"path": str(here / name)})
    return sorted(found, key=lambda item: item["path"])


def leftover_work_dirs(*, temp_age_s: float) -> list[dict[str, Any]]:
    """Per-track work folders that belong to no running track and are older than ``temp_age_s``."""
    from downloads.pipeline.claims import live_work_dir_names

    base = Path(settings.DATA_DIR) / "work"
    if not base.is_dir():
        return []
    live = live_work_dir_names()
    cutoff = timezone.now().timestamp() - temp_age_s
    found = []
    for path in sorted(base.iterdir()):
        try:
            if path.name not in live and path.stat().st_mtime <= cutoff:
                found.append({"path": str(path), "kind": "work folder"})
        except FileNotFoundError:
            continue
    return found


def stuck_tasks(*, stale_after: timedelta) -> list[dict[str, Any]]:
    stale = timezone.now() - stale_after
    fresh_tracks = TrackJob.objects.filter(status=TrackStatus.RUNNING, heartbeat_at__gte=stale).values(
        "task_id"
    )
    silent = DownloadTask.objects.filter(
        Q(status=TaskStatus.INITIALIZING) & (Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True))
        | Q(status__in=(TaskStatus.DOWNLOADING, TaskStatus.RETRYING))
        & (Q(worker_seen_at__lt=stale) | Q(worker_seen_at__isnull=True))
    ).exclude(pk__in=fresh_tracks)
    found = [_task_row(task, "running with no sign of a worker") for task in silent.order_by("created_at")]
    unfinished = TrackJob.objects.filter(status__in=(TrackStatus.PENDING, TrackStatus.RUNNING))
    ended = DownloadTask.objects.filter(status__in=TERMINAL_STATUSES, pk__in=unfinished.values("task_id"))
    found += [_task_row(task, "finished with tracks still pending or running") for task in ended]
    unrecorded = tasks_with_unfinished_history().filter(finished_at__lt=stale).order_by("finished_at")
    found += [
        _task_row(task, "finished, but its history entry still says in progress") for task in unrecorded
    ]
    return found


def _task_row(task: DownloadTask, problem: str) -> dict[str, Any]:
    seen = task.worker_seen_at or task.heartbeat_at
    return {
        "task_id": str(task.pk),
        "status": task.status,
        "name": task.name,
        "problem": problem,
        "last_seen": seen.isoformat() if seen else None,
    }


def stuck_tracks(*, stale_after: timedelta) -> list[dict[str, Any]]:
    stale = timezone.now() - stale_after
    jobs = (
        TrackJob.objects.filter(status=TrackStatus.RUNNING)
        .filter(Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True))
        .order_by("task_id", "position")
    )
    return [
        {
            "task_id": str(job.task_id),
            "position": job.position,
            "name": job.name,
            "worker": job.lease_owner,
            "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None,
        }
        for job in jobs
    ]
