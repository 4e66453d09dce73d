"""Workers and whole clusters killed in the middle of an album: the work finishes on its own, once."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.conftest import album_in_inbox, assert_album_intact, backend_with_broker
from tests.faults.service import FAST_RECOVERY_ENV

pytestmark = [pytest.mark.fault]

TRACKS = 12
STALE = int(FAST_RECOVERY_ENV["SPOTIZERR_LEASE_STALE_SECONDS"])
REAPER = int(FAST_RECOVERY_ENV["SPOTIZERR_REAPER_INTERVAL_SECONDS"])
RECOVERY_BOUND = STALE + REAPER + 60  # the bound: the reaper's period plus a minute


def _album(service, fake_spotify, tmp_path) -> str:
    album_id = fake_spotify.catalog.add_album("Fault Lines", artist_ids=[IDS.artist], tracks=TRACKS)
    album_in_inbox(service, fake_spotify, album_id, template_dir=tmp_path / "templates")
    service.configure(
        convertTo="MP3",
        bitrate="320k",
        maxConcurrentDownloads=2,
        maxRetries=1,
        retryDelaySeconds=0,
        retryDelayIncrease=0,
    )
    return album_id


def _some_tracks_done(service, task_id: str, count: int = 2) -> list[int]:
    """Once ``count`` tracks are done, the pids of the workers holding a track right now (one read, so
    a test kills a worker it saw at work, not one that has since moved between two tracks)."""
    statuses = list(service.track_statuses(task_id).values())
    return service.running_worker_pids(task_id) if statuses.count("done") >= count else []


@pytest.mark.timeout(150)
def test_a_worker_killed_mid_album_leaves_the_album_complete_and_whole(
    service, fake_spotify, tmp_path
) -> None:
    """GIVEN a 12-track album downloading on two workers WHEN one worker gets SIGKILL while it makes
    a track THEN the task completes within the reaper's period plus a minute, with one file and one
    history row per track and nothing temporary left."""
    service.start_web()
    service.start_cluster(workers=2)
    task_id = service.request("album", _album(service, fake_spotify, tmp_path))
    holders = service.wait_for(
        lambda: _some_tracks_done(service, task_id), timeout=60, what="the album to be under way"
    )

    victim = holders[0]
    os.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()

    service.wait_finished(task_id, timeout=RECOVERY_BOUND)
    assert time.monotonic() - killed_at < RECOVERY_BOUND
    assert_album_intact(service, task_id, tracks=TRACKS)


@pytest.mark.timeout(150)
@pytest.mark.parametrize("broker", ["orm", "redis"])
def test_a_whole_cluster_killed_and_restarted_finishes_the_album(
    make_service, fake_spotify, tmp_path, broker
) -> None:
    """GIVEN an album under way WHEN every process of the cluster gets SIGKILL and a new cluster
    starts THEN the album completes on its own, whole, on either broker."""
    service = make_service(backend_with_broker(broker))
    service.start_web()
    cluster = service.start_cluster(workers=2)
    task_id = service.request("album", _album(service, fake_spotify, tmp_path))
    service.wait_for(
        lambda: _some_tracks_done(service, task_id, 3), timeout=60, what="the album to be under way"
    )

    service.kill_group(cluster)
    restarted_at = time.monotonic()
    service.start_cluster(workers=2)

    service.wait_finished(task_id, timeout=RECOVERY_BOUND)
    assert time.monotonic() - restarted_at < RECOVERY_BOUND
    assert_album_intact(service, task_id, tracks=TRACKS)


@pytest.mark.timeout(150)
def test_a_dead_workers_track_is_not_forgotten_when_the_other_worker_finishes_first(
    make_service, fake_spotify, tmp_path
) -> None:
    """GIVEN a slow reaper (as in production: it runs long after a lease went stale) WHEN a worker dies
    holding a track and the other worker finishes the rest of the album before the reaper comes
    THEN the task waits for that track instead of ending without it."""
    service = make_service(
        env={"SPOTIZERR_REAPER_INTERVAL_SECONDS": "15", "SPOTIZERR_LEASE_STALE_SECONDS": "2"}
    )
    service.start_web()
    service.start_cluster(workers=2)
    task_id = service.request("album", _album(service, fake_spotify, tmp_path))
    holders = service.wait_for(
        lambda: _some_tracks_done(service, task_id, 1), timeout=60, what="the album to be under way"
    )

    os.kill(holders[0], signal.SIGKILL)

    service.wait_finished(task_id, timeout=RECOVERY_BOUND)
    assert_album_intact(service, task_id, tracks=TRACKS)
