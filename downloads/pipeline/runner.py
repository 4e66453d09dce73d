"""Running download tasks: start a task, work through its tracks under the concurrency limit, retry
what may work later, and end the task. The only code that catches every error: it logs it once with
its traceback and fails the track with a message a user can act on."""

from __future__ import annotations

import errno
import logging
import time
import uuid
from dataclasses import dataclass

from django.db import close_old_connections

from downloads.models import DownloadTask, DownloadType, TaskStatus, TrackJob, TrackStatus
from downloads.pipeline import history
from downloads.pipeline.claims import AT_CAPACITY, RUNNING_TASK_STATUSES, Worker, work_dir_for
from downloads.pipeline.codec import album_from_json, track_from_json
from downloads.pipeline.context import (
    Outcome,
    PlaylistPlace,
    TrackContext,
    effective_config,
    effective_settings,
)
from downloads.pipeline.failure import TrackFailure
from downloads.pipeline.finish import task_finish_if_done, task_progress_refresh, task_track_started
from downloads.pipeline.plan import plan_jobs, plan_save
from downloads.pipeline.steps import TRACK_STEPS, Step
from downloads.progress import TrackEvent, TrackInfo, progress_publish
from downloads.wanted import wanted_record
from spotizerr.integrations.spotify import SpotifyError
from spotizerr.lib.cancel import Cancelled, CancelToken
from spotizerr.lib.cluster import cluster_stopping

logger = logging.getLogger(__name__)

SLOT_WAIT_SECONDS = 0.3
_DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})  # retrying may work once space is freed
_EVENT_STATUS: dict[TrackStatus, TrackEvent] = {
    TrackStatus.DONE: TrackEvent.DONE,
    TrackStatus.SKIPPED: TrackEvent.SKIPPED,
    TrackStatus.FAILED: TrackEvent.ERROR,
    TrackStatus.CANCELLED: TrackEvent.CANCELLED,
}


@dataclass
class TrackResult:
    status: TrackStatus
    reason: str = ""
    ctx: TrackContext | None = None
    not_found: bool = False  # no source has the track: it enters the owner's wanted list


# ---------------------------------------------------------------------------------------------- entry points
def task_run(task_id: uuid.UUID | str) -> None:
    """First delivery of a task: start it unless someone already did, then work on its tracks."""
    close_old_connections()
    worker = Worker()
    task = DownloadTask.objects.filter(pk=task_id).first()
    if task is None:
        return
    if worker.claim_start(task) and not _start(task, worker):
        return
    task_work(task_id, worker=worker)


def task_work(task_id: uuid.UUID | str, *, worker: Worker | None = None) -> None:
    """Claim and make the task's pending tracks one by one while a download slot is free, then end
    the task if this worker finished its last track. A delivery with nothing to do just returns."""
    close_old_connections()
    worker = worker or Worker()
    while True:
        task = DownloadTask.objects.select_related("owner").filter(pk=task_id).first()
        if task is None or task.status not in RUNNING_TASK_STATUSES:
            return
        if cluster_stopping():  # a stop waits for the track in hand, not the album: the next start resumes
            worker.ask_for_help(task)
            return
        limit = effective_settings(task).max_concurrent_downloads
        _request_helpers(task, limit, worker)
        claimed = worker.claim_track(task, limit=limit)
        if claimed is None:
            break
        if claimed == AT_CAPACITY:
            worker.still_waiting(task)  # waiting for a slot is alive: the reaper leaves it be
            time.sleep(SLOT_WAIT_SECONDS)
            continue
        assert isinstance(claimed, TrackJob)
        track_run(task, claimed, worker=worker)
    task_finish_if_done(task)


# ---------------------------------------------------------------------------------------------- starting
def _start(task: DownloadTask, worker: Worker) -> bool:
    progress_publish(task, status=TaskStatus.INITIALIZING, message="Looking up the tracks on Spotify.")
    try:
        jobs, metadata = _plan_with_retries(task, worker)
    except TrackFailure as failure:
        if task.move_to(TaskStatus.ERROR, error_message=failure.reason, lease_owner=""):
            progress_publish(task, status=TaskStatus.ERROR, message=failure.reason, error=failure.reason)
            history.history_task_finished(task)
        return False
    except Cancelled:
        return False
    if not plan_save(task, jobs, metadata):
        return False
    history.history_task_started(task)
    task_progress_refresh(task)
    progress_publish(
        task, status=TaskStatus.DOWNLOADING, message=f"{task.total_tracks} track(s) to download."
    )
    return True


