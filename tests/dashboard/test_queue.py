"""Starting downloads from the dashboard and the queue's Cancel, Delete and Retry."""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask, TaskStatus
from tests.dashboard.conftest import messages_of, post
from tests.fakes.spotify_api import IDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spotify_api", "queued_only")]


@pytest.fixture
def page(page_for, alice):
    return page_for(alice)


def test_it_queues_an_album_from_a_post_and_says_so(page, alice) -> None:
    response = post(
        page, f"/download/album/{IDS.small_album}/", {"next": f"/album/{IDS.small_album}/"}, follow=True
    )
    task = DownloadTask.objects.get(owner=alice)
    assert (task.download_type, task.item_id, task.status) == ("album", IDS.small_album, TaskStatus.QUEUED)
    assert messages_of(response) == [
        f'Queued album “Sine Waves”. <a href="/queue/#task-{task.pk}">See it in the queue</a>'
    ]
    assert response.redirect_chain[-1][0] == f"/album/{IDS.small_album}/"


def test_it_never_starts_a_download_from_a_get(page) -> None:
    assert page.get(f"/download/album/{IDS.small_album}/").status_code == 405
    assert not DownloadTask.objects.exists()


def test_it_says_when_the_item_is_already_queued(page) -> None:
    post(page, f"/download/album/{IDS.small_album}/")
    response = post(page, f"/download/album/{IDS.small_album}/", follow=True)
    assert any("already queued" in text for text in messages_of(response))
    assert DownloadTask.objects.count() == 1


def test_it_reports_spotify_errors_as_a_message(page) -> None:
    response = post(page, "/download/track/0000000000000000000000/", follow=True)
    assert any("Spotify does not know this id" in text for text in messages_of(response))


def test_it_queues_a_whole_discography(page) -> None:
    response = post(page, f"/download/artist/{IDS.artist}/", follow=True)
    assert DownloadTask.objects.filter(download_type="album").count() >= 2
    assert any("albums queued" in text for text in messages_of(response))


def test_it_lists_tasks_with_progress_and_the_actions_that_apply(page) -> None:
    post(page, f"/download/album/{IDS.small_album}/")
    body = page.get("/queue/").content.decode()
    task = DownloadTask.objects.get()
    assert f'id="task-{task.pk}" data-task-id="{task.pk}" data-status="queued"' in body
    assert 'data-outcome="in_progress" data-active="true" data-retryable="false"' in body
    assert '<progress max="100" value="0"' in body
    assert f'action="/queue/{task.pk}/cancel/"' in body
    assert 'data-stream="/api/prgs/stream"' in body


def test_it_cancels_deletes_and_offers_no_retry_when_nothing_failed(page) -> None:
    post(page, f"/download/album/{IDS.small_album}/")
    task = DownloadTask.objects.get()
    response = post(page, f"/queue/{task.pk}/cancel/", follow=True)
    assert "Cancelled “Sine Waves”." in messages_of(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    response = post(page, f"/queue/{task.pk}/retry/", follow=True)
    assert messages_of(response) == ["Nothing of “Sine Waves” failed; there is nothing to retry."]
    assert 'data-outcome="cancelled" data-active="false" data-retryable="false"' in response.content.decode()
    assert DownloadTask.objects.get().status == TaskStatus.CANCELLED
    response = post(page, f"/queue/{task.pk}/delete/", follow=True)
    assert "Removed “Sine Waves” from the queue." in messages_of(response)
    assert not DownloadTask.objects.filter(pk=task.pk).exists()


def test_it_refuses_to_delete_a_running_task_in_the_services_words(page) -> None:
    post(page, f"/download/album/{IDS.small_album}/")
    task = DownloadTask.objects.get()
    response = post(page, f"/queue/{task.pk}/delete/", follow=True)
    assert any("The task is still running; cancel it first." in text for text in messages_of(response))


def test_it_hides_other_users_tasks(page_for, alice, bob) -> None:
    post(page_for(alice), f"/download/album/{IDS.small_album}/")
    task = DownloadTask.objects.get()
    bobs = page_for(bob)
    assert str(task.pk) not in bobs.get("/queue/").content.decode()
    response = post(bobs, f"/queue/{task.pk}/cancel/", follow=True)
    assert any("No such task." in text for text in messages_of(response))
