"""POST /api/history/cleanup: admins delete old entries; library files stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from library_history.models import HistoryCounter, HistoryEntry, HistoryTrack
from tests.library_history.factories import days_ago, record_download, record_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]

URL = "/api/history/cleanup"


def test_it_deletes_entries_older_than_days_old_and_says_how_many(alice, admin_client) -> None:
    record_download(alice, created_at=days_ago(40))
    record_download(alice, created_at=days_ago(35))
    kept = record_download(alice, created_at=days_ago(5))
    response = admin_client.post(URL, {"days_old": 30}, format="json")
    assert (response.json(), list(HistoryEntry.objects.values_list("task_id", flat=True))) == (
        {"deleted": 2, "days_old": 30},
        [kept.task_id],
    )


def test_it_deletes_the_tracks_of_deleted_entries(alice, admin_client) -> None:
    album = record_download(alice, download_type="album", created_at=days_ago(40))
    record_track(album, 1)
    admin_client.post(URL, {"days_old": 30}, format="json")
    assert HistoryTrack.objects.count() == 0


def test_it_takes_deleted_entries_out_of_the_totals(alice, admin_client, alice_client) -> None:
    record_download(alice, created_at=days_ago(40))
    record_download(alice, created_at=days_ago(1))
    admin_client.post(URL, {"days_old": 30}, format="json")
    assert (
        alice_client.get("/api/history/").json()["pagination"]["total"],
        sum(HistoryCounter.objects.values_list("entries", flat=True)),
    ) == (1, 1)


def test_it_never_touches_library_files(alice, admin_client, library_root: Path) -> None:
    song = library_root / "Artist" / "Album" / "01 - Song.mp3"
    song.parent.mkdir(parents=True)
    song.write_bytes(b"audio")
    record_download(alice, created_at=days_ago(40), file_path="Artist/Album/01 - Song.mp3")
    admin_client.post(URL, {"days_old": 30}, format="json")
    assert song.read_bytes() == b"audio"


def test_a_user_gets_a_403(alice, alice_client) -> None:
    record_download(alice, created_at=days_ago(40))
    response = alice_client.post(URL, {"days_old": 30}, format="json")
    assert (response.status_code, HistoryEntry.objects.count()) == (403, 1)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"days_old": 0},
        {"days_old": -3},
        {"days_old": "soon"},
        {"days_old": 2.5},
        {"days_old": None},
        {"days_old": 10**12},
    ],
)
def test_days_old_must_be_a_positive_integer(admin_client, body) -> None:
    response = admin_client.post(URL, body, format="json")
    assert (response.status_code, set(response.json())) == (400, {"error", "details", "code"})


def test_get_is_not_allowed(admin_client) -> None:
    assert admin_client.get(URL).status_code == 405
