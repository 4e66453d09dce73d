"""A watched playlist end to end with the real download engine: the check queues the new track, a worker
downloads it into the library with the playlist context, and the playlist file lists it."""

from __future__ import annotations

import pytest

from tests.fakes.spotify_api import IDS
from watching.models import ItemStatus
from watching.services import watch_playlist_add

PLAYLIST = IDS.small_playlist


@pytest.mark.django_db(transaction=True)
def test_a_track_added_to_a_watched_playlist_ends_up_in_the_library_and_its_playlist_file(
    engine, inline_queue, inbox_file, alice, library_root, check
):
    watch, _ = watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    track = engine.catalog.albums[IDS.big_album].track_ids[0]
    inbox_file(track)
    engine.catalog.playlist_add(PLAYLIST, [track])

    check(PLAYLIST)  # queues the download; the inline worker runs it
    check(PLAYLIST)  # reads how it ended

    assert watch.states.get(item_id=track).status == ItemStatus.DOWNLOADED
    lines = (library_root / "playlists" / "Fixture Mix.m3u").read_text(encoding="utf-8").splitlines()
    files = [line for line in lines if not line.startswith("#")]
    assert len(files) == 1 and (library_root / "playlists" / files[0]).resolve().is_file()


@pytest.mark.django_db(transaction=True)
def test_a_watch_that_finds_new_items_tells_the_watchers_targets(
    engine, inline_queue, inbox_file, alice, library_root, check, webhook
) -> None:
    from settings_app.notifications import notification_target_create

    notification_target_create(
        owner=alice, name="phone", url=webhook.url("alice"), events=["watch_new_items"]
    )
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    track = engine.catalog.albums[IDS.big_album].track_ids[0]
    inbox_file(track)
    engine.catalog.playlist_add(PLAYLIST, [track])

    check(PLAYLIST)

    (message,) = webhook.messages
    assert message["title"] == "New on Fixture Mix" and "1 new item(s)" in message["message"]


@pytest.mark.django_db(transaction=True)
def test_a_spotify_failure_is_told_to_operator_targets_once_an_hour(
    engine, inline_queue, alice, check, webhook
) -> None:
    from settings_app.notifications import notification_target_create

    notification_target_create(owner=None, name="ops", url=webhook.url("ops"), events=["health_problem"])
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    engine.fail_next(400, count=100, path_prefix="/v1/playlists")

    check(PLAYLIST)
    check(PLAYLIST)

    (message,) = webhook.messages
    assert message["title"] == "Spotify problem" and "Fixture Mix" in message["message"]
