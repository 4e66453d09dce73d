"""Cancelling running work: it stops within a second or two, kills the program or converter it
started, leaves no partial file and fetches nothing more."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from downloads.models import DownloadTask, LibraryFile, TaskStatus, TrackJob, TrackStatus
from spotizerr.lib.atomic import TEMP_PREFIX
from tests.downloads.workers import in_background, run_queue, wait_until
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "queued_only"),
]


def request(client, kind: str, item_id: str, query: str = "") -> str:
    response = client.get(f"/api/{kind}/download/{item_id}{query}")
    assert response.status_code == 202, response.json()
    return response.json()["task_id"]


def child_processes(name_part: str) -> list[int]:
    """Ids of our live child processes whose command name contains ``name_part``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        command, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if int(rest[1]) == os.getpid() and name_part in command and rest[0] != "Z":
            found.append(int(entry.name))
    return found


def test_cancelling_mid_album_stops_at_once_and_leaves_only_whole_files(
    alice_client, command_source, configure, library_root, data_dir
) -> None:
    command_source(delay=0.5)
    configure(maxConcurrentDownloads=1)
    task_id = request(alice_client, "album", IDS.two_disc_album)
    cluster = in_background(run_queue, workers=1)
    wait_until(lambda: TrackJob.objects.filter(task_id=task_id, status=TrackStatus.DONE).exists())
    wait_until(lambda: TrackJob.objects.filter(task_id=task_id, status=TrackStatus.RUNNING).exists())

    cancelled_at = time.monotonic()
    assert alice_client.post(f"/api/prgs/cancel/{task_id}").status_code == 200
    cluster.finish(timeout=5)

    assert time.monotonic() - cancelled_at < 2.0
    jobs = TrackJob.objects.filter(task_id=task_id)
    done = jobs.filter(status=TrackStatus.DONE).count()
    assert 1 <= done < 8 and not jobs.filter(status__in=[TrackStatus.RUNNING, TrackStatus.PENDING]).exists()
    assert DownloadTask.objects.get(pk=task_id).status == TaskStatus.CANCELLED
    assert len(list(library_root.rglob("*.mp3"))) == done
    assert not list(library_root.rglob(f"{TEMP_PREFIX}*")) and not list((data_dir / "work").iterdir())
    assert child_processes("python") == []


def test_cancelling_kills_the_converter_and_leaves_no_partial_file(
    alice_client, inbox_file, library_root, data_dir
) -> None:
    inbox_file(IDS.track, ".flac", seconds=300)
    task_id = request(alice_client, "track", IDS.track, "?convertTo=MP3&bitrate=320k")
    cluster = in_background(run_queue, workers=1)
    wait_until(lambda: child_processes("ffmpeg"), timeout=20, every=0.01)

    cancelled_at = time.monotonic()
    alice_client.post(f"/api/prgs/cancel/{task_id}")
    cluster.finish(timeout=5)

    assert time.monotonic() - cancelled_at < 2.0
    assert child_processes("ffmpeg") == []
    assert not [path for path in library_root.rglob("*") if path.is_file()]
    assert not list((data_dir / "work").iterdir())
    assert TrackJob.objects.get(task_id=task_id).status == TrackStatus.CANCELLED


@pytest.mark.spotify_extended_quota  # retries of the preview source: preview_url is null for 2026 apps
def test_cancelling_a_track_waiting_to_retry_ends_the_wait(alice_client, spotify_api, configure) -> None:
    configure(maxRetries=3, retryDelaySeconds=60)
    spotify_api.fail_next(503, count=10, path_prefix="/previews/")
    task_id = request(alice_client, "track", IDS.track)
    cluster = in_background(run_queue, workers=1)
    wait_until(lambda: DownloadTask.objects.get(pk=task_id).status == TaskStatus.RETRYING)

    alice_client.post(f"/api/prgs/cancel/{task_id}")
    cluster.finish(timeout=3)

    assert spotify_api.api_calls("/previews/") == 1
    assert DownloadTask.objects.get(pk=task_id).status == TaskStatus.CANCELLED


def test_no_file_of_a_cancelled_task_lands_after_it_is_reported_cancelled(
    alice_client, album_in_inbox, configure, library_root, data_dir
) -> None:
    """GIVEN an album converting long FLAC files to MP3, two tracks at a time
    WHEN it is cancelled right as a conversion ends (that track is about to be tagged and placed)
    THEN every file of the task is in the library, and indexed, before the task reports cancelled,
    and no file appears afterwards."""
    album_in_inbox(IDS.two_disc_album, ".flac", seconds=60.0)
    configure(maxConcurrentDownloads=2)
    task_id = request(alice_client, "album", IDS.two_disc_album, "?convertTo=MP3&bitrate=320k")
    cluster = in_background(run_queue, workers=2)
    wait_until(lambda: TrackJob.objects.filter(task_id=task_id, status=TrackStatus.DONE).exists(), timeout=60)
    wait_until(lambda: list((data_dir / "work").glob("*/converted.mp3")), timeout=30, every=0.002)

    answer = alice_client.post(f"/api/prgs/cancel/{task_id}").json()
    if answer["status"] != "cancelled":  # still stopping a track: it says so until it has stopped
        wait_until(lambda: DownloadTask.objects.get(pk=task_id).status == TaskStatus.CANCELLED)
    reported = DownloadTask.objects.get(pk=task_id)
    files_then = sorted(library_root.rglob("*.mp3"))
    cluster.finish(timeout=10)
    time.sleep(1.0)

    assert reported.status == TaskStatus.CANCELLED
    assert sorted(library_root.rglob("*.mp3")) == files_then
    indexed = LibraryFile.objects.all()
    assert len(indexed) == len(files_then) >= 1
    assert all(entry.created_at <= reported.finished_at for entry in indexed)
    jobs = TrackJob.objects.filter(task_id=task_id)
    assert jobs.filter(status=TrackStatus.DONE).count() == len(files_then)
    assert not jobs.filter(status__in=[TrackStatus.RUNNING, TrackStatus.PENDING]).exists()
    assert child_processes("ffmpeg") == [] and not list((data_dir / "work").iterdir())
