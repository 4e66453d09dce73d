"""Single-track downloads through the real pipeline: fake Spotify, the inbox and preview sources,
ffmpeg and mutagen, with the worker run inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.models import DownloadTask, LibraryFile, TaskStatus
from downloads.tag_reading import read_tags
from downloads.tagging import PREVIEW_COMMENT
from library_history.models import HistoryEntry
from tests.downloads.queueing import download
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]

TRACK_FILE = Path("The Test Pattern") / "Sine Waves" / "01. Four Forty.mp3"


def test_a_track_from_the_inbox_lands_in_the_library_tagged(alice_client, inbox_file, library_root) -> None:
    inbox_file(IDS.track)

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.COMPLETE and task.progress == 100
    tags = read_tags(library_root / TRACK_FILE)
    assert (tags["title"], tags["album"], tags["artists"], tags["track"], tags["track_total"]) == (
        "Four Forty",
        "Sine Waves",
        ["The Test Pattern"],
        1,
        3,
    )
    assert tags["isrc"] == DownloadTask.objects.get(pk=task.pk).track_jobs.get().track_data["isrc"]
    assert tags["url"] == f"https://open.spotify.com/track/{IDS.track}"
    assert tags["has_cover"] and tags["comment"] == ""


def test_the_album_cover_is_saved_next_to_the_track(alice_client, inbox_file, library_root) -> None:
    inbox_file(IDS.track)

    download(alice_client, "track", IDS.track)

    assert (library_root / TRACK_FILE).with_name("cover.jpg").read_bytes()[:3] == b"\xff\xd8\xff"


def test_save_cover_off_writes_no_cover_file(alice_client, inbox_file, library_root) -> None:
    inbox_file(IDS.track)

    download(alice_client, "track", IDS.track, "?saveCover=false")

    assert not (library_root / TRACK_FILE).with_name("cover.jpg").exists()


def test_a_finished_track_is_recorded_in_history_and_the_library_index(
    alice_client, alice, inbox_file
) -> None:
    inbox_file(IDS.track)

    task = download(alice_client, "track", IDS.track)

    entry = HistoryEntry.objects.get(task_id=task.pk)
    assert (entry.status, entry.service, entry.file_path, entry.owner) == (
        "completed",
        "inbox",
        TRACK_FILE.as_posix(),
        alice,
    )
    assert not entry.tracks.exists()
    assert LibraryFile.objects.get(spotify_id=IDS.track).relative_path == TRACK_FILE.as_posix()


def test_a_track_already_in_the_library_ends_skipped_without_fetching(
    alice_client, bob_client, inbox_file, inbox_root, library_root
) -> None:
    inbox_file(IDS.track)
    download(alice_client, "track", IDS.track)
    for path in inbox_root.iterdir():
        path.unlink()

    task = download(bob_client, "track", IDS.track)

    assert task.status == TaskStatus.SKIPPED
    assert HistoryEntry.objects.get(task_id=task.pk).status == "skipped"
    assert len(list(library_root.rglob("*.mp3"))) == 1


def test_conversion_writes_the_requested_format_and_quality(alice_client, inbox_file, library_root) -> None:
    inbox_file(IDS.track, ".flac")

    task = download(alice_client, "track", IDS.track, "?convertTo=OGG&bitrate=128k")

    tags = read_tags(library_root / TRACK_FILE.with_suffix(".ogg"))
    assert tags["codec"] == "vorbis" or tags["format"].startswith("Ogg")
    assert tags["title"] == "Four Forty"
    assert task.track_jobs.get().quality == "OGG 128k"


def test_a_track_no_source_has_fails_at_once_with_a_reason(alice_client, spotify_api) -> None:
    task = download(alice_client, "track", IDS.track_no_preview)

    assert task.status == TaskStatus.ERROR
    assert "No source has this track" in task.error_message
    assert task.track_jobs.get().retries == 0
    assert HistoryEntry.objects.get(task_id=task.pk).status == "failed"


def test_a_2026_app_gets_no_preview_so_a_track_missing_from_the_inbox_fails(alice_client) -> None:
    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.ERROR
    assert "No source has this track" in task.error_message


@pytest.mark.spotify_extended_quota  # only apps with the old extended quota still get preview_url
def test_without_the_song_a_preview_is_used_and_labelled_as_one(alice_client, library_root) -> None:
    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.COMPLETE
    job = task.track_jobs.get()
    assert (job.source, job.is_preview) == ("spotify", True)
    assert read_tags(library_root / job.file_path)["comment"] == PREVIEW_COMMENT
    assert task.summary["previews"] == 1
    assert HistoryEntry.objects.get(task_id=task.pk).is_preview


def test_the_progress_document_tells_the_whole_story(alice_client, inbox_file) -> None:
    inbox_file(IDS.track)
    task = download(alice_client, "track", IDS.track)

    body = alice_client.get(f"/api/prgs/{task.pk}").json()

    assert (
        body["status"]
        == body["last_line"]["status"]
        == body["last_line"]["status_info"]["status"]
        == "complete"
    )
    assert body["summary"]["total_successful"] == 1
    statuses = list(task.events.values_list("status", flat=True))
    assert statuses[:3] == ["queued", "initializing", "downloading"] and statuses[-2:] == ["done", "complete"]


@pytest.mark.parametrize(
    ("format_name", "extension"),
    [
        ("MP3", ".mp3"),
        ("AAC", ".m4a"),
        ("OGG", ".ogg"),
        ("OPUS", ".opus"),
        ("FLAC", ".flac"),
        ("WAV", ".wav"),
        ("ALAC", ".m4a"),
    ],
)
def test_every_output_format_ends_tagged_with_cover(
    alice_client, inbox_file, library_root, format_name, extension
) -> None:
    inbox_file(IDS.explicit_track, ".flac")

    task = download(alice_client, "track", IDS.explicit_track, f"?convertTo={format_name}")

    job = task.track_jobs.get()
    assert task.status == TaskStatus.COMPLETE and job.file_path.endswith(extension)
    tags = read_tags(library_root / job.file_path)
    assert tags["title"] == "Either/Or: Live?" and tags["artists"] == ["The Test Pattern", "Guest Oscillator"]
    assert tags["explicit"] is True and tags["isrc"] == job.track_data["isrc"] and tags["has_cover"]
