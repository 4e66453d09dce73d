"""The integrations on the dashboard: settings (admins) and profile, each with its Test button."""

from __future__ import annotations

import pytest

from settings_app.models import MediaServer, NotificationTarget
from settings_app.selectors import get_config
from tests.dashboard.conftest import messages_of, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_page(page_for, admin_user, library_root, inbox_root):
    return page_for(admin_user)


def test_the_integrations_settings_save_lyrics_and_genres(admin_page) -> None:
    response = post(
        admin_page, "/settings/integrations/", {"lyrics": "lrc", "genres": "spotify", "genresMax": "3"}
    )

    assert response.status_code == 302
    assert (get_config()["lyrics"], get_config()["genres"], get_config()["genresMax"]) == (
        "lrc",
        "spotify",
        3,
    )


def test_an_admin_adds_a_media_server_and_its_test_says_it_answered(admin_page, media_servers) -> None:
    jellyfin = media_servers["jellyfin"]
    post(
        admin_page,
        "/settings/media-servers/add/",
        {"kind": "jellyfin", "name": "living room", "url": jellyfin.base_url, "secret": "jf-key"},
    )
    server = MediaServer.objects.get(name="living room")

    response = post(admin_page, f"/settings/media-servers/{server.pk}/test/", follow=True)

    assert any("Jellyfin 10.10.0 (fake-jellyfin) answered." in text for text in messages_of(response))
    page = admin_page.get("/settings/integrations/").content.decode()
    assert "living room" in page and "jf-key" not in page


def test_an_admin_adds_a_subsonic_server_that_keeps_playlists_in_step(admin_page, media_servers) -> None:
    post(
        admin_page,
        "/settings/media-servers/add/",
        {
            "kind": "subsonic",
            "name": "navi",
            "url": media_servers["subsonic"].base_url,
            "username": "admin",
            "secret": "sesame",
            "sync_playlists": "on",
        },
    )

    assert MediaServer.objects.get(name="navi").sync_playlists is True
    assert "playlists kept in step" in admin_page.get("/settings/integrations/").content.decode()


def test_a_failing_media_server_test_says_why(admin_page, media_servers) -> None:
    server = MediaServer.objects.get(kind="plex")
    MediaServer.objects.filter(pk=server.pk).update(
        secret_encrypted=MediaServer.objects.get(kind="jellyfin").secret_encrypted
    )

    response = post(admin_page, f"/settings/media-servers/{server.pk}/test/", follow=True)

    assert any("Test failed: Plex refused the credentials" in text for text in messages_of(response))


def test_a_user_adds_a_target_on_the_profile_and_tests_it(page_for, alice, webhook) -> None:
    page = page_for(alice)
    post(
        page, "/notifications/add/", {"name": "phone", "url": webhook.url(), "events": ["download_complete"]}
    )
    target = NotificationTarget.objects.get(owner=alice)

    response = post(page, f"/notifications/{target.pk}/test/", {"scope": "user"}, follow=True)

    assert any("the target accepted it" in text for text in messages_of(response))
    assert webhook.messages[0]["title"] == "Spotizerr test"
    assert "phone" in page.get("/profile/").content.decode()


def test_a_user_cannot_add_an_operator_wide_target(page_for, alice, webhook) -> None:
    post(
        page_for(alice),
        "/notifications/add/",
        {"name": "x", "url": webhook.url(), "events": ["download_failed"], "scope": "operator"},
    )

    assert NotificationTarget.objects.get().owner == alice


def test_a_bad_apprise_url_is_explained(page_for, alice) -> None:
    response = post(
        page_for(alice),
        "/notifications/add/",
        {"name": "x", "url": "nope", "events": ["download_failed"]},
        follow=True,
    )

    assert any("not a URL Apprise understands" in text for text in messages_of(response))
    assert not NotificationTarget.objects.exists()


def test_users_cannot_manage_media_servers(page_for, alice) -> None:
    response = post(page_for(alice), "/settings/media-servers/add/", {"kind": "plex"})

    assert response.status_code in (302, 403) and not MediaServer.objects.exists()