def _plan_with_retries(task: DownloadTask, worker: Worker) -> tuple[list[TrackJob], dict]:
    retries = 0
    while True:
        settings = effective_settings(task)
        try:
            return plan_jobs(task)
        except SpotifyError as error:
            if error.permanent or retries >= settings.max_retries:
                raise TrackFailure(
                    f"Spotify could not give the track list: {error.message}", permanent=True
                ) from error
            delay = settings.retry_delay(retries)
            retries += 1
            progress_publish(
                task,
                status=TaskStatus.INITIALIZING,
                message=f"Spotify did not answer; trying again in {delay} s.",
                extra={"retry_count": retries, "seconds_left": delay},
            )
            if worker.wait_at_start(task, delay):
                raise Cancelled() from error


def _request_helpers(task: DownloadTask, limit: int, worker: Worker) -> None:
    """Ask for more deliveries of this task so that up to ``limit`` of its tracks can run at once.
    Only a rise of the limit asks for more (also one made while the task runs); the claim decides
    whether a slot is free, so extra deliveries just wait or find nothing left."""
    asked = task.workers_requested
    if limit <= asked:
        return
    pending = TrackJob.objects.filter(task=task, status=TrackStatus.PENDING).count()
    if pending <= 1 or not DownloadTask.objects.filter(pk=task.pk, workers_requested=asked).update(
        workers_requested=limit
    ):
        return
    for _ in range(min(limit - asked, pending - 1)):
        worker.ask_for_help(task)


# ---------------------------------------------------------------------------------------------- one track
def _track_info(job: TrackJob, status: TrackEvent, **more: object) -> TrackInfo:
    info: TrackInfo = {
        "position": job.position,
        "track_id": job.track_id,
        "name": job.name,
        "artist": job.artist,
        "status": status,
    }
    info.update(more)  # type: ignore[typeddict-item]
    return info


def track_run(task: DownloadTask, job: TrackJob, *, worker: Worker) -> None:
    """Make one claimed track, then record how it went (unless the lease was lost meanwhile)."""
    task_track_started(task, current=job.position)
    progress_publish(
        task,
        status=TrackEvent.DOWNLOADING,
        message=f"Track {job.position} of {task.total_tracks}.",
        track=_track_info(job, TrackEvent.DOWNLOADING),
    )
    with worker.watch(job) as watch:
        result = _attempts(task, job, watch.token)
    if watch.lease_lost:
        logger.warning(
            "Lost the lease on track %s of task %s; leaving it to its new worker", job.position, task.pk
        )
        return
    if result.not_found:  # before the job ends: a worker dying in between leaves it to be re-run
        wanted_record(task=task, job=job, isrc=result.ctx.track.isrc if result.ctx else None)
    if not worker.finish_track(job, result.status, **_result_fields(result)):
        return
    history.history_track_finished(task, job)
    task_progress_refresh(task)
    if not task.is_active:  # cancelled while this track finished: its history entry gets the count
        history.history_task_finished(task)
    progress_publish(
        task,
        status=_EVENT_STATUS[result.status],
        message=result.reason or "",
        error=result.reason if result.status == TrackStatus.FAILED else "",
        track=_track_info(
            job,
            _EVENT_STATUS[result.status],
            reason=result.reason,
            file_path=job.file_path,
            source=job.source,
            quality=job.quality,
            is_preview=job.is_preview,
        ),
    )


def _result_fields(result: TrackResult) -> dict[str, object]:
    ctx = result.ctx
    fields: dict[str, object] = {"reason": result.reason[:2000]}
    if ctx is not None and result.status in (TrackStatus.DONE, TrackStatus.SKIPPED):
        fields.update(
            file_path=ctx.relative_path,
            source=ctx.source_name,
            quality=ctx.quality,
            is_preview=ctx.is_preview,
            size_bytes=ctx.size_bytes,
            lyrics=ctx.lyrics_status,
        )
    return fields


