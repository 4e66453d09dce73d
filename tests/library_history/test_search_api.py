"""GET /api/history/search: every word of q in name, artist or album."""

from __future__ import annotations

import pytest

from tests.library_history.factories import days_ago, record_download

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]

URL = "/api/history/search"


def _names(client, **params) -> list[str]:
    return [d["name"] for d in client.get(URL, params).json()["downloads"]]


def test_it_finds_a_word_in_the_name(alice, alice_client) -> None:
    record_download(alice, name="Paranoid Android", artist="Radiohead", album="OK Computer")
    record_download(alice, name="Creep", artist="Radiohead", album="Pablo Honey")
    assert _names(alice_client, q="android") == ["Paranoid Android"]


def test_it_finds_a_word_in_the_artist(alice, alice_client) -> None:
    record_download(alice, name="Song A", artist="Massive Attack")
    record_download(alice, name="Song B", artist="Portishead")
    assert _names(alice_client, q="massive") == ["Song A"]


def test_it_finds_a_word_in_the_album(alice, alice_client) -> None:
    record_download(alice, name="Teardrop", artist="Massive Attack", album="Mezzanine")
    assert _names(alice_client, q="mezzanine") == ["Teardrop"]


def test_every_word_must_match_somewhere(alice, alice_client) -> None:
    record_download(alice, name="Creep", artist="Radiohead")
    record_download(alice, name="Creep", artist="TLC")
    assert _names(alice_client, q="creep radiohead") == ["Creep"]


def test_a_word_prefix_matches(alice, alice_client) -> None:
    record_download(alice, name="Karma Police")
    assert _names(alice_client, q="Kar") == ["Karma Police"]


def test_search_ignores_case_and_accents_in_the_query(alice, alice_client) -> None:
    record_download(alice, name="Jóga", artist="Björk")
    assert _names(alice_client, q="BJÖRK") == ["Jóga"]


def test_query_syntax_characters_are_treated_as_plain_text(alice, alice_client) -> None:
    record_download(alice, name="AC/DC Live")
    response = alice_client.get(URL, {"q": 'ac" (dc* -:'})
    assert (response.status_code, [d["name"] for d in response.json()["downloads"]]) == (200, ["AC/DC Live"])


def test_a_query_of_only_punctuation_finds_nothing(alice, alice_client) -> None:
    record_download(alice, name="Song")
    assert _names(alice_client, q="!!!") == []


def test_results_are_newest_first(alice, alice_client) -> None:
    record_download(alice, name="Blue one", created_at=days_ago(3))
    record_download(alice, name="Blue two", created_at=days_ago(1))
    assert _names(alice_client, q="blue") == ["Blue two", "Blue one"]


def test_limit_caps_the_results(alice, alice_client) -> None:
    for day in range(3):
        record_download(alice, name="Same", created_at=days_ago(day))
    body = alice_client.get(URL, {"q": "same", "limit": 2}).json()
    assert (body["count"], len(body["downloads"])) == (2, 2)


def test_a_user_finds_only_their_own_downloads(alice, bob, alice_client) -> None:
    record_download(bob, name="Secret song")
    assert _names(alice_client, q="secret") == []


def test_an_admin_finds_everyones_downloads(alice, bob, admin_client) -> None:
    record_download(alice, name="Shared word")
    record_download(bob, name="Shared word too")
    assert len(_names(admin_client, q="shared")) == 2


@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "x", "limit": 0}, {"q": "x", "limit": 201}, {"q": "x" * 201}]
)
def test_a_missing_query_or_bad_limit_is_a_400(alice_client, params) -> None:
    response = alice_client.get(URL, params)
    assert (response.status_code, set(response.json())) == (400, {"error", "details", "code"})


def test_limit_200_is_allowed(alice_client) -> None:
    assert alice_client.get(URL, {"q": "x", "limit": 200}).status_code == 200
