"""Recording downloads in ``library_history``: one entry per task, one child row per album or playlist
track. The history services are upserts, so a re-run delivery may record the same thing again."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from downloads.models import TERMINAL_STATUSES, DownloadTask, DownloadType, TrackJob, TrackStatus
from downloads.outcome import outcome_status
from library_history.models import HistoryEntry, HistoryStatus, HistoryTrack
from library_history.services import history_record_download, history_record_track

_TRACK_STATUS: dict[str, HistoryStatus] = {
    TrackStatus.DONE: HistoryStatus.COMPLETED,
    TrackStatus.SKIPPED: HistoryStatus.SKIPPED,
    TrackStatus.FAILED: HistoryStatus.FAILED,
}


def _album_name(task: DownloadTask) -> str:
    if task.download_type == DownloadType.ALBUM:
        return task.name
    album = (task.metadata or {}).get("album") or {}
    return str(album.get("name") or "")


def _final_status(task: DownloadTask, counts: dict[str, int]) -> HistoryStatus:
    status = outcome_status(
        task_status=task.status,
        download_type=task.download_type,
        done=counts[TrackStatus.DONE],
        skipped=counts[TrackStatus.SKIPPED],
        failed=counts[TrackStatus.FAILED],
    )
    return HistoryStatus(status)


def _counts(task: DownloadTask) -> dict[str, int]:
    counts = {status: 0 for status in TrackStatus.values}
    for status in TrackJob.objects.filter(task=task).values_list("status", flat=True):
        counts[status] += 1
    return counts


def history_task_started(task: DownloadTask) -> None:
    history_record_download(
        task_id=task.pk,
        owner_id=task.owner_id,
        download_type=task.download_type,
        spotify_url=task.spotify_url,
        name=task.name,
        artist=task.artist,
        album=_album_name(task),
        status=HistoryStatus.IN_PROGRESS,
        created_at=task.created_at,
        total_tracks=task.total_tracks,
    )


def history_task_finished(task: DownloadTask) -> None:
    """The task's final entry: status, counts, and for a single track its file, source and quality;
    and the row of any finished track whose worker died before recording it."""
    _record_missing_tracks(task)
    counts = _counts(task)
    jobs = TrackJob.objects.filter(task=task)
    single = jobs.first() if task.download_type == DownloadType.TRACK else None
    done_jobs = jobs.filter(status=TrackStatus.DONE)
    history_record_download(
        task_id=task.pk,
        owner_id=task.owner_id,
        download_type=task.download_type,
        spotify_url=task.spotify_url,
        name=task.name,
        artist=task.artist,
        album=_album_name(task),
        status=_final_status(task, counts),
        service=(single.source if single else _most_used_source(done_jobs)),
        quality=single.quality if single else "",
        is_preview=bool(single.is_preview) if single else done_jobs.filter(is_preview=True).exists(),
        file_path=single.file_path if single else "",
        created_at=task.created_at,
        completed_at=task.finished_at,
        total_tracks=task.total_tracks,
        successful_tracks=counts[TrackStatus.DONE],
        skipped_tracks=counts[TrackStatus.SKIPPED],
        failed_tracks=counts[TrackStatus.FAILED],
        error=task.error_message,
        size_bytes=done_jobs.aggregate(total=Sum("size_bytes"))["total"] or 0,
    )


def tasks_with_unfinished_history() -> QuerySet[DownloadTask]:
    """Finished tasks whose history entry still says ``in_progress``: their worker died between ending
    the task and recording it (or the database refused that write)."""
    open_entries = HistoryEntry.objects.filter(status=HistoryStatus.IN_PROGRESS).values("task_id")
    return DownloadTask.objects.filter(status__in=TERMINAL_STATUSES, pk__in=open_entries)


def history_repair(*, limit: int = 100) -> int:
    """Record the end of up to ``limit`` such tasks (an upsert, like the worker's own record); the
    reaper calls this. Returns how many were repaired."""
    tasks = list(tasks_with_unfinished_history().order_by("finished_at")[:limit])
    for task in tasks:
        history_task_finished(task)
    return len(tasks)


def _record_missing_tracks(task: DownloadTask) -> None:
    # A worker killed between ending a track and recording it leaves the track done without a row.
    if task.download_type == DownloadType.TRACK:
        return
    recorded = HistoryTrack.objects.filter(parent__task_id=task.pk).values_list("position", flat=True)
    for job in TrackJob.objects.filter(task=task, status__in=list(_TRACK_STATUS)).exclude(
        position__in=recorded
    ):
        history_track_finished(task, job)


def _most_used_source(jobs: object) -> str:
    names = [name for name in jobs.values_list("source", flat=True) if name]  # type: ignore[attr-defined]
    return max(set(names), key=names.count) if names else ""


def history_track_finished(task: DownloadTask, job: TrackJob) -> None:
    """One child row for an album or playlist track that ended done, skipped or failed."""
    if task.download_type == DownloadType.TRACK or job.status not in _TRACK_STATUS:
        return
    if not HistoryEntry.objects.filter(task_id=task.pk).exists():  # its start-up died before recording it
        history_task_started(task)
    album = ((job.track_data or {}).get("album") or {}).get("name", "")
    history_record_track(
        parent_task_id=task.pk,
        position=job.position,
        track_id=job.track_id,
        spotify_url=f"https://open.spotify.com/track/{job.track_id}" if job.track_id else "",
        name=job.name or "(unknown)",
        artist=job.artist,
        album=album,
        status=_TRACK_STATUS[job.status],
        reason=job.reason,
        service=job.source,
        quality=job.quality,
        is_preview=job.is_preview,
        file_path=job.file_path,
        size_bytes=job.size_bytes,
        duration_ms=job.duration_ms,
        lyrics=job.lyrics,
        completed_at=job.finished_at,
    )
