"""Upgrades: a preview in the library gives way to the full file once it is owned, and with
``upgradeToLossless`` an MP3 to a FLAC: in place, atomically, tags, index, history and M3U updated."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.fulfilment import UPGRADED_NOTE, inbox_scan
from downloads.models import DownloadTask, LibraryFile, TaskStatus, TrackJob
from downloads.tag_reading import read_tags
from downloads.tagging import PREVIEW_COMMENT
from library_history.models import HistoryEntry, HistoryTrack
from tests.downloads.queueing import download
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]

SONG = "The Test Pattern/Sine Waves/01. Four Forty"
MP3, FLAC = f"{SONG}.mp3", f"{SONG}.flac"


def m3u_paths(root: Path, name: str = "Fixture Mix") -> list[str]:
    return (root / "playlists" / f"{name}.m3u").read_text(encoding="utf-8").splitlines()[2::2]


@pytest.fixture
def preview_in_library(alice_client, library_root) -> DownloadTask:
    """The song, downloaded while no source had it but Spotify's preview clip."""
    task = download(alice_client, "track", IDS.track)
    assert TrackJob.objects.get(task=task).is_preview and task.status == TaskStatus.COMPLETE
    return task


@pytest.mark.spotify_extended_quota  # the preview clip needs the old quota's preview_url
def test_the_owned_full_file_replaces_a_preview_in_place(
    preview_in_library, inbox_file, library_root
) -> None:
    path = library_root / MP3
    assert read_tags(path).get("comment") == PREVIEW_COMMENT

    inbox_file(IDS.track, seconds=3.0)
    result = inbox_scan()

    assert result.upgraded == 1 and path.is_file()
    assert read_tags(path).get("comment", "") != PREVIEW_COMMENT and read_tags(path)["isrc"]
    (stored,) = LibraryFile.objects.filter(spotify_id=IDS.track)
    assert (stored.relative_path, stored.is_preview, stored.source) == (MP3, False, "inbox")
    job = TrackJob.objects.get(task=preview_in_library)
    assert (job.is_preview, job.source, job.reason) == (False, "inbox", UPGRADED_NOTE)
    entry = HistoryEntry.objects.get(task_id=preview_in_library.pk)
    assert (entry.is_preview, entry.service) == (False, "inbox")
    assert inbox_scan().upgraded == 0  # nothing left to upgrade


@pytest.mark.spotify_extended_quota
@pytest.mark.usefixtures("engine", "spotify_owner_linked")
def test_an_upgrade_keeps_the_playlist_m3u_pointing_at_the_full_file(
    alice_client, inbox_file, library_root
) -> None:
    playlist = download(alice_client, "playlist", IDS.small_playlist)
    assert TrackJob.objects.get(task=playlist, position=1).is_preview

    inbox_file(IDS.track, ".flac", seconds=3.0)
    assert inbox_scan().upgraded == 1

    first = m3u_paths(library_root)[0]
    assert first == "../The Test Pattern/Sine Waves/01. Four Forty.flac"
    assert not (library_root / MP3).exists()
    assert (library_root / "playlists" / first).resolve().is_file()
    row = HistoryTrack.objects.get(parent__task_id=playlist.pk, position=1)
    assert (row.status, row.is_preview, row.reason) == ("completed", False, UPGRADED_NOTE)


@pytest.mark.spotify_extended_quota
def test_a_new_download_of_a_previewed_track_fetches_the_full_file(
    preview_in_library, alice_client, inbox_file, library_root
) -> None:
    inbox_file(IDS.track, seconds=3.0)

    task = download(alice_client, "track", IDS.track)

    job = TrackJob.objects.get(task=task)
    assert (task.status, job.is_preview, job.source) == (TaskStatus.COMPLETE, False, "inbox")
    assert [f.is_preview for f in LibraryFile.objects.filter(spotify_id=IDS.track)] == [False]


@pytest.mark.spotify_extended_quota
def test_a_new_download_keeps_the_preview_when_no_source_has_more(preview_in_library, alice_client) -> None:
    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.SKIPPED
    assert LibraryFile.objects.filter(spotify_id=IDS.track, is_preview=True).count() == 1


def test_with_upgrade_to_lossless_an_mp3_gives_way_to_a_flac(
    alice_client, inbox_file, library_root, configure
) -> None:
    mp3 = inbox_file(IDS.track, ".mp3")
    task = download(alice_client, "track", IDS.track)
    assert (library_root / MP3).is_file()
    mp3.unlink()
    inbox_file(IDS.track, ".flac")

    assert inbox_scan().upgraded == 0  # off by default
    configure(upgradeToLossless=True)
    assert inbox_scan().upgraded == 1

    assert not (library_root / MP3).exists()
    assert read_tags(library_root / FLAC)["isrc"]
    assert list(LibraryFile.objects.values_list("relative_path", flat=True)) == [FLAC]
    job = TrackJob.objects.get(task=task)
    assert (job.file_path, job.reason) == (FLAC, UPGRADED_NOTE)
    assert HistoryEntry.objects.get(task_id=task.pk).file_path.endswith(".flac")
    assert inbox_scan().upgraded == 0
