"""The admin lists watched playlists and artists and can ask for checks now."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.fakes.spotify_api import IDS
from watching.models import WatchTarget
from watching.services import watch_playlist_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(admin_user) -> Client:
    browser = Client()
    browser.force_login(admin_user)
    return browser


def test_the_admin_lists_watched_playlists_with_their_watchers(spotify, alice, admin_browser) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    target = WatchTarget.objects.get()

    listing = admin_browser.get("/admin/watching/watchtarget/").content.decode()
    page = admin_browser.get(f"/admin/watching/watchtarget/{target.pk}/change/").content.decode()

    assert "Fixture Mix" in listing
    assert "alice" in page


def test_the_check_now_action_makes_the_watch_due(spotify, alice, admin_browser, later) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    target = WatchTarget.objects.get()

    admin_browser.post(
        "/admin/watching/watchtarget/", {"action": "check_now", "_selected_action": [target.pk]}
    )

    target.refresh_from_db()
    assert target.next_check_at <= later()
