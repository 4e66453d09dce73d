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
