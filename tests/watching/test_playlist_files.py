"""The watched playlist's M3U file follows the playlist: current order, removed tracks out, files kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.models import LibraryFile
from tests.fakes.spotify_api import IDS
from watching.services import watch_playlist_add

pytestmark = pytest.mark.django_db

PLAYLIST = IDS.small_playlist


def _in_library(library_root: Path, spotify, track_ids: list[str]) -> dict[str, Path]:
    """Put a file for each track in the library and its index, as the download engine does."""
    files = {}
    for number, track_id in enumerate(track_ids, start=1):
        relative = f"Fixture/{number:02d} {spotify.catalog.tracks[track_id].name.replace('/', '-')}.mp3"
        path = library_root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"ID3 audio")
        LibraryFile.objects.create(
            library_root=str(library_root), relative_path=relative, spotify_id=track_id
        )
        files[track_id] = path
    return files


def _m3u(library_root: Path) -> list[str]:
    return (library_root / "playlists" / "Fixture Mix.m3u").read_text(encoding="utf-8").splitlines()


def _listed(library_root: Path, files: dict[str, Path]) -> list[str]:
    by_line = {f"../{path.relative_to(library_root).as_posix()}": track for track, path in files.items()}
    return [by_line[line] for line in _m3u(library_root) if not line.startswith("#")]


def test_adding_a_playlist_writes_its_m3u_with_the_tracks_already_in_the_library(
    spotify, alice, library_root
) -> None:
    order = [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]
    files = _in_library(library_root, spotify, order[:3])

    watch_playlist_add(user=alice, playlist_id=PLAYLIST)

    assert _listed(library_root, files) == order[:3]


def test_the_m3u_is_rewritten_in_the_new_order_without_removed_tracks(
    spotify, alice, library_root, check
) -> None:
    order = [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]
    files = _in_library(library_root, spotify, order)
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    spotify.catalog.playlist_move(PLAYLIST, 4, 0)
    spotify.catalog.playlist_remove(PLAYLIST, order[1])

    check(PLAYLIST)

    assert _listed(library_root, files) == [order[4], order[0], order[2], order[3]]
    assert files[order[1]].is_file()


def test_m3u_lines_carry_length_artist_and_title(spotify, alice, library_root) -> None:
    first = spotify.catalog.playlists[PLAYLIST].entries[0].item_id
    _in_library(library_root, spotify, [first])
    track = spotify.catalog.tracks[first]

    watch_playlist_add(user=alice, playlist_id=PLAYLIST)

    assert _m3u(library_root)[:2] == [
        "#EXTM3U",
        f"#EXTINF:{track.duration_ms // 1000},The Test Pattern - Four Forty",
    ]


def test_no_m3u_is_written_for_a_playlist_with_nothing_in_the_library(spotify, alice, library_root) -> None:
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)

    assert not (library_root / "playlists").exists()
