"""Download tasks that meet Spotify's account-level refusals fail at once, saying why and what to do."""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask, TaskStatus
from spotizerr.integrations.spotify import spotify_cache_clear
from tests.downloads.workers import run_queue
from tests.fakes.spotify_api import IDS, FakeSpotify

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "queued_only"),
]


def _queued_then_refused(client, spotify: FakeSpotify, refuse) -> DownloadTask:
    response = client.get(f"/api/album/download/{IDS.small_album}")
    assert response.status_code == 202, response.json()
    spotify_cache_clear()
    refuse(spotify)
    spotify.clear_requests()
    run_queue(workers=1)
    return DownloadTask.objects.get(pk=response.json()["task_id"])


def test_a_lapsed_premium_fails_the_task_with_what_to_do(alice_client, spotify_api: FakeSpotify) -> None:
    task = _queued_then_refused(alice_client, spotify_api, lambda fake: fake.lapse_premium())

    assert task.status == TaskStatus.ERROR
    assert "no active Premium subscription" in task.error_message
    assert "renew Premium" in task.error_message
    assert spotify_api.api_calls() == 1  # not retried: only the app owner can change it


def test_a_spent_quota_fails_the_task_saying_when_spotify_accepts_requests_again(
    alice_client, spotify_api: FakeSpotify
) -> None:
    task = _queued_then_refused(alice_client, spotify_api, lambda fake: fake.exhaust_quota())

    assert task.status == TaskStatus.ERROR
    assert "daily request quota" in task.error_message and "try again" in task.error_message
    assert spotify_api.api_calls() == 1  # no retry loop: the wait is hours
