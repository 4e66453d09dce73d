"""Lyrics from a local LRCLIB through the real pipeline: embedded, as .lrc sidecars, or neither."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from downloads.models import DownloadTask, LibraryFile, LyricsLookup, TaskStatus
from downloads.tag_reading import read_tags
from library_history.models import HistoryTrack
from tests.fakes.http_service import down_url
from tests.fakes.lrclib import record
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]
ALBUM = "The Test Pattern/Sine Waves"


def download_album(client, album_id: str = IDS.small_album) -> DownloadTask:
    response = client.get(f"/api/album/download/{album_id}")
    assert response.status_code == 202, response.json()
    task = DownloadTask.objects.get(pk=response.json()["task_id"])
    assert task.status == TaskStatus.COMPLETE, task.error_message
    return task


@pytest.mark.parametrize("extension", [".mp3", ".flac", ".ogg", ".opus", ".m4a"])
def test_lyrics_are_embedded_and_written_next_to_every_format(
    alice_client, album_in_inbox, library_root: Path, lrclib, extension: str
) -> None:
    album_in_inbox(IDS.small_album, extension)

    download_album(alice_client)

    files = sorted((library_root / ALBUM).glob(f"*{extension}"))
    assert len(files) == 3
    for path in files:
        tags = read_tags(path)
        assert tags["lyrics"] == f"{tags['title']} line 1\n{tags['title']} line 2\n{tags['title']} line 3"
        sidecar = path.with_suffix(".lrc").read_text(encoding="utf-8")
        assert sidecar.startswith(f"[00:01.00] {tags['title']} line 1")


def test_the_embed_mode_writes_no_sidecar(
    alice_client, album_in_inbox, library_root, lrclib, configure
) -> None:
    configure(lyrics="embed")
    album_in_inbox(IDS.small_album)

    download_album(alice_client)

    assert list((library_root / ALBUM).glob("*.lrc")) == []
    assert all(read_tags(path)["lyrics"] for path in (library_root / ALBUM).glob("*.mp3"))


def test_the_lrc_mode_embeds_nothing(alice_client, album_in_inbox, library_root, lrclib, configure) -> None:
    configure(lyrics="lrc")
    album_in_inbox(IDS.small_album)

    download_album(alice_client)

    assert len(list((library_root / ALBUM).glob("*.lrc"))) == 3
    assert not any(read_tags(path)["lyrics"] for path in (library_root / ALBUM).glob("*.mp3"))


def test_off_asks_lrclib_nothing(alice_client, album_in_inbox, lrclib, configure) -> None:
    configure(lyrics="off")
    album_in_inbox(IDS.small_album)

    download_album(alice_client)

    assert lrclib.requests == []


def test_a_track_found_only_by_search_within_two_seconds_gets_lyrics(
    alice_client, album_in_inbox, library_root, lrclib, spotify_api
) -> None:
    lrclib.exact = False
    first = spotify_api.catalog.tracks[spotify_api.catalog.albums[IDS.small_album].track_ids[0]]
    lrclib.add(record(first.name, "The Test Pattern", first.duration_ms / 1000 + 1.5))
    album_in_inbox(IDS.small_album)

    download_album(alice_client)

    assert read_tags(library_root / ALBUM / "01. Four Forty.mp3")["lyrics"].startswith("Four Forty line 1")
    assert len(lrclib.seen("/api/search")) == 3


def test_a_duration_off_by_more_than_two_seconds_is_no_match(
    alice_client, album_in_inbox, library_root, lrclib, spotify_api
) -> None:
    first = spotify_api.catalog.tracks[spotify_api.catalog.albums[IDS.small_album].track_ids[0]]
    lrclib.add(record(first.name, "The Test Pattern", first.duration_ms / 1000 + 5))
    album_in_inbox(IDS.small_album)

    task = download_album(alice_client)

    assert read_tags(library_root / ALBUM / "01. Four Forty.mp3")["lyrics"] == ""
    child = HistoryTrack.objects.get(parent__task_id=task.pk, position=1)
    assert child.lyrics == "missing" and child.status == "completed"


def test_history_children_say_what_was_found(alice_client, album_in_inbox, lrclib, spotify_api) -> None:
    second = spotify_api.catalog.tracks[spotify_api.catalog.albums[IDS.small_album].track_ids[1]]
    lrclib.add(record(second.name, "The Test Pattern", second.duration_ms / 1000, instrumental=True))
    album_in_inbox(IDS.small_album)

    task = download_album(alice_client)

    response = alice_client.get(f"/api/history/{task.pk}/children")

    assert response.status_code == 200, response.json()
    rows = response.json()["children"]
    assert [row["lyrics"] for row in sorted(rows, key=lambda row: row["position"])] == [
        "synced",
        "instrumental",
        "synced",
    ]


def test_a_miss_is_not_asked_again_within_a_week(alice_client, album_in_inbox, lrclib) -> None:
    lrclib.records.clear()
    album_in_inbox(IDS.small_album)
    download_album(alice_client)
    asked = len(lrclib.requests)
    LibraryFile.objects.all().delete()
    album_in_inbox(IDS.small_album)

    download_album(alice_client)

    assert len(lrclib.requests) == asked
    LyricsLookup.objects.update(checked_at=timezone.now() - timedelta(days=8))
    LibraryFile.objects.all().delete()
    album_in_inbox(IDS.small_album)
    download_album(alice_client)
    assert len(lrclib.requests) == asked * 2


@pytest.mark.parametrize("fault", ["down", "slow", "401"])
def test_an_unusable_lrclib_never_fails_a_track(
    alice_client, album_in_inbox, library_root, lrclib, settings, fault: str
) -> None:
    if fault == "down":
        settings.LRCLIB_URL = down_url()
    else:
        lrclib.fault, lrclib.delay = fault, 2.0
        settings.INTEGRATION_TIMEOUT_SECONDS = 0.5
    album_in_inbox(IDS.small_album)

    task = download_album(alice_client)

    assert task.summary["total_successful"] == 3
    children = HistoryTrack.objects.filter(parent__task_id=task.pk)
    assert {child.lyrics for child in children} == {"error"}
    assert not list((library_root / ALBUM).glob("*.lrc"))
