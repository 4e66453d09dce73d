"""A watched playlist's M3U kept in step with a native playlist on a Subsonic server (the local fake):
created, then its entries replaced in order after each change, matched by path; unknown paths are
reported; a server that is down fails nothing and is tried again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from downloads.models import LibraryFile
from settings_app.media_playlists import media_playlists_sync_due
from settings_app.media_servers import media_servers_refresh_due, media_servers_touch
from settings_app.models import MediaServer, MediaServerPlaylist
from tests.fakes.http_service import down_url
from tests.fakes.library_servers import FakeSubsonic
from tests.fakes.spotify_api import IDS
from watching.services import watch_playlist_add

pytestmark = pytest.mark.django_db

PLAYLIST = IDS.small_playlist
NAME = "Fixture Mix"


def _in_library(library_root: Path, spotify, subsonic: FakeSubsonic, track_ids: list[str]) -> dict[str, str]:
    """A file per track in the library and its index; the server knows each one (its music folder is
    the library's parent, so its paths start with ``library/``). Returns each track's song id."""
    songs = {}
    for number, track_id in enumerate(track_ids, start=1):
        name = spotify.catalog.tracks[track_id].name
        relative = f"Fixture/{number:02d} {name.replace('/', '-')}.mp3"
        (library_root / relative).parent.mkdir(parents=True, exist_ok=True)
        (library_root / relative).write_bytes(b"ID3 audio")
        LibraryFile.objects.create(
            library_root=str(library_root), relative_path=relative, spotify_id=track_id
        )
        songs[track_id] = subsonic.add_song(name, f"library/{relative}")
    return songs


def _sync() -> int:
    return media_playlists_sync_due(now=timezone.now() + timedelta(seconds=2))


def test_a_watched_playlist_is_created_then_updated_in_order_on_the_server(
    spotify, alice, library_root, subsonic, check
) -> None:
    order = [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]
    songs = _in_library(library_root, spotify, subsonic, order)
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    assert media_playlists_sync_due() == 0  # not quiet yet

    assert _sync() == 1
    assert subsonic.playlist_named(NAME) == [songs[track] for track in order]

    spotify.catalog.playlist_move(PLAYLIST, 4, 0)
    spotify.catalog.playlist_remove(PLAYLIST, order[1])
    check(PLAYLIST)
    assert _sync() == 1

    assert list(subsonic.playlists) == ["pl-1"]  # the same playlist, its entries replaced
    assert subsonic.playlist_named(NAME) == [
        songs[order[4]],
        songs[order[0]],
        songs[order[2]],
        songs[order[3]],
    ]
    assert _sync() == 0


def test_the_entries_are_set_in_one_call_however_many(spotify, alice, library_root, subsonic) -> None:
    order = [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]
    _in_library(library_root, spotify, subsonic, order)
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)

    _sync()

    (create,) = subsonic.seen("/rest/createPlaylist.view")
    assert create.method == "POST" and create.body.decode().count("songId=") == len(order)
    assert len(subsonic.seen("/rest/search3.view")) == len(order)


def test_a_path_the_server_does_not_know_is_reported_and_the_rest_synced(
    spotify, alice, library_root, subsonic, admin_client
) -> None:
    order = [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]
    songs = _in_library(library_root, spotify, subsonic, order)
    (unknown,) = [song["path"] for song in subsonic.songs if song["id"] == songs[order[2]]]
    subsonic.songs = [song for song in subsonic.songs if song["id"] != songs[order[2]]]
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)

    assert _sync() == 1

    assert subsonic.playlist_named(NAME) == [songs[track] for track in order if track != order[2]]
    (row,) = admin_client.get("/api/media-servers").json()[0]["playlists"]
    assert row["unmatched"] == [unknown.removeprefix("library/")]
    assert row["matched"] == 4 and row["last_error"] == "" and row["playlist_id"] == "pl-1"


def test_a_server_that_is_down_fails_nothing_and_is_tried_again(
    spotify, alice, library_root, subsonic
) -> None:
    order = [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]
    songs = _in_library(library_root, spotify, subsonic, order)
    MediaServer.objects.update(url=down_url())
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)  # the watch is made all the same
    start = timezone.now() + timedelta(seconds=2)

    assert media_playlists_sync_due(now=start) == 0

    row = MediaServerPlaylist.objects.get()
    assert row.failures == 1 and "cannot be reached" in row.last_error
    assert row.sync_due_at == start + timedelta(seconds=1)
    MediaServer.objects.update(url=subsonic.base_url)
    assert media_playlists_sync_due(now=start + timedelta(seconds=1)) == 1
    assert subsonic.playlist_named(NAME) == [songs[track] for track in order]
    assert MediaServerPlaylist.objects.get().failures == 0


def test_a_sync_waits_for_the_owed_rescan_and_a_rescan_owes_a_sync(
    spotify, alice, library_root, subsonic
) -> None:
    order = [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]
    _in_library(library_root, spotify, subsonic, order)
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    _sync()
    media_servers_touch()

    assert _sync() == 0  # the server still owes a rescan: its songs may not be known yet
    rescanned = timezone.now() + timedelta(seconds=2)
    assert media_servers_refresh_due(now=rescanned) == 1

    assert media_playlists_sync_due(now=rescanned + timedelta(seconds=1)) == 1
    assert len(subsonic.seen("/rest/createPlaylist.view")) == 2


def test_servers_that_do_not_sync_playlists_are_left_alone(spotify, alice, library_root, subsonic) -> None:
    MediaServer.objects.update(sync_playlists=False)
    _in_library(library_root, spotify, subsonic, [spotify.catalog.playlists[PLAYLIST].entries[0].item_id])

    watch_playlist_add(user=alice, playlist_id=PLAYLIST)

    assert not MediaServerPlaylist.objects.exists() and _sync() == 0


def test_a_removed_m3u_leaves_the_servers_playlist_alone(spotify, alice, library_root, subsonic) -> None:
    order = [entry.item_id for entry in spotify.catalog.playlists[PLAYLIST].entries]
    songs = _in_library(library_root, spotify, subsonic, order)
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    _sync()
    (library_root / "playlists" / f"{NAME}.m3u").unlink()
    MediaServerPlaylist.objects.update(sync_due_at=timezone.now())

    assert _sync() == 0

    assert subsonic.playlist_named(NAME) == [songs[track] for track in order]
    assert "M3U file is gone" in MediaServerPlaylist.objects.get().last_error


@pytest.mark.parametrize(("fault", "retried"), [("slow", True), ("500", True), ("401", False)])
def test_a_slow_or_refusing_server_is_shown_and_retried_unless_the_credentials_are_wrong(
    spotify, alice, library_root, subsonic, fault: str, retried: bool
) -> None:
    _in_library(library_root, spotify, subsonic, [spotify.catalog.playlists[PLAYLIST].entries[0].item_id])
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    subsonic.fault, subsonic.delay = fault, 2.0

    assert _sync() == 0

    row = MediaServerPlaylist.objects.get()
    assert row.failures == 1 and row.last_error and (row.sync_due_at is not None) is retried
