"""The history page sorts by date and name and filters by a range of days; the API takes the same."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.library_history.factories import record_download

pytestmark = pytest.mark.django_db


def _at(day: int) -> datetime:
    return datetime(2026, 11, day, 12, 0, tzinfo=UTC)


@pytest.fixture
def three(alice) -> None:
    record_download(alice, name="Bravo", created_at=_at(2))
    record_download(alice, name="alpha", created_at=_at(5))
    record_download(alice, name="Charlie", created_at=_at(9))


def _names(body: str) -> list[str]:
    """The names in the table's rows, in order."""
    rows = body.split("<tbody>")[1].split("</tbody>")[0]
    found = [name for name in ("alpha", "Bravo", "Charlie") if f">{name}</a>" in rows]
    return sorted(found, key=lambda name: rows.index(f">{name}</a>"))


def test_the_table_is_newest_first_and_sorts_by_name_both_ways(page_for, alice, three) -> None:
    page = page_for(alice)
    assert _names(page.get("/history/").content.decode()) == ["Charlie", "alpha", "Bravo"]
    assert _names(page.get("/history/", {"sort": "name"}).content.decode()) == ["alpha", "Bravo", "Charlie"]
    assert _names(page.get("/history/", {"sort": "-name"}).content.decode()) == ["Charlie", "Bravo", "alpha"]
    assert _names(page.get("/history/", {"sort": "created_at"}).content.decode()) == [
        "Bravo",
        "alpha",
        "Charlie",
    ]


def test_the_headers_link_to_the_other_direction_and_say_the_current_order(page_for, alice, three) -> None:
    body = page_for(alice).get("/history/", {"sort": "name", "status": "completed"}).content.decode()
    assert '<th scope="col" aria-sort="ascending"><a href="/history/?sort=-name&amp;status=completed"' in body
    assert (
        '<th scope="col" aria-sort="none"><a href="/history/?sort=-created_at&amp;status=completed"' in body
    )


def test_a_range_of_days_limits_the_table_and_its_total(page_for, alice, three) -> None:
    body = page_for(alice).get("/history/", {"from": "2026-11-05", "to": "2026-11-09"}).content.decode()
    assert _names(body) == ["Charlie", "alpha"]
    assert 'value="2026-11-05"' in body and 'value="2026-11-09"' in body


def test_search_results_follow_the_range_and_the_order(page_for, alice, three) -> None:
    body = (
        page_for(alice).get("/history/", {"q": "Artist", "sort": "name", "to": "2026-11-05"}).content.decode()
    )
    assert _names(body) == ["alpha", "Bravo"]


def test_an_empty_range_says_nothing_matches(page_for, alice, three) -> None:
    body = page_for(alice).get("/history/", {"from": "2027-01-01"}).content.decode()
    assert "No downloads match these filters." in body


def test_the_api_sorts_and_filters_by_days(auth_on, alice_client, three) -> None:
    body = alice_client.get(
        "/api/history/", {"sort": "name", "created_from": "2026-11-02", "created_to": "2026-11-05"}
    ).json()
    assert [row["name"] for row in body["downloads"]] == ["alpha", "Bravo"]
    assert body["pagination"]["total"] == 2


def test_the_api_refuses_a_backwards_range_and_an_unknown_sort(auth_on, alice_client) -> None:
    backwards = alice_client.get("/api/history/", {"created_from": "2026-11-09", "created_to": "2026-11-01"})
    assert backwards.status_code == 400 and "created_to" in backwards.json()["details"]
    assert alice_client.get("/api/history/", {"sort": "size"}).status_code == 400
