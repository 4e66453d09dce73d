"""Watching imported playlists: a Deezer source is re-read on the watch schedule and new tracks are
queued; a pasted list has nothing to re-read; nobody watches another user's import."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from downloads.models import DownloadTask, LibraryFile
from settings_app.media_playlists import media_playlists_sync_due
from tests.fakes.spotify_api import IDS
from watching.models import WatchKind, WatchTarget
from watching.services import target_check

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("auth_on", "queued_only", "library_root")]


def _check(playlist_id: str) -> str:
    return target_check(target=WatchTarget.objects.get(kind=WatchKind.PLAYLIST, spotify_id=playlist_id))


@pytest.fixture
def deezer_import(alice_client, spotify_api, deezer_api, catalog_track, small_album_ids) -> tuple[str, int]:
    for track_id in small_album_ids:
        track = catalog_track(track_id)
        deezer_api.add_track(track["isrc"], title=track["title"], artist=track["artist"])
    playlist = deezer_api.add_playlist("Deezer Watch", [(catalog_track(small_album_ids[0])["isrc"], True)])
    response = alice_client.post(
        "/api/playlist/import", {"kind": "deezer", "url": f"https://www.deezer.com/playlist/{playlist}"}
    )
    assert response.status_code == 201, response.json()
    return response.json()["playlist_id"], playlist


def test_a_watched_deezer_import_queues_what_was_added_on_deezer(
    alice_client, alice, deezer_api, deezer_import, catalog_track, small_album_ids
) -> None:
    playlist_id, deezer_id = deezer_import
    response = alice_client.put(f"/api/playlist/watch/{playlist_id}")
    assert response.status_code in (200, 201), response.json()
    deezer_api.playlists[deezer_id].entries.append((catalog_track(small_album_ids[2])["isrc"], True))

    result = _check(playlist_id)

    assert result.startswith("1 added"), result
    task = DownloadTask.objects.get(owner=alice)
    assert task.item_id == small_album_ids[2] and task.context["playlist_id"] == playlist_id
    assert task.context["playlist_name"] == "Deezer Watch"


def test_an_unchanged_deezer_import_is_unchanged(alice_client, deezer_import) -> None:
    playlist_id, _ = deezer_import
    alice_client.put(f"/api/playlist/watch/{playlist_id}")

    assert _check(playlist_id).startswith("unchanged")


def test_a_pasted_list_has_nothing_to_re_read_but_picks_up_a_fix(
    alice_client, alice, spotify_api, deezer_api
) -> None:
    body = alice_client.post(
        "/api/playlist/import",
        {"kind": "links", "name": "Pasted", "text": f"{IDS.track}\nspotify:album:{'x' * 22}\n"},
    ).json()
    playlist_id = body["playlist_id"]
    assert alice_client.put(f"/api/playlist/watch/{playlist_id}").status_code in (200, 201)
    alice_client.put(
        f"/api/playlist/import/{playlist_id}/entries/2", {"track": IDS.track_no_preview}, format="json"
    )

    result = _check(playlist_id)

    assert result.startswith("1 added") and deezer_api.requests == []
    assert list(DownloadTask.objects.values_list("item_id", flat=True)) == [IDS.track_no_preview]


def test_nobody_watches_another_users_import(alice_client, bob_client, spotify_api) -> None:
    playlist_id = alice_client.post(
        "/api/playlist/import", {"kind": "links", "name": "Mine", "text": IDS.track}
    ).json()["playlist_id"]

    response = bob_client.put(f"/api/playlist/watch/{playlist_id}")

    assert response.status_code == 404 and WatchTarget.objects.count() == 0


def test_a_deezer_playlist_made_private_is_recorded_as_the_watchs_error(
    alice_client, deezer_api, deezer_import
) -> None:
    playlist_id, deezer_id = deezer_import
    alice_client.put(f"/api/playlist/watch/{playlist_id}")
    deezer_api.playlists[deezer_id].private = True

    result = _check(playlist_id)

    target = WatchTarget.objects.get(spotify_id=playlist_id)
    assert "private" in result and target.last_error == result and target.last_result == "failed"


def test_a_watched_import_is_kept_in_step_on_a_subsonic_server(
    alice_client, deezer_api, deezer_import, catalog_track, small_album_ids, library_root, subsonic
) -> None:
    songs = []
    for number, track_id in enumerate(small_album_ids, start=1):
        relative = f"Sine/{number:02d}.mp3"
        (library_root / relative).parent.mkdir(parents=True, exist_ok=True)
        (library_root / relative).write_bytes(b"ID3 audio")
        LibraryFile.objects.create(
            library_root=str(library_root), relative_path=relative, spotify_id=track_id
        )
        songs.append(subsonic.add_song(catalog_track(track_id)["title"], relative))
    playlist_id, deezer_id = deezer_import
    alice_client.put(f"/api/playlist/watch/{playlist_id}")
    media_playlists_sync_due(now=timezone.now() + timedelta(seconds=2))
    assert subsonic.playlist_named("Deezer Watch") == [songs[0]]
    deezer_api.playlists[deezer_id].entries.insert(0, (catalog_track(small_album_ids[2])["isrc"], True))

    _check(playlist_id)
    media_playlists_sync_due(now=timezone.now() + timedelta(seconds=2))

    assert subsonic.playlist_named("Deezer Watch") == [songs[2], songs[0]]
