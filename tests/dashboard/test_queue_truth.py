"""Issue 17: the queue, home and history say what really happened, in one vocabulary; Retry only
where tracks failed; the queue at scale (Cancel all, Retry failed, Clear finished, the count beside
"Queue"). Downloads run through the real pipeline, inline."""

from __future__ import annotations

import re

import pytest

from downloads.models import DownloadTask, TaskStatus
from downloads.progress import progress_publish
from library_history.models import HistoryEntry
from tests.dashboard.conftest import messages_of, post
from tests.downloads import conftest as downloads_fixtures
from tests.fakes.spotify_api import IDS

# the download engine's fixtures (fake Spotify, inbox, library, inline worker), shared with tests/downloads
engine = downloads_fixtures.engine
configure = downloads_fixtures.configure
data_dir = downloads_fixtures.data_dir
inline_queue = downloads_fixtures.inline_queue
album_in_inbox = downloads_fixtures.album_in_inbox
inbox_file = downloads_fixtures.inbox_file

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


@pytest.fixture
def page(page_for, alice):
    return page_for(alice)


def row_of(body: str, task: DownloadTask) -> str:
    """The queue row of ``task`` in a rendered page."""
    match = re.search(rf'<li class="task" id="task-{task.pk}".*?</li>', body, re.S)
    assert match, f"no row for {task.pk}"
    return match.group(0)


@pytest.fixture
def partial_album(page, album_in_inbox) -> DownloadTask:
    """Sine Waves downloaded with its third track in no source: 2 of 3, 1 failed."""
    album_in_inbox(IDS.small_album, skip=(3,))
    post(page, f"/download/album/{IDS.small_album}/")
    return DownloadTask.objects.get(item_id=IDS.small_album)


def test_an_album_with_a_failed_track_shows_partial_with_its_counts_and_retry(page, partial_album) -> None:
    row = row_of(page.get("/queue/").content.decode(), partial_album)

    assert 'data-outcome="partial" data-active="false" data-retryable="true"' in row
    assert '<span class="badge task-status status-partial">Partial</span>' in row
    assert '<span class="task-counts">2 of 3 · 1 failed</span>' in row
    assert '<progress max="100" value="67"' in row
    assert "Complete" not in row and "Finished." not in row and "Track 3 of 3" not in row
    assert f'action="/queue/{partial_album.pk}/retry/"' in row


def test_a_complete_album_offers_no_retry(page, album_in_inbox) -> None:
    album_in_inbox(IDS.small_album)
    post(page, f"/download/album/{IDS.small_album}/")
    task = DownloadTask.objects.get()

    row = row_of(page.get("/queue/").content.decode(), task)

    assert 'data-outcome="completed" data-active="false" data-retryable="false"' in row
    assert ">Completed</span>" in row and "3 of 3" in row and 'value="100"' in row


def test_retry_from_the_queue_downloads_the_failed_track_in_the_same_task(
    page, partial_album, inbox_file, spotify_api
) -> None:
    inbox_file(spotify_api.catalog.albums[IDS.small_album].track_ids[2])

    response = post(page, f"/queue/{partial_album.pk}/retry/", follow=True)

    assert messages_of(response)[-1] == "Retrying 1 failed track of “Sine Waves”."
    row = row_of(response.content.decode(), partial_album)
    assert ">Completed</span>" in row and "3 of 3" in row and 'data-retryable="false"' in row
    assert HistoryEntry.objects.get(task_id=partial_album.pk).status == "completed"


def test_finished_tasks_come_after_active_ones_in_a_compact_list(page, partial_album, monkeypatch) -> None:
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    post(page, f"/download/album/{IDS.two_disc_album}/")
    active = DownloadTask.objects.get(item_id=IDS.two_disc_album)

    body = page.get("/queue/").content.decode()

    active_list = body[body.index('id="task-list"') : body.index('id="finished-tasks"')]
    finished_list = body[body.index('id="finished-list"') :]
    assert f'id="task-{active.pk}"' in active_list and f'id="task-{partial_album.pk}"' not in active_list
    assert f'id="task-{partial_album.pk}"' in finished_list
    assert "Finished (1)" in body


