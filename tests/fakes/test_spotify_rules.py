"""The fake Spotify's 2026 development-mode rules, one test each, and the extended-quota switch that brings
the old behaviour back (``tests.fakes.spotify_rules``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from tests.fakes.spotify_api import IDS, FakeSpotify
from tests.fakes.spotify_rules import PREMIUM_REQUIRED_MESSAGE

Get = Callable[..., requests.Response]


def _start(extended_quota: bool) -> Iterator[tuple[FakeSpotify, Get]]:
    fake = FakeSpotify(extended_quota=extended_quota).start()
    token = requests.post(
        fake.token_url, data={"grant_type": "client_credentials"}, auth=(fake.client_id, fake.client_secret)
    ).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"

    def get(path: str, **params: Any) -> requests.Response:
        return session.get(f"{fake.api_url}{path}", params=params, timeout=5)

    try:
        yield fake, get
    finally:
        session.close()
        fake.stop()


@pytest.fixture
def dev() -> Iterator[tuple[FakeSpotify, Get]]:
    yield from _start(extended_quota=False)


@pytest.fixture
def extended() -> Iterator[tuple[FakeSpotify, Get]]:
    yield from _start(extended_quota=True)


def _walk(body: Any) -> Iterator[dict]:
    if isinstance(body, dict):
        yield body
        for value in body.values():
            yield from _walk(value)
    elif isinstance(body, list):
        for value in body:
            yield from _walk(value)


# ------------------------------------------------------------------ page limits
def test_artist_albums_refuse_a_limit_above_ten(dev) -> None:
    _, get = dev
    response = get(f"artists/{IDS.big_artist}/albums", limit=11)
    assert response.status_code == 400
    assert response.json() == {"error": {"status": 400, "message": "Invalid limit"}}
    assert get(f"artists/{IDS.big_artist}/albums", limit=10).status_code == 200


def test_search_refuses_a_limit_above_ten_and_gives_five_by_default(dev) -> None:
    _, get = dev
    response = get("search", q="long player", type="track", limit=11)
    assert response.status_code == 400 and response.json()["error"]["message"] == "Invalid limit"
    assert len(get("search", q="long player", type="track").json()["tracks"]["items"]) == 5


def test_an_extended_quota_app_pages_fifty_and_searches_twenty_by_default(extended) -> None:
    _, get = extended
    assert len(get(f"artists/{IDS.big_artist}/albums", limit=50).json()["items"]) == 50
    assert len(get("search", q="long player", type="track").json()["tracks"]["items"]) == 20


# ------------------------------------------------------------------ removed fields and endpoints
def test_artist_album_items_carry_no_album_group(dev) -> None:
    _, get = dev
    items = get(f"artists/{IDS.big_artist}/albums", include_groups="appears_on", limit=10).json()["items"]
    assert items and all("album_group" not in item for item in items)


def test_an_extended_quota_app_gets_album_group(extended) -> None:
    _, get = extended
    items = get(f"artists/{IDS.big_artist}/albums", include_groups="appears_on", limit=10).json()["items"]
    assert {item["album_group"] for item in items} == {"appears_on"}


def test_markets_are_gone(dev, extended) -> None:
    assert dev[1]("markets").status_code == 404
    assert "GB" in extended[1]("markets").json()["markets"]


@pytest.mark.parametrize(("kind", "object_id"), [("tracks", IDS.track), ("albums", IDS.small_album)])
def test_batch_lookups_are_gone(dev, extended, kind: str, object_id: str) -> None:
    assert dev[1](kind, ids=object_id).status_code == 403
    assert extended[1](kind, ids=object_id).json()[kind][0]["id"] == object_id


def test_batch_artist_lookups_are_gone(dev, extended) -> None:
    assert dev[1]("artists", ids=IDS.artist).status_code == 403
    assert extended[1]("artists", ids=IDS.artist).json()["artists"][0]["followers"]["total"] == 1000


def test_preview_urls_are_null(dev, extended) -> None:
    assert dev[1](f"tracks/{IDS.track}").json()["preview_url"] is None
    assert extended[1](f"tracks/{IDS.track}").json()["preview_url"].endswith(f"/previews/{IDS.track}.mp3")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"tracks/{IDS.track}", "popularity"),
        (f"tracks/{IDS.track}", "available_markets"),
        (f"albums/{IDS.small_album}", "label"),
        (f"albums/{IDS.small_album}", "popularity"),
        (f"artists/{IDS.artist}", "followers"),
        (f"artists/{IDS.artist}", "popularity"),
    ],
)
def test_removed_fields_are_absent_at_every_depth(dev, extended, path: str, field: str) -> None:
    assert not any(field in node for node in _walk(dev[1](path).json()))
    assert any(field in node for node in _walk(extended[1](path).json()))


def test_playlists_keep_their_followers(dev) -> None:
    """Only artists lost ``followers``; a playlist still has them."""
    assert dev[1](f"playlists/{IDS.small_playlist}").json()["followers"]["total"] == 10


# ------------------------------------------------------------------ account-level answers
def test_a_lapsed_premium_refuses_every_call(dev) -> None:
    fake, get = dev
    fake.lapse_premium()
    for path in (f"tracks/{IDS.track}", "search?q=x&type=track"):
        response = get(path)
        assert response.status_code == 403
        assert response.json()["error"]["message"] == PREMIUM_REQUIRED_MESSAGE
    fake.lapse_premium(False)
    assert get(f"tracks/{IDS.track}").status_code == 200


def test_a_spent_daily_quota_answers_429_quota_exceeded_without_retry_after(dev) -> None:
    fake, get = dev
    fake.exhaust_quota()
    response = get(f"tracks/{IDS.track}")
    assert response.status_code == 429 and response.json()["error"]["reason"] == "QUOTA_EXCEEDED"
    assert "Retry-After" not in response.headers


def test_a_short_rate_limit_answers_429_with_retry_after_and_no_reason(dev) -> None:
    fake, get = dev
    fake.fail_next(429, retry_after=3)
    response = get(f"tracks/{IDS.track}")
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert "reason" not in response.json()["error"]


# ------------------------------------------------------------------ offsets
@pytest.mark.parametrize(
    ("path", "params"),
    [
        (f"artists/{IDS.big_artist}/albums", {"offset": 100_001}),
        (f"albums/{IDS.big_album}/tracks", {"offset": 100_001}),
        ("search", {"q": "x", "type": "track", "offset": 1001}),
    ],
)
def test_an_offset_past_spotifys_bound_is_refused(dev, path: str, params: dict) -> None:
    response = dev[1](path, **params)
    assert response.status_code == 400 and response.json()["error"]["message"] == "Invalid offset"
