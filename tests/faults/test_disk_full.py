"""Disk full while writing: the track fails with a clear reason, nothing partial stays, the service
keeps answering, and a retry succeeds once there is space again."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from downloads.tagging import TagData, write_tags
from tests.fakes.audio import make_audio
from tests.fakes.spotify_api import IDS

pytestmark = [pytest.mark.fault]

FILE_SIZE_LIMIT = 8 * 1024 * 1024  # RLIMIT_FSIZE of the cluster: writes past 8 MiB fail with EFBIG
# (Python ignores SIGXFSZ); the big track is a 10.6 MiB WAV


def _inbox_track(service, spotify, track_id: str, *, seconds: float, extension: str) -> Path:
    track = spotify.catalog.tracks[track_id]
    path = make_audio(service.inbox / f"{track_id}{extension}", seconds=seconds)
    write_tags(
        path,
        TagData(
            title=track.name,
            artists=[spotify.catalog.artists[track.artist_ids[0]].name],
            isrc=track.isrc or "",
        ),
    )
    return path


def _leftovers(service) -> list[Path]:
    work = service.data_dir / "work"
    return [path for path in [*service.library.rglob(".spotizerr-tmp-*"), *work.glob("*")] if path.exists()]


@pytest.mark.timeout(120)
def test_writes_failing_with_efbig_fail_the_track_cleanly_and_a_retry_succeeds_with_space(
    service, fake_spotify
) -> None:
    """GIVEN a worker that cannot write files over 8 MiB (RLIMIT_FSIZE: writes fail with EFBIG)
    WHEN a 10 MiB track is downloaded THEN it fails with a reason naming the write problem, nothing
    partial remains, the API and the worker keep serving a small track, AND once the limit is gone a
    new request for the big track completes."""
    _inbox_track(service, fake_spotify, IDS.track, seconds=60, extension=".wav")
    _inbox_track(service, fake_spotify, IDS.track_no_preview, seconds=2, extension=".mp3")
    service.start_web()
    service.configure(maxRetries=1, retryDelaySeconds=0, retryDelayIncrease=0, fallback=False)
    cluster = service.start_cluster(workers=1, file_size_limit=FILE_SIZE_LIMIT)

    big = service.wait_finished(service.request("track", IDS.track), timeout=60)
    small = service.wait_finished(service.request("track", IDS.track_no_preview), timeout=60)

    assert big["status"] == "error", big
    reason = big["last_line"]["status_info"]["error"] or ""
    assert "File too large" in reason or "space" in reason.lower(), reason
    assert small["status"] == "complete", small
    assert [
        path.suffix for path in service.library.rglob("*") if path.is_file() and path.name != "cover.jpg"
    ] == [".mp3"]
    assert _leftovers(service) == []

    service.stop(cluster)
    service.start_cluster(workers=1)
    again = service.wait_finished(service.request("track", IDS.track), timeout=60)
    assert again["status"] == "complete", again
    assert service.library_check()["total"] == 0


@pytest.fixture
def tiny_library_disk(tmp_path: Path) -> Iterator[Path]:
    """A 12 MiB tmpfs to hold the library, where this machine lets us mount one (root in CI)."""
    mount_point = tmp_path / f"library-disk-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, timeout=10, check=False)


@pytest.mark.timeout(120)
def test_a_full_library_disk_fails_the_track_cleanly_and_a_retry_succeeds_once_space_is_back(
    service, fake_spotify, tiny_library_disk
) -> None:
    """GIVEN the library on a 12 MiB disk with 4 MiB free WHEN a 10 MiB track is placed THEN it fails
    with ENOSPC named in its reason, no partial or temporary file is left on the disk, the API keeps
    answering, AND after space is freed a new request for the track completes."""
    filler = tiny_library_disk / "filler.bin"
    filler.write_bytes(b"\0" * (8 * 1024 * 1024))
    _inbox_track(service, fake_spotify, IDS.track, seconds=60, extension=".wav")
    service.start_web()
    service.configure(
        downloadPath=str(tiny_library_disk),
        maxRetries=1,
        retryDelaySeconds=0,
        retryDelayIncrease=0,
        fallback=False,
    )
    service.start_cluster(workers=1)

    failed = service.wait_finished(service.request("track", IDS.track), timeout=60)

    reason = failed["last_line"]["status_info"]["error"] or ""
    assert failed["status"] == "error", failed
    assert "No space left on device" in reason and "Free some disk space" in reason, reason
    assert service.rows("SELECT COUNT(*) FROM downloads_taskevent WHERE status = 'retrying'")[0][0] == 1
    assert sorted(path.name for path in tiny_library_disk.rglob("*") if path.is_file()) == ["filler.bin"]
    assert service.api("GET", "/api/prgs/list")[0] == 200

    filler.unlink()
    again = service.wait_finished(service.request("track", IDS.track), timeout=60)
    assert again["status"] == "complete", again
    assert service.library_check()["total"] == 0
