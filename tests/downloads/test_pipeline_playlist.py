"""Playlist downloads: files, the M3U file in playlist order, placeholders and watched-track context."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.models import DownloadTask, TaskStatus
from downloads.services import download_request
from tests.downloads.queueing import download
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue", "spotify_owner_linked"),
]


def summary_of(client, task: DownloadTask) -> dict:
    """The summary with its per-track lists, as GET /api/prgs/{task_id} gives it."""
    response = client.get(f"/api/prgs/{task.pk}")
    assert response.status_code == 200
    return response.json()["summary"]


def m3u_lines(root: Path, name: str = "Fixture Mix") -> list[str]:
    return (root / "playlists" / f"{name}.m3u").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def mix_in_inbox(album_in_inbox) -> None:
    album_in_inbox(IDS.small_album)
    album_in_inbox(IDS.two_disc_album)


@pytest.mark.usefixtures("mix_in_inbox")
def test_a_playlist_gets_its_files_and_an_m3u_in_playlist_order(alice_client, library_root) -> None:
    task = download(alice_client, "playlist", IDS.small_playlist)

    assert task.status == TaskStatus.COMPLETE and task.summary["total_successful"] == 5
    lines = m3u_lines(library_root)
    assert lines[0] == "#EXTM3U" and len(lines) == 11
    assert lines[1].startswith("#EXTINF:") and lines[1].endswith(",The Test Pattern - Four Forty")
    assert lines[2] == "../The Test Pattern/Sine Waves/01. Four Forty.mp3"
    assert lines[8] == "../The Test Pattern/Two Sides/01. Two Sides 1.mp3"
    assert all((library_root / "playlists" / line).resolve().is_file() for line in lines[2::2])
    assert task.summary["m3u_file"] == "playlists/Fixture Mix.m3u"


@pytest.mark.usefixtures("mix_in_inbox")
def test_tracks_already_in_the_library_are_skipped_but_listed_in_the_m3u(alice_client, library_root) -> None:
    download(alice_client, "track", IDS.track_no_preview)

    task = download(alice_client, "playlist", IDS.small_playlist)

    assert [row["position"] for row in summary_of(alice_client, task)["skipped_tracks"]] == [2]
    assert m3u_lines(library_root)[4] == "../The Test Pattern/Sine Waves/02. Eight Eighty.mp3"


@pytest.mark.usefixtures("mix_in_inbox")
def test_the_m3u_names_the_files_with_their_final_extension(alice_client, library_root) -> None:
    download(alice_client, "playlist", IDS.small_playlist, "?convertTo=FLAC")

    paths = m3u_lines(library_root)[2::2]
    assert len(paths) == 5 and all(path.endswith(".flac") for path in paths)


@pytest.mark.usefixtures("mix_in_inbox")
def test_playlist_placeholders_name_the_files(alice_client, library_root) -> None:
    download(
        alice_client,
        "playlist",
        IDS.small_playlist,
        "?customDirFormat=%25playlist%25&customTrackFormat=%25playlistnum%25 - %25music%25",
    )

    names = sorted(path.name for path in (library_root / "Fixture Mix").glob("*.mp3"))
    assert names[:2] == ["01 - Four Forty.mp3", "02 - Eight Eighty.mp3"] and len(names) == 5


@pytest.mark.usefixtures("mix_in_inbox")
def test_the_m3u_follows_the_playlist_when_it_changes(alice_client, spotify_api, library_root) -> None:
    download(alice_client, "playlist", IDS.small_playlist)
    spotify_api.catalog.playlist_move(IDS.small_playlist, 0, 4)

    again = download(alice_client, "playlist", IDS.small_playlist)

    assert again.summary["total_skipped"] == 5
    assert m3u_lines(library_root)[10] == "../The Test Pattern/Sine Waves/01. Four Forty.mp3"


def test_entries_that_are_not_tracks_are_skipped_with_a_reason(
    alice_client, spotify_api, album_in_inbox
) -> None:
    playlist_id = spotify_api.catalog.generate_playlist(
        "Odd Bits", 4, specials={1: "local", 2: "unavailable"}
    )
    album_id = spotify_api.catalog.tracks[
        spotify_api.catalog.playlists[playlist_id].entries[0].item_id
    ].album_id
    album_in_inbox(album_id)

    task = download(alice_client, "playlist", playlist_id)

    assert task.status == TaskStatus.COMPLETE
    reasons = {row["position"]: row["reason"] for row in summary_of(alice_client, task)["skipped_tracks"]}
    assert set(reasons) == {2, 3} and "local file" in reasons[2].lower()
    assert task.summary["total_successful"] == 2


def test_a_watched_track_with_playlist_context_updates_that_playlists_m3u(
    alice, inbox_file, library_root
) -> None:
    inbox_file(IDS.track_no_preview)

    task = download_request(
        user=alice,
        download_type="track",
        item_id=IDS.track_no_preview,
        context={
            "playlist_id": IDS.small_playlist,
            "playlist_name": "Fixture Mix",
            "playlist_position": 2,
            "playlist_total": 5,
        },
    )

    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETE
    assert m3u_lines(library_root)[2] == "../The Test Pattern/Sine Waves/02. Eight Eighty.mp3"
