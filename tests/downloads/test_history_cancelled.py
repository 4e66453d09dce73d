"""History knows "cancelled": a download cancelled before anything of it reached the library is
recorded as cancelled, not failed, and can be filtered and counted as such."""

from __future__ import annotations

import pytest

from library_history.models import HistoryEntry
from tests.fakes.spotify_records import IDS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on", "library_root", "queued_only")]


@pytest.fixture
def cancelled_before_start(spotify_api, alice_client) -> str:
    """An album download alice queued and cancelled before any worker took it."""
    task_id = alice_client.get(f"/api/album/download/{IDS.small_album}").json()["task_id"]
    assert alice_client.post(f"/api/prgs/cancel/{task_id}").status_code == 200
    return task_id


def test_a_download_cancelled_before_it_started_is_recorded_as_cancelled(cancelled_before_start) -> None:
    entry = HistoryEntry.objects.get(task_id=cancelled_before_start)
    assert (entry.status, entry.successful_tracks, entry.error) == ("cancelled", 0, "Cancelled.")


def test_history_can_be_filtered_by_cancelled(cancelled_before_start, alice_client) -> None:
    body = alice_client.get("/api/history/", {"status": "cancelled"}).json()
    assert [entry["task_id"] for entry in body["downloads"]] == [cancelled_before_start]
    assert alice_client.get("/api/history/", {"status": "failed"}).json()["downloads"] == []
    assert alice_client.get("/api/history/failed").json()["count"] == 0


def test_the_statistics_count_it_as_cancelled(cancelled_before_start, alice_client) -> None:
    by_status = alice_client.get("/api/history/stats").json()["by_status"]
    assert (by_status["cancelled"], by_status["failed"]) == (1, 0)
