"""``POST /api/credentials/{service}/{name}/test``: a token and one search with a set, saved or not yet."""

from __future__ import annotations

import pytest

from settings_app.services import credential_create, credential_update
from tests.fakes.spotify_api import FakeSpotify

pytestmark = pytest.mark.django_db
URL = "/api/credentials/spotify/{}/test"


def test_a_stored_set_spotify_accepts_answers_ok(auth_on, admin_client, spotify_api: FakeSpotify) -> None:
    response = admin_client.post(URL.format("test"), {}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Spotify accepted the client id and secret and answered a search.",
    }
    assert spotify_api.api_calls("/v1/search") == 1


def test_a_stored_set_spotify_refuses_answers_not_ok(auth_on, admin_client, spotify_api: FakeSpotify) -> None:
    credential_update(service="spotify", name="test", client_secret="wrong-secret")
    body = admin_client.post(URL.format("test"), {}, format="json").json()
    assert body["ok"] is False and "rejected" in body["message"]
    assert spotify_api.api_calls("/v1/search") == 0


def test_unsaved_values_can_be_tried_before_saving(
    auth_on, admin_client, spotify_server: FakeSpotify
) -> None:
    good = {"client_id": spotify_server.client_id, "client_secret": spotify_server.client_secret}
    assert admin_client.post(URL.format("new"), good, format="json").json()["ok"] is True
    bad = {**good, "client_secret": "not-the-secret"}
    assert admin_client.post(URL.format("new"), bad, format="json").json()["ok"] is False
    assert admin_client.get("/api/credentials/spotify").json() == []


def test_body_values_replace_the_stored_ones_and_a_masked_secret_keeps_it(
    auth_on, admin_client, spotify_api: FakeSpotify
) -> None:
    wrong = admin_client.post(URL.format("test"), {"client_secret": "typo"}, format="json").json()
    masked = admin_client.post(URL.format("test"), {"client_secret": "****cret"}, format="json").json()
    assert (wrong["ok"], masked["ok"]) == (False, True)


def test_trying_a_set_leaves_the_stored_one_and_the_banner_check_alone(
    auth_on, admin_client, spotify_api: FakeSpotify
) -> None:
    admin_client.post(URL.format("test"), {"client_secret": "typo"}, format="json")
    assert admin_client.get("/api/credentials/spotify/test").json()["client_secret"].endswith("cret")
    assert admin_client.get("/api/config/check").json()["spotify"]["ok"] is True


def test_an_unknown_set_without_values_is_404(auth_on, admin_client, spotify_server: FakeSpotify) -> None:
    response = admin_client.post(URL.format("missing"), {}, format="json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_an_unknown_service_is_400(auth_on, admin_client, spotify_api: FakeSpotify) -> None:
    response = admin_client.post("/api/credentials/tidal/test/test", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "unknown_service")


def test_deezer_sets_say_there_is_nothing_to_test(auth_on, admin_client, key_dir) -> None:
    credential_create(service="deezer", name="home", client_id="id", client_secret="secret-1234")
    body = admin_client.post("/api/credentials/deezer/home/test", {}, format="json").json()
    assert body["ok"] is False and "no built-in source uses Deezer" in body["message"]


def test_users_may_not_test_credentials(auth_on, alice_client, spotify_api: FakeSpotify) -> None:
    assert alice_client.post(URL.format("test"), {}, format="json").status_code == 403
