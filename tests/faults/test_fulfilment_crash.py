"""A worker killed while the inbox scan imports a wanted track: the next scan finishes the work, and
the library ends with one file per track, nothing lost, nothing left over (``library_check``)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.conftest import assert_album_intact
from tests.faults.service import album_to_inbox

pytestmark = [pytest.mark.fault]

TRACKS = 4


def _fulfilling_pid(service) -> int | None:
    """The pid of the worker process holding a fulfilment claim right now, if any."""
    rows = service.rows("SELECT lease_owner FROM downloads_trackjob WHERE lease_owner LIKE ?", ("fulfil:%",))
    return int(rows[0][0].split(":")[1]) if rows else None


def _stage(service, fake_spotify, tmp_path: Path) -> tuple[str, list[Path]]:
    album_id = fake_spotify.catalog.add_album("Late Arrivals", artist_ids=[IDS.artist], tracks=TRACKS)
    staged = album_to_inbox(
        tmp_path / "staging", fake_spotify, album_id, seconds=20.0, template_dir=tmp_path / "templates"
    )
    return album_id, staged


@pytest.mark.timeout(240)
def test_a_worker_killed_during_a_fulfilment_leaves_neither_a_duplicate_nor_a_lost_file(
    service, fake_spotify, tmp_path
) -> None:
    """GIVEN a half-owned album downloaded (2 of 4 tracks; 2 wanted) and the scan every second
    WHEN the missing files arrive and the worker importing one of them gets SIGKILL
    THEN the scans finish the album on their own: every track done once, history completed, one MP3
    per track and no finding from ``library_check``."""
    (tmp_path / "staging").mkdir()
    album_id, staged = _stage(service, fake_spotify, tmp_path)
    for path in staged[:2]:
        os.replace(path, service.inbox / path.name)
    service.start_web()
    service.configure(
        service="inbox",
        fallback=False,
        convertTo="MP3",
        bitrate="320k",
        maxRetries=0,
        inboxScanSeconds=1,
    )
    service.start_cluster(workers=2)
    task_id = service.request("album", album_id)
    service.wait_finished(task_id, timeout=90)
    assert sorted(service.track_statuses(task_id).values()) == ["done", "done", "failed", "failed"]

    for path in staged[2:]:
        os.replace(path, service.inbox / path.name)
    victim = service.wait_for(lambda: _fulfilling_pid(service), timeout=60, what="a fulfilment under way")
    os.kill(victim, signal.SIGKILL)

    service.wait_for(
        lambda: set(service.track_statuses(task_id).values()) == {"done"},
        timeout=120,
        what="the scans to fulfil every wanted track",
    )
    service.wait_for(
        lambda: {status for _, status in service.history_tracks(task_id)} == {"completed"},
        timeout=30,
        what="the history to follow",
    )
    # a wanted entry goes when its fulfilment ends; the killed one's goes once its claim is stale
    service.wait_for(
        lambda: service.rows("SELECT COUNT(*) FROM downloads_wantedtrack") == [(0,)],
        timeout=30,
        what="the wanted list to empty",
    )
    service.wait_for(
        lambda: not list((service.data_dir / "work").glob("fulfil-*")), timeout=30, what="work folders to go"
    )
    assert_album_intact(service, task_id, tracks=TRACKS)
