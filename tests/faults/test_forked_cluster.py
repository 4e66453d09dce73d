"""``serve`` forks its worker cluster from the loaded process (shared pages) when it can, and the
cluster then works and is restarted as the one started with ``manage.py qcluster`` was."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.conftest import album_in_inbox, assert_album_intact, assert_albums_intact
from tests.faults.service import Service, children_of, descendants

pytestmark = [pytest.mark.fault, pytest.mark.timeout(150)]

TRACKS = 4
RESTART_ENV = {"SPOTIZERR_WATCHDOG_INTERVAL_SECONDS": "1", "SPOTIZERR_CLUSTER_STOP_SECONDS": "3"}


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except FileNotFoundError:
        return ""


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except FileNotFoundError:
        return ""


def _cluster(service: Service, *, other_than: int = 0) -> int:
    """The pid of serve's cluster (not ``other_than``) once its 2 workers and monitor are up."""
    assert service.serve is not None
    serve = service.serve.pid

    def found() -> int | None:
        for pid in children_of(serve):
            cluster = _name(pid) == "qcluster" or _command(pid).endswith("qcluster")
            if cluster and pid != other_than and len(descendants(pid)) >= 1 + 2 + 1:
                return pid
        return None

    return service.wait_for(found, timeout=60, what="serve's cluster with its workers")


def _album(service: Service, fake_spotify, tmp_path: Path, name: str) -> str:
    album_id = fake_spotify.catalog.add_album(name, artist_ids=[IDS.artist], tracks=TRACKS)
    album_in_inbox(service, fake_spotify, album_id, seconds=3, template_dir=tmp_path / f"templates-{name}")
    service.configure(convertTo="MP3", bitrate="128k", maxConcurrentDownloads=2)
    task_id = service.request("album", album_id)
    service.wait_finished(task_id, timeout=90)
    return task_id


def _kill_cluster(cluster: int) -> None:
    os.killpg(cluster, signal.SIGKILL)  # the forked cluster leads its own process group too


def test_serve_forks_its_cluster_which_works_and_is_forked_again_after_it_died(
    make_service, fake_spotify, tmp_path
) -> None:
    """GIVEN serve with its defaults (two web processes: serve's main loop has one thread) THEN its
    cluster is forked (named qcluster, serve's command line, no second interpreter) AND downloads an
    album; WHEN the cluster is killed THEN the watchdog forks a new one, which downloads the next."""
    service = make_service(env=RESTART_ENV)
    service.start_serve()
    first = _cluster(service)
    assert _name(first) == "qcluster" and "manage.py serve" in _command(first)
    assert all(_name(pid) == "qcluster" for pid in descendants(first))  # its workers and monitor
    assert len(descendants(first)) == 1 + 2 + 1  # the pusher is a thread, no main process above it
    once = _album(service, fake_spotify, tmp_path, "Forked Once")

    _kill_cluster(first)
    second = _cluster(service, other_than=first)
    assert _name(second) == "qcluster" and "manage.py serve" in _command(second)
    twice = _album(service, fake_spotify, tmp_path, "Forked Twice")
    assert_albums_intact(service, {once: TRACKS, twice: TRACKS})
    assert not service.tracebacks()


def test_with_daphne_in_serve_a_restarted_cluster_is_started_with_qcluster(
    make_service, fake_spotify, tmp_path
) -> None:
    """GIVEN serve with one web process (daphne's threads in serve: no safe fork) THEN its first
    cluster is still forked (before daphne started) AND after it died the watchdog thread starts
    ``manage.py qcluster``, which downloads an album."""
    service = make_service(env=RESTART_ENV)
    service.start_serve("--web-processes", "1")
    first = _cluster(service)
    assert _name(first) == "qcluster" and "manage.py serve" in _command(first)

    _kill_cluster(first)
    second = _cluster(service, other_than=first)
    assert _command(second).endswith("manage.py qcluster")
    assert_album_intact(service, _album(service, fake_spotify, tmp_path, "Started Again"), tracks=TRACKS)
    assert not service.tracebacks()
