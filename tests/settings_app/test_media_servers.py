"""Media servers against local fakes: one debounced rescan per server, failures kept and retried."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from settings_app.media_servers import media_servers_refresh_due, media_servers_touch
from settings_app.models import MediaServer
from tests.fakes.http_service import down_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


def test_a_burst_of_landings_costs_one_rescan_per_server_after_the_quiet_period(media_servers) -> None:
    for _ in range(5):
        media_servers_touch()
        assert media_servers_refresh_due() == 0  # not quiet yet

    time.sleep(1.1)

    assert media_servers_refresh_due() == 3
    assert media_servers_refresh_due() == 0
    assert [fake.refreshes for fake in media_servers.values()] == [1, 1, 1]


def test_the_subsonic_rescan_uses_a_fresh_salt_and_token(media_servers) -> None:
    media_servers_touch()
    media_servers_refresh_due(now=timezone.now() + timedelta(seconds=2))
    media_servers_touch()
    media_servers_refresh_due(now=timezone.now() + timedelta(seconds=2))

    first, second = media_servers["subsonic"].seen("/rest/startScan.view")
    assert first.query["s"] != second.query["s"] and "p" not in first.query


def test_wrong_credentials_are_shown_and_not_retried(media_servers) -> None:
    MediaServer.objects.filter(kind="jellyfin").update(
        secret_encrypted=MediaServer.objects.get(kind="plex").secret_encrypted
    )
    media_servers_touch()

    media_servers_refresh_due(now=timezone.now() + timedelta(seconds=2))

    server = MediaServer.objects.get(kind="jellyfin")
    assert "refused the credentials" in server.last_error and server.refresh_due_at is None
    assert server.failures == 1


@pytest.mark.parametrize("fault", ["down", "slow", "500"])
def test_an_unreachable_server_is_retried_with_a_growing_wait(media_servers, fault: str) -> None:
    plex = media_servers["plex"]
    if fault == "down":
        MediaServer.objects.filter(kind="plex").update(url=down_url())
    else:
        plex.fault, plex.delay = fault, 2.0
    media_servers_touch()
    start = timezone.now() + timedelta(seconds=2)

    media_servers_refresh_due(now=start)

    server = MediaServer.objects.get(kind="plex")
    assert server.failures == 1 and server.last_error
    assert server.refresh_due_at == start + timedelta(seconds=1)
    media_servers_refresh_due(now=start + timedelta(seconds=1))
    assert MediaServer.objects.get(kind="plex").refresh_due_at == start + timedelta(seconds=1 + 2)


def test_the_settings_list_shows_the_last_error_and_never_the_secret(admin_client, media_servers) -> None:
    MediaServer.objects.filter(kind="plex").update(url=down_url())
    media_servers_touch()
    media_servers_refresh_due(now=timezone.now() + timedelta(seconds=2))

    rows = {row["kind"]: row for row in admin_client.get("/api/media-servers").json()}

    assert rows["plex"]["last_error"].startswith("Plex cannot be reached")
    assert rows["subsonic"]["refresh_count"] == 1 and rows["subsonic"]["last_error"] == ""
    assert "sesame" not in str(rows) and "secret" not in rows["subsonic"]


@pytest.mark.parametrize("kind", ["subsonic", "jellyfin", "plex"])
def test_the_test_button_checks_each_kind_without_a_rescan(admin_client, media_servers, kind: str) -> None:
    server = MediaServer.objects.get(kind=kind)

    response = admin_client.post(f"/api/media-servers/{server.pk}/test")

    assert response.json()["ok"] is True, response.json()
    assert media_servers[kind].refreshes == 0


def test_the_test_button_says_when_the_password_is_wrong(admin_client, media_servers) -> None:
    created = admin_client.post(
        "/api/media-servers",
        {
            "kind": "subsonic",
            "name": "wrong",
            "url": media_servers["subsonic"].base_url,
            "username": "admin",
            "secret": "nope",
        },
        format="json",
    )

    response = admin_client.post(f"/api/media-servers/{created.json()['id']}/test")

    assert response.json() == {
        "ok": False,
        "detail": "the Subsonic server refused: Wrong username or password",
    }


def test_only_admins_manage_media_servers(alice_client, media_servers) -> None:
    assert alice_client.get("/api/media-servers").status_code == 403
    assert alice_client.post("/api/media-servers", {}, format="json").status_code == 403


def test_bad_fields_are_named(admin_client) -> None:
    response = admin_client.post("/api/media-servers", {"kind": "kodi", "url": "ftp://x"}, format="json")

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"kind", "name", "url", "secret"}


def test_text_a_database_cannot_store_is_refused(admin_client) -> None:
    response = admin_client.post(
        "/api/media-servers",
        {"kind": "subsonic", "name": "a\x00b", "url": "http://x/", "username": 7, "secret": "s"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["details"]) == {"name", "username"}


def test_a_kind_of_the_wrong_type_is_a_400_not_a_500(admin_client) -> None:
    response = admin_client.post("/api/media-servers", {"kind": {"a": 1}, "name": "x"}, format="json")

    assert response.status_code == 400 and "kind" in response.json()["details"]


@pytest.mark.parametrize(
    ("kind", "value", "why"),
    [("jellyfin", True, "only a Subsonic server"), ("subsonic", "yes", "must be true or false")],
)
def test_playlist_sync_is_a_boolean_for_subsonic_servers_only(
    admin_client, kind: str, value, why: str
) -> None:
    response = admin_client.post(
        "/api/media-servers",
        {
            "kind": kind,
            "name": "x",
            "url": "http://x/",
            "username": "u",
            "secret": "s",
            "sync_playlists": value,
        },
        format="json",
    )

    assert response.status_code == 400
    assert why in response.json()["details"]["sync_playlists"][0]


def test_a_subsonic_server_can_keep_playlists_in_step(admin_client) -> None:
    response = admin_client.post(
        "/api/media-servers",
        {
            "kind": "subsonic",
            "name": "n",
            "url": "http://x/",
            "username": "u",
            "secret": "s",
            "sync_playlists": True,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["sync_playlists"] is True and response.json()["playlists"] == []
