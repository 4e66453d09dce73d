"""GET /api/history/stats: counts, tracks, bytes, the last 30 days and top artists."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.library_history.factories import days_ago, record_download

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]

URL = "/api/history/stats"


def test_it_counts_downloads_by_type(alice, alice_client) -> None:
    record_download(alice, download_type="album")
    record_download(alice, download_type="track")
    record_download(alice, download_type="track")
    assert alice_client.get(URL).json()["by_type"] == {"track": 2, "album": 1, "playlist": 0}


def test_it_counts_downloads_by_status(alice, alice_client) -> None:
    record_download(alice, status="failed")
    record_download(alice, status="completed")
    assert alice_client.get(URL).json()["by_status"] == {
        "completed": 1,
        "partial": 0,
        "failed": 1,
        "skipped": 0,
        "cancelled": 0,
        "in_progress": 0,
    }


def test_tracks_downloaded_counts_album_tracks_and_completed_singles(alice, alice_client) -> None:
    record_download(alice, download_type="album", status="partial", successful_tracks=9, failed_tracks=1)
    record_download(alice, status="completed")
    record_download(alice, status="failed")
    assert alice_client.get(URL).json()["tracks_downloaded"] == 10


def test_bytes_downloaded_sums_the_sizes(alice, alice_client) -> None:
    record_download(alice, size_bytes=1500)
    record_download(alice, size_bytes=2500)
    assert alice_client.get(URL).json()["bytes_downloaded"] == 4000


def test_downloads_per_day_covers_the_last_30_days_oldest_first(alice, alice_client) -> None:
    days = alice_client.get(URL).json()["downloads_per_day"]
    assert (len(days), days[-1]["date"]) == (30, timezone.localdate().isoformat())


def test_downloads_per_day_counts_each_day_and_leaves_out_older_ones(alice, alice_client) -> None:
    record_download(alice, created_at=timezone.now())
    record_download(alice, created_at=days_ago(2))
    record_download(alice, created_at=days_ago(2))
    record_download(alice, created_at=days_ago(45))
    counts = [day["count"] for day in alice_client.get(URL).json()["downloads_per_day"]]
    assert (counts[-1], counts[-3], sum(counts)) == (1, 2, 3)


def test_top_artists_rank_completed_and_partial_downloads(alice, alice_client) -> None:
    for _ in range(3):
        record_download(alice, artist="Often")
    record_download(alice, artist="Once", status="partial")
    record_download(alice, artist="Never", status="failed")
    assert alice_client.get(URL).json()["top_artists"] == [
        {"artist": "Often", "count": 3},
        {"artist": "Once", "count": 1},
    ]


def test_a_users_stats_leave_out_other_users(alice, bob, alice_client) -> None:
    record_download(alice)
    record_download(bob)
    record_download(bob)
    assert alice_client.get(URL).json()["total_downloads"] == 1


def test_an_admins_stats_cover_everyone(alice, bob, admin_client) -> None:
    record_download(alice, artist="Shared")
    record_download(bob, artist="Shared")
    body = admin_client.get(URL).json()
    assert (body["total_downloads"], body["top_artists"]) == (2, [{"artist": "Shared", "count": 2}])


def test_stats_of_an_empty_history_are_zero(alice_client) -> None:
    body = alice_client.get(URL).json()
    assert (body["total_downloads"], body["tracks_downloaded"], body["top_artists"]) == (0, 0, [])


def test_a_deleted_users_artists_leave_the_admins_top_artists(alice, bob, admin_client) -> None:
    record_download(alice, artist="Hers")
    record_download(bob, artist="His")
    alice.delete()
    assert admin_client.get(URL).json()["top_artists"] == [{"artist": "His", "count": 1}]
