"""A hung cluster (work waiting, no worker showing any sign of life) is restarted by serve's watchdog."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.conftest import album_in_inbox, assert_album_intact

pytestmark = [pytest.mark.fault]

TRACKS = 8
WATCHDOG_ENV = {
    "SPOTIZERR_WORKERS": "1",
    "SPOTIZERR_WATCHDOG_STALL_SECONDS": "6",
    "SPOTIZERR_WATCHDOG_INTERVAL_SECONDS": "1",
    "SPOTIZERR_CLUSTER_STOP_SECONDS": "3",
}


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as stat:  # a zombie is gone too
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.timeout(150)
def test_serves_watchdog_restarts_a_cluster_whose_only_worker_hangs(
    make_service, fake_spotify, tmp_path
) -> None:
    """GIVEN `serve` running an album on a one-worker cluster WHEN that worker is frozen (SIGSTOP)
    mid-track THEN the watchdog notices within its stall period, kills the frozen cluster and starts a
    new one, AND the album completes whole."""
    service = make_service(env=WATCHDOG_ENV)
    album_id = fake_spotify.catalog.add_album("Frozen Frame", artist_ids=[IDS.artist], tracks=TRACKS)
    album_in_inbox(service, fake_spotify, album_id, template_dir=tmp_path / "templates")
    service.start_serve()
    service.configure(convertTo="MP3", bitrate="320k", maxConcurrentDownloads=1)
    task_id = service.request("album", album_id)
    # The pid comes from the same read that saw it holding a track: between two tracks nobody holds one.
    holders = service.wait_for(
        lambda: "done" in service.track_statuses(task_id).values() and service.running_worker_pids(task_id),
        timeout=60,
        what="the album to be under way",
    )

    frozen = holders[0]
    os.kill(frozen, signal.SIGSTOP)
    frozen_at = time.monotonic()

    service.wait_for(
        lambda: b"hangs" in (service.logs / "01-serve.log").read_bytes(),
        timeout=30,
        what="the watchdog to notice",
    )
    assert time.monotonic() - frozen_at < 6 + 1 + 5  # stall period, one look, some slack
    service.wait_for(lambda: _gone(frozen), timeout=15, what="the frozen worker to be killed")
    service.wait_finished(task_id, timeout=90)
    assert_album_intact(service, task_id, tracks=TRACKS)
