"""Checking a watched artist: new releases of the chosen album types are queued as album downloads."""

from __future__ import annotations

import pytest

from downloads.models import DownloadTask
from tests.fakes.spotify_api import IDS
from tests.watching.conftest import downloads_of
from watching.models import ItemStatus, WatchItem, WatchKind
from watching.services import watch_artist_add

pytestmark = pytest.mark.django_db

ARTIST = IDS.artist


def _artist_check(check) -> str:
    return check(ARTIST, kind=WatchKind.ARTIST)


def test_adding_an_artist_marks_its_existing_releases_known(spotify, alice) -> None:
    watch, created = watch_artist_add(user=alice, artist_id=ARTIST)

    assert created and watch.album_types == ["album", "single"]
    assert set(watch.states.values_list("item_id", flat=True)) == {
        IDS.small_album,
        IDS.two_disc_album,
        IDS.big_album,
        IDS.single,
    }
    assert set(watch.states.values_list("status", flat=True)) == {ItemStatus.KNOWN}
    assert DownloadTask.objects.count() == 0


def test_a_new_release_of_a_watched_type_is_queued_as_an_album_download(spotify, alice, check) -> None:
    watch_artist_add(user=alice, artist_id=ARTIST)
    single = spotify.catalog.artist_add_release(ARTIST, "Fresh Single", album_group="single", tracks=1)

    result = _artist_check(check)

    assert downloads_of(alice, "album") == [single]
    assert result.startswith("1 added, 0 removed")


def test_a_new_release_of_a_type_the_watcher_left_out_is_remembered_but_not_queued(
    spotify, alice, check
) -> None:
    watch_artist_add(user=alice, artist_id=ARTIST, album_types=["album"])
    single = spotify.catalog.artist_add_release(ARTIST, "Fresh Single", album_group="single", tracks=1)

    _artist_check(check)

    assert DownloadTask.objects.count() == 0
    assert WatchItem.objects.get(spotify_id=single).album_group == "single"


def test_a_release_the_artist_only_appears_on_is_never_filed_as_their_compilation(
    spotify, alice, check
) -> None:
    """GIVEN a 2026 app (items without album_group) and a watch of albums and compilations
    WHEN the artist turns up on another artist's compilation
    THEN it is filed as appears_on and not queued."""
    watch_artist_add(user=alice, artist_id=ARTIST, album_types=["album", "compilation"])
    guest = spotify.catalog.artist_add_release(ARTIST, "Various Hits", album_group="appears_on")
    own = spotify.catalog.artist_add_release(ARTIST, "Own Best Of", album_group="compilation")

    _artist_check(check)

    assert WatchItem.objects.get(spotify_id=guest).album_group == "appears_on"
    assert downloads_of(alice, "album") == [own]


def test_download_existing_queues_every_release_of_the_chosen_types(spotify, alice, check) -> None:
    watch_artist_add(user=alice, artist_id=ARTIST, album_types=["single"], download_existing=True)

    _artist_check(check)

    assert downloads_of(alice, "album") == [IDS.single]


def test_every_page_of_releases_is_read_in_one_check(spotify, alice, check) -> None:
    watch_artist_add(user=alice, artist_id=IDS.big_artist, album_types=["compilation"])
    spotify.catalog.artist_add_release(IDS.big_artist, "Late Compilation", album_group="compilation")
    spotify.clear_requests()

    check(IDS.big_artist, kind=WatchKind.ARTIST)

    listings = [r for r in spotify.requests if r.path.endswith("/albums")]
    asked = [(r.query["include_groups"], r.query["offset"], r.query["limit"]) for r in listings]
    expected = [("album", "0", "10"), ("album", "10", "10"), ("album", "20", "10"), ("single", "0", "10")]
    expected += [("single", "10", "10"), ("compilation", "0", "10"), ("appears_on", "0", "10")]
    assert sorted(asked) == sorted(expected)  # pages of 10, one listing per group, no page asked twice
    assert WatchItem.objects.filter(target__spotify_id=IDS.big_artist).count() == 61
    assert len(downloads_of(alice, "album")) == 1


def test_watch_new_releases_off_queues_nothing(spotify, alice, check) -> None:
    watch_artist_add(user=alice, artist_id=ARTIST, watch_new_releases=False)
    spotify.catalog.artist_add_release(ARTIST, "Fresh Album")

    _artist_check(check)

    assert DownloadTask.objects.count() == 0


def test_watching_again_with_more_album_types_does_not_download_their_past_releases(
    spotify, alice, check
) -> None:
    """GIVEN alice watches albums only and a single came out meanwhile (seen by a check, not for her)
    WHEN she adds singles to her album types THEN that single is known, not queued at the next check."""
    watch_artist_add(user=alice, artist_id=ARTIST, album_types=["album"])
    single = spotify.catalog.artist_add_release(ARTIST, "Fresh Single", album_group="single", tracks=1)
    _artist_check(check)

    watch, created = watch_artist_add(user=alice, artist_id=ARTIST, album_types=["album", "single"])
    result = _artist_check(check)

    assert not created and watch.album_types == ["album", "single"]
    assert result.endswith("0 queued")
    assert watch.states.get(item_id=single).status == ItemStatus.KNOWN


def test_two_watchers_of_one_artist_each_get_their_own_album_types(spotify, alice, bob, check) -> None:
    watch_artist_add(user=alice, artist_id=ARTIST, album_types=["album"])
    watch_artist_add(user=bob, artist_id=ARTIST, album_types=["single"])
    album = spotify.catalog.artist_add_release(ARTIST, "Fresh Album")
    single = spotify.catalog.artist_add_release(ARTIST, "Fresh Single", album_group="single", tracks=1)

    _artist_check(check)

    assert (downloads_of(alice, "album"), downloads_of(bob, "album")) == ([album], [single])
