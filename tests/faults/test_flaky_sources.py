"""Sources that stall, reset mid-body, send a truncated body or answer 429/5xx, through the real
worker: bounded waits, retries, honest failures, and never a file marked done that does not match."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.audio import ffmpeg_exe, make_audio
from tests.fakes.deezer_api import FakeDeezer
from tests.fakes.media_server import Reply
from tests.fakes.spotify_api import IDS

pytestmark = [pytest.mark.fault]

BOUND = 90.0  # seconds for the whole album: one 20 s stall, a 1 s Retry-After, retries without delay


@pytest.fixture
def fake_deezer() -> Iterator[FakeDeezer]:
    with FakeDeezer() as fake:
        yield fake


def decoded_md5(path: Path) -> str:
    """The audio as decoded by ffmpeg (tags left out), as an MD5."""
    result = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:a", "-f", "md5", "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.timeout(150)
def test_misbehaving_sources_end_in_retries_or_honest_failures(
    make_service, fake_spotify, fake_deezer, tmp_path
) -> None:
    """GIVEN a 6-track album whose Deezer previews answer 429, 5xx twice, stall, reset mid-body (each
    then recovering), send a truncated body every time, or 500 every time WHEN it is downloaded
    THEN the first four end done with files decoding exactly like the previews, the last two fail with
    reasons that say what went wrong and leave no file, and the album ends within the bound."""
    preview = make_audio(tmp_path / "preview.mp3", seconds=1.5)
    data = preview.read_bytes()
    album_id = fake_spotify.catalog.add_album("Bad Signal", artist_ids=[IDS.artist], tracks=6)
    isrcs = [
        fake_spotify.catalog.tracks[track_id].isrc
        for track_id in fake_spotify.catalog.albums[album_id].track_ids
    ]
    for isrc in isrcs:
        fake_deezer.add_track(isrc, preview=data)
    half = len(data) // 2
    fake_deezer.preview_replies(isrcs[0], Reply(429, b"slow down", headers={"Retry-After": "1"}))
    fake_deezer.preview_replies(isrcs[1], Reply(503, b"busy"), Reply(502, b"bad gateway"))
    fake_deezer.preview_replies(
        isrcs[2], Reply(body=data, content_type="audio/mpeg", fault="stall", fault_after=half)
    )
    fake_deezer.preview_replies(
        isrcs[3], Reply(body=data, content_type="audio/mpeg", fault="reset", fault_after=half)
    )
    fake_deezer.route(
        fake_deezer.preview_path(isrcs[4]),
        Reply(body=data, content_type="audio/mpeg", fault="truncate", fault_after=half),
    )
    fake_deezer.route(fake_deezer.preview_path(isrcs[5]), Reply(500, b"oops"))

    service = make_service(env={"SPOTIZERR_DEEZER_API_URL": fake_deezer.base_url})
    service.start_web()
    service.configure(
        service="deezer",
        fallback=False,
        maxConcurrentDownloads=3,
        maxRetries=2,
        retryDelaySeconds=0,
        retryDelayIncrease=0,
    )
    service.start_cluster(workers=3)
    started = time.monotonic()
    task = service.wait_finished(service.request("album", album_id), timeout=BOUND)

    assert time.monotonic() - started < BOUND
    summary = task["summary"]
    assert [row["position"] for row in summary["successful_tracks"]] == [1, 2, 3, 4], summary
    failed = {row["position"]: row["reason"] for row in summary["failed_tracks"]}
    assert sorted(failed) == [5, 6], summary
    assert "deezer" in failed[5] and "broke off" in failed[5], failed
    assert "deezer" in failed[6] and "500" in failed[6], failed
    files = {row["position"]: service.library / row["file_path"] for row in summary["successful_tracks"]}
    assert sorted(path.name for path in service.library.rglob("*.mp3")) == sorted(
        p.name for p in files.values()
    )
    expected = decoded_md5(preview)
    assert {position: decoded_md5(path) for position, path in files.items()} == dict.fromkeys(files, expected)
    assert fake_deezer.hits(fake_deezer.preview_path(isrcs[4])) == 3  # tried maxRetries + 1 times, no more
    assert service.library_check()["total"] == 0
