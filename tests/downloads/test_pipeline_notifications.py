"""A finished download tells the targets that want it, once, with the right counts."""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask
from settings_app.notifications import notification_target_create
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]
ALL = ["download_complete", "download_partial", "download_failed"]


def download_album(client, album_id: str) -> DownloadTask:
    response = client.get(f"/api/album/download/{album_id}")
    assert response.status_code == 202, response.json()
    return DownloadTask.objects.get(pk=response.json()["task_id"])


def test_a_complete_album_sends_one_message_with_its_counts(
    alice, alice_client, album_in_inbox, webhook
) -> None:
    notification_target_create(owner=alice, name="phone", url=webhook.url(), events=ALL)
    album_in_inbox(IDS.small_album)

    download_album(alice_client, IDS.small_album)

    (message,) = webhook.messages
    assert message["title"] == "Download complete: Sine Waves"
    assert message["message"] == "3 downloaded, 0 already in the library, 0 failed, of 3 tracks."
    assert message["type"] == "success"


def test_a_partial_album_says_how_many_failed(alice, alice_client, album_in_inbox, webhook) -> None:
    notification_target_create(owner=alice, name="phone", url=webhook.url(), events=ALL)
    album_in_inbox(IDS.small_album, skip=(2,))

    download_album(alice_client, IDS.small_album)

    (message,) = webhook.messages
    assert message["title"] == "Download partly done: Sine Waves" and message["type"] == "warning"
    assert message["message"] == "2 downloaded, 0 already in the library, 1 failed, of 3 tracks."


def test_a_failed_download_gives_the_reason(alice, alice_client, webhook, configure) -> None:
    configure(sourceOrder=["inbox"])  # the inbox is empty: nothing can be found
    notification_target_create(owner=alice, name="phone", url=webhook.url(), events=ALL)

    task = download_album(alice_client, IDS.small_album)

    (message,) = webhook.messages
    assert message["title"] == "Download failed: Sine Waves" and message["type"] == "failure"
    assert message["message"] == task.error_message and "No track could be downloaded" in task.error_message


def test_only_wanted_events_and_only_the_owners_targets_are_told(
    alice, bob, alice_client, album_in_inbox, webhook
) -> None:
    notification_target_create(
        owner=alice, name="failures only", url=webhook.url("a"), events=["download_failed"]
    )
    notification_target_create(owner=bob, name="bob", url=webhook.url("b"), events=ALL)
    notification_target_create(owner=None, name="operator", url=webhook.url("ops"), events=ALL)
    album_in_inbox(IDS.small_album)

    download_album(alice_client, IDS.small_album)

    assert [seen.path for seen in webhook.seen()] == ["/ops"]


def test_a_dead_target_never_fails_the_download(alice, alice_client, album_in_inbox, webhook) -> None:
    webhook.fault = "500"
    notification_target_create(owner=alice, name="phone", url=webhook.url(), events=ALL)
    album_in_inbox(IDS.small_album)

    task = download_album(alice_client, IDS.small_album)

    assert task.status == "complete" and task.summary["total_successful"] == 3
    assert len(webhook.seen()) == 3  # one message, tried three times
