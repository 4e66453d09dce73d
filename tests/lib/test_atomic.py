"""Atomic writes: a file appears whole or not at all, and no temporary file outlives a failure."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spotizerr.lib.atomic import (
    TEMP_PREFIX,
    atomic_move,
    atomic_write_bytes,
    atomic_write_file,
    atomic_write_text,
    make_private,
    stale_temp_files,
)
from spotizerr.lib.safe_paths import UnsafePathError


def _leftovers(directory: Path) -> list[Path]:
    return list(directory.rglob(f"{TEMP_PREFIX}*"))


def test_atomic_write_file_copies_the_source_into_new_folders(tmp_path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(b"x" * 3_000_000)
    destination = tmp_path / "lib" / "a" / "b.bin"
    assert atomic_write_file(source, destination) == destination
    assert destination.read_bytes() == source.read_bytes()


def test_atomic_write_leaves_no_temporary_file(tmp_path) -> None:
    atomic_write_bytes(b"data", tmp_path / "f.bin")
    assert _leftovers(tmp_path) == []


def test_atomic_write_gives_files_the_usual_mode_not_the_private_temp_mode(tmp_path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    destination = atomic_write_bytes(b"data", tmp_path / "f.bin")
    assert destination.stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_write_replaces_an_existing_file_by_default(tmp_path) -> None:
    destination = tmp_path / "f.txt"
    destination.write_text("old")
    atomic_write_text("new ✓", destination)
    assert destination.read_text(encoding="utf-8") == "new ✓"


def test_atomic_write_without_replace_refuses_an_existing_file(tmp_path) -> None:
    destination = tmp_path / "f.txt"
    destination.write_text("old")
    with pytest.raises(FileExistsError):
        atomic_write_text("new", destination, replace=False)
    assert destination.read_text() == "old" and _leftovers(tmp_path) == []


def test_atomic_write_replaces_a_symlink_instead_of_writing_through_it(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "lib" / "f.txt"
    link.parent.mkdir()
    link.symlink_to(victim)
    atomic_write_text("new", link)
    assert victim.read_text() == "precious" and not link.is_symlink()


def test_atomic_write_refuses_a_symlinked_folder_leaving_the_root(tmp_path) -> None:
    root, outside = tmp_path / "lib", tmp_path / "outside"
    root.mkdir(), outside.mkdir()
    (root / "Artist").symlink_to(outside)
    with pytest.raises(UnsafePathError):
        atomic_write_text("x", root / "Artist" / "Album" / "f.txt", root=root)
    assert list(outside.iterdir()) == []


def test_atomic_move_renames_the_source_into_place(tmp_path) -> None:
    source = tmp_path / "work" / "s.bin"
    source.parent.mkdir()
    source.write_bytes(b"audio")
    destination = atomic_move(source, tmp_path / "lib" / "d.bin")
    assert destination.read_bytes() == b"audio" and not source.exists()


def test_atomic_move_without_replace_keeps_both_files_on_conflict(tmp_path) -> None:
    source, destination = tmp_path / "s.bin", tmp_path / "d.bin"
    source.write_bytes(b"new"), destination.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        atomic_move(source, destination, replace=False)
    assert (source.read_bytes(), destination.read_bytes()) == (b"new", b"old")


def test_a_write_failing_for_lack_of_space_leaves_no_partial_or_temporary_file(tmp_path) -> None:
    """GIVEN a process that may write at most 64 KiB per file (RLIMIT_FSIZE, as a full disk would)
    WHEN it copies a 1 MiB file into the library
    THEN the write fails with the kernel's error, and neither the destination nor a temp file exists."""
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(1024 * 1024))
    library = tmp_path / "lib"
    script = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        from spotizerr.lib.atomic import atomic_write_file
        try:
            atomic_write_file({str(source)!r}, __import__("pathlib").Path({str(library / "a" / "b.bin")!r}))
        except OSError as error:
            sys.exit(error.errno)
    """)
    result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, timeout=60)
    assert result.returncode == errno.EFBIG, result.stderr.decode()
    assert [path for path in library.rglob("*") if path.is_file()] == []


def test_stale_temp_files_finds_old_leftovers_only(tmp_path) -> None:
    old, fresh = tmp_path / "a" / f"{TEMP_PREFIX}old", tmp_path / f"{TEMP_PREFIX}fresh"
    old.parent.mkdir()
    old.touch(), fresh.touch()
    os.utime(old, (1, 1))
    assert stale_temp_files(tmp_path, older_than_s=60) == [old]


def test_a_library_root_that_is_itself_a_symlink_is_fine(tmp_path) -> None:
    (tmp_path / "disk").mkdir()
    (tmp_path / "library").symlink_to(tmp_path / "disk")
    atomic_write_text("x", tmp_path / "library" / "a" / "f.txt", root=tmp_path / "library")
    assert (tmp_path / "disk" / "a" / "f.txt").read_text() == "x"


def test_atomic_move_refuses_a_symlink_so_the_library_never_holds_one(tmp_path: Path) -> None:
    outside = tmp_path / "outside.mp3"
    outside.write_bytes(b"private")
    link = tmp_path / "work" / "track.mp3"
    link.parent.mkdir()
    link.symlink_to(outside)
    with pytest.raises(UnsafePathError):
        atomic_move(link, tmp_path / "library" / "track.mp3", root=tmp_path / "library")
    assert not (tmp_path / "library" / "track.mp3").exists() and link.is_symlink()


def test_make_private_gives_a_hard_linked_file_its_own_copy(tmp_path: Path) -> None:
    original = tmp_path / "inbox.flac"
    original.write_bytes(b"the user's file")
    work = tmp_path / "work.flac"
    os.link(original, work)

    make_private(work)
    work.write_bytes(b"rewritten")

    assert original.read_bytes() == b"the user's file" and os.stat(original).st_nlink == 1


def test_make_private_leaves_a_file_of_its_own_as_it_is(tmp_path: Path) -> None:
    work = tmp_path / "work.flac"
    work.write_bytes(b"audio")
    inode = work.stat().st_ino
    make_private(work)
    assert work.stat().st_ino == inode


def test_make_private_refuses_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "target").write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    with pytest.raises(UnsafePathError):
        make_private(tmp_path / "link")