def track_context(task: DownloadTask, job: TrackJob, token: CancelToken) -> TrackContext:
    """The context the steps run on for ``job``: its track, the album and playlist place it was planned
    with, the task's effective settings and a fresh work folder. The inbox scan (``fulfilment``) builds
    its runs on it too."""
    metadata = task.metadata or {}
    album = album_from_json(metadata["album"]) if metadata.get("album") else None
    place = None
    if task.download_type == DownloadType.PLAYLIST:
        playlist = metadata.get("playlist") or {}
        place = PlaylistPlace(
            id=task.item_id,
            name=playlist.get("name") or task.name,
            position=job.position,
            total=playlist.get("total") or task.total_tracks,
        )
    elif (task.context or {}).get("playlist_id"):
        given = task.context
        place = PlaylistPlace(
            id=given["playlist_id"],
            name=given.get("playlist_name") or "",
            position=given.get("playlist_position"),
            total=given.get("playlist_total"),
        )
    return TrackContext(
        task=task,
        job=job,
        owner=task.owner,
        track=track_from_json(job.track_data),
        album=album,
        config=effective_config(task),
        cancel=token,
        work_dir=work_dir_for(job),
        playlist=place,
    )


def track_steps_run(ctx: TrackContext) -> None:
    """Run the track steps on ``ctx`` until one sets an outcome, then clean up every step started (in
    reverse). Raises ``TrackFailure`` (a full disk becomes a retryable one), ``Cancelled`` and any
    unexpected error, for the caller to handle; the inbox scan (``fulfilment``) runs tracks through it too."""
    started: list[Step] = []
    timings: list[str] = []
    try:
        for step_class in TRACK_STEPS:
            if ctx.outcome:
                break
            step = step_class()
            started.append(step)
            began = time.perf_counter()
            step.setup(ctx)
            step.run(ctx)
            timings.append(f"{step.name} {1000 * (time.perf_counter() - began):.0f}")
    except OSError as error:
        if error.errno not in _DISK_FULL:
            raise
        raise TrackFailure(
            f"Could not write the file: {error.strerror} (during the {step.name} step). Free some "
            "disk space, then try again.",
            permanent=False,
        ) from error
    finally:
        for step in reversed(started):
            step.cleanup(ctx)
        logger.debug(
            "Track %s of task %s, ms per step: %s", ctx.job.position, ctx.task.pk, ", ".join(timings)
        )


def _attempts(task: DownloadTask, job: TrackJob, token: CancelToken) -> TrackResult:
    """Run the steps, retrying transient failures ``maxRetries`` times after growing delays."""
    retries = job.retries
    while True:
        ctx = track_context(task, job, token)
        try:
            track_steps_run(ctx)
            return TrackResult(
                TrackStatus.SKIPPED if ctx.outcome == Outcome.SKIPPED else TrackStatus.DONE, ctx.reason, ctx
            )
        except Cancelled:
            return TrackResult(TrackStatus.CANCELLED, "Cancelled.")
        except TrackFailure as failure:
            if failure.permanent or retries >= ctx.settings.max_retries:
                return TrackResult(TrackStatus.FAILED, failure.reason, ctx, not_found=failure.not_found)
            delay = max(ctx.settings.retry_delay(retries), round(failure.retry_after or 0))
            retries += 1
            _announce_retry(task, job, failure, retries=retries, limit=ctx.settings.max_retries, delay=delay)
            if token.wait(delay):
                return TrackResult(TrackStatus.CANCELLED, "Cancelled.")
            if task.move_to(TaskStatus.DOWNLOADING):
                progress_publish(
                    task,
                    status=TrackEvent.DOWNLOADING,
                    message=f"Trying track {job.position} again.",
                    track=_track_info(job, TrackEvent.DOWNLOADING),
                )
        except Exception as error:
            logger.exception("Track %s of task %s failed unexpectedly", job.position, task.pk)
            return TrackResult(
                TrackStatus.FAILED,
                f"Unexpected error ({type(error).__name__}: {error}). "
                "The server log has the details; please report it.",
            )


def _announce_retry(
    task: DownloadTask, job: TrackJob, failure: TrackFailure, *, retries: int, limit: int, delay: int
) -> None:
    TrackJob.objects.filter(pk=job.pk).update(retries=retries, reason=failure.reason[:2000])
    task.move_to(TaskStatus.RETRYING)
    progress_publish(
        task,
        status=TrackEvent.RETRYING,
        message=f"{failure.reason} Retry {retries} of {limit} in {delay} s.",
        error=failure.reason,
        track=_track_info(job, TrackEvent.RETRYING, reason=failure.reason),
        extra={"retry_count": retries, "max_retries": limit, "seconds_left": delay},
    )
