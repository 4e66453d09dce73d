"""Keeping a task's progress and summary current, and ending it once every track is over.

Cancelling is final: a task is reported cancelled only once none of its tracks is still being made,
so no file of it can land in the library afterwards. ``task_cancel_request`` asks its workers to stop
(they notice within about half a second, kill any converter and remove their work files);
``task_cancel_finish`` then ends the task, called by whoever sees the last track stop: the cancelling
request (it waits a few seconds), the worker of that track, or the reaper when the worker vanished.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from downloads import selectors
from downloads.library_index import library_paths
from downloads.models import (
    ACTIVE_STATUSES,
    TRACK_TERMINAL,
    DownloadTask,
    DownloadType,
    TaskStatus,
    TrackJob,
    TrackStatus,
)
from downloads.notify import download_finished_announce
from downloads.pipeline import history
from downloads.pipeline.context import effective_settings
from downloads.progress import progress_publish

logger = logging.getLogger(__name__)


def summary_counts(counts: dict[str, int], previews: int) -> dict[str, Any]:
    """The summary's counts from ``selectors.track_job_counts``, cheap enough to refresh after every
    track (the lists come at the end)."""
    return {
        "total_successful": counts[TrackStatus.DONE],
        "total_skipped": counts[TrackStatus.SKIPPED],
        "total_failed": counts[TrackStatus.FAILED],
        "total_cancelled": counts[TrackStatus.CANCELLED],
        "total_tracks": sum(counts.values()),
        "previews": previews,
    }


def task_track_started(task: DownloadTask, *, current: int) -> None:
    DownloadTask.objects.filter(pk=task.pk).update(current_track=current, updated_at=timezone.now())
    task.current_track = current


def task_progress_refresh(task: DownloadTask, *, current: int | None = None) -> None:
    """Recompute progress (share of tracks over) and the summary; ``current`` is the track now started.
    Cancelled tracks never count as over: a task cancelled at track 8 of 40 stays at its real fraction."""
    total = task.total_tracks or 1
    counts, previews = selectors.track_job_counts(task)
    over = sum(counts[status] for status in TRACK_TERMINAL if status != TrackStatus.CANCELLED)
    fields: dict[str, Any] = {
        "progress": min(100, round(100 * over / total)),
        "summary": summary_counts(counts, previews),
        "updated_at": timezone.now(),
    }
    if current is not None:
        fields["current_track"] = current
    DownloadTask.objects.filter(pk=task.pk).update(**fields)
    task.refresh_from_db()


def _work_left(task: DownloadTask) -> bool:
    # A running track counts even when its lease went stale: its worker died, and the reaper will
    # return it to the queue and resume the task. Ending the task now would lose that track for good.
    return TrackJob.objects.filter(task=task, status__in=(TrackStatus.PENDING, TrackStatus.RUNNING)).exists()


def task_outcome(task: DownloadTask) -> tuple[str, str]:
    """The task's final status and error message from its track jobs as they stand: a single track
    keeps its own outcome; a list is complete when any track is there, else an error naming the first
    problem. Used when the task ends and when the inbox scan changes a finished task's track."""
    statuses = list(TrackJob.objects.filter(task=task).values_list("status", "reason").order_by("position"))
    good = [s for s, _ in statuses if s in (TrackStatus.DONE, TrackStatus.SKIPPED)]
    failures = [reason for s, reason in statuses if s == TrackStatus.FAILED]
    if task.download_type == DownloadType.TRACK and statuses:
        status, reason = statuses[0]
        if status == TrackStatus.SKIPPED:
            return TaskStatus.SKIPPED, ""
        return (TaskStatus.COMPLETE, "") if status == TrackStatus.DONE else (TaskStatus.ERROR, reason)
    if good:
        return TaskStatus.COMPLETE, ""
    first = failures[0] if failures else "the list has no tracks"
    return TaskStatus.ERROR, f"No track could be downloaded. First problem: {first}"


def task_finish_if_done(task: DownloadTask) -> bool:
    """End the task when no track is pending or running: write the playlist file, pick the final
    status, record history and publish. Several workers may call this at once; one wins."""
    task.refresh_from_db()
    if task.cancel_requested:
        return task_cancel_finish(task)
    if task.status not in (TaskStatus.DOWNLOADING, TaskStatus.RETRYING) or _work_left(task):
        return False
    m3u = playlist_file_write(task) if task.download_type == DownloadType.PLAYLIST else None
    status, error = task_outcome(task)
    # The row keeps the counts; the per-track lists are read from the track jobs when asked for
    # (selectors.task_progress), so task lists stay small however long the playlists are.
    counts, previews = selectors.track_job_counts(task)
    summary = {**summary_counts(counts, previews), "m3u_file": m3u}
    if not task.move_to(status, error_message=error, summary=summary, progress=100):
        return False
    messages: dict[str, str] = {
        TaskStatus.COMPLETE: "Finished.",
        TaskStatus.SKIPPED: "Already in the library.",
        TaskStatus.ERROR: error,
    }
    message = messages.get(status, "")
    progress_publish(
        task,
        status=status,
        message=message,
        error=error if status == TaskStatus.ERROR else "",
        extra={"summary": _totals(summary)},
    )
    history.history_task_finished(task)
    context_playlist_refresh(task)
    download_finished_announce(task)
    return True


