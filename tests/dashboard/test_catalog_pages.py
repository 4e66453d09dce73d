"""Search and the catalog pages, read from the local fake Spotify API."""

from __future__ import annotations

import re

import pytest

from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(page_for, alice, spotify_api):
    return page_for(alice)


def test_it_searches_one_type_at_a_time_with_cover_art(page) -> None:
    body = page.get("/search/", {"q": "Sine", "type": "album"}).content.decode()
    assert "Sine Waves" in body
    assert f'href="/album/{IDS.small_album}/"' in body
    assert re.search(r'<img class="cover" src="http://127\.0\.0\.1:\d+/images/', body)
    assert 'aria-current="page">Albums' in body


def test_it_offers_downloads_as_post_forms_never_as_links(page) -> None:
    body = page.get(f"/album/{IDS.small_album}/").content.decode()
    assert f'<form method="post" action="/download/album/{IDS.small_album}/"' in body
    assert 'href="/download/' not in body
    assert "csrfmiddlewaretoken" in body


def test_it_lists_an_albums_tracks(page) -> None:
    body = page.get(f"/album/{IDS.small_album}/").content.decode()
    for title in ("Four Forty", "Eight Eighty", "Either/Or: Live?"):
        assert title in body


def test_it_pages_long_albums(page) -> None:
    first = page.get(f"/album/{IDS.big_album}/").content.decode()
    assert "1–50 of 60" in first and "offset=50" in first
    second = page.get(f"/album/{IDS.big_album}/", {"offset": 50}).content.decode()
    assert "51–60 of 60" in second


def test_it_hides_explicit_tracks_when_the_filter_is_on(page) -> None:
    from settings_app.services import config_update

    config_update(changes={"explicitFilter": True})
    body = page.get(f"/album/{IDS.small_album}/").content.decode()
    assert "Either/Or: Live?" not in body
    assert "1 explicit item hidden" in body


@pytest.mark.usefixtures("spotify_owner_linked")  # alice owns the fixture playlists on Spotify
def test_it_shows_a_playlist_with_its_watch_toggle(page) -> None:
    body = page.get(f"/playlist/{IDS.small_playlist}/").content.decode()
    assert "Fixture Mix" in body
    assert f'action="/watch/playlist/{IDS.small_playlist}/"' in body
    assert 'command="show-modal">Watch</button>' in body


@pytest.mark.usefixtures("spotify_owner_linked")
def test_it_says_which_playlist_entries_cannot_be_downloaded(page) -> None:
    body = page.get(f"/playlist/{IDS.big_playlist}/").content.decode()
    assert "Not downloadable (Local file)" in body


def test_it_shows_an_artists_releases_grouped(page) -> None:
    body = page.get(f"/artist/{IDS.big_artist}/").content.decode()
    assert "Prolific Painter" in body
    for label, total in (("Albums", 30), ("Singles", 15), ("Compilations", 5), ("Appears on", 10)):
        assert f'{label} <span class="count">{total}</span>' in body


def test_one_group_of_an_artists_releases_is_paged_with_limits_of_ten(page, spotify_api) -> None:
    body = page.get(f"/artist/{IDS.big_artist}/", {"group": "album", "offset": 20}).content.decode()
    assert "21–30 of 30" in body
    calls = [r for r in spotify_api.requests if r.path.endswith("/albums")]
    assert calls and all(r.status == 200 and int(r.query["limit"]) <= 10 for r in calls)


def test_the_artist_page_clamps_an_offset_past_spotifys_bound(page, spotify_api) -> None:
    response = page.get(f"/artist/{IDS.big_artist}/", {"group": "single", "offset": 200_000})
    assert response.status_code == 200
    assert all(r.status == 200 for r in spotify_api.requests)


def test_it_shows_a_track(page) -> None:
    body = page.get(f"/track/{IDS.track}/").content.decode()
    assert "Four Forty" in body and "Sine Waves" in body


def test_it_says_when_spotify_does_not_know_an_id(page) -> None:
    response = page.get("/album/0000000000000000000000/")
    assert response.status_code == 404
    assert b"Album not available" in response.content


def test_it_tells_the_user_when_no_spotify_credentials_are_set(page_for, alice, spotify_server) -> None:
    response = page_for(alice).get("/search/", {"q": "x"})
    assert response.status_code == 400
    assert b"No Spotify API credentials are configured" in response.content
