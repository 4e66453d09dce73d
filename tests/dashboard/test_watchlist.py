"""The Watch toggle and the watchlist's Check now and Remove."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import messages_of, post
from tests.fakes.spotify_api import IDS
from watching.models import Watch

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spotify_owner_linked", "queued_only")]


def test_it_watches_a_playlist_from_its_page_and_lists_it(page_for, alice) -> None:
    page = page_for(alice)
    response = post(
        page,
        f"/watch/playlist/{IDS.small_playlist}/",
        {"action": "add", "next": f"/playlist/{IDS.small_playlist}/"},
        follow=True,
    )
    assert Watch.objects.filter(user=alice, target__spotify_id=IDS.small_playlist).exists()
    assert any(text.startswith("Watching “Fixture Mix”") for text in messages_of(response))
    assert 'aria-pressed="true"' in response.content.decode()
    body = page.get("/watchlist/").content.decode()
    assert "Fixture Mix" in body and "Check now" in body


def test_it_watches_an_artist(page_for, alice) -> None:
    post(page_for(alice), f"/watch/artist/{IDS.artist}/", {"action": "add"})
    assert Watch.objects.filter(user=alice, target__kind="artist").exists()


def test_it_checks_now_and_removes(page_for, alice) -> None:
    page = page_for(alice)
    post(page, f"/watch/playlist/{IDS.small_playlist}/", {"action": "add"})
    response = post(page, f"/watch/playlist/{IDS.small_playlist}/check/", follow=True)
    assert any("A check was asked for" in text for text in messages_of(response))
    response = post(page, f"/watch/playlist/{IDS.small_playlist}/", {"action": "remove"}, follow=True)
    assert "Stopped watching this playlist." in messages_of(response)
    assert not Watch.objects.exists()


def test_removing_a_watch_you_do_not_have_says_so(page_for, alice) -> None:
    response = post(
        page_for(alice), f"/watch/playlist/{IDS.small_playlist}/", {"action": "remove"}, follow=True
    )
    assert any("not on your watch list" in text for text in messages_of(response))
