"""Fulfilling wanted tracks, and upgrading library copies, from files that arrive in the inbox.

``inbox_scan`` runs every ``inboxScanSeconds`` in each worker process (``spotizerr.runtime.upkeep``;
one scan at a time per machine) and on ``POST /api/library/wanted/check``. It refreshes the
incremental inbox index once, then looks up each wanted track in it (ISRC, else title, artists and
length: the inbox source's own matching), and each library preview (and, with ``upgradeToLossless``,
each lossy file) whose ISRC an inbox file carries. A match is made through the normal track pipeline
(``runner``'s steps, sources narrowed to the inbox), on the task child that wanted it.

A wanted track's child is claimed with its lease fields while it stays failed (a conditional update:
two scans never both import it; a scan killed mid-way leaves the claim to go stale, and the next scan
redoes the track: the pipeline replaces a same-track file of the same name, so nothing is
duplicated). On success the child turns done, the wanted entry goes, the task's counts and status
follow (an error task with a track now present turns complete), its history entry is rewritten, its
playlist M3U too, and a progress event says so.
"""

from __future__ import annotations

import dataclasses
import fcntl
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from downloads import upgrades
from downloads.fulfil_claims import fulfil_claim, fulfil_lease_kept, fulfil_release
from downloads.models import (
    TERMINAL_STATUSES,
    DownloadTask,
    DownloadType,
    LibraryFile,
    TaskStatus,
    TrackJob,
    TrackStatus,
    WantedTrack,
)
from downloads.pipeline.claims import FULFIL_LEASE_PREFIX, STALE_AFTER, fulfil_work_dir_for
from downloads.pipeline.codec import track_from_json
from downloads.pipeline.context import Outcome, TrackContext
from downloads.pipeline.failure import TrackFailure
from downloads.sources.inbox import InboxSource, index
from downloads.sources.inbox.source import inbox_root
from settings_app.selectors import get_config
from spotizerr.lib.cancel import CancelToken

logger = logging.getLogger(__name__)

SCAN_LOCK_FILE = "inbox-scan.lock"
FULFILLED_NOTE = "Fulfilled: the file arrived in the inbox after the download."
LANDED_NOTE = "Fulfilled: the track reached the library through another download."
UPGRADED_NOTE = "Upgraded: the library copy was replaced by a better file from the inbox."
_INBOX_ONLY = {"service": "inbox", "fallback": False}


@dataclass
class ScanResult:
    fulfilled: int = 0
    upgraded: int = 0
    skipped: bool = False  # another process was scanning


@contextmanager
def _scan_lock() -> Iterator[bool]:
    """One scan at a time on this machine (a held lock means "skip this round")."""
    path = Path(settings.DATA_DIR) / SCAN_LOCK_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


def inbox_scan() -> ScanResult:
    """Import inbox files for wanted tracks and better copies of library tracks (see the module).
    A round that finds the inbox, the wanted list and the library as the last complete round left
    them does nothing more than refresh the index and compare."""
    global _quiet_state
    result = ScanResult()
    config = get_config()
    root = inbox_root(config)
    if root is None:
        return result
    with _scan_lock() as held:
        if not held:
            result.skipped = True
            return result
        try:
            state, wanted, better = _matches(root, config)
        except sqlite3.Error as error:
            logger.warning("The inbox index is unavailable: %s", error)
            return result
        for entry in wanted:
            result.fulfilled += wanted_fulfil(entry)
        for found in better:
            result.upgraded += library_upgrade(found)
        # a claim still held elsewhere (e.g. by a worker that died) is work the next round must see
        held_elsewhere = TrackJob.objects.filter(lease_owner__startswith=FULFIL_LEASE_PREFIX).exists()
        _quiet_state = None if held_elsewhere else state
    return result


#: what the last round that left nothing behind saw (per process): the same again means nothing to do
_quiet_state: tuple[object, ...] | None = None


def _state(conn: sqlite3.Connection, root: Path, config: dict) -> tuple[object, ...]:
    wanted = WantedTrack.objects.aggregate(count=Count("id"), last=Max("id"), newest=Max("created_at"))
    files = LibraryFile.objects.aggregate(count=Count("id"), last=Max("id"))
    return (
        str(root),
        index.fingerprint(conn, root),
        tuple(wanted.values()),
        tuple(files.values()),
        bool(config.get("upgradeToLossless")),
        config.get("convertTo"),
    )


def _matches(root: Path, config: dict) -> tuple[tuple[object, ...], list[WantedTrack], list[LibraryFile]]:
    """Wanted tracks with an inbox file, and upgradable library files with one (by ISRC); nothing
    when the state is that of the last quiet round."""
    source = InboxSource()
    with index.connect() as conn:
        index.refresh(conn, root)
        state = _state(conn, root, config)
        if state == _quiet_state:
            return state, [], []
        wanted = [
            entry
            for entry in WantedTrack.objects.select_related("owner").order_by("created_at", "id")
            if source.indexed_matches(conn, root, track_from_json(entry.track_data))
        ]
        isrcs = index.isrcs(conn, root)
        lossless = index.isrcs(conn, root, lossless=True) if config.get("upgradeToLossless") else set()
    return state, wanted, _upgradable(isrcs, lossless)


