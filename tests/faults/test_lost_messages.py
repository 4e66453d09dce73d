"""A cluster killed while it holds queue messages no worker has started yet: those tasks still run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.backends import FAULT_REDIS_URL
from tests.faults.conftest import album_in_inbox, assert_albums_intact, backend_with_broker
from tests.faults.service import FAST_RECOVERY_ENV

pytestmark = [pytest.mark.fault]

STALE = int(FAST_RECOVERY_ENV["SPOTIZERR_LEASE_STALE_SECONDS"])
REAPER = int(FAST_RECOVERY_ENV["SPOTIZERR_REAPER_INTERVAL_SECONDS"])
QUEUE_KEY = "django_q:spotizerr:q"
TRACKS = (10, 3, 3)  # the first album runs while the cluster's pusher holds the other two


def _waiting_messages(service) -> int:
    """Messages in the broker that no cluster has taken yet."""
    if service.backend.broker == "redis":
        import redis

        client = redis.Redis.from_url(FAULT_REDIS_URL, socket_timeout=5)
        try:
            return client.llen(QUEUE_KEY)
        finally:
            client.close()
    now = datetime.now(UTC)  # a taken ORM message is locked until the retry period is over
    param = now if service.backend.database == "postgres" else now.strftime("%Y-%m-%d %H:%M:%S.%f")
    return service.rows("SELECT COUNT(*) FROM django_q_ormq WHERE lock <= ?", (param,))[0][0]


@pytest.mark.timeout(180)
@pytest.mark.parametrize("broker", ["orm", "redis"])
def test_tasks_a_killed_cluster_had_taken_from_the_queue_still_run(
    make_service, fake_spotify, tmp_path, broker
) -> None:
    """GIVEN a one-worker cluster making an album, with the next two albums' messages taken from the
    broker by its pusher WHEN the whole cluster gets SIGKILL and a new one starts THEN all three
    albums complete whole: the two waiting ones are sent again, not left queued for an hour."""
    service = make_service(backend_with_broker(broker))
    albums = [
        fake_spotify.catalog.add_album(f"Held {n}", artist_ids=[IDS.artist], tracks=tracks)
        for n, tracks in enumerate(TRACKS)
    ]
    for album_id in albums:
        album_in_inbox(service, fake_spotify, album_id, template_dir=tmp_path / "templates")
    service.start_web()
    service.configure(convertTo="MP3", bitrate="320k", maxConcurrentDownloads=1)
    cluster = service.start_cluster(workers=1)
    task_ids = [service.request("album", album_id) for album_id in albums]
    service.wait_for(
        lambda: "done" in service.track_statuses(task_ids[0]).values() and _waiting_messages(service) == 0,
        timeout=60,
        what="the first album under way and the other two taken by the cluster",
    )
    assert [service.task(task_id)["status"] for task_id in task_ids[1:]] == ["queued", "queued"]

    service.kill_group(cluster)
    service.start_cluster(workers=1)

    for task_id in task_ids:
        service.wait_finished(task_id, timeout=STALE + REAPER + 60)
    assert_albums_intact(service, dict(zip(task_ids, TRACKS, strict=True)))
