"""SIGTERM to the cluster's main process during an album: a bounded stop that loses nothing."""

from __future__ import annotations

import signal

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.conftest import album_in_inbox, assert_album_intact

pytestmark = [pytest.mark.fault]

TRACKS = 16
STOP_BOUND = 15.0  # seconds: the track in hand on each worker, then out


@pytest.mark.timeout(150)
def test_sigterm_mid_album_stops_soon_and_the_next_start_finishes_the_rest(
    service, fake_spotify, tmp_path
) -> None:
    """GIVEN a 16-track album under way on two workers WHEN the cluster's main process gets SIGTERM
    THEN it exits within the bound, leaving finished tracks whole and the rest pending (none running),
    AND after the next start the album completes with one file and one history row per track."""
    album_id = fake_spotify.catalog.add_album("Stop Gap", artist_ids=[IDS.artist], tracks=TRACKS)
    album_in_inbox(service, fake_spotify, album_id, template_dir=tmp_path / "templates")
    service.start_web()
    service.configure(convertTo="MP3", bitrate="320k", maxConcurrentDownloads=2)
    cluster = service.start_cluster(workers=2)
    task_id = service.request("album", album_id)
    service.wait_for(
        lambda: list(service.track_statuses(task_id).values()).count("done") >= 2,
        timeout=60,
        what="the album to be under way",
    )

    took = service.stop(cluster, sig=signal.SIGTERM, timeout=60)

    statuses = service.track_statuses(task_id)
    assert took < STOP_BOUND, f"the cluster took {took:.1f} s to stop"
    assert "running" not in statuses.values(), statuses
    assert "pending" in statuses.values(), f"the stop waited for the whole album: {statuses}"
    done = [position for position, status in statuses.items() if status == "done"]
    assert len(list(service.library.rglob("*.mp3"))) == len(done)

    service.start_cluster(workers=2)
    service.wait_finished(task_id, timeout=90)
    assert_album_intact(service, task_id, tracks=TRACKS)