def test_cancel_all_and_clear_finished_empty_the_queue_but_keep_history(
    page, partial_album, monkeypatch
) -> None:
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    post(page, f"/download/album/{IDS.two_disc_album}/")
    body = page.get("/queue/").content.decode()
    assert (
        ">Cancel all</button>" in body
        and ">Clear finished</button>" in body
        and ">Retry failed</button>" in body
    )

    response = post(page, "/queue/cancel-all/", follow=True)
    assert messages_of(response)[-1] == "Cancelled 1 task(s)."
    response = post(page, "/queue/clear/", follow=True)

    assert messages_of(response) == ["Cleared 2 finished task(s) from the queue; their history stays."]
    assert not DownloadTask.objects.exists()
    assert HistoryEntry.objects.filter(task_id=partial_album.pk).exists()
    assert ">Clear finished</button>" not in response.content.decode()


def test_retry_failed_reopens_the_failed_tasks(page, partial_album) -> None:
    response = post(page, "/queue/retry-failed/", follow=True)

    assert messages_of(response)[-1] == "Retrying 1 failed track in 1 task(s)."  # still missing: fails again
    partial_album.refresh_from_db()
    assert partial_album.status == TaskStatus.COMPLETE


def test_the_navigation_counts_active_tasks_on_every_page(page, monkeypatch) -> None:
    assert (
        '<span class="nav-count" data-count="active" data-hide-zero hidden>0</span>'
        in page.get("/").content.decode()
    )
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    post(page, f"/download/album/{IDS.small_album}/")

    for url in ("/", "/history/", "/search/", "/queue/"):
        body = page.get(url).content.decode()
        assert 'Queue <span class="nav-count" data-count="active" data-hide-zero>1</span></a>' in body, url


def test_a_running_task_names_its_current_track_once(page, partial_album) -> None:
    task = partial_album
    DownloadTask.objects.filter(pk=task.pk).update(
        status=TaskStatus.DOWNLOADING, current_track=2, progress=33
    )
    task.refresh_from_db()
    track = {"position": 2, "track_id": "x", "name": "Eight Eighty", "artist": "A", "status": "downloading"}
    progress_publish(task, status="downloading", message="Track 2 of 3.", track=track)

    row = row_of(page.get("/queue/").content.decode(), task)

    assert '<span class="task-track">Track 2 of 3</span>' in row
    assert '<span class="task-title">Eight Eighty</span>' in row
    assert row.count("Track 2 of 3") == 1  # the event's own "Track 2 of 3." is not repeated
    assert ">Downloading</span>" in row and 'value="33"' in row


@pytest.mark.spotify_extended_quota  # only apps with the old extended quota still get preview_url
def test_a_preview_only_download_is_labelled_in_the_queue_history_and_home(page) -> None:
    post(page, f"/download/track/{IDS.track}/")
    task = DownloadTask.objects.get()

    assert '<span class="badge preview-badge">Preview (30 s)</span>' in row_of(
        page.get("/queue/").content.decode(), task
    )
    history = page.get("/history/").content.decode()
    assert '<span class="badge preview-badge">Preview (30 s)</span>' in history
    home = page.get("/").content.decode()
    assert '<span class="badge preview-badge">1 preview only</span>' in home
    assert '<span class="badge preview-badge">Preview (30 s)</span>' in home


def test_home_and_history_use_the_histories_words(page, partial_album) -> None:
    home = page.get("/").content.decode()
    assert "0 active · 0 completed · 1 partial · 0 failed" in home
    assert '<span class="badge status-partial">Partial</span>' in home
    history = page.get("/history/").content.decode()
    assert ">2 of 3 · 1 failed</td>" in history


def test_the_download_flash_links_to_its_task(page, monkeypatch) -> None:
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    response = post(page, f"/download/album/{IDS.small_album}/", follow=True)
    task = DownloadTask.objects.get()
    assert f'<a href="/queue/#task-{task.pk}">See it in the queue</a>' in response.content.decode()
    again = post(page, f"/download/album/{IDS.small_album}/", follow=True)
    assert f'<a href="/queue/#task-{task.pk}">See the queue</a>' in again.content.decode()
