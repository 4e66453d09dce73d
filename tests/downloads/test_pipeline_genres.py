"""Genres through the real pipeline: Spotify's where it has them, else MusicBrainz by ISRC."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.models import DownloadTask, TaskStatus
from downloads.tag_reading import read_tags
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]
ALBUM = "The Test Pattern/Sine Waves"


def download_album(client) -> DownloadTask:
    response = client.get(f"/api/album/download/{IDS.small_album}")
    assert response.status_code == 202, response.json()
    task = DownloadTask.objects.get(pk=response.json()["task_id"])
    assert task.status == TaskStatus.COMPLETE, task.error_message
    return task


def genres_of(folder: Path, extension: str = ".mp3") -> list[list[str]]:
    return [read_tags(path)["genres"] for path in sorted(folder.glob(f"*{extension}"))]


@pytest.mark.parametrize("extension", [".mp3", ".flac", ".ogg", ".m4a"])
def test_spotify_genres_are_written_as_several_values(
    alice_client, album_in_inbox, library_root, musicbrainz, configure, extension: str
) -> None:
    configure(genres="both")
    album_in_inbox(IDS.small_album, extension)

    download_album(alice_client)

    assert genres_of(library_root / ALBUM, extension) == [["test pop", "sine wave"]] * 3
    assert musicbrainz.requests == []  # Spotify had genres: MusicBrainz is not asked


def test_musicbrainz_fills_in_when_spotify_has_none_with_one_lookup_per_album(
    alice_client, album_in_inbox, library_root, musicbrainz, spotify_api
) -> None:
    spotify_api.catalog.albums[IDS.small_album].genres = []
    for artist in spotify_api.catalog.artists.values():
        artist.genres = []
    album_in_inbox(IDS.small_album)

    download_album(alice_client)

    assert genres_of(library_root / ALBUM) == [["jazz", "electronic", "bebop"]] * 3
    assert len(musicbrainz.seen()) == 3  # isrc, release group, artist: once for the album


def test_the_musicbrainz_setting_skips_spotify_and_the_maximum_applies(
    alice_client, album_in_inbox, library_root, musicbrainz, configure
) -> None:
    configure(genres="musicbrainz", genresMax=2)
    album_in_inbox(IDS.small_album)

    download_album(alice_client)

    assert genres_of(library_root / ALBUM) == [["jazz", "electronic"]] * 3


def test_off_writes_no_genre(alice_client, album_in_inbox, library_root, musicbrainz, configure) -> None:
    configure(genres="off")
    album_in_inbox(IDS.small_album)

    download_album(alice_client)

    assert genres_of(library_root / ALBUM) == [[]] * 3 and musicbrainz.requests == []


@pytest.mark.parametrize("fault", ["slow", "500", "401"])
def test_a_broken_musicbrainz_leaves_genres_empty_and_the_tracks_done(
    alice_client, album_in_inbox, library_root, musicbrainz, configure, fault: str
) -> None:
    configure(genres="musicbrainz")
    musicbrainz.fault, musicbrainz.delay = fault, 2.0
    album_in_inbox(IDS.small_album)

    task = download_album(alice_client)

    assert task.summary["total_successful"] == 3
    assert genres_of(library_root / ALBUM) == [[]] * 3
