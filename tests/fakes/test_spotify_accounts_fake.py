"""The fake Spotify's 2026 rules for playlists, its Accounts service and its user endpoints, one rule a
test (plain HTTP against the fake; the product is tested elsewhere)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.fakes.spotify_api import IDS, FakeSpotify

REDIRECT = "http://127.0.0.1:7171/api/spotify/account/callback"
SCOPES = "playlist-read-private playlist-read-collaborative user-library-read user-follow-read"


@pytest.fixture
def fake() -> Iterator[FakeSpotify]:
    with FakeSpotify() as server:
        server.accounts.add_user("fixture-user", "Fixture User", liked=[IDS.track, IDS.explicit_track])
        server.accounts.add_user("stranger", "Stranger")
        yield server


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _authorize(fake: FakeSpotify, verifier: str, *, scope: str = SCOPES, redirect: str = REDIRECT) -> dict:
    answer = requests.get(
        f"{fake.accounts_url}/authorize",
        params={
            "client_id": fake.client_id,
            "response_type": "code",
            "redirect_uri": redirect,
            "state": "st4te",
            "scope": scope,
            "code_challenge": _challenge(verifier),
            "code_challenge_method": "S256",
        },
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(redirect)
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def _token(fake: FakeSpotify, **form: str) -> requests.Response:
    return requests.post(fake.token_url, data={"client_id": fake.client_id, **form}, timeout=5)


def _login(fake: FakeSpotify, user_id: str, scope: str = SCOPES) -> dict:
    fake.accounts.login_as(user_id)
    verifier = secrets.token_urlsafe(48)
    code = _authorize(fake, verifier, scope=scope)["code"]
    answer = _token(
        fake, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier=verifier
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _app_token(fake: FakeSpotify) -> str:
    answer = requests.post(
        fake.token_url,
        data={"grant_type": "client_credentials"},
        auth=(fake.client_id, fake.client_secret),
        timeout=5,
    )
    return answer.json()["access_token"]


def _get(fake: FakeSpotify, path: str, token: str, **params: str) -> requests.Response:
    return requests.get(
        f"{fake.api_url}{path}", params=params, headers={"Authorization": f"Bearer {token}"}, timeout=5
    )


def test_playlist_items_refuse_an_app_token(fake: FakeSpotify) -> None:
    assert _get(fake, f"playlists/{IDS.small_playlist}/items", _app_token(fake)).status_code == 403


def test_playlist_items_refuse_a_user_who_neither_owns_nor_collaborates(fake: FakeSpotify) -> None:
    token = _login(fake, "stranger")["access_token"]
    assert _get(fake, f"playlists/{IDS.small_playlist}/items", token).status_code == 403


def test_playlist_items_answer_the_owner(fake: FakeSpotify) -> None:
    token = _login(fake, "fixture-user")["access_token"]
    answer = _get(fake, f"playlists/{IDS.small_playlist}/items", token)
    assert answer.status_code == 200
    assert answer.json()["total"] == 5


def test_playlist_items_answer_a_collaborator(fake: FakeSpotify) -> None:
    shared = fake.catalog.add_playlist("Shared", track_ids=[IDS.track], collaborators=["stranger"])
    token = _login(fake, "stranger")["access_token"]
    assert _get(fake, f"playlists/{shared}/items", token).status_code == 200


def test_the_legacy_tracks_path_answers_403_even_to_the_owner(fake: FakeSpotify) -> None:
    token = _login(fake, "fixture-user")["access_token"]
    assert _get(fake, f"playlists/{IDS.small_playlist}/tracks", token).status_code == 403


def test_playlist_metadata_answers_without_the_items_page_when_items_are_unreadable(
    fake: FakeSpotify,
) -> None:
    body = _get(fake, f"playlists/{IDS.small_playlist}", _app_token(fake)).json()
    assert body["name"] == "Fixture Mix"
    assert body["owner"]["id"] == "fixture-user"
    assert "items" not in body["items"]  # only {href, total}
    assert body["items"]["total"] == 5


def test_extended_quota_restores_app_token_playlist_reads() -> None:
    with FakeSpotify(extended_quota=True) as old:
        assert old.extended_quota is True
        answer = _get(old, f"playlists/{IDS.small_playlist}/items", _app_token(old))
        assert answer.status_code == 200
        assert (
            len(_get(old, f"playlists/{IDS.small_playlist}", _app_token(old)).json()["items"]["items"]) == 5
        )


def test_authorize_refuses_a_plain_http_redirect_that_is_not_a_loopback_ip(fake: FakeSpotify) -> None:
    fake.accounts.login_as("fixture-user")
    for redirect in ("http://localhost:7171/cb", "http://192.168.1.10:7171/cb"):
        answer = requests.get(
            f"{fake.accounts_url}/authorize",
            params={
                "client_id": fake.client_id,
                "response_type": "code",
                "redirect_uri": redirect,
                "code_challenge": "x",
                "code_challenge_method": "S256",
            },
            allow_redirects=False,
            timeout=5,
        )
        assert answer.status_code == 400


def test_authorize_redirects_back_with_the_state_and_an_error_when_denied(fake: FakeSpotify) -> None:
    fake.accounts.login_as("fixture-user")
    fake.accounts.deny_next()
    assert _authorize(fake, "v" * 50) == {"error": "access_denied", "state": "st4te"}


def test_the_token_endpoint_checks_the_pkce_verifier(fake: FakeSpotify) -> None:
    fake.accounts.login_as("fixture-user")
    code = _authorize(fake, "the-right-verifier-" + "x" * 30)["code"]
    wrong = _token(
        fake, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier="w" * 50
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"


def test_an_authorization_code_is_single_use(fake: FakeSpotify) -> None:
    fake.accounts.login_as("fixture-user")
    verifier = "v" * 50
    code = _authorize(fake, verifier)["code"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }
    assert _token(fake, **form).status_code == 200
    assert _token(fake, **form).json()["error"] == "invalid_grant"


def test_a_refresh_token_gives_a_new_access_token_once_the_old_expired(fake: FakeSpotify) -> None:
    first = _login(fake, "fixture-user")
    fake.expire_tokens()
    assert _get(fake, "me", first["access_token"]).status_code == 401
    again = _token(fake, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert again.status_code == 200
    assert _get(fake, "me", again.json()["access_token"]).json()["id"] == "fixture-user"
    reused = _token(fake, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reused.json()["error"] == "invalid_grant"  # rotated


def test_me_needs_a_user_token(fake: FakeSpotify) -> None:
    assert _get(fake, "me", _app_token(fake)).status_code == 401
    body = _get(fake, "me", _login(fake, "fixture-user")["access_token"]).json()
    assert body == {**body, "id": "fixture-user", "display_name": "Fixture User"}
    assert "country" not in body and "email" not in body and "product" not in body


def test_me_playlists_lists_owned_collaborative_and_followed_playlists(fake: FakeSpotify) -> None:
    shared = fake.catalog.add_playlist("Shared", track_ids=[IDS.track], collaborators=["stranger"])
    theirs = fake.catalog.add_playlist("Theirs", track_ids=[IDS.track], owner_id="someone-else")
    fake.accounts.users["stranger"].saved_playlists.append(theirs)
    body = _get(fake, "me/playlists", _login(fake, "stranger")["access_token"], limit="50").json()
    assert {item["id"] for item in body["items"]} == {shared, theirs}


def test_me_tracks_lists_liked_songs_newest_first_and_needs_the_library_scope(fake: FakeSpotify) -> None:
    token = _login(fake, "fixture-user")["access_token"]
    body = _get(fake, "me/tracks", token, limit="1").json()
    assert [item["track"]["id"] for item in body["items"]] == [IDS.track]
    assert body["total"] == 2 and body["next"]
    narrow = _login(fake, "fixture-user", scope="playlist-read-private")["access_token"]
    assert _get(fake, "me/tracks", narrow).status_code == 403


def test_me_following_pages_artists_with_a_cursor(fake: FakeSpotify) -> None:
    fake.accounts.users["fixture-user"].followed = [IDS.artist, IDS.big_artist, IDS.featured_artist]
    token = _login(fake, "fixture-user")["access_token"]
    seen: list[str] = []
    params = {"type": "artist", "limit": "2"}
    while True:
        page = _get(fake, "me/following", token, **params).json()["artists"]
        seen.extend(item["id"] for item in page["items"])
        if not page["next"]:
            break
        params["after"] = page["cursors"]["after"]
    assert sorted(seen) == sorted([IDS.artist, IDS.big_artist, IDS.featured_artist])
    assert len(seen) == 3
