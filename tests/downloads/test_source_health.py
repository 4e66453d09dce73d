"""A source only the operator can fix (inbox folder gone, command missing) is told to the operator-wide
``health_problem`` targets when a download fails because of it, at most once an hour per problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from downloads.models import DownloadTask
from settings_app.notifications import notification_target_create
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


@pytest.fixture(autouse=True)
def _no_problem_told_yet() -> None:
    cache.clear()  # the hourly throttle lives in the cache


def download_album(client, album_id: str) -> DownloadTask:
    response = client.get(f"/api/album/download/{album_id}")
    assert response.status_code == 202, response.json()
    return DownloadTask.objects.get(pk=response.json()["task_id"])


def test_a_missing_inbox_folder_is_told_to_the_operator_once(
    alice_client, inbox_root: Path, configure, webhook
) -> None:
    configure(service="inbox", fallback=False, inboxPath=str(inbox_root))
    inbox_root.rmdir()
    notification_target_create(owner=None, name="ops", url=webhook.url("ops"), events=["health_problem"])

    download_album(alice_client, IDS.small_album)
    download_album(alice_client, IDS.two_disc_album)  # the same problem again: not told twice

    (message,) = webhook.messages
    assert message["title"] == "A download source needs attention" and message["type"] == "failure"
    assert message["message"] == (
        f"The inbox folder {inbox_root} does not exist: create it, mount it, or change inboxPath."
    )


def test_a_command_that_cannot_start_is_told_to_the_operator(
    alice_client, configure, webhook, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-tool"
    configure(service="command", fallback=False, commandSource={"argv": [str(missing), "{output}"]})
    notification_target_create(owner=None, name="ops", url=webhook.url("ops"), events=["health_problem"])

    task = download_album(alice_client, IDS.small_album)

    assert task.status == "error"
    (message,) = webhook.messages
    assert f"The command '{missing}' cannot be started" in message["message"]


def test_a_track_the_healthy_inbox_lacks_is_no_health_problem(alice_client, album_in_inbox, webhook) -> None:
    notification_target_create(owner=None, name="ops", url=webhook.url("ops"), events=["health_problem"])
    album_in_inbox(IDS.small_album, skip=(2,))

    task = download_album(alice_client, IDS.small_album)

    assert task.summary["total_failed"] == 1 and webhook.messages == []
