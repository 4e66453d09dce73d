"""django-q2 delivers at least once: the same work delivered twice at once is done once."""

from __future__ import annotations

import pytest

from tests.fakes.spotify_api import IDS
from tests.faults.conftest import album_in_inbox, assert_album_intact

pytestmark = [pytest.mark.fault]

ENQUEUE = (
    "from django_q.tasks import async_task\n"
    "for func in {funcs!r}: async_task('downloads.tasks.' + func, '{task_id}', group='downloads')"
)


def _deliver_again(service, task_id: str, *funcs: str) -> None:
    """Put more deliveries of the task in the queue, as a broker delivering twice would."""
    result = service.manage("shell", "-c", ENQUEUE.format(funcs=list(funcs), task_id=task_id))
    assert result.returncode == 0, result.stderr


@pytest.mark.timeout(120)
def test_a_track_delivered_twice_at_once_makes_one_file_and_one_history_row(
    service, fake_spotify, tmp_path
) -> None:
    """GIVEN a queued track whose delivery sits twice in the queue WHEN a two-worker cluster takes
    both at once THEN one file is written and one history row recorded."""
    album_in_inbox(service, fake_spotify, IDS.small_album, seconds=5, template_dir=tmp_path / "templates")
    service.start_web()
    service.configure(convertTo="MP3", bitrate="320k")
    task_id = service.request("track", IDS.track)
    _deliver_again(service, task_id, "download_task_run")

    service.start_cluster(workers=2)
    task = service.wait_finished(task_id, timeout=60)

    assert task["status"] == "complete", task
    assert len(list(service.library.rglob("*.mp3"))) == 1
    assert service.rows("SELECT COUNT(*) FROM library_history_historyentry")[0][0] == 1
    assert service.rows("SELECT COUNT(*) FROM downloads_libraryfile")[0][0] == 1
    assert service.library_check()["total"] == 0


@pytest.mark.timeout(120)
def test_an_album_delivered_many_times_at_once_makes_each_track_once(service, fake_spotify, tmp_path) -> None:
    """GIVEN a queued album with two extra start deliveries and three extra work deliveries queued
    WHEN a two-worker cluster runs them all THEN every track is made once and recorded once."""
    album_id = fake_spotify.catalog.add_album("Echo Chamber", artist_ids=[IDS.artist], tracks=8)
    album_in_inbox(service, fake_spotify, album_id, seconds=5, template_dir=tmp_path / "templates")
    service.start_web()
    service.configure(convertTo="MP3", bitrate="320k", maxConcurrentDownloads=2)
    task_id = service.request("album", album_id)
    _deliver_again(service, task_id, *["download_task_run"] * 2, *["download_task_work"] * 3)

    service.start_cluster(workers=2)
    service.wait_finished(task_id, timeout=60)

    assert_album_intact(service, task_id, tracks=8)
    assert service.rows("SELECT COUNT(*) FROM library_history_historyentry")[0][0] == 1
