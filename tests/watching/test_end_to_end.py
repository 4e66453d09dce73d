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
    engine, spotify_owner_linked, inline_queue, inbox_file, alice, library_root, check
) -> None:
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


def _run_queued_downloads() -> list[str]:
    """Run the download tasks waiting in django-q2's queue, as a worker would."""
    from django.utils.module_loading import import_string
    from django_q.signing import SignedPackage

    from tests.watching.conftest import queued_payloads

    ran = []
    for remove, payload in queued_payloads():
        package = SignedPackage.loads(payload)
        if package["func"].startswith("downloads."):
            remove()
            import_string(package["func"])(*package["args"], **package["kwargs"])
            ran.append(package["func"])
    return ran


@pytest.mark.django_db(transaction=True)
def test_the_playlist_file_lists_a_new_track_as_soon_as_its_download_lands(
    engine, spotify_uncleared, spotify_owner_linked, queued_only, inbox_file, alice, library_root, check
) -> None:
    """GIVEN a watched playlist whose file lists one track, and a track added to it on Spotify
    WHEN a check queues the new track and a worker downloads it
    THEN the playlist file lists both right away, before any further check."""
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    first, second = engine.catalog.albums[IDS.big_album].track_ids[:2]
    for track in (first, second):
        inbox_file(track)
    engine.catalog.playlist_add(PLAYLIST, [first])
    check(PLAYLIST)
    assert _run_queued_downloads()
    engine.catalog.playlist_add(PLAYLIST, [second])

    check(PLAYLIST)  # queues the second track's download; nothing has run it yet
    m3u = library_root / "playlists" / "Fixture Mix.m3u"
    assert (
        len([line for line in m3u.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]) == 1
    )
    assert _run_queued_downloads()

    files = [line for line in m3u.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(files) == 2 and all((m3u.parent / line).resolve().is_file() for line in files)


@pytest.mark.django_db(transaction=True)
def test_a_watch_that_finds_new_items_tells_the_watchers_targets(
    engine, spotify_owner_linked, inline_queue, inbox_file, alice, library_root, check, webhook
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
    engine, spotify_owner_linked, inline_queue, alice, check, webhook
) -> None:
    from settings_app.notifications import notification_target_create

    notification_target_create(owner=None, name="ops", url=webhook.url("ops"), events=["health_problem"])
    watch_playlist_add(user=alice, playlist_id=PLAYLIST)
    engine.fail_next(400, count=100, path_prefix="/v1/playlists")

    check(PLAYLIST)
    check(PLAYLIST)

    (message,) = webhook.messages
    assert message["title"] == "Spotify problem" and "Fixture Mix" in message["message"]
