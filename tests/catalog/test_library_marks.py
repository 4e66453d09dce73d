"""Catalog pages of watched playlists and artists say which entries are already in the library."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.models import DownloadTask, LibraryFile
from tests.fakes.spotify_records import IDS
from watching.services import watch_artist_add, watch_playlist_add


@pytest.fixture
def quiet_queue(monkeypatch) -> None:
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


def _put_in_library(root: Path, track_id: str) -> None:
    relative = f"Artist/Album/{track_id}.mp3"
    (root / relative).parent.mkdir(parents=True, exist_ok=True)
    (root / relative).write_bytes(b"ID3")
    LibraryFile.objects.create(library_root=str(root), relative_path=relative, spotify_id=track_id)


def _entries(body: dict) -> dict[str, dict]:
    return {item["track"]["id"]: item for item in body["tracks"]["items"] if item["track"]}


@pytest.mark.django_db
@pytest.mark.usefixtures("spotify_owner_linked")
def test_an_unwatched_playlist_has_no_library_marks(
    auth_on, alice, alice_client, spotify_api, library_root
) -> None:
    _put_in_library(library_root, IDS.track)
    body = alice_client.get(f"/api/playlist/info?id={IDS.small_playlist}&include_tracks=true").json()
    assert body["is_watched"] is False
    assert all("in_library" not in item for item in body["tracks"]["items"])


@pytest.mark.django_db
@pytest.mark.usefixtures("spotify_owner_linked")
def test_a_watched_playlist_marks_the_tracks_already_in_the_library(
    auth_on, alice, alice_client, spotify_api, library_root, quiet_queue
) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    _put_in_library(library_root, IDS.track)
    body = alice_client.get(f"/api/playlist/info?id={IDS.small_playlist}&include_tracks=true").json()
    marks = {track_id: item["in_library"] for track_id, item in _entries(body).items()}
    assert body["is_watched"] is True
    assert marks.pop(IDS.track) is True
    assert marks and not any(marks.values())


@pytest.mark.django_db
@pytest.mark.usefixtures("spotify_owner_linked")
def test_a_library_entry_whose_file_is_gone_is_not_marked(
    auth_on, alice, alice_client, spotify_api, library_root, quiet_queue
) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    _put_in_library(library_root, IDS.track)
    (library_root / f"Artist/Album/{IDS.track}.mp3").unlink()
    body = alice_client.get(f"/api/playlist/tracks?id={IDS.small_playlist}").json()
    assert not any(item.get("in_library") for item in body["items"])


@pytest.mark.django_db
@pytest.mark.usefixtures("spotify_owner_linked")
def test_another_users_watch_does_not_mark_my_page(
    auth_on, alice, bob_client, spotify_api, library_root, quiet_queue
) -> None:
    watch_playlist_add(user=alice, playlist_id=IDS.small_playlist)
    body = bob_client.get(f"/api/playlist/metadata?id={IDS.small_playlist}").json()
    assert body["is_watched"] is False


@pytest.mark.django_db
def test_a_watched_artist_marks_releases_downloaded_as_albums(
    auth_on, alice, alice_client, spotify_api, library_root, quiet_queue
) -> None:
    watch_artist_add(user=alice, artist_id=IDS.artist)
    DownloadTask.objects.create(
        owner=alice, download_type="album", item_id=IDS.small_album, status="complete"
    )
    body = alice_client.get(f"/api/artist/info?id={IDS.artist}&limit=50").json()
    marks = {item["id"]: item["in_library"] for item in body["albums"]["items"]}
    assert body["is_watched"] is True
    assert marks.pop(IDS.small_album) is True
    assert marks and not any(marks.values())
