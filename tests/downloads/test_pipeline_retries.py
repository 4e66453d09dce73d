"""Retries of transient failures, permanent failures, and the ``command`` source, through the real
pipeline (the fake Spotify's preview server fails on demand)."""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask, TaskStatus
from tests.downloads.queueing import download
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.spotify_extended_quota,  # the preview source needs preview_url, null for 2026 apps
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def retry_events(task: DownloadTask) -> list[dict]:
    return [event.payload for event in task.events.filter(status="retrying").order_by("id")]


def test_a_transient_failure_is_retried_and_then_succeeds(alice_client, spotify_api) -> None:
    spotify_api.fail_next(503, count=1, path_prefix="/previews/")

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.COMPLETE
    assert task.track_jobs.get().retries == 1
    events = retry_events(task)
    assert len(events) == 1 and events[0]["status_info"]["retry_count"] == 1
    assert events[0]["task_status"] == TaskStatus.RETRYING


def test_retries_stop_after_max_retries_and_fail_the_track(alice_client, spotify_api, configure) -> None:
    configure(maxRetries=2)
    spotify_api.fail_next(503, count=10, path_prefix="/previews/")

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.ERROR
    assert len(retry_events(task)) == 2
    assert spotify_api.api_calls("/previews/") == 3
    assert "right now" in task.error_message


def test_retry_delays_grow_by_the_configured_increase(alice_client, spotify_api, configure) -> None:
    configure(maxRetries=2, retryDelaySeconds=0, retryDelayIncrease=1)
    spotify_api.fail_next(503, count=2, path_prefix="/previews/")

    task = download(alice_client, "track", IDS.track)

    assert [event["status_info"]["seconds_left"] for event in retry_events(task)] == [0, 1]
    assert task.status == TaskStatus.COMPLETE


def test_source_fallback_takes_the_next_source_when_the_first_lacks_the_track(
    alice_client, configure
) -> None:
    configure(service="command", fallback=True, sourceOrder=["inbox", "spotify"])

    task = download(alice_client, "track", IDS.track)

    assert task.track_jobs.get().source == "spotify"


def test_without_fallback_only_the_configured_service_is_asked(alice_client, configure) -> None:
    configure(service="inbox", fallback=False)

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.ERROR and "inbox: not found" in task.error_message


def test_the_command_source_delivers_a_track(alice_client, command_source, library_root) -> None:
    command_source()

    task = download(alice_client, "track", IDS.track_no_preview)

    job = task.track_jobs.get()
    assert (task.status, job.source, job.is_preview) == (TaskStatus.COMPLETE, "command", False)
    assert (library_root / job.file_path).is_file()


def test_a_command_saying_unavailable_fails_the_track_without_retries(alice_client, command_source) -> None:
    command_source(known=[])

    task = download(alice_client, "track", IDS.track_no_preview)

    assert task.status == TaskStatus.ERROR and task.track_jobs.get().retries == 0
    assert "command" in task.error_message
