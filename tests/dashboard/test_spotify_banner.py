"""The banner on every dashboard page while Spotify cannot be used, linking admins to the credentials."""

from __future__ import annotations

import pytest

from settings_app.services import credential_update
from tests.fakes.spotify_api import FakeSpotify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/queue/", "/history/", "/watchlist/", "/profile/"])
def test_every_page_shows_the_premium_lapse(page_for, alice, spotify_api: FakeSpotify, url: str) -> None:
    spotify_api.lapse_premium()
    body = page_for(alice).get(url).content.decode()
    assert 'data-spotify-status="owner_not_premium"' in body and "renew Premium" in body
    assert "Tell an administrator" in body


def test_admins_get_a_link_to_the_credentials_page(page_for, admin_user, spotify_api: FakeSpotify) -> None:
    spotify_api.exhaust_quota()
    body = page_for(admin_user).get("/queue/").content.decode()
    assert 'data-spotify-status="quota_exhausted"' in body
    assert 'href="/settings/credentials/"' in body


def test_there_is_no_banner_while_spotify_works(page_for, alice, spotify_api: FakeSpotify) -> None:
    assert "spotify-banner" not in page_for(alice).get("/queue/").content.decode()


def test_pages_share_one_cached_check(page_for, alice, spotify_api: FakeSpotify) -> None:
    page = page_for(alice)
    for url in ("/queue/", "/history/", "/watchlist/"):
        page.get(url)
    assert spotify_api.api_calls() == 1


def test_the_banner_clears_once_the_credentials_are_fixed(page_for, alice, spotify_api: FakeSpotify) -> None:
    credential_update(service="spotify", name="test", client_secret="wrong")
    page = page_for(alice)
    assert 'data-spotify-status="credentials_rejected"' in page.get("/queue/").content.decode()
    credential_update(service="spotify", name="test", client_secret=spotify_api.client_secret)
    assert "spotify-banner" not in page.get("/queue/").content.decode()


def test_anonymous_visitors_see_no_banner_and_cause_no_call(page_for, spotify_api: FakeSpotify) -> None:
    spotify_api.lapse_premium()
    assert "spotify-banner" not in page_for(None).get("/login/").content.decode()
    assert spotify_api.api_calls() == 0
