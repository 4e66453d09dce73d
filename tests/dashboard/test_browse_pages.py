"""Issue 17's search and browsing, read from the local fake Spotify API: Top results from one call, "More"
paging, pasted links opening the item, grouped releases with the discography dialog, disc headers."""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask
from tests.dashboard.conftest import messages_of, post
from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(page_for, alice, spotify_api):
    return page_for(alice)


def _search_calls(spotify_api) -> list:
    """Search calls of the page (the Spotify banner's health check searches an ISRC too)."""
    return [r for r in spotify_api.requests if r.path.endswith("/search") and "isrc:" not in r.query["q"]]


def test_the_top_results_come_from_one_search_call_within_the_limit(page, spotify_api) -> None:
    body = page.get("/search/", {"q": "Test Pattern"}).content.decode()
    assert 'aria-current="page">Top results' in body
    for heading in ("Tracks", "Albums", "Artists"):
        assert f">{heading}</h2>" in body
    calls = _search_calls(spotify_api)
    assert len(calls) == 1 and calls[0].query["type"] == "track,album,artist,playlist"
    assert int(calls[0].query["limit"]) <= 10 and calls[0].status == 200


def test_track_results_name_their_album(page) -> None:
    body = page.get("/search/", {"q": "Four Forty", "type": "track"}).content.decode()
    assert f'from <a href="/album/{IDS.small_album}/">Sine Waves</a>' in body


def test_more_asks_spotify_for_one_more_page_of_ten(page, spotify_api) -> None:
    body = page.get("/search/", {"q": "Prolific", "type": "album"}).content.decode()
    assert body.count('class="card"') == 10 and "page=2" in body
    spotify_api.clear_requests()
    body = page.get("/search/", {"q": "Prolific", "type": "album", "page": 2}).content.decode()
    assert body.count('class="card"') == 20 and "page=3" in body
    calls = _search_calls(spotify_api)
    assert calls and all(int(r.query["limit"]) <= 10 and r.status == 200 for r in calls)


@pytest.mark.parametrize(
    ("pasted", "target"),
    [
        (f"https://open.spotify.com/intl-de/album/{IDS.small_album}?si=abc123", f"/album/{IDS.small_album}/"),
        (f"spotify:artist:{IDS.artist}", f"/artist/{IDS.artist}/"),
        (f"open.spotify.com/track/{IDS.track}", f"/track/{IDS.track}/"),
        (f"https://open.spotify.com/playlist/{IDS.small_playlist}", f"/playlist/{IDS.small_playlist}/"),
    ],
)
def test_a_pasted_link_or_uri_opens_the_item(page, spotify_api, pasted: str, target: str) -> None:
    response = page.get("/search/", {"q": pasted})
    assert response.status_code == 302 and response["Location"] == target
    assert not _search_calls(spotify_api)


def test_a_bare_id_opens_whatever_kind_spotify_knows_it_as(page, spotify_api) -> None:
    response = page.get("/search/", {"q": IDS.artist})
    assert response.status_code == 302 and response["Location"] == f"/artist/{IDS.artist}/"
    assert not _search_calls(spotify_api)


def test_a_bare_id_nothing_answers_to_is_searched_as_text(page, spotify_api) -> None:
    response = page.get("/search/", {"q": "Zz00000000000000000000"})
    assert response.status_code == 200 and "Nothing found" in response.content.decode()
    assert len(_search_calls(spotify_api)) == 1


def test_the_artist_page_costs_one_call_per_group(page, spotify_api) -> None:
    body = page.get(f"/artist/{IDS.big_artist}/").content.decode()
    assert "All 30 albums →" in body and "All 15 singles →" in body
    listings = [r for r in spotify_api.requests if r.path.endswith("/albums")]
    assert len(listings) == 4 and all(int(r.query["limit"]) <= 10 for r in listings)


def test_the_discography_dialog_ticks_the_watch_settings_groups_and_counts(page) -> None:
    body = page.get(f"/artist/{IDS.artist}/").content.decode()
    assert 'id="discography-dialog"' in body
    assert 'value="album" data-releases="3" data-tracks="71" data-complete="1" checked' in body
    assert 'value="appears_on" data-releases="0"' in body and "Queues 4 releases · 72 tracks." in body


@pytest.mark.usefixtures("queued_only")
def test_the_discography_dialog_queues_only_the_chosen_groups(page) -> None:
    response = post(
        page,
        f"/download/artist/{IDS.artist}/",
        {"groups_chosen": "1", "album_type": ["single"]},
        follow=True,
    )
    assert list(DownloadTask.objects.values_list("name", flat=True)) == ["Square Wave"]
    assert any("1 album" in text or "Queued" in text for text in messages_of(response))


def test_the_discography_dialog_refuses_no_group(page) -> None:
    response = post(page, f"/download/artist/{IDS.artist}/", {"groups_chosen": "1"}, follow=True)
    assert "Choose at least one release group." in " ".join(messages_of(response))
    assert not DownloadTask.objects.exists()


def test_a_multi_disc_album_shows_disc_headers(page) -> None:
    body = page.get(f"/album/{IDS.two_disc_album}/").content.decode()
    assert ">Disc 1</th>" in body and ">Disc 2</th>" in body
    single_disc = page.get(f"/album/{IDS.small_album}/").content.decode()
    assert "Disc 1" not in single_disc
