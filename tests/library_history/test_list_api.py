"""GET /api/history/: a page of your downloads, newest first, with filters and an exact total."""

from __future__ import annotations

import pytest

from tests.library_history.factories import days_ago, record_download

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]

URL = "/api/history/"


def test_it_lists_your_downloads_newest_first(alice, alice_client) -> None:
    older = record_download(alice, name="Older", created_at=days_ago(2))
    newer = record_download(alice, name="Newer", created_at=days_ago(1))
    body = alice_client.get(URL).json()
    assert [d["task_id"] for d in body["downloads"]] == [str(newer.task_id), str(older.task_id)]


def test_each_entry_carries_the_documented_fields(alice, alice_client) -> None:
    record_download(
        alice,
        download_type="album",
        total_tracks=10,
        successful_tracks=9,
        failed_tracks=1,
        status="partial",
        is_preview=True,
    )
    entry = alice_client.get(URL).json()["downloads"][0]
    assert {
        k: entry[k]
        for k in (
            "download_type",
            "status",
            "owner",
            "file_path",
            "service",
            "quality",
            "is_preview",
            "total_tracks",
            "successful_tracks",
            "skipped_tracks",
            "failed_tracks",
            "url",
            "error",
        )
    } == {
        "download_type": "album",
        "status": "partial",
        "owner": "alice",
        "file_path": "Artist/Album/01 - Song.mp3",
        "service": "deezer",
        "quality": "MP3_320",
        "is_preview": True,
        "total_tracks": 10,
        "successful_tracks": 9,
        "skipped_tracks": 0,
        "failed_tracks": 1,
        "url": "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
        "error": "",
    }


def test_the_pagination_reports_limit_offset_count_and_total(alice, alice_client) -> None:
    for day in range(5):
        record_download(alice, created_at=days_ago(day))
    body = alice_client.get(URL, {"limit": 2, "offset": 1}).json()
    assert body["pagination"] == {"limit": 2, "offset": 1, "returned_count": 2, "total": 5}


def test_offset_skips_the_newest_entries(alice, alice_client) -> None:
    entries = [record_download(alice, created_at=days_ago(day)) for day in range(3)]
    body = alice_client.get(URL, {"limit": 1, "offset": 2}).json()
    assert [d["task_id"] for d in body["downloads"]] == [str(entries[2].task_id)]


def test_limit_defaults_to_100(alice_client) -> None:
    assert alice_client.get(URL).json()["pagination"]["limit"] == 100


def test_limit_500_is_allowed(alice_client) -> None:
    assert alice_client.get(URL, {"limit": 500}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": "ten"},
        {"offset": -1},
        {"offset": 2**63},
        {"download_type": "artist"},
        {"status": "done"},
    ],
)
def test_a_bad_parameter_is_a_400_in_the_error_shape(alice_client, params) -> None:
    response = alice_client.get(URL, params)
    assert (response.status_code, set(response.json())) == (400, {"error", "details", "code"})


def test_download_type_filters_the_page_and_the_total(alice, alice_client) -> None:
    record_download(alice, download_type="album")
    record_download(alice, download_type="track")
    body = alice_client.get(URL, {"download_type": "album"}).json()
    assert ([d["download_type"] for d in body["downloads"]], body["pagination"]["total"]) == (["album"], 1)


def test_status_filters_the_page_and_the_total(alice, alice_client) -> None:
    record_download(alice, status="failed", error="no source")
    record_download(alice, status="completed")
    body = alice_client.get(URL, {"status": "failed"}).json()
    assert ([d["status"] for d in body["downloads"]], body["pagination"]["total"]) == (["failed"], 1)


def test_partial_is_a_status_filter_too(alice, alice_client) -> None:
    record_download(alice, download_type="playlist", status="partial")
    body = alice_client.get(URL, {"status": "partial", "download_type": "playlist"}).json()
    assert body["pagination"]["total"] == 1


def test_a_user_sees_only_their_own_downloads(alice, bob, alice_client) -> None:
    record_download(alice, name="Mine")
    record_download(bob, name="Bob's")
    body = alice_client.get(URL).json()
    assert ([d["name"] for d in body["downloads"]], body["pagination"]["total"]) == (["Mine"], 1)


def test_an_admin_sees_everyones_downloads(alice, bob, admin_client) -> None:
    record_download(alice)
    record_download(bob)
    body = admin_client.get(URL).json()
    assert sorted(d["owner"] for d in body["downloads"]) == ["alice", "bob"]


def test_the_total_follows_a_status_change(alice, alice_client) -> None:
    entry = record_download(alice, status="in_progress")
    record_download(alice, task_id=entry.task_id, status="failed", created_at=entry.created_at)
    totals = [
        alice_client.get(URL, {"status": s}).json()["pagination"]["total"] for s in ("in_progress", "failed")
    ]
    assert totals == [0, 1]


def test_anonymous_callers_get_a_401(anon_client) -> None:
    assert anon_client.get(URL).status_code == 401


def test_the_list_without_a_trailing_slash_leads_to_it(alice_client) -> None:
    response = alice_client.get("/api/history", follow=True)
    assert response.status_code == 200
