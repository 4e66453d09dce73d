"""Links in the inbox through the real pipeline: a symlink never brings in a file from outside the
inbox, the library never holds a symlink, and tagging never rewrites the user's original."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from downloads.models import LibraryFile, TaskStatus
from downloads.tag_reading import read_tags
from tests.downloads.queueing import download
from tests.fakes.audio import make_audio
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def outside_file(tmp_path: Path, spotify_api) -> Path:
    """A real file outside the inbox, tagged to match the catalog track ``IDS.track``."""
    track = spotify_api.catalog.tracks[IDS.track]
    artist = spotify_api.catalog.artists[track.artist_ids[0]].name
    return make_audio(
        tmp_path / "outside" / "private.mp3",
        seconds=1.0,
        tags={"title": track.name, "artist": artist, "ISRC": track.isrc},
    )


def library_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.suffix == ".mp3" or path.is_symlink()]


@pytest.mark.parametrize("mode", ["copy", "hardlink", "move"])
def test_a_symlink_in_the_inbox_to_a_file_outside_it_is_not_imported(
    alice_client, configure, inbox_root, library_root, tmp_path, spotify_api, mode
) -> None:
    outside = outside_file(tmp_path, spotify_api)
    before = outside.read_bytes()
    (inbox_root / "link.mp3").symlink_to(outside)
    configure(inboxMode=mode, sourceOrder=["inbox"], fallback=False)

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.ERROR and "inbox: not found" in task.error_message
    assert library_files(library_root) == [] and not LibraryFile.objects.exists()
    assert outside.read_bytes() == before


def test_a_symlinked_folder_in_the_inbox_is_not_read(
    alice_client, configure, inbox_root, library_root, tmp_path, spotify_api
) -> None:
    outside = outside_file(tmp_path, spotify_api)
    (inbox_root / "elsewhere").symlink_to(outside.parent, target_is_directory=True)
    configure(sourceOrder=["inbox"], fallback=False)

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.ERROR and library_files(library_root) == []


def test_hardlink_mode_tags_a_private_copy_and_leaves_the_original_as_it_was(
    alice_client, configure, inbox_file, library_root
) -> None:
    original = inbox_file(IDS.track)
    before, inode = original.read_bytes(), original.stat().st_ino
    configure(inboxMode="hardlink")

    task = download(alice_client, "track", IDS.track)

    assert task.status == TaskStatus.COMPLETE
    placed = library_root / LibraryFile.objects.get().relative_path
    assert not placed.is_symlink() and placed.stat().st_nlink == 1 and placed.stat().st_ino != inode
    assert read_tags(placed)["url"] == f"https://open.spotify.com/track/{IDS.track}"
    assert original.read_bytes() == before and os.stat(original).st_nlink == 1
