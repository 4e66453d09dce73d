from __future__ import annotations

import pytest

from tests.settings_app.conftest import SECRET

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/credentials/spotify"),
    ("get", "/api/credentials/spotify/main"),
    ("post", "/api/credentials/spotify/main"),
    ("put", "/api/credentials/spotify/main"),
    ("delete", "/api/credentials/spotify/main"),
    ("get", "/api/credentials/all/spotify"),
    ("get", "/api/credentials/spotify_api_config"),
    ("put", "/api/credentials/spotify_api_config"),
]
BODY = {"client_id": "new-client", "client_secret": "brand-new-secret-7788"}


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_callers_get_401_when_auth_is_on(auth_on, anon_client, method, url) -> None:
    assert getattr(anon_client, method)(url, BODY, format="json").status_code == 401


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_users_get_403(auth_on, alice_client, spotify_set, method, url) -> None:
    assert getattr(alice_client, method)(url, BODY, format="json").status_code == 403


def test_creating_a_set_answers_201_with_the_secret_masked(auth_on, admin_client, key_dir) -> None:
    response = admin_client.post("/api/credentials/deezer/home", BODY, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["client_id"], body["client_secret"], body["active"]) == (
        "home",
        "new-client",
        "****7788",
        True,
    )


def test_a_duplicate_name_answers_409(auth_on, admin_client, spotify_set) -> None:
    response = admin_client.post("/api/credentials/spotify/main", BODY, format="json")
    assert response.status_code == 409 and response.json()["code"] == "duplicate"


@pytest.mark.parametrize(
    "url", ["/api/credentials/tidal", "/api/credentials/tidal/x", "/api/credentials/all/tidal"]
)
def test_an_unknown_service_answers_400(auth_on, admin_client, url) -> None:
    response = admin_client.get(url)
    assert response.status_code == 400 and response.json()["code"] == "unknown_service"


def test_creating_for_an_unknown_service_answers_400(auth_on, admin_client) -> None:
    assert admin_client.post("/api/credentials/tidal/x", BODY, format="json").status_code == 400


def test_a_body_without_a_secret_answers_400_naming_it(auth_on, admin_client, key_dir) -> None:
    response = admin_client.post("/api/credentials/spotify/x", {"client_id": "a"}, format="json")
    assert response.status_code == 400 and "client_secret" in response.json()["details"]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/credentials/spotify/nope"),
        ("put", "/api/credentials/spotify/nope"),
        ("delete", "/api/credentials/spotify/nope"),
    ],
)
def test_a_missing_set_answers_404(auth_on, admin_client, key_dir, method, url) -> None:
    assert getattr(admin_client, method)(url, BODY, format="json").status_code == 404


def test_listing_a_service_gives_the_names(auth_on, admin_client, spotify_set) -> None:
    admin_client.post("/api/credentials/spotify/second", BODY, format="json")
    assert admin_client.get("/api/credentials/spotify").json() == ["main", "second"]


def test_listing_all_sets_masks_every_secret(auth_on, admin_client, spotify_set) -> None:
    body = admin_client.get("/api/credentials/all/spotify").json()
    assert [(item["name"], item["client_secret"], item["active"]) for item in body] == [
        ("main", "****9f2c", True)
    ]


def test_reading_one_set_masks_the_secret(auth_on, admin_client, spotify_set) -> None:
    response = admin_client.get("/api/credentials/spotify/main")
    assert response.json()["client_secret"] == "****9f2c" and SECRET not in response.content.decode()


def test_updating_a_set_changes_its_fields(auth_on, admin_client, spotify_set) -> None:
    body = admin_client.put("/api/credentials/spotify/main", BODY, format="json").json()
    assert (body["client_id"], body["client_secret"]) == ("new-client", "****7788")


def test_sending_back_the_masked_secret_keeps_the_stored_one(auth_on, admin_client, spotify_set) -> None:
    admin_client.put("/api/credentials/spotify/main", {"client_secret": "****9f2c"}, format="json")
    spotify_set.refresh_from_db()
    assert spotify_set.client_secret == SECRET


def test_deleting_a_set_answers_204_and_removes_it(auth_on, admin_client, spotify_set) -> None:
    assert admin_client.delete("/api/credentials/spotify/main").status_code == 204
    assert admin_client.get("/api/credentials/spotify").json() == []


def test_spotify_api_config_shows_the_active_set_masked(auth_on, admin_client, spotify_set) -> None:
    body = admin_client.get("/api/credentials/spotify_api_config").json()
    assert body == {"client_id": "client-abc", "client_secret": "****9f2c", "name": "main"}


def test_spotify_api_config_is_empty_when_nothing_is_configured(
    auth_on, admin_client, key_dir, settings
) -> None:
    settings.SPOTIFY_CLIENT_ID = settings.SPOTIFY_CLIENT_SECRET = None
    body = admin_client.get("/api/credentials/spotify_api_config").json()
    assert body == {"client_id": None, "client_secret": None, "name": None}


def test_writing_spotify_api_config_updates_the_active_set(auth_on, admin_client, spotify_set) -> None:
    admin_client.put("/api/credentials/spotify_api_config", BODY, format="json")
    spotify_set.refresh_from_db()
    assert (spotify_set.client_id, spotify_set.client_secret) == ("new-client", "brand-new-secret-7788")


def test_writing_spotify_api_config_creates_a_default_set_when_none_exists(
    auth_on, admin_client, key_dir
) -> None:
    body = admin_client.put("/api/credentials/spotify_api_config", BODY, format="json").json()
    assert body == {"client_id": "new-client", "client_secret": "****7788", "name": "default"}


def test_writing_spotify_api_config_without_a_secret_and_no_set_answers_400(
    auth_on, admin_client, key_dir
) -> None:
    response = admin_client.put("/api/credentials/spotify_api_config", {"client_id": "x"}, format="json")
    assert response.status_code == 400 and "client_secret" in response.json()["details"]


def test_the_secret_never_appears_in_any_credentials_response(auth_on, admin_client, spotify_set) -> None:
    urls = [
        "/api/credentials/spotify",
        "/api/credentials/all/spotify",
        "/api/credentials/spotify/main",
        "/api/credentials/spotify_api_config",
        "/api/config/",
    ]
    assert all(SECRET not in admin_client.get(url).content.decode() for url in urls)
