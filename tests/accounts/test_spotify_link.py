"""Linking a Spotify account per user (PKCE against the fake Accounts service), its encrypted tokens,
refresh and unlinking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.db import connection
from django.utils import timezone

from accounts.models import SpotifyAccount, User
from accounts.spotify.services import spotify_user_token
from spotizerr.integrations.spotify import get_spotify_client
from tests.fakes.spotify_api import FakeSpotify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on")]


def _start(client, fake: FakeSpotify, spotify_user: str = "fixture-user") -> dict[str, str]:
    """POST link, then what Spotify's /authorize sends back (code and state)."""
    fake.accounts.add_user(spotify_user, "Fixture User")
    fake.accounts.login_as(spotify_user)
    answer = client.post("/api/spotify/account/link")
    assert answer.status_code == 200, answer.content
    url = answer.json()["authorize_url"]
    assert url.startswith(f"{fake.accounts_url}/authorize?")
    params = parse_qs(urlsplit(url).query)
    assert params["code_challenge_method"] == ["S256"] and "client_secret" not in params
    assert set(params["scope"][0].split()) >= {
        "playlist-read-private",
        "user-library-read",
        "user-follow-read",
    }
    back = requests.get(url, allow_redirects=False, timeout=5).headers["Location"]
    return {key: values[0] for key, values in parse_qs(urlsplit(back).query).items()}


def test_a_user_links_an_account_and_sees_it_without_tokens(alice_client, spotify_api: FakeSpotify) -> None:
    assert alice_client.get("/api/spotify/account").json()["linked"] is False
    query = _start(alice_client, spotify_api)
    answer = alice_client.get("/api/spotify/account/callback", query, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200, answer.content
    body = alice_client.get("/api/spotify/account").json()
    assert body["linked"] is True
    assert body["spotify_user"] == {"id": "fixture-user", "display_name": "Fixture User"}
    assert "user-library-read" in body["scopes"] and body["linked_at"]
    text = str(body)
    account = SpotifyAccount.objects.get()
    assert account.access_token_encrypted not in text and "token" not in "".join(body)


def test_the_callback_redirects_a_browser_to_the_profile_page(alice_client, spotify_api: FakeSpotify) -> None:
    query = _start(alice_client, spotify_api)
    answer = alice_client.get("/api/spotify/account/callback", query, HTTP_ACCEPT="text/html")
    assert answer.status_code == 302 and answer["Location"] == "/profile/"


def test_tokens_are_encrypted_in_the_database_column(alice: User, spotify_link: Callable) -> None:
    spotify_link(alice)
    token = spotify_user_token(user=alice).access(False)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token_encrypted, refresh_token_encrypted FROM accounts_spotifyaccount WHERE user_id = %s",
            [alice.pk],
        )
        access_raw, refresh_raw = cursor.fetchone()
    assert token not in access_raw and access_raw.startswith("gAAAA")  # Fernet
    assert refresh_raw.startswith("gAAAA") and len(refresh_raw) > 60


def test_a_state_is_single_use(alice_client, spotify_api: FakeSpotify) -> None:
    query = _start(alice_client, spotify_api)
    assert (
        alice_client.get("/api/spotify/account/callback", query, HTTP_ACCEPT="application/json").status_code
        == 200
    )
    again = alice_client.get("/api/spotify/account/callback", query, HTTP_ACCEPT="application/json")
    assert again.status_code == 400 and again.json()["code"] == "spotify_link_state_invalid"