def _upgradable(isrcs: set[str], lossless: set[str]) -> list[LibraryFile]:
    found: list[LibraryFile] = []
    wanted_isrcs = sorted(isrcs | lossless)
    for start in range(0, len(wanted_isrcs), 500):
        chunk = wanted_isrcs[start : start + 500]
        files = LibraryFile.objects.filter(Q(is_preview=True) | Q(isrc__in=lossless), isrc__in=chunk)
        # a preview next to a full copy of the same track is no candidate (the full copy wins anyway)
        full = LibraryFile.objects.filter(is_preview=False, spotify_id=OuterRef("spotify_id")).exclude(
            spotify_id=""
        )
        files = files.exclude(Q(is_preview=True) & Exists(full))
        for file in files.order_by("pk"):
            if file.is_preview or upgrades.file_format(file) not in upgrades.LOSSLESS_FORMATS:
                found.append(file)
    return found


# ---------------------------------------------------------------------------------------------- pipeline
def _context(task: DownloadTask, job: TrackJob) -> TrackContext:
    """The job's context as the runner builds it, its sources narrowed to the inbox."""
    from downloads.pipeline import runner

    ctx = runner.track_context(task, job, CancelToken())
    ctx.config = {**ctx.config, **_INBOX_ONLY}
    ctx.work_dir = fulfil_work_dir_for(job)
    return ctx


def _run(task: DownloadTask, job: TrackJob, *, isrc: str = "") -> TrackContext | None:
    """The pipeline on ``job``; the context when a file is in the library for it, else None. ``isrc``
    is the one known already (album listings carry none: this spares the resolve step a request)."""
    from downloads.pipeline import runner

    ctx = _context(task, job)
    if isrc and not ctx.track.isrc:
        ctx.track = dataclasses.replace(ctx.track, isrc=isrc)
    try:
        runner.track_steps_run(ctx)
    except TrackFailure as failure:
        logger.info("Inbox file for %s not imported: %s", job.track_id, failure.reason)
        return None
    if ctx.outcome not in (Outcome.DONE, Outcome.SKIPPED) or not ctx.relative_path:
        return None
    return ctx


# ---------------------------------------------------------------------------------------------- wanted
def wanted_fulfil(entry: WantedTrack) -> int:
    """Import the inbox file of one wanted track on the task child that wanted it; 1 when done."""
    job = (
        TrackJob.objects.select_related("task", "task__owner")
        .filter(task_id=entry.task_id, position=entry.position, track_id=entry.track_id)
        .first()
    )
    if job is None or job.task.status not in TERMINAL_STATUSES:
        return 0  # its task is gone or still running (its own worker will place the track)
    if job.status != TrackStatus.FAILED:  # fulfilled by a scan that died before dropping the entry
        return _finish_dead_fulfilment(entry, job)
    holder = fulfil_claim(job, statuses=(TrackStatus.FAILED,))
    if holder is None:
        return 0
    job.lease_owner = holder  # ``wanted_landed`` (the Record step) then leaves this entry to us
    try:
        with fulfil_lease_kept(job, holder):
            ctx = _run(job.task, job, isrc=entry.isrc)
        if ctx is None:
            return 0
        for other in _wanting_jobs(job):
            _child_done(other, ctx, note=FULFILLED_NOTE, holder=holder if other.pk == job.pk else "")
        WantedTrack.objects.filter(owner_id=entry.owner_id, track_id=entry.track_id).delete()
        return 1
    finally:
        fulfil_release(job, holder)


def _finish_dead_fulfilment(entry: WantedTrack, job: TrackJob) -> int:
    """The entry's child is no longer failed: a scan turned it done and died (SIGKILL) before the task,
    its history and M3U followed and the entry went. Finish that (it is idempotent), unless a live
    scan holds the child and is finishing it now."""
    if job.lease_owner and not job.is_stale(stale_after=STALE_AFTER):
        return 0
    if job.status == TrackStatus.DONE:
        task_after_change(job.task, job, note=FULFILLED_NOTE)
    TrackJob.objects.filter(pk=job.pk, lease_owner=job.lease_owner).update(lease_owner="")
    WantedTrack.objects.filter(pk=entry.pk).delete()
    return 0