# ---------------------------------------------------------------------------------------------- cancelling
def task_cancel_request(task: DownloadTask) -> bool:
    """Ask the task's workers to stop and cancel its tracks not started yet; False when the task has
    already ended. Asking again while it stops is harmless."""
    now = timezone.now()
    asked = DownloadTask.objects.filter(pk=task.pk, status__in=ACTIVE_STATUSES).update(
        cancel_requested=True, updated_at=now
    )
    if asked:
        TrackJob.objects.filter(task=task, status=TrackStatus.PENDING).update(
            status=TrackStatus.CANCELLED, reason="Cancelled.", finished_at=now
        )
    task.refresh_from_db()
    return bool(asked)


def tracks_running(task_ids: Iterable[Any]) -> bool:
    """True while a track of these tasks is being made by a live worker (its lease is fresh)."""
    fresh = timezone.now() - timedelta(seconds=settings.LEASE_STALE_SECONDS)
    return TrackJob.objects.filter(
        task_id__in=list(task_ids), status=TrackStatus.RUNNING, heartbeat_at__gte=fresh
    ).exists()


def task_cancel_finish(task: DownloadTask) -> bool:
    """Report a task whose cancel was requested as cancelled, once none of its tracks is still being
    made (a track whose worker stopped renewing its lease counts as stopped: that worker is gone).
    False while a track runs, or when someone else ended the task first."""
    task.refresh_from_db()
    if not task.cancel_requested or tracks_running([task.pk]):
        return False
    if not task.move_to(TaskStatus.CANCELLED, error_message="Cancelled."):
        return False
    TrackJob.objects.filter(task=task, status__in=(TrackStatus.PENDING, TrackStatus.RUNNING)).update(
        status=TrackStatus.CANCELLED, reason="Cancelled.", finished_at=timezone.now(), lease_owner=""
    )
    task_progress_refresh(task)
    progress_publish(task, status=TaskStatus.CANCELLED, message="Cancelled by the user.")
    history.history_task_finished(task)
    return True


def _totals(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in summary.items() if key.startswith("total_") or key == "previews"}


# ---------------------------------------------------------------------------------------------- playlist files
def _m3u_entries(root: Path, jobs: list[tuple[int, str, str, str, int]]) -> list[Any]:
    from downloads.playlist_files import M3UEntry

    entries = []
    for _, name, artist, relative, duration_ms in jobs:
        if relative and (root / relative).is_file():
            entries.append(
                M3UEntry(
                    path=root / relative, duration_s=round(duration_ms / 1000), artist=artist, title=name
                )
            )
    return entries


def playlist_file_write(task: DownloadTask) -> str | None:
    """Write the playlist's M3U in playlist order (downloaded and already-present tracks); returns
    its library-relative path. Named by ``playlist_file_name`` (Liked Songs carry the owner's name)."""
    from downloads.playlist_files import playlist_file_name, write_m3u

    root = effective_settings(task).download_path
    title = ((task.metadata or {}).get("playlist") or {}).get("name") or task.name
    name = playlist_file_name(playlist_id=task.item_id, name=title, owner=task.owner)
    jobs = list(
        TrackJob.objects.filter(task=task, status__in=(TrackStatus.DONE, TrackStatus.SKIPPED))
        .order_by("position")
        .values_list("position", "name", "artist", "file_path", "duration_ms")
    )
    path = write_m3u(root=root, playlist_name=name, entries=_m3u_entries(root, jobs))
    return Path(path).resolve().relative_to(root.resolve()).as_posix()


def context_playlist_refresh(task: DownloadTask) -> str | None:
    """For a track queued with a playlist context (by watching): rewrite that playlist's M3U from the
    playlist's current order and the files the library has for it."""
    from accounts.spotify.services import spotify_user_token
    from spotizerr.integrations.spotify import SpotifyError, get_spotify_client

    playlist_id = (task.context or {}).get("playlist_id")
    if task.download_type != DownloadType.TRACK or not playlist_id or task.status != TaskStatus.COMPLETE:
        return None
    if str(playlist_id).startswith("import:"):  # an imported playlist: its watch check writes the M3U
        return None
    try:
        # keyed on the current snapshot: a cached older version would leave out the track that just landed
        client = get_spotify_client(user=spotify_user_token(user=task.owner))
        snapshot = client.playlist_snapshot(playlist_id)
        playlist = client.playlist(playlist_id, include_entries=True, snapshot_id=snapshot)
    except SpotifyError as error:
        logger.warning("Could not refresh the M3U of playlist %s: %s", playlist_id, error.message)
        return None
    from downloads.playlist_files import playlist_file_name, write_m3u

    engine = effective_settings(task)
    root = engine.download_path
    tracks = [(entry.position, entry.track) for entry in playlist.entries if entry.track is not None]
    owner = task.owner if engine.separate_tracks_by_user else None
    found = library_paths(spotify_ids=[track.id for _, track in tracks], root=root, owner=owner)
    paths = {track_id: path.relative_to(root).as_posix() for track_id, path in found.items()}
    rows = [
        (position, track.name, ", ".join(track.artist_names), paths.get(track.id, ""), track.duration_ms)
        for position, track in tracks
    ]
    name = playlist_file_name(playlist_id=playlist_id, name=playlist.name, owner=task.owner)
    path = write_m3u(root=root, playlist_name=name, entries=_m3u_entries(root, rows))
    return str(path)
