"""Watching imported playlists: a Deezer source or a CSV/M3U at a URL is re-read on the watch schedule
and new tracks are queued; a pasted list has nothing to re-read; nobody watches another user's import."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from downloads.models import DownloadTask, LibraryFile
from playlist_imports.models import ImportEntry
from settings_app.media_playlists import media_playlists_sync_due
from settings_app.notifications import notification_health_problem, notification_target_create
from spotizerr.integrations.spotify import spotify_cache_clear
from tests.fakes.media_server import MediaServer, Reply
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


# ---------------------------------------------------------------- a CSV or M3U at a URL
@pytest.fixture
def list_server(settings) -> Iterator[MediaServer]:
    settings.IMPORT_URL_ALLOW_PRIVATE = True  # the server is on 127.0.0.1
    with MediaServer() as server:
        yield server


def _csv(track_ids: list[str]) -> bytes:
    return ("Track URI\n" + "\n".join(f"spotify:track:{t}" for t in track_ids) + "\n").encode()


def _m3u(tracks: list[dict]) -> bytes:
    lines = ["#EXTM3U"]
    for track in tracks:
        lines += [f"#EXTINF:{track['duration_ms'] // 1000},{track['artist']} - {track['title']}", "x.mp3"]
    return ("\n".join(lines) + "\n").encode()


def _watched_url_import(client: APIClient, kind: str, url: str) -> str:
    response = client.post(
        "/api/playlist/import", {"kind": kind, "name": "At a URL", "url": url}, format="json"
    )
    assert response.status_code == 201, response.json()
    playlist_id = response.json()["playlist_id"]
    assert client.put(f"/api/playlist/watch/{playlist_id}").status_code in (200, 201)
    return playlist_id


def _entries() -> list[str]:
    return list(ImportEntry.objects.order_by("position").values_list("track_id", flat=True))


def test_a_watched_csv_at_a_url_gains_new_lines_and_loses_removed_ones(
    alice_client, alice, spotify_api, list_server, small_album_ids
) -> None:
    """GIVEN a watched import of a CSV at a URL WHEN the file changes (a line removed, one added)
    THEN the check queues the new track, the playlist follows the file, and Spotify is asked only
    about the new line."""
    first, second, third = small_album_ids
    list_server.route("/list.csv", Reply(body=_csv([first, second])))
    playlist_id = _watched_url_import(alice_client, "csv", list_server.url("/list.csv"))
    list_server.route("/list.csv", Reply(body=_csv([second, third])))
    spotify_cache_clear()
    spotify_api.clear_requests()

    result = _check(playlist_id)

    assert result.startswith("1 added"), result
    assert _entries() == [second, third]
    assert [r.path.rsplit("/", 1)[-1] for r in spotify_api.requests if "/tracks/" in r.path] == [third]
    assert list(DownloadTask.objects.filter(owner=alice).values_list("item_id", flat=True)) == [third]
    tracks = alice_client.get(f"/api/playlist/tracks?id={playlist_id}").json()
    assert [item["track"]["id"] for item in tracks["items"]] == [second, third]


def test_a_watched_m3u_at_a_url_matches_a_line_added_after_the_check(
    alice_client, spotify_api, list_server, catalog_track, small_album_ids
) -> None:
    tracks = [catalog_track(track_id) for track_id in small_album_ids]
    list_server.route("/list.m3u", Reply(body=_m3u(tracks[:1])))
    playlist_id = _watched_url_import(alice_client, "m3u", list_server.url("/list.m3u"))
    assert _check(playlist_id).startswith("unchanged")
    list_server.route("/list.m3u", Reply(body=_m3u(tracks)))

    result = _check(playlist_id)

    assert result.startswith("2 added"), result
    assert _entries() == small_album_ids


@pytest.mark.parametrize(
    ("reply", "words"), [(Reply(status=500), "try again"), (Reply(body=b"\x00\x01"), "Line 1")]
)
def test_a_failed_fetch_is_the_watchs_error_and_the_list_stays(
    alice_client, spotify_api, list_server, small_album_ids, reply: Reply, words: str
) -> None:
    list_server.route("/list.csv", Reply(body=_csv(small_album_ids)))
    playlist_id = _watched_url_import(alice_client, "csv", list_server.url("/list.csv"))
    list_server.route("/list.csv", reply)

    result = _check(playlist_id)

    target = WatchTarget.objects.get(spotify_id=playlist_id)
    assert words in result and target.last_error == result and target.last_result == "failed"
    assert _entries() == small_album_ids


def test_a_watched_url_import_refuses_a_private_address_once_the_operator_turns_it_off(
    alice_client, spotify_api, list_server, settings, small_album_ids
) -> None:
    list_server.route("/list.csv", Reply(body=_csv(small_album_ids)))
    playlist_id = _watched_url_import(alice_client, "csv", list_server.url("/list.csv"))
    settings.IMPORT_URL_ALLOW_PRIVATE = False
    asked = len(list_server.requests)

    result = _check(playlist_id)

    assert "private" in result and len(list_server.requests) == asked
    assert _entries() == small_album_ids


def test_a_failing_url_is_an_import_source_problem_for_the_operator_not_a_spotify_one(
    alice_client, spotify_api, list_server, small_album_ids, webhook, django_capture_on_commit_callbacks
) -> None:
    """GIVEN an operator target for health problems WHEN a watched import's URL fails THEN the notice
    is titled as the import's source problem, and a Spotify problem right after is still told."""
    notification_target_create(owner=None, name="ops", url=webhook.url("ops"), events=["health_problem"])
    list_server.route("/list.csv", Reply(body=_csv(small_album_ids)))
    playlist_id = _watched_url_import(alice_client, "csv", list_server.url("/list.csv"))
    list_server.route("/list.csv", Reply(status=503))

    with django_capture_on_commit_callbacks() as callbacks:
        _check(playlist_id)

    notices = [
        c.args for c in callbacks if isinstance(c, partial) and c.args[0].endswith("notification_send")
    ]
    assert [args[2] for args in notices] == ["Imported playlist source problem"]
    assert notification_health_problem(key="spotify", title="Spotify problem", body="down")


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
