"""Placing library paths on disk: inside the root whatever the symlinks, and a free name on a collision."""

from __future__ import annotations

import os
from pathlib import PurePosixPath

import pytest

from spotizerr.lib.safe_paths import UnsafePathError, find_free_path, library_file_path


def test_library_file_path_joins_root_relative_path_and_extension(tmp_path) -> None:
    path = library_file_path(tmp_path, PurePosixPath("Ann/Record/01. Song"), "mp3")
    assert path == tmp_path.resolve() / "Ann" / "Record" / "01. Song.mp3"


@pytest.mark.parametrize("relative", ["../x", "/etc/passwd", "a/../../x"])
def test_library_file_path_refuses_climbing_out(tmp_path, relative) -> None:
    with pytest.raises(UnsafePathError):
        library_file_path(tmp_path, PurePosixPath(relative), ".mp3")


def test_library_file_path_refuses_a_bad_extension(tmp_path) -> None:
    with pytest.raises(UnsafePathError):
        library_file_path(tmp_path, PurePosixPath("a"), "../mp3")


def test_library_file_path_refuses_a_symlinked_folder_pointing_outside(tmp_path) -> None:
    root, outside = tmp_path / "lib", tmp_path / "outside"
    root.mkdir(), outside.mkdir()
    (root / "Ann").symlink_to(outside)
    with pytest.raises(UnsafePathError, match="symlink"):
        library_file_path(root, PurePosixPath("Ann/Record/01. Song"), ".mp3")


def test_library_file_path_refuses_a_symlinked_file_pointing_outside(tmp_path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    (root / "Song.mp3").symlink_to(tmp_path / "victim")
    with pytest.raises(UnsafePathError):
        library_file_path(root, PurePosixPath("Song"), ".mp3")


def test_library_file_path_accepts_a_symlink_staying_inside(tmp_path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    assert library_file_path(tmp_path, PurePosixPath("alias/x"), ".mp3").name == "x.mp3"


def test_find_free_path_returns_a_free_path_unchanged(tmp_path) -> None:
    assert find_free_path(tmp_path / "a.mp3") == tmp_path / "a.mp3"


def test_find_free_path_numbers_taken_names(tmp_path) -> None:
    (tmp_path / "a.mp3").touch(), (tmp_path / "a (2).mp3").touch()
    assert find_free_path(tmp_path / "a.mp3") == tmp_path / "a (3).mp3"


def test_find_free_path_counts_a_dangling_symlink_as_taken(tmp_path) -> None:
    os.symlink(tmp_path / "missing", tmp_path / "a.mp3")
    assert find_free_path(tmp_path / "a.mp3") == tmp_path / "a (2).mp3"


def test_find_free_path_keeps_a_long_name_within_255_bytes(tmp_path) -> None:
    name = "é" * 125 + ".flac"
    (tmp_path / name).touch()
    free = find_free_path(tmp_path / name)
    assert len(free.name.encode()) <= 255 and free.name.endswith(" (2).flac")
