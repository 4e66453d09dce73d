"""Downloading an imported playlist: files tagged from Spotify, the M3U in the list's order under
playlists/<name>.m3u, unmatched entries skipped with their reason, and one history entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from downloads.models import DownloadTask, TaskStatus
from downloads.tag_reading import read_tags
from library_history.models import HistoryEntry
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def _import_csv(client, name: str, rows: list[str]) -> str:
    data = "\ufeffTrack URI;Track Name;Artist Name(s)\n" + "\n".join(rows) + "\n"
    upload = SimpleUploadedFile("list.csv", data.encode())
    response = client.post(
        "/api/playlist/import", {"kind": "csv", "name": name, "file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    return response.json()["playlist_id"]


def test_an_imported_playlist_downloads_in_its_order_with_tags_and_an_m3u(
    alice_client, album_in_inbox, spotify_api, library_root: Path
) -> None:
    album_in_inbox(IDS.small_album)
    album_in_inbox(IDS.two_disc_album)
    small = spotify_api.catalog.albums[IDS.small_album].track_ids
    two_disc = spotify_api.catalog.albums[IDS.two_disc_album].track_ids
    order = [two_disc[1], small[2], small[0]]
    rows = [
        f"spotify:track:{order[0]};;",
        ";Nothing, Anywhere;Nobody",
        *[f"spotify:track:{t};;" for t in order[1:]],
    ]
    playlist_id = _import_csv(alice_client, "Import: Mix", rows)

    response = alice_client.get(f"/api/playlist/download/{playlist_id}")

    assert response.status_code == 202, response.json()
    task = DownloadTask.objects.get(pk=response.json()["task_id"])
    assert task.status == TaskStatus.COMPLETE and task.item_id == playlist_id
    lines = (library_root / "playlists" / "Import_ Mix.m3u").read_text(encoding="utf-8").splitlines()
    paths = [library_root / "playlists" / line for line in lines[2::2]]
    assert len(paths) == 3 and all(path.is_file() for path in paths)
    catalog = spotify_api.catalog
    tags = [read_tags(path) for path in paths]
    assert [t["isrc"] for t in tags] == [catalog.tracks[t].isrc for t in order]
    assert [t["title"] for t in tags] == [catalog.tracks[t].name for t in order]
    skipped = alice_client.get(f"/api/prgs/{task.pk}").json()["summary"]["skipped_tracks"]
    assert [row["position"] for row in skipped] == [2]
    entry = HistoryEntry.objects.get(task_id=task.pk)
    assert (entry.name, entry.download_type, entry.spotify_url) == ("Import: Mix", "playlist", "")
    assert (entry.successful_tracks, entry.skipped_tracks) == (3, 1)


def test_a_second_download_while_the_first_runs_is_a_conflict(alice_client, spotify_api, queued_only) -> None:
    playlist_id = _import_csv(alice_client, "Twice", [f"spotify:track:{IDS.track};;"])

    first = alice_client.get(f"/api/playlist/download/{playlist_id}")
    second = alice_client.get(f"/api/playlist/download/{playlist_id}")

    assert first.status_code == 202 and second.status_code == 409


def test_someone_elses_import_cannot_be_downloaded(
    alice_client, bob_client, spotify_api, queued_only
) -> None:
    """The download route of imported playlists is outside the authorization matrix (it shares the
    seed's download_playlist path), so its ownership rule is checked here: bob gets the 404 of an
    unknown import, and nothing is queued."""
    playlist_id = _import_csv(alice_client, "Mine", [f"spotify:track:{IDS.track};;"])

    response = bob_client.get(f"/api/playlist/download/{playlist_id}")

    assert response.status_code == 404 and response.json()["code"] == "import_not_found"
    assert DownloadTask.objects.count() == 0


def test_an_import_still_matching_cannot_be_downloaded(
    alice_client, spotify_api, settings, queued_only
) -> None:
    settings.IMPORT_INLINE_MAX = 0
    playlist_id = _import_csv(alice_client, "Slow", [f"spotify:track:{IDS.track};;"])

    response = alice_client.get(f"/api/playlist/download/{playlist_id}")

    assert response.status_code == 409 and response.json()["code"] == "import_matching"


def _download_and_read_m3u(client, playlist_id: str, root: Path, name: str) -> list[dict]:
    response = client.get(f"/api/playlist/download/{playlist_id}")
    assert response.status_code == 202, response.json()
    assert DownloadTask.objects.get(pk=response.json()["task_id"]).status == TaskStatus.COMPLETE
    lines = (root / "playlists" / f"{name}.m3u").read_text(encoding="utf-8").splitlines()
    return [read_tags(root / "playlists" / line) for line in lines[2::2]]


def test_an_m3u_import_from_inbox_paths_downloads_in_its_order(
    alice_client, album_in_inbox, spotify_api, library_root: Path
) -> None:
    files = album_in_inbox(IDS.small_album)
    m3u = "#EXTM3U\n" + "".join(f"#EXTINF:1,Someone - Something\n{path}\n" for path in reversed(files))
    upload = SimpleUploadedFile("list.m3u8", m3u.encode())
    response = alice_client.post(
        "/api/playlist/import", {"kind": "m3u", "name": "Backwards", "file": upload}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["matched"] == 3, response.json()

    tags = _download_and_read_m3u(alice_client, response.json()["playlist_id"], library_root, "Backwards")

    catalog = spotify_api.catalog
    expected = list(reversed(catalog.albums[IDS.small_album].track_ids))
    assert [t["isrc"] for t in tags] == [catalog.tracks[t].isrc for t in expected]


def test_a_deezer_import_downloads_in_deezers_order(
    alice_client, album_in_inbox, spotify_api, deezer_api, library_root: Path
) -> None:
    album_in_inbox(IDS.two_disc_album)
    catalog = spotify_api.catalog
    order = [catalog.tracks[t] for t in catalog.albums[IDS.two_disc_album].track_ids[::-2]]
    for track in order:
        deezer_api.add_track(track.isrc, title=track.name, artist="The Test Pattern")
    playlist = deezer_api.add_playlist("From Deezer", [(track.isrc, False) for track in order])
    response = alice_client.post(
        "/api/playlist/import", {"kind": "deezer", "url": f"https://deezer.com/playlist/{playlist}"}
    )
    assert response.status_code == 201 and response.json()["matched"] == 4, response.json()

    tags = _download_and_read_m3u(alice_client, response.json()["playlist_id"], library_root, "From Deezer")

    assert [(t["isrc"], t["title"]) for t in tags] == [(track.isrc, track.name) for track in order]
