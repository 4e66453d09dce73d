"""Starting a task: ask Spotify what the track, album or playlist holds and make one job per track."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connections, transaction

from accounts.spotify.services import spotify_user_token
from downloads.models import DownloadTask, DownloadType, TaskStatus, TrackJob, TrackStatus
from downloads.pipeline.codec import to_json, track_from_json
from spotizerr.integrations.catalog_types import Track
from spotizerr.integrations.spotify import SpotifyError, get_spotify_client

PREFETCH_THREADS = 8
ALREADY_PRESENT = "Already in the library."

SKIP_REASONS = {
    "local_file": "A local file in the playlist; Spotify has no such track.",
    "unavailable": "No longer available on Spotify.",
    "episode": "A podcast episode, not a track.",
    "removed": "Removed from Spotify.",
    "unmatched": "Not matched to a Spotify track; fix it on the import's review page.",
}


def _job(task: DownloadTask, position: int, track: Track | None, skip_reason: str | None = None) -> TrackJob:
    if track is None:
        return TrackJob(
            task=task,
            position=position,
            name=f"Entry {position}",
            status=TrackStatus.SKIPPED,
            reason=SKIP_REASONS.get(skip_reason or "", f"Cannot be downloaded ({skip_reason})."),
        )
    return TrackJob(
        task=task,
        position=position,
        track_id=track.id,
        name=track.name[:500],
        artist=", ".join(track.artist_names)[:500],
        track_data=to_json(track),
        duration_ms=max(0, track.duration_ms),
    )


def plan_jobs(task: DownloadTask) -> tuple[list[TrackJob], dict[str, Any]]:
    """The task's jobs (not saved) and the metadata to keep on the task. Raises Spotify's errors."""
    jobs, meta = _planned_jobs(task)
    if (task.original_request or {}).get("missing_only"):
        _skip_present(task, jobs)
    return jobs, meta


def _skip_present(task: DownloadTask, jobs: list[TrackJob]) -> None:
    """For "Download missing": a track the library holds in full is skipped now, with its file (so a
    playlist's M3U still lists it); previews, wanted and missing tracks stay to be fetched."""
    from downloads.library_state import PRESENT, TrackKey, track_states

    keys = [
        TrackKey(id=job.track_id, isrc=str((job.track_data or {}).get("isrc") or ""))
        for job in jobs
        if job.track_id and job.status == TrackStatus.PENDING
    ]
    states = track_states(user=task.owner, tracks=keys, config=task.settings_snapshot or None)
    for job in jobs:
        state = states.get(job.track_id)
        if job.status == TrackStatus.PENDING and state is not None and state["state"] == PRESENT:
            job.status, job.reason, job.file_path = TrackStatus.SKIPPED, ALREADY_PRESENT, state["file_path"]


def _planned_jobs(task: DownloadTask) -> tuple[list[TrackJob], dict[str, Any]]:
    # a playlist's entries are read through its requester's linked Spotify account (2026 rules)
    client = get_spotify_client(user=spotify_user_token(user=task.owner))
    if task.download_type == DownloadType.TRACK:
        track = client.track(task.item_id)
        return [_job(task, 1, track)], {}
    if task.download_type == DownloadType.ALBUM:
        album = client.album(task.item_id)
        tracks = _with_isrcs(list(album.tracks))
        jobs = [_job(task, number, track) for number, track in enumerate(tracks, start=1)]
        return jobs, {"album": to_json(album)}
    if (given := (task.original_request or {}).get("entries")) is not None:
        return _given_jobs(task, given)
    playlist = client.playlist(task.item_id, include_entries=True)
    jobs = [
        _job(task, number, entry.track, entry.skip_reason)
        for number, entry in enumerate(playlist.entries, start=1)
    ]
    meta = {
        "playlist": {
            "id": playlist.id,
            "name": playlist.name,
            "owner": playlist.owner,
            "snapshot_id": playlist.snapshot_id,
            "total": len(playlist.entries),
        }
    }
    return jobs, meta


def _given_jobs(task: DownloadTask, given: list[dict[str, Any]]) -> tuple[list[TrackJob], dict[str, Any]]:
    """Jobs of a playlist whose tracks came with the request (an imported playlist): no Spotify call."""
    jobs = [
        _job(
            task, number, track_from_json(entry["track"]) if entry.get("track") else None, entry.get("reason")
        )
        for number, entry in enumerate(given, start=1)
    ]
    meta = {"playlist": {"id": task.item_id, "name": task.name, "owner": task.artist, "total": len(given)}}
    return jobs, meta


def _full_track(track: Track) -> Track:
    try:
        return get_spotify_client().track(track.id)
    except SpotifyError:  # the track's own step asks again, and decides whether that is fatal
        return track


def _full_tracks(pending: Iterator[Track], lock: threading.Lock) -> list[Track]:
    """One pool thread's part: take tracks from ``pending`` until none are left. The thread's own
    database connection (the Spotify cache) is closed once at the end, not reopened for every track."""
    found: list[Track] = []
    try:
        while True:
            with lock:
                track = next(pending, None)
            if track is None:
                return found
            found.append(_full_track(track))
    finally:
        connections.close_all()


def _with_isrcs(tracks: list[Track]) -> list[Track]:
    """Album listings carry no ISRC (needed to match inbox files and previews): fetch the full tracks
    now, a few at a time, rather than one by one later on the download path."""
    missing = [track for track in tracks if not track.isrc]
    if not missing:
        return tracks
    pending, lock = iter(missing), threading.Lock()
    with ThreadPoolExecutor(PREFETCH_THREADS) as pool:
        parts = [pool.submit(_full_tracks, pending, lock) for _ in range(min(PREFETCH_THREADS, len(missing)))]
    full = {track.id: track for part in parts for track in part.result()}
    return [full.get(track.id, track) for track in tracks]


def plan_save(task: DownloadTask, jobs: list[TrackJob], metadata: dict[str, Any]) -> bool:
    """Store the jobs and move the task to downloading; False when the task was cancelled meanwhile.
    A re-run keeps jobs made by an earlier attempt (unique by position)."""
    with transaction.atomic():
        TrackJob.objects.bulk_create(jobs, ignore_conflicts=True)
        total = TrackJob.objects.filter(task=task).count()
        moved = task.move_to(TaskStatus.DOWNLOADING, metadata=metadata, total_tracks=total, lease_owner="")
        if not moved:  # cancelled while Spotify was asked: keep no jobs
            transaction.set_rollback(True)
        return moved
