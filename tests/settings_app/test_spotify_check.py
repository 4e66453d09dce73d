"""``GET /api/config/check``: one small Spotify call tells whether the configured app works, cached briefly
and forgotten when the credentials change."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from settings_app.services import credential_update
from tests.fakes.spotify_api import FakeSpotify


def _spotify(client: APIClient, **params: str) -> dict:
    response = client.get("/api/config/check", params)
    assert response.status_code == 200
    return response.json()["spotify"]


def test_any_user_learns_spotify_works_with_one_small_call(auth_on, alice_client, spotify_api) -> None:
    check = _spotify(alice_client)
    assert check["status"] == "ok" and check["ok"] is True and check["retry_after"] is None
    assert [r.query.get("limit") for r in spotify_api.requests if r.path.startswith("/v1/")] == ["1"]


def test_a_plain_user_gets_only_the_spotify_part(auth_on, alice_client, spotify_api) -> None:
    assert set(alice_client.get("/api/config/check").json()) == {"spotify"}


def test_an_admin_gets_the_configuration_report_too(auth_on, admin_client, spotify_api) -> None:
    assert {"valid", "errors", "warnings", "spotify"} <= set(admin_client.get("/api/config/check").json())


def test_anonymous_callers_are_refused(auth_on, spotify_api) -> None:
    assert APIClient().get("/api/config/check").status_code == 401


def test_it_reports_missing_credentials(auth_on, alice_client, spotify_server) -> None:
    check = _spotify(alice_client)
    assert check["status"] == "not_configured" and "Settings > Credentials" in check["message"]


@pytest.mark.parametrize(
    ("arrange", "status", "words"),
    [
        (lambda fake: fake.lapse_premium(), "owner_not_premium", "Premium"),
        (lambda fake: fake.exhaust_quota(), "quota_exhausted", "quota"),
        (lambda fake: fake.fail_next(429, retry_after=120), "rate_limited", "rate limit"),
        (lambda fake: fake.fail_next(503), "unavailable", "did not answer"),
    ],
)
def test_it_names_what_is_wrong(auth_on, alice_client, spotify_api, arrange, status, words) -> None:
    arrange(spotify_api)
    check = _spotify(alice_client)
    assert check["status"] == status and check["ok"] is False and words in check["message"]


def test_it_reports_rejected_credentials(auth_on, alice_client, spotify_api) -> None:
    credential_update(service="spotify", name="test", client_secret="wrong-secret")
    assert _spotify(alice_client)["status"] == "credentials_rejected"


def test_the_answer_is_cached_so_pages_do_not_ask_spotify_each_time(
    auth_on, alice_client, spotify_api: FakeSpotify
) -> None:
    _spotify(alice_client)
    spotify_api.lapse_premium()
    assert _spotify(alice_client)["status"] == "ok"
    assert spotify_api.api_calls() == 1


def test_changing_the_credentials_forgets_the_cached_answer(
    auth_on, alice_client, spotify_api: FakeSpotify
) -> None:
    spotify_api.lapse_premium()
    assert _spotify(alice_client)["status"] == "owner_not_premium"
    spotify_api.lapse_premium(False)
    credential_update(service="spotify", name="test", client_id=spotify_api.client_id)
    assert _spotify(alice_client)["status"] == "ok"


def test_an_admin_can_ask_for_a_fresh_answer(auth_on, admin_client, alice_client, spotify_api) -> None:
    _spotify(admin_client)
    spotify_api.lapse_premium()
    assert _spotify(alice_client, fresh="true")["status"] == "ok"  # users cannot force calls
    assert _spotify(admin_client, fresh="true")["status"] == "owner_not_premium"


def test_a_malformed_fresh_flag_is_a_400(auth_on, admin_client, spotify_api) -> None:
    response = admin_client.get("/api/config/check", {"fresh": "sometimes"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_an_unavailable_spotify_is_reported_without_retries(auth_on, alice_client, spotify_api) -> None:
    spotify_api.fail_next(503, count=10)
    assert _spotify(alice_client)["status"] == "unavailable"
    assert spotify_api.api_calls() == 1  # a page showing the banner never waits out back-offs
