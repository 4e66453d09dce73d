"""The web server restarted while tasks are queued and running: nothing is lost, and progress stream
clients reconnect with Last-Event-ID and catch up on every event they missed."""

from __future__ import annotations

import signal
import subprocess

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.conftest import album_in_inbox
from tests.faults.sse import Frame, SseClient

pytestmark = [pytest.mark.fault]

TRACKS = 10


def _finished(task_ids: set[str]) -> callable:
    def check(frames: list[Frame]) -> bool:
        done = {
            frame.data["task_id"]
            for frame in frames
            if frame.event == "task" and frame.data["tasks"][0]["status"] in ("complete", "error")
        }
        return task_ids <= done

    return check


def _restart_web(service) -> None:
    try:
        service.stop(service.web, sig=signal.SIGTERM, timeout=15)
    except subprocess.TimeoutExpired:  # an open stream may hold daphne up: a crash is a restart too
        service.kill_group(service.web)
    service.start_web()


@pytest.mark.timeout(150)
def test_restarting_the_web_server_loses_no_task_and_streams_catch_up(
    service, fake_spotify, tmp_path
) -> None:
    """GIVEN an album running and a track queued behind it (one download slot), and a progress
    stream open WHEN daphne is restarted mid-album THEN both tasks complete whole, AND a client that
    reconnects with the last event id it saw receives every event after it exactly once, none lost."""
    album_id = fake_spotify.catalog.add_album("Restart Radio", artist_ids=[IDS.artist], tracks=TRACKS)
    album_in_inbox(service, fake_spotify, album_id, template_dir=tmp_path / "templates")
    album_in_inbox(service, fake_spotify, IDS.small_album, seconds=5, template_dir=tmp_path / "templates")
    service.start_web()
    service.configure(convertTo="MP3", bitrate="320k", maxConcurrentDownloads=1)
    stream_url = f"http://127.0.0.1:{service.port}/api/prgs/stream"
    first = SseClient(stream_url)
    first.start()
    first.connected.wait(10)
    service.start_cluster(workers=1)
    album_task = service.request("album", album_id)
    track_task = service.request("track", IDS.track)
    service.wait_for(
        lambda: list(service.track_statuses(album_task).values()).count("done") >= 2,
        timeout=60,
        what="the album to be under way",
    )
    assert service.task(track_task)["status"] == "queued"

    _restart_web(service)
    first.join(10)
    seen = first.ids()
    assert first.status == 200 and seen, (first.status, first.error)
    missed = service.rows("SELECT COUNT(*) FROM downloads_taskevent WHERE id > ?", (seen[-1],))[0][0]
    assert missed > 0, "the workers published nothing while the web server was down"
    second = SseClient(stream_url, last_event_id=seen[-1], stop_when=_finished({album_task, track_task}))
    second.start()
    second.join(90)

    assert not second.is_alive(), "the reconnected stream never saw both tasks finish"
    assert second.frames[0].event == "task", [
        frame.event for frame in second.frames[:3]
    ]  # a replay, no snapshot
    received = seen[1:] + second.ids()  # the first frame is the snapshot, carrying the latest id
    expected = [
        row[0]
        for row in service.rows(
            "SELECT id FROM downloads_taskevent WHERE id > ? AND id <= ? ORDER BY id",
            (seen[0], second.ids()[-1]),
        )
    ]
    assert received == expected, "events lost or repeated across the restart"
    assert service.task(track_task)["status"] == "complete"
    assert_album_intact_but_for(service, album_task)


def assert_album_intact_but_for(service, album_task: str) -> None:
    # the single track sits next to the album's files: count only the album's folder
    folder = service.library / "The Test Pattern" / "Restart Radio"
    assert len(list(folder.glob("*.mp3"))) == TRACKS
    assert {status for _, status in service.history_tracks(album_task)} == {"completed"}
    assert len(service.history_tracks(album_task)) == TRACKS
    assert service.library_check()["total"] == 0
