"""A worker cluster killed in the middle of matching an import: a new cluster resumes it and asks
Spotify nothing again for the entries matched before the kill."""

from __future__ import annotations

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.service import FAST_RECOVERY_ENV

pytestmark = [pytest.mark.fault]

ENTRIES = 40
RECOVERY_BOUND = int(FAST_RECOVERY_ENV["SPOTIZERR_LEASE_STALE_SECONDS"]) + 60


def _matched(service) -> list[str]:
    return [
        row[0]
        for row in service.rows("SELECT track_id FROM playlist_imports_importentry WHERE state = 'matched'")
    ]


def _status(service, playlist_id: str) -> str:
    status, body = service.api("GET", f"/api/playlist/import/{playlist_id}")
    assert status == 200, body
    return body["status"]


@pytest.mark.timeout(180)
def test_a_cluster_killed_mid_import_is_resumed_without_asking_again_for_matched_entries(
    make_service, fake_spotify
) -> None:
    """GIVEN a 40-entry import being matched by a worker (Spotify slowed to 0.15 s a call) WHEN the whole
    cluster gets SIGKILL after some entries are matched and a new cluster starts THEN the import becomes
    ready with every entry matched, and no entry matched before the kill is asked of Spotify again."""
    service = make_service(env={"SPOTIZERR_IMPORT_INLINE_MAX": "0"})
    service.start_web()
    cluster = service.start_cluster(workers=1)
    tracks = fake_spotify.catalog.albums[IDS.big_album].track_ids[:ENTRIES]
    fake_spotify.delay(0.15)
    status, body = service.api(
        "POST", "/api/playlist/import", {"kind": "links", "name": "Killed", "text": "\n".join(tracks)}
    )
    assert status == 201 and body["status"] == "matching", body
    service.wait_for(lambda: len(_matched(service)) >= 5, timeout=60, what="some entries to be matched")

    service.kill_group(cluster)
    before = set(_matched(service))
    asked_before = len(fake_spotify.requests)
    fake_spotify.delay(0.0)
    service.start_cluster(workers=1)
    service.wait_for(
        lambda: _status(service, body["playlist_id"]) == "ready", timeout=RECOVERY_BOUND, what="the import"
    )

    assert sorted(_matched(service)) == sorted(tracks)
    asked_after = [r.path.rsplit("/", 1)[-1] for r in fake_spotify.requests[asked_before:]]
    assert before and not before & set(asked_after)
    assert len(before) < ENTRIES