def test_a_state_is_bound_to_the_user_who_started_it(
    alice_client, bob_client, spotify_api: FakeSpotify
) -> None:
    query = _start(alice_client, spotify_api)
    answer = bob_client.get("/api/spotify/account/callback", query, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "spotify_link_state_invalid"
    assert not SpotifyAccount.objects.exists()


def test_a_state_older_than_ten_minutes_is_refused(alice_client, spotify_api: FakeSpotify) -> None:
    from accounts.models import SpotifyLinkState

    query = _start(alice_client, spotify_api)
    SpotifyLinkState.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    answer = alice_client.get("/api/spotify/account/callback", query, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "spotify_link_state_invalid"


def test_a_denied_sign_in_links_nothing(alice_client, spotify_api: FakeSpotify) -> None:
    spotify_api.accounts.deny_next()
    query = _start(alice_client, spotify_api)
    answer = alice_client.get("/api/spotify/account/callback", query, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "spotify_link_failed"
    assert not SpotifyAccount.objects.exists()


def test_an_expiring_token_is_refreshed_before_use(
    alice: User, spotify_link: Callable, spotify_api: FakeSpotify
) -> None:
    spotify_link(alice)
    old = SpotifyAccount.objects.get()
    SpotifyAccount.objects.update(expires_at=timezone.now() + timedelta(seconds=30))
    spotify_api.clear_requests()
    profile = get_spotify_client(user=spotify_user_token(user=alice)).me()
    assert profile.id == "fixture-user"
    grants = [r for r in spotify_api.requests if r.path == "/api/token"]
    assert len(grants) == 1
    new = SpotifyAccount.objects.get()
    assert new.refresh_token_encrypted != old.refresh_token_encrypted
    assert new.expires_at > timezone.now() + timedelta(minutes=30)
    assert new.refreshed_at is not None


def test_a_token_spotify_expired_early_is_refreshed_after_the_401(
    alice: User, spotify_link: Callable, spotify_api: FakeSpotify
) -> None:
    spotify_link(alice)
    spotify_api.expire_tokens()
    client = get_spotify_client(user=spotify_user_token(user=alice))
    assert client.liked_snapshot().startswith("liked:")
    assert SpotifyAccount.objects.get().refreshed_at is not None


def test_unlinking_deletes_the_tokens(alice_client, alice: User, spotify_link: Callable) -> None:
    spotify_link(alice)
    answer = alice_client.delete("/api/spotify/account")
    assert answer.status_code == 200 and answer.json()["linked"] is False
    assert "spotify.com/account/apps" in answer.json()["message"]
    assert not SpotifyAccount.objects.exists()
    assert alice_client.get("/api/spotify/account").json()["linked"] is False


def test_linking_needs_spotify_credentials(alice_client, spotify_server: FakeSpotify) -> None:
    answer = alice_client.post("/api/spotify/account/link")
    assert answer.status_code == 400 and answer.json()["code"] == "spotify_not_configured"


def test_the_redirect_uri_follows_the_public_url_only_when_spotify_accepts_it(alice_client, settings) -> None:
    settings.PUBLIC_URL, settings.PORT = "https://music.example.org", 7171
    body = alice_client.get("/api/spotify/account").json()
    assert body["redirect_uri"] == "https://music.example.org/api/spotify/account/callback"
    assert body["redirect_direct"] is True
    settings.PUBLIC_URL = "http://192.168.1.10:8080"
    body = alice_client.get("/api/spotify/account").json()
    assert body["redirect_uri"] == "http://127.0.0.1:8080/api/spotify/account/callback"
    assert body["redirect_direct"] is False


@pytest.fixture
def private_keys(tmp_path, settings) -> None:
    """A private key file, so the rotation touches no other test's key."""
    settings.DATA_DIR, settings.ENCRYPTION_KEYS = tmp_path, []


def test_key_rotation_reencrypts_the_tokens_and_they_still_work(
    private_keys: None, alice: User, spotify_link: Callable
) -> None:
    from settings_app.services import credentials_reencrypt
    from spotizerr.lib import crypto

    spotify_link(alice)
    before = SpotifyAccount.objects.get()
    crypto.add_file_key()
    assert credentials_reencrypt() == 1 + 2  # the Spotify client secret and the two tokens
    after = SpotifyAccount.objects.get()
    assert after.access_token_encrypted != before.access_token_encrypted
    assert crypto.decrypt(after.access_token_encrypted) == crypto.decrypt(before.access_token_encrypted)
    assert get_spotify_client(user=spotify_user_token(user=alice)).me().id == "fixture-user"
