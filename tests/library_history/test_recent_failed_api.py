"""GET /api/history/recent and /failed: short newest-first lists."""

from __future__ import annotations

import pytest

from tests.library_history.factories import days_ago, record_download

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


def test_recent_lists_the_newest_downloads_first(alice, alice_client) -> None:
    record_download(alice, name="Old", created_at=days_ago(2))
    record_download(alice, name="New", created_at=days_ago(1))
    body = alice_client.get("/api/history/recent").json()
    assert [d["name"] for d in body["downloads"]] == ["New", "Old"]


def test_recent_returns_20_by_default(alice, alice_client) -> None:
    for day in range(21):
        record_download(alice, created_at=days_ago(day))
    assert alice_client.get("/api/history/recent/").json()["count"] == 20


def test_recent_honours_its_limit(alice, alice_client) -> None:
    for day in range(3):
        record_download(alice, created_at=days_ago(day))
    assert alice_client.get("/api/history/recent", {"limit": 2}).json()["count"] == 2


@pytest.mark.parametrize("limit", [0, 101, "many"])
def test_recent_refuses_a_limit_out_of_range(alice_client, limit) -> None:
    assert alice_client.get("/api/history/recent", {"limit": limit}).status_code == 400


def test_recent_shows_only_your_downloads(alice, bob, alice_client) -> None:
    record_download(bob)
    assert alice_client.get("/api/history/recent").json()["downloads"] == []


def test_failed_lists_only_failed_downloads(alice, alice_client) -> None:
    record_download(alice, name="Broke", status="failed", error="no source had it")
    record_download(alice, name="Fine", status="completed")
    body = alice_client.get("/api/history/failed").json()
    assert [(d["name"], d["error"]) for d in body["downloads"]] == [("Broke", "no source had it")]


def test_failed_honours_its_limit(alice, alice_client) -> None:
    for day in range(3):
        record_download(alice, status="failed", created_at=days_ago(day))
    assert alice_client.get("/api/history/failed", {"limit": 1}).json()["count"] == 1


@pytest.mark.parametrize("limit", [0, 501])
def test_failed_refuses_a_limit_out_of_range(alice_client, limit) -> None:
    assert alice_client.get("/api/history/failed", {"limit": limit}).status_code == 400


def test_failed_shows_only_your_downloads(alice, bob, alice_client) -> None:
    record_download(bob, status="failed")
    assert alice_client.get("/api/history/failed").json()["downloads"] == []
