"""First run and operators, as the server renders them: the setup banner, the credentials help and
Test buttons, settings page names as links, the styled 404, the Admin link and the Users page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from settings_app.services import credential_update
from tests.dashboard.conftest import messages_of, post
from tests.fakes.spotify_api import FakeSpotify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/queue/", "/history/", "/settings/sources/", "/profile/"])
def test_without_credentials_every_page_shows_the_setup_banner(
    page_for, admin_user, spotify_server: FakeSpotify, url: str
) -> None:
    body = page_for(admin_user).get(url).content.decode()
    assert 'data-spotify-status="not_configured"' in body and "setup-banner" in body
    assert "Finish setting up Spotizerr: add a Spotify client id and secret." in body
    assert '<a class="button primary" href="/settings/credentials/">Set up Spotify credentials</a>' in body


def test_users_are_told_to_ask_an_administrator(page_for, alice, spotify_server: FakeSpotify) -> None:
    body = page_for(alice).get("/queue/").content.decode()
    assert "Ask an administrator to add them under Settings › Credentials." in body
    assert 'href="/settings/credentials/"' not in body


def test_refused_credentials_show_the_setup_banner_with_a_fix_link(
    page_for, admin_user, spotify_api: FakeSpotify
) -> None:
    credential_update(service="spotify", name="test", client_secret="wrong")
    body = page_for(admin_user).get("/watchlist/").content.decode()
    assert 'data-spotify-status="credentials_rejected"' in body
    assert "Spotify refuses the stored client id and secret." in body
    assert "Fix the Spotify credentials</a>" in body


def test_the_credentials_page_says_where_the_values_come_from(
    page_for, admin_user, spotify_server: FakeSpotify, settings
) -> None:
    settings.PUBLIC_URL = "https://music.example.org"
    body = page_for(admin_user).get("/settings/credentials/").content.decode()
    assert 'href="https://developer.spotify.com/dashboard"' in body
    assert "<code>https://music.example.org/api/spotify/account/callback</code>" in body
    assert "Your own label for this set" in body  # what Name is for
    assert "Spotify: the catalog (search, albums, artists, playlists) and every tag." in body


def test_test_tries_unsaved_values_and_keeps_them_in_the_form(
    page_for, admin_user, spotify_server: FakeSpotify
) -> None:
    form = {"service": "spotify", "name": "home", "client_id": spotify_server.client_id}
    client = page_for(admin_user)
    good = post(
        client, "/settings/credentials/test/", {**form, "client_secret": spotify_server.client_secret}
    )
    assert "Test passed: Spotify accepted the client id and secret" in good.content.decode()
    assert f'value="{spotify_server.client_id}"' in good.content.decode()
    bad = post(client, "/settings/credentials/test/", {**form, "client_secret": "nope"}).content.decode()
    assert "Test failed: Spotify rejected" in bad
    assert client.get("/api/credentials/spotify").json() == []  # nothing was stored


def test_test_without_a_secret_says_what_is_missing(
    page_for, admin_user, spotify_server: FakeSpotify
) -> None:
    response = post(page_for(admin_user), "/settings/credentials/test/", {"service": "spotify", "name": "x"})
    assert response.status_code == 400
    assert "Enter a client id and a client secret to test them." in response.content.decode()


def test_a_stored_set_is_tested_from_its_row(page_for, admin_user, spotify_api: FakeSpotify) -> None:
    response = post(page_for(admin_user), "/settings/credentials/spotify/test/test/", follow=True)
    assert messages_of(response) == [
        "Test of 'test': Spotify accepted the client id and secret and answered a search."
    ]


def test_errors_naming_a_settings_page_link_to_it(page_for, admin_user, spotify_server: FakeSpotify) -> None:
    body = page_for(admin_user).get("/search/?q=sine&type=track").content.decode()
    assert '<a href="/settings/credentials/">Settings › Credentials</a>' in body


@pytest.mark.parametrize("url", ["/no-such-page/", "/settings/nonsense/", "/album/x/y/z/"])
def test_unknown_pages_are_a_styled_404_with_the_navigation(page_for, admin_user, url: str) -> None:
    response = page_for(admin_user).get(url)
    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in body and 'id="site-nav"' in body and "app.css" in body


def test_unknown_api_paths_keep_the_json_error(page_for, admin_user) -> None:
    response = page_for(admin_user).get("/api/no-such-endpoint")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_admins_get_an_admin_link_and_users_do_not(page_for, admin_user, alice) -> None:
    assert '<a href="/admin/">Admin</a>' in page_for(admin_user).get("/queue/").content.decode()
    assert '<a href="/admin/">Admin</a>' not in page_for(alice).get("/queue/").content.decode()


def test_the_header_uses_our_own_mark(page_for, alice) -> None:
    body = page_for(alice).get("/queue/").content.decode()
    assert 'class="brand-mark" src="/static/dashboard/logo.svg"' in body
    svg = b"".join(page_for(alice).get("/static/dashboard/logo.svg").streaming_content).decode()
    assert "<title" in svg and "Spotizerr" in svg and "#1db954" not in svg


def test_the_users_page_deactivates_and_shows_the_last_login(page_for, admin_user, alice) -> None:
    alice.last_login = timezone.now() - timezone.timedelta(hours=3)
    alice.save(update_fields=["last_login"])
    client = page_for(admin_user)
    assert "3\xa0hours ago" in client.get("/settings/users/").content.decode()
    response = post(client, "/settings/users/alice/active/", {"active": "false"}, follow=True)
    assert messages_of(response) == ["'alice' is deactivated; their sessions and tokens ended."]
    alice.refresh_from_db()
    assert not alice.is_active
    assert "Activate alice" in response.content.decode()
    post(client, "/settings/users/alice/active/", {"active": "true"})
    alice.refresh_from_db()
    assert alice.is_active


def test_an_admin_cannot_deactivate_themselves(page_for, admin_user) -> None:
    response = post(
        page_for(admin_user),
        f"/settings/users/{admin_user.username}/active/",
        {"active": "false"},
        follow=True,
    )
    admin_user.refresh_from_db()
    assert admin_user.is_active and "deactivate" in " ".join(messages_of(response))


def test_action_errors_name_fields_by_their_labels(page_for, admin_user, spotify_api: FakeSpotify) -> None:
    response = post(
        page_for(admin_user),
        "/settings/credentials/spotify/test/update/",
        {"client_id": "bad id\x07"},
        follow=True,
    )
    assert messages_of(response) == ["Invalid credential set. Client id: must be printable ASCII characters"]


def test_anonymous_visitors_get_the_styled_404_too(page_for) -> None:
    response = page_for(None).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404 and "<h1>Page not found</h1>" in body and 'id="site-nav"' not in body
