"""Spotify's account-level refusals (owner without Premium, spent daily quota) become honest errors that say
what to do, distinct from a short rate limit."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from spotipy.exceptions import SpotifyException

from spotizerr.integrations.spotify import (
    SpotifyOwnerNotPremium,
    SpotifyQuotaExhausted,
    SpotifyRateLimited,
    get_spotify_client,
)
from spotizerr.integrations.spotify.transport import _quota_retry_after
from tests.fakes.spotify_api import IDS, FakeSpotify


@pytest.fixture
def api(spotify_api: FakeSpotify, auth_on, alice_client: APIClient) -> APIClient:
    return alice_client


def test_a_lapsed_premium_is_a_permanent_owner_not_premium_error(spotify_api: FakeSpotify) -> None:
    spotify_api.lapse_premium()
    with pytest.raises(SpotifyOwnerNotPremium) as caught:
        get_spotify_client().track(IDS.track)
    assert caught.value.permanent and "Premium" in caught.value.message
    assert spotify_api.api_calls() == 1  # no retries: only the owner can change it


def test_a_spent_quota_fails_at_once_with_a_retry_after_until_it_renews(spotify_api: FakeSpotify) -> None:
    spotify_api.exhaust_quota()
    with pytest.raises(SpotifyQuotaExhausted) as caught:
        get_spotify_client(max_wait=30).track(IDS.track)
    assert not isinstance(caught.value, SpotifyRateLimited)
    assert 0 < caught.value.wait <= 24 * 3600
    assert spotify_api.api_calls() == 1  # no back-off and retry: the wait is hours


def test_the_api_answers_503_owner_not_premium_with_what_to_do(api: APIClient, spotify_api) -> None:
    spotify_api.lapse_premium()
    response = api.get("/api/track/info", {"id": IDS.track})
    body = response.json()
    assert response.status_code == 503 and body["code"] == "spotify_owner_not_premium"
    assert "renew Premium" in body["error"] and "Settings > Credentials" in body["error"]


def test_the_api_answers_503_quota_exhausted_with_retry_after(api: APIClient, spotify_api) -> None:
    spotify_api.exhaust_quota()
    response = api.get("/api/artist/info", {"id": IDS.artist})
    body = response.json()
    assert response.status_code == 503 and body["code"] == "spotify_quota_exhausted"
    assert int(response["Retry-After"]) == body["details"]["retry_after"] > 0
    assert "quota" in body["error"]


def test_a_short_rate_limit_stays_spotify_rate_limited(api: APIClient, spotify_api) -> None:
    spotify_api.fail_next(429, retry_after=60)
    response = api.get("/api/track/info", {"id": IDS.track})
    assert response.status_code == 503 and response.json()["code"] == "spotify_rate_limited"
    assert int(response["Retry-After"]) >= 59


def test_a_quota_answer_with_retry_after_is_trusted_over_the_midnight_guess() -> None:
    given = SpotifyException(429, -1, "quota", reason="QUOTA_EXCEEDED", headers={"Retry-After": "7200"})
    assert _quota_retry_after(given) == 7200
    guessed = _quota_retry_after(SpotifyException(429, -1, "quota", reason="QUOTA_EXCEEDED"))
    assert 0 < guessed <= 24 * 3600
