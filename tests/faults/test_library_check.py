"""``manage.py library_check``: each kind of finding, the JSON output and the exit code."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from downloads.models import DownloadTask, LibraryFile, TaskStatus, TrackJob, TrackStatus

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def library(library_root: Path, data_dir: Path) -> Path:
    """A library holding one indexed track, its cover and a playlist file: nothing to report."""
    track = library_root / "Artist" / "Album" / "01. Song.mp3"
    track.parent.mkdir(parents=True)
    track.write_bytes(b"audio")
    (track.parent / "cover.jpg").write_bytes(b"jpeg")
    (library_root / "playlists").mkdir()
    (library_root / "playlists" / "Mix.m3u").write_text("#EXTM3U\n")
    LibraryFile.objects.create(library_root=str(library_root), relative_path="Artist/Album/01. Song.mp3")
    return library_root


def check(*args: str) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("library_check", "--json", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue())


def _age(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _task(alice, status: str = TaskStatus.DOWNLOADING, **fields) -> DownloadTask:
    return DownloadTask.objects.create(
        owner=alice, download_type="album", status=status, **{"item_id": "album1", **fields}
    )


def test_a_consistent_library_has_no_findings_and_exits_zero(library) -> None:
    code, findings = check()

    assert (code, findings["total"]) == (0, 0), findings
    assert findings["roots"] == [str(library)]


def test_the_report_says_no_problems_in_words(library) -> None:
    out = StringIO()
    call_command("library_check", stdout=out)

    assert "No problems found." in out.getvalue()


def test_an_indexed_file_gone_from_disk_is_missing(library) -> None:
    (library / "Artist" / "Album" / "01. Song.mp3").unlink()

    code, findings = check()

    assert code == 1
    assert [item["path"] for item in findings["missing_files"]] == [
        str(library / "Artist/Album/01. Song.mp3")
    ]
    assert findings["orphan_files"] == []


def test_audio_the_index_does_not_know_is_an_orphan_but_covers_and_playlists_are_not(library) -> None:
    (library / "Artist" / "Album" / "02. Stray.flac").write_bytes(b"audio")
    (library / "Artist" / "Album" / "notes.txt").write_text("not audio")
    (library / "playlists" / "copy.mp3").write_bytes(b"audio kept with the playlists")

    code, findings = check()

    assert code == 1
    assert [item["path"] for item in findings["orphan_files"]] == [
        str(library / "Artist/Album/02. Stray.flac")
    ]


def test_temporary_files_older_than_the_limit_are_stale(library) -> None:
    old = library / "Artist" / "Album" / ".spotizerr-tmp-abc123"
    old.write_bytes(b"half a file")
    _age(old, 7200)
    old.parent.joinpath(".spotizerr-tmp-fresh").write_bytes(b"being written right now")

    code, findings = check()

    assert code == 1
    assert findings["stale_temp_files"] == [{"path": str(old), "kind": "temp file"}]
    assert findings["orphan_files"] == []


def test_a_work_folder_no_running_track_owns_is_stale(library, data_dir) -> None:
    leftover = data_dir / "work" / "0f0f-3.1"
    leftover.mkdir(parents=True)
    _age(leftover, 7200)

    code, findings = check()

    assert code == 1
    assert findings["stale_temp_files"] == [{"path": str(leftover), "kind": "work folder"}]


def test_a_younger_temporary_file_counts_with_a_lower_age_limit(library) -> None:
    (library / ".spotizerr-tmp-new").write_bytes(b"x")

    assert check()[1]["stale_temp_files"] == []
    assert len(check("--temp-age", "0")[1]["stale_temp_files"]) == 1


def test_a_running_track_whose_lease_went_stale_is_stuck_and_so_is_its_silent_task(library, alice) -> None:
    long_ago = timezone.now() - timedelta(minutes=10)
    task = _task(alice, worker_seen_at=long_ago)
    TrackJob.objects.create(
        task=task,
        position=4,
        name="Song 4",
        status=TrackStatus.RUNNING,
        heartbeat_at=long_ago,
        lease_owner="host:123:abc",
    )

    code, findings = check()

    assert code == 1
    assert [(item["task_id"], item["position"], item["worker"]) for item in findings["stuck_tracks"]] == [
        (str(task.pk), 4, "host:123:abc")
    ]
    assert [item["problem"] for item in findings["stuck_tasks"]] == ["running with no sign of a worker"]


def test_work_with_a_fresh_heartbeat_is_not_stuck(library, alice) -> None:
    task = _task(alice, worker_seen_at=timezone.now())
    TrackJob.objects.create(task=task, position=1, status=TrackStatus.RUNNING, heartbeat_at=timezone.now())

    assert check()[0] == 0


def test_a_finished_task_with_a_track_still_pending_is_stuck(library, alice) -> None:
    task = _task(alice, status=TaskStatus.COMPLETE, finished_at=timezone.now())
    TrackJob.objects.create(task=task, position=1, status=TrackStatus.DONE)
    TrackJob.objects.create(task=task, position=2, status=TrackStatus.PENDING)

    code, findings = check()

    assert code == 1
    assert [(item["task_id"], item["problem"]) for item in findings["stuck_tasks"]] == [
        (str(task.pk), "finished with tracks still pending or running")
    ]


def test_a_task_finished_long_ago_whose_history_still_says_in_progress_is_stuck(library, alice) -> None:
    from library_history.models import HistoryEntry

    long_ago = timezone.now() - timedelta(minutes=10)
    old = _task(alice, status=TaskStatus.COMPLETE, finished_at=long_ago)
    just_now = _task(alice, status=TaskStatus.COMPLETE, finished_at=timezone.now(), item_id="album2")
    for task in (old, just_now):
        HistoryEntry.objects.create(
            task_id=task.pk,
            owner=alice,
            download_type="album",
            status="in_progress",
            name="Album",
            created_at=task.created_at,
        )

    code, findings = check()

    assert code == 1
    assert [(item["task_id"], item["problem"]) for item in findings["stuck_tasks"]] == [
        (str(old.pk), "finished, but its history entry still says in progress")
    ]
