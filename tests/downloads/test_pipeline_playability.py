"""Corrupt audio is never imported: a file is decoded in full before it is placed, and one whose
audio is cut short or damaged fails on its own with "not playable audio" while the other tracks go
on and the inbox keeps the file as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from downloads.models import LibraryFile, TaskStatus, TrackJob, TrackStatus
from tests.downloads.queueing import download
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def truncate(path: Path, share: float = 0.4) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    return path.read_bytes()


def scramble_the_middle(path: Path, share: float = 0.1) -> bytes:
    data = bytearray(path.read_bytes())
    middle, length = len(data) // 2, int(len(data) * share)
    data[middle : middle + length] = os.urandom(length)
    path.write_bytes(bytes(data))
    return path.read_bytes()


def library_audio(root: Path) -> list[str]:
    return sorted(path.name for path in root.rglob("*") if path.suffix in {".flac", ".mp3"})


@pytest.mark.parametrize("damage", [truncate, scramble_the_middle], ids=["truncated", "scrambled"])
def test_a_damaged_flac_fails_alone_and_stays_in_the_inbox(
    alice_client, album_in_inbox, configure, library_root, damage
) -> None:
    files = album_in_inbox(IDS.small_album, ".flac", seconds=4.0)
    damaged = damage(files[1])
    configure(inboxMode="move")

    task = download(alice_client, "album", IDS.small_album)

    jobs = list(TrackJob.objects.filter(task=task).order_by("position"))
    assert [job.status for job in jobs] == [TrackStatus.DONE, TrackStatus.FAILED, TrackStatus.DONE]
    assert "is not playable audio" in jobs[1].reason and "inbox" in jobs[1].reason
    assert task.status == TaskStatus.COMPLETE
    assert files[1].read_bytes() == damaged and not files[0].exists() and not files[2].exists()
    assert len(library_audio(library_root)) == 2 == LibraryFile.objects.count()


def test_a_truncated_flac_is_refused_on_the_conversion_pass_too(
    alice_client, inbox_file, library_root
) -> None:
    original = inbox_file(IDS.track, ".flac", seconds=4.0)
    truncate(original)

    task = download(alice_client, "track", IDS.track, "?convertTo=MP3&bitrate=320k")

    assert task.status == TaskStatus.ERROR and "not playable audio" in task.error_message
    assert "damaged data (invalid residual)" in task.error_message
    assert library_audio(library_root) == [] and not LibraryFile.objects.exists()


def test_a_truncated_mp3_with_a_length_header_is_refused(alice_client, inbox_file, library_root) -> None:
    original = inbox_file(IDS.track, ".mp3", seconds=4.0)
    truncate(original)

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.ERROR and "not playable audio" in task.error_message
    assert "could be decoded (the file is cut short or damaged)" in task.error_message
    assert library_audio(library_root) == []


def test_a_whole_file_passes_the_check(alice_client, inbox_file, library_root) -> None:
    inbox_file(IDS.track, ".flac", seconds=4.0)

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.COMPLETE and len(library_audio(library_root)) == 1
