from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/config/"),
    ("post", "/api/config/"),
    ("put", "/api/config/"),
    ("get", "/api/config/check"),
    ("post", "/api/config/validate"),
    ("get", "/api/config/watch"),
    ("post", "/api/config/watch"),
    ("put", "/api/config/watch"),
    ("post", "/api/config/watch/validate"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_callers_get_401_when_auth_is_on(auth_on, anon_client, method, url) -> None:
    response = getattr(anon_client, method)(url, {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "url"), [e for e in ENDPOINTS if e != ("get", "/api/config/check")])
def test_users_get_403(auth_on, alice_client, method, url) -> None:
    response = getattr(alice_client, method)(url, {}, format="json")
    assert response.status_code == 403
    assert set(response.json()) == {"error", "details", "code"}


def test_everyone_acts_as_admin_when_auth_is_off(auth_off, anon_client) -> None:
    assert anon_client.get("/api/config/").status_code == 200


def test_admin_reads_the_whole_configuration(auth_on, admin_client, library_root) -> None:
    body = admin_client.get("/api/config/").json()
    assert body["downloadPath"] == str(library_root)
    assert body["fileFormat"] is None and body["convertTo"] is None


@pytest.mark.parametrize("method", ["post", "put"])
def test_post_and_put_both_merge_a_partial_update(auth_on, admin_client, method) -> None:
    admin_client.post("/api/config/", {"maxRetries": 9}, format="json")
    body = getattr(admin_client, method)("/api/config/", {"fileFormat": "opus"}, format="json").json()
    assert (body["maxRetries"], body["convertTo"], body["fileFormat"]) == (9, "OPUS", "OPUS")


def test_an_invalid_update_answers_400_naming_the_field(auth_on, admin_client) -> None:
    response = admin_client.post("/api/config/", {"maxRetries": 2, "bitrate": "999k"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_config"
    assert list(response.json()["details"]) == ["bitrate"]


def test_an_invalid_update_saves_nothing(auth_on, admin_client) -> None:
    admin_client.post("/api/config/", {"maxRetries": 2, "bitrate": "999k"}, format="json")
    assert admin_client.get("/api/config/").json()["maxRetries"] == 3


def test_a_body_that_is_not_json_answers_400(auth_on, admin_client) -> None:
    response = admin_client.post("/api/config/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "details", "code"}


def test_a_json_list_body_answers_400(auth_on, admin_client) -> None:
    assert admin_client.put("/api/config/", [1, 2], format="json").status_code == 400


def test_validate_reports_errors_without_saving(auth_on, admin_client) -> None:
    response = admin_client.post(
        "/api/config/validate", {"maxRetries": 5, "inboxMode": "teleport"}, format="json"
    )
    body = response.json()
    assert (response.status_code, body["valid"], list(body["errors"])) == (200, False, ["inboxMode"])
    assert admin_client.get("/api/config/").json()["maxRetries"] == 3


def test_validate_accepts_a_good_body(auth_on, admin_client) -> None:
    response = admin_client.post("/api/config/validate", {"convertTo": "mp3", "bitrate": 192}, format="json")
    assert response.json() == {"valid": True, "errors": {}}


def test_check_reports_missing_spotify_credentials(
    auth_on, admin_client, library_root, inbox_root, settings
) -> None:
    settings.SPOTIFY_CLIENT_ID = settings.SPOTIFY_CLIENT_SECRET = None
    body = admin_client.get("/api/config/check").json()
    assert body["valid"] is False and list(body["errors"]) == ["spotify"]


def test_check_passes_with_credentials_and_writable_paths(
    auth_on, admin_client, library_root, inbox_root, spotify_server, spotify_set
) -> None:
    assert admin_client.get("/api/config/check").json()["valid"] is True


def test_check_reports_a_download_directory_that_disappeared(
    auth_on, admin_client, tmp_path, inbox_root, spotify_server, spotify_set
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    admin_client.post("/api/config/", {"downloadPath": str(gone)}, format="json")
    gone.rmdir()
    assert "downloadPath" in admin_client.get("/api/config/check").json()["errors"]


def test_check_warns_when_the_command_source_is_ordered_but_not_configured(
    auth_on, admin_client, spotify_server, spotify_set
) -> None:
    assert "commandSource" in admin_client.get("/api/config/check").json()["warnings"]


def test_watch_configuration_merges_a_partial_update(auth_on, admin_client) -> None:
    admin_client.put("/api/config/watch", {"enabled": False}, format="json")
    body = admin_client.post("/api/config/watch", {"watchPollIntervalSeconds": 600}, format="json").json()
    assert (body["enabled"], body["check_interval"], body["max_concurrent_checks"]) == (False, 600, 2)


def test_watch_configuration_refuses_an_unknown_key(auth_on, admin_client) -> None:
    response = admin_client.post("/api/config/watch", {"interval": 600}, format="json")
    assert response.status_code == 400 and "interval" in response.json()["details"]


def test_watch_validate_reports_errors_without_saving(auth_on, admin_client) -> None:
    response = admin_client.post("/api/config/watch/validate", {"check_interval": 10}, format="json")
    assert response.json()["valid"] is False and "check_interval" in response.json()["errors"]
    assert admin_client.get("/api/config/watch").json()["check_interval"] == 3600
