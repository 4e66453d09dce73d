"""M3U playlist files: order, relative paths that reach the real files, safe names, atomic rewrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.playlist_files import M3UEntry, write_m3u
from spotizerr.lib.atomic import TEMP_PREFIX
from spotizerr.lib.safe_paths import UnsafePathError


@pytest.fixture
def library(tmp_path, audio_originals) -> Path:
    root = tmp_path / "library"
    for relative in ("Ann/Record/01. Intro.mp3", "Bob/Other/02. Ünïcode.flac", "playlists/#1 Song.ogg"):
        path = root / relative
        path.parent.mkdir(parents=True)
        path.write_bytes(audio_originals[path.suffix.lstrip(".")].read_bytes())
    return root


def _entries(root: Path) -> list[M3UEntry]:
    return [
        M3UEntry(root / "Bob/Other/02. Ünïcode.flac", 181, "Bob", "Ünïcode"),
        M3UEntry(root / "Ann/Record/01. Intro.mp3", 62, "Ann; Cy", "Intro"),
    ]


def test_the_m3u_lists_tracks_in_order_with_extinf_lines(library) -> None:
    path = write_m3u(root=library, playlist_name="Road Trip", entries=_entries(library))
    assert path.read_text(encoding="utf-8") == (
        "#EXTM3U\n"
        "#EXTINF:181,Bob - Ünïcode\n../Bob/Other/02. Ünïcode.flac\n"
        "#EXTINF:62,Ann; Cy - Intro\n../Ann/Record/01. Intro.mp3\n"
    )


def test_the_m3u_lives_in_the_playlists_folder(library) -> None:
    path = write_m3u(root=library, playlist_name="Road Trip", entries=[])
    assert path == library / "playlists" / "Road Trip.m3u"


def test_every_path_resolves_to_the_real_file(library) -> None:
    path = write_m3u(root=library, playlist_name="Mix", entries=_entries(library))
    listed = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    expected = [entry.path.resolve() for entry in _entries(library)]
    assert [(path.parent / line).resolve() for line in listed] == expected


def test_a_file_name_starting_with_a_hash_is_not_read_as_a_comment(library) -> None:
    entry = M3UEntry(library / "playlists/#1 Song.ogg", 1, "A", "Song")
    path = write_m3u(root=library, playlist_name="Mix", entries=[entry])
    assert path.read_text().splitlines()[-1] == "./#1 Song.ogg"


def test_rewriting_replaces_the_old_playlist(library) -> None:
    write_m3u(root=library, playlist_name="Mix", entries=_entries(library))
    path = write_m3u(root=library, playlist_name="Mix", entries=_entries(library)[1:])
    assert path.read_text(encoding="utf-8").count("#EXTINF") == 1
    assert list(path.parent.glob(f"{TEMP_PREFIX}*")) == []


def test_a_playlist_name_cannot_leave_the_playlists_folder(library) -> None:
    path = write_m3u(root=library, playlist_name="../../etc/passwd", entries=[])
    assert path.parent == library / "playlists" and path.name == "_.._etc_passwd.m3u"


def test_a_line_break_in_a_title_cannot_add_a_playlist_line(library) -> None:
    entry = M3UEntry(library / "Ann/Record/01. Intro.mp3", 62, "Ann", "Intro\n/etc/passwd")
    path = write_m3u(root=library, playlist_name="Mix", entries=[entry])
    lines = path.read_text().splitlines()
    assert lines[1:] == ["#EXTINF:62,Ann - Intro /etc/passwd", "../Ann/Record/01. Intro.mp3"]


def test_an_unknown_duration_is_written_as_minus_one(library) -> None:
    entry = M3UEntry(library / "Ann/Record/01. Intro.mp3", 0, "", "Intro")
    path = write_m3u(root=library, playlist_name="Mix", entries=[entry])
    assert path.read_text().splitlines()[1] == "#EXTINF:-1,Intro"


def test_a_playlists_folder_symlinked_outside_the_library_is_refused(tmp_path) -> None:
    library, outside = tmp_path / "library", tmp_path / "outside"
    library.mkdir(), outside.mkdir()
    (library / "playlists").symlink_to(outside)
    with pytest.raises(UnsafePathError):
        write_m3u(root=library, playlist_name="Mix", entries=[])
    assert list(outside.iterdir()) == []
