"""Catalog pages show what the library holds: a badge per track and per release, and "Download
missing"; the library state costs a fixed number of queries however many tracks a page shows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from downloads.models import DownloadTask
from tests.dashboard.conftest import messages_of, post
from tests.fakes.library_files import put_file, want
from tests.fakes.spotify_api import IDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(page_for, alice, spotify_api):
    return page_for(alice)


def _badges(body: str) -> list[str]:
    return re.findall(r'data-library="([a-z]+)"[^>]*>([^<]+)<', body)


def test_album_rows_show_in_library_preview_only_and_wanted_and_nothing_when_missing(
    page, alice, library_root, spotify_api
) -> None:
    first, second, third = spotify_api.catalog.albums[IDS.small_album].track_ids
    put_file(library_root, first)
    put_file(library_root, second, extension=".mp3", preview=True)
    want(alice, third)

    body = page.get(f"/album/{IDS.small_album}/").content.decode()

    assert _badges(body) == [
        ("present", "In library · FLAC"),
        ("preview", "Preview only"),
        ("wanted", "Wanted"),
    ]
    assert "Download missing" in body


def test_a_fully_present_album_offers_no_download_missing(page, library_root, spotify_api) -> None:
    for track_id in spotify_api.catalog.albums[IDS.small_album].track_ids:
        put_file(library_root, track_id)
    body = page.get(f"/album/{IDS.small_album}/").content.decode()
    assert "Download missing" not in body
    assert [text for _, text in _badges(body)] == ["In library · FLAC"] * 3


def test_the_track_page_shows_its_badge(page, library_root) -> None:
    put_file(library_root, IDS.track, extension=".mp3", preview=True)
    body = page.get(f"/track/{IDS.track}/").content.decode()
    assert _badges(body) == [("preview", "Preview only")]


def test_artist_releases_show_in_library_a_count_or_preview_only(page, library_root, spotify_api) -> None:
    for track_id in spotify_api.catalog.albums[IDS.single].track_ids:
        put_file(library_root, track_id, album_id=IDS.single)
    for track_id in spotify_api.catalog.albums[IDS.two_disc_album].track_ids[:3]:
        put_file(library_root, track_id, album_id=IDS.two_disc_album)
    put_file(library_root, IDS.track, preview=True, album_id=IDS.small_album)

    body = page.get(f"/artist/{IDS.artist}/").content.decode()

    assert sorted(text for _, text in _badges(body)) == ["3 of 8", "In library", "Preview only"]


def test_download_missing_queues_the_album_with_only_its_missing_tracks(
    page, alice, queued_only, spotify_api
) -> None:
    response = post(page, f"/download/album/{IDS.small_album}/", {"missing_only": "1"}, follow=True)
    assert any(m.startswith("Queued the missing tracks of “Sine Waves”.") for m in messages_of(response))
    task = DownloadTask.objects.get(owner=alice)
    assert task.original_request["missing_only"] is True


def _queries(client, url: str) -> list[str]:
    client.get(url)  # the Spotify answers cached: what is left is the page's own work
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _library_queries(sql: list[str]) -> int:
    return sum(1 for text in sql if "downloads_libraryfile" in text or "downloads_wantedtrack" in text)


def test_a_50_track_album_page_costs_as_many_queries_with_a_full_library_as_with_none(
    page, alice, library_root, spotify_api
) -> None:
    url = f"/album/{IDS.big_album}/"
    empty = _queries(page, url)
    for number, track_id in enumerate(spotify_api.catalog.albums[IDS.big_album].track_ids):
        if number % 2:
            put_file(library_root, track_id, album_id=IDS.big_album)
        else:
            want(alice, track_id)
    full = _queries(page, url)
    assert len(_badges(page.get(url).content.decode())) == 50
    assert len(full) == len(empty) <= 15
    assert _library_queries(full) == 2  # one for files, one for wanted rows


@pytest.mark.usefixtures("spotify_owner_linked")
def test_a_50_entry_playlist_page_costs_as_many_queries_with_a_full_library_as_with_none(
    page, alice, library_root, spotify_api
) -> None:
    url = f"/playlist/{IDS.big_playlist}/"
    empty = _queries(page, url)
    entries = spotify_api.catalog.playlists[IDS.big_playlist].entries[:50]
    for number, entry in enumerate(entries):
        if entry.kind == "track" and number % 3 == 0:
            put_file(library_root, entry.item_id)
        elif entry.kind == "track" and number % 3 == 1:
            want(alice, entry.item_id)
    full = _queries(page, url)
    assert len(_badges(page.get(url).content.decode())) > 30
    assert len(full) == len(empty) <= 18
    assert _library_queries(full) == 2