def wanted_landed(ctx: TrackContext) -> int:
    """A full file of ``ctx.track`` just reached the library (``Record``): every wanted entry for it
    (the owner's, or everyone's when the library is shared) is fulfilled with that file, its
    wanting task children turn done, and the entries go. Returns how many entries went."""
    entries = WantedTrack.objects.filter(track_id=ctx.track.id)
    if ctx.settings.separate_tracks_by_user:
        entries = entries.filter(owner=ctx.owner)
    if ctx.job.lease_owner.startswith(FULFIL_LEASE_PREFIX):
        # a fulfilment drops its own entry at its end: one killed before that leaves it to the next scan
        entries = entries.exclude(task_id=ctx.job.task_id, position=ctx.job.position)
    for entry in list(entries):
        job = (
            TrackJob.objects.select_related("task", "task__owner")
            .filter(task_id=entry.task_id, position=entry.position, track_id=entry.track_id)
            .first()
        )
        if job is None or job.pk == ctx.job.pk or job.task.status not in TERMINAL_STATUSES:
            continue
        for other in _wanting_jobs(job):
            # one a live scan holds is being fulfilled right now; a dead scan's claim counts for nothing
            if not other.lease_owner or other.is_stale(stale_after=STALE_AFTER):
                _child_done(other, ctx, note=LANDED_NOTE, holder="")
    deleted, _ = entries.delete()
    return deleted


def _wanting_jobs(job: TrackJob) -> list[TrackJob]:
    """This child first, then any other failed child of the same owner's finished tasks for the track."""
    others = TrackJob.objects.select_related("task", "task__owner").filter(
        task__owner_id=job.task.owner_id,
        track_id=job.track_id,
        status=TrackStatus.FAILED,
        task__status__in=TERMINAL_STATUSES,
    )
    return [job, *others.exclude(pk=job.pk)]


def _child_done(job: TrackJob, ctx: TrackContext, *, note: str, holder: str, upgrade: bool = False) -> None:
    """Turn a failed child into a done one with the new file (an upgraded one keeps its status and
    gets the new file); then the task follows. ``holder``: the claim it is made under, if any."""
    jobs = TrackJob.objects.filter(pk=job.pk)
    jobs = jobs.filter(lease_owner=holder) if holder else jobs.filter(status=TrackStatus.FAILED)
    changed = jobs.update(
        status=job.status if upgrade else TrackStatus.DONE,
        lease_owner=holder,  # kept until the claim is released; "" when made without one
        reason=note,
        file_path=ctx.relative_path,
        source=ctx.source_name,
        quality=ctx.quality,
        is_preview=ctx.is_preview,
        size_bytes=ctx.size_bytes,
        finished_at=timezone.now(),
    )
    if changed:
        job.refresh_from_db()
        task_after_change(job.task, job, note=note)


def task_after_change(task: DownloadTask, job: TrackJob, *, note: str) -> None:
    """A finished task's child changed after the fact: counts, status, M3U, history, an event."""
    from downloads import selectors
    from downloads.pipeline import history
    from downloads.pipeline.finish import (
        context_playlist_refresh,
        playlist_file_write,
        summary_counts,
        task_outcome,
    )
    from downloads.progress import TrackEvent, progress_publish

    counts, previews = selectors.track_job_counts(task)
    summary = {**(task.summary or {}), **summary_counts(counts, previews)}
    if task.download_type == DownloadType.PLAYLIST:
        summary["m3u_file"] = playlist_file_write(task)
    fields: dict[str, object] = {"summary": summary, "updated_at": timezone.now()}
    status, error = task_outcome(task)
    if task.status == TaskStatus.ERROR and status == TaskStatus.COMPLETE:
        fields.update(status=TaskStatus.COMPLETE, error_message=error)
    DownloadTask.objects.filter(pk=task.pk, status__in=TERMINAL_STATUSES).update(**fields)
    task.refresh_from_db()
    history.history_track_finished(task, job)
    history.history_task_finished(task)
    context_playlist_refresh(task)
    progress_publish(
        task,
        status=TrackEvent.DONE,
        message=note,
        track={
            "position": job.position,
            "track_id": job.track_id,
            "name": job.name,
            "artist": job.artist,
            "status": TrackEvent.DONE,
            "reason": note,
            "file_path": job.file_path,
            "source": job.source,
            "quality": job.quality,
            "is_preview": job.is_preview,
        },
        extra={"fulfilled": note == FULFILLED_NOTE, "upgraded": note == UPGRADED_NOTE},
    )


# ---------------------------------------------------------------------------------------------- upgrades
def library_upgrade(found: LibraryFile) -> int:
    """Replace one library copy with the better inbox file, through the job that made it; 1 if done."""
    job = (
        TrackJob.objects.select_related("task", "task__owner")
        .filter(
            track_id=found.spotify_id,
            file_path=found.relative_path,
            status__in=(TrackStatus.DONE, TrackStatus.SKIPPED),
            task__status__in=TERMINAL_STATUSES,
        )
        .order_by("-finished_at")
        .first()
    )
    if job is None:
        return 0
    holder = fulfil_claim(job, statuses=(TrackStatus.DONE, TrackStatus.SKIPPED))
    if holder is None:
        return 0
    try:
        with fulfil_lease_kept(job, holder):
            ctx = _run(job.task, job, isrc=found.isrc)
        if ctx is None or ctx.outcome != Outcome.DONE or ctx.replaces is None:
            return 0
        _child_done(job, ctx, note=UPGRADED_NOTE, holder=holder, upgrade=True)
        upgrades.playlists_rewrite(track_id=job.track_id)
        return 1
    finally:
        fulfil_release(job, holder)
