"""The profile's "Connect Spotify" row: the redirect URI with Spotify's https/loopback rule, linking through
the paste-back of the address Spotify sent the browser to, and unlinking."""

from __future__ import annotations

import pytest
import requests

from accounts.models import SpotifyAccount
from tests.dashboard.conftest import messages_of, post
from tests.fakes.spotify_api import FakeSpotify

pytestmark = [pytest.mark.django_db]


def test_the_row_shows_the_redirect_uri_and_the_https_or_loopback_rule(page_for, alice, settings) -> None:
    settings.PUBLIC_URL, settings.PORT = "http://192.168.1.10:7171", 7171
    body = page_for(alice).get("/profile/").content.decode()
    assert "Connect Spotify" in body and "Not linked." in body
    assert "http://127.0.0.1:7171/api/spotify/account/callback" in body
    assert "loopback IP address" in body and "paste back" in body


def test_a_user_links_by_pasting_back_the_address_spotify_sent_the_browser_to(
    page_for, alice, spotify_api: FakeSpotify, settings
) -> None:
    settings.PUBLIC_URL = "http://192.168.1.10:7171"  # Spotify refuses it: the loopback redirect is used
    spotify_api.accounts.add_user("fixture-user", "Fixture User")
    spotify_api.accounts.login_as("fixture-user")
    page = page_for(alice)
    started = post(page, "/profile/spotify/link/", {})
    assert started.status_code == 302 and started["Location"].startswith(spotify_api.accounts_url)
    sent_to = requests.get(started["Location"], allow_redirects=False, timeout=5).headers["Location"]
    assert sent_to.startswith("http://127.0.0.1:7171/api/spotify/account/callback?code=")

    done = post(page, "/profile/spotify/paste/", {"address": sent_to}, follow=True)
    assert "Linked Spotify account Fixture User." in messages_of(done)
    assert SpotifyAccount.objects.get().user == alice
    assert "Linked as" in page.get("/profile/").content.decode()


def test_pasting_an_address_without_code_says_what_to_paste(
    page_for, alice, spotify_api: FakeSpotify
) -> None:
    done = post(
        page_for(alice), "/profile/spotify/paste/", {"address": "http://127.0.0.1:7171/"}, follow=True
    )
    assert any("Paste the whole address" in message for message in messages_of(done))
    assert not SpotifyAccount.objects.exists()


def test_unlinking_from_the_profile_deletes_the_account(page_for, alice, spotify_link) -> None:
    spotify_link(alice)
    done = post(page_for(alice), "/profile/spotify/unlink/", {}, follow=True)
    assert any("Unlinked Spotify" in message for message in messages_of(done))
    assert not SpotifyAccount.objects.exists()


def test_the_credentials_page_shows_the_redirect_uri(page_for, admin_user, settings) -> None:
    settings.PUBLIC_URL = "https://music.example.org"
    body = page_for(admin_user).get("/settings/credentials/").content.decode()
    assert "https://music.example.org/api/spotify/account/callback" in body and "loopback IP" in body


def test_a_browser_reaching_the_callback_without_a_session_is_sent_to_log_in(client, auth_on) -> None:
    answer = client.get("/api/spotify/account/callback?code=c&state=s", HTTP_ACCEPT="text/html")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/?next=")


def test_the_content_security_policy_lets_the_link_form_go_to_spotify(page_for, alice, settings) -> None:
    settings.SPOTIFY_ACCOUNTS_URL = "https://accounts.spotify.com"
    policy = page_for(alice).get("/profile/")["Content-Security-Policy"]
    form_action = next(part for part in policy.split("; ") if part.startswith("form-action"))
    assert "https://accounts.spotify.com" in form_action.split()
