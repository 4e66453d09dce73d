"""The engine's write services: idempotent upserts that keep the counters exact."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from library_history.counters import counters_rebuild
from library_history.models import (
    HistoryArtistCounter,
    HistoryArtistTotal,
    HistoryCounter,
    HistoryDailyCounter,
    HistoryEntry,
    HistoryTrack,
)
from library_history.services import history_record_track
from tests.library_history.factories import days_ago, record_download, record_track

pytestmark = pytest.mark.django_db


def _counters() -> dict:
    """Every counter table as plain data, zero rows left out."""
    return {
        "totals": sorted(
            (c.owner_id, c.download_type, c.status, c.entries, c.tracks, c.size_bytes)
            for c in HistoryCounter.objects.exclude(entries=0, tracks=0, size_bytes=0)
        ),
        "daily": sorted(
            (c.owner_id, c.day, c.entries) for c in HistoryDailyCounter.objects.exclude(entries=0)
        ),
        "artists": sorted(
            (c.owner_id, c.artist, c.entries) for c in HistoryArtistCounter.objects.exclude(entries=0)
        ),
        "artist_totals": sorted((c.artist, c.entries) for c in HistoryArtistTotal.objects.exclude(entries=0)),
    }


def test_recording_the_same_download_twice_keeps_one_entry(alice) -> None:
    task_id = uuid.uuid4()
    created = days_ago(1)
    record_download(alice, task_id=task_id, created_at=created)
    record_download(alice, task_id=task_id, created_at=created)
    assert HistoryEntry.objects.filter(task_id=task_id).count() == 1


def test_recording_the_same_download_twice_counts_it_once(alice) -> None:
    task_id = uuid.uuid4()
    created = days_ago(1)
    record_download(alice, task_id=task_id, created_at=created)
    record_download(alice, task_id=task_id, created_at=created)
    assert HistoryCounter.objects.get(owner=alice, download_type="track", status="completed").entries == 1


def test_a_status_change_moves_the_count_to_the_new_status(alice) -> None:
    task_id = uuid.uuid4()
    created = days_ago(1)
    record_download(alice, task_id=task_id, status="in_progress", created_at=created, size_bytes=0)
    record_download(alice, task_id=task_id, status="completed", created_at=created)
    counts = {c.status: c.entries for c in HistoryCounter.objects.filter(owner=alice)}
    assert counts == {"in_progress": 0, "completed": 1}


def test_counters_after_many_upserts_match_a_rebuild_from_the_entries(alice, bob) -> None:
    """GIVEN downloads recorded, re-recorded with other statuses, artists and days
    WHEN the counters are rebuilt from scratch
    THEN they equal the ones the services maintained."""
    album = record_download(alice, download_type="album", status="in_progress", artist="Band", size_bytes=0)
    record_download(
        alice,
        task_id=album.task_id,
        download_type="album",
        status="partial",
        artist="Band",
        created_at=album.created_at,
        successful_tracks=7,
        failed_tracks=1,
        size_bytes=7000,
    )
    single = record_download(bob, status="failed", artist="Solo", created_at=days_ago(3))
    record_download(
        bob, task_id=single.task_id, status="completed", artist="Solo Renamed", created_at=days_ago(2)
    )
    record_download(bob, status="skipped", created_at=days_ago(40))
    maintained = _counters()
    counters_rebuild()
    assert _counters() == maintained


def test_recording_a_track_twice_keeps_one_row_with_the_latest_values(alice) -> None:
    album = record_download(alice, download_type="album", status="in_progress")
    record_track(album, 1, status="failed", reason="no source had it")
    record_track(album, 1, status="completed", reason="")
    track = HistoryTrack.objects.get(parent=album, position=1)
    assert (HistoryTrack.objects.filter(parent=album).count(), track.status) == (1, "completed")


def test_recording_a_track_of_an_unknown_download_raises(alice) -> None:
    with pytest.raises(HistoryEntry.DoesNotExist):
        history_record_track(
            parent_task_id=uuid.uuid4(),
            position=1,
            track_id="x",
            spotify_url="",
            name="x",
            artist="y",
            status="completed",
        )


@pytest.mark.parametrize("path", ["/srv/music/a.mp3", "../outside.mp3", "C:\\music\\a.mp3"])
def test_a_file_path_outside_the_library_is_refused(alice, path) -> None:
    with pytest.raises(ValueError):
        record_download(alice, file_path=path)


def test_an_unknown_status_is_refused(alice) -> None:
    with pytest.raises(ValueError):
        record_download(alice, status="done")


def test_history_outlives_nothing_but_its_owner(alice) -> None:
    record_download(alice)
    alice.delete()
    assert (HistoryEntry.objects.count(), HistoryCounter.objects.count()) == (0, 0)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 index exists on SQLite only")
def test_the_search_index_follows_renames_and_deletes(alice) -> None:
    entry = record_download(alice, name="Old Title")
    record_download(alice, task_id=entry.task_id, name="New Title", created_at=entry.created_at)

    def matches(term: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM library_history_search WHERE library_history_search MATCH %s", [term]
            )
            return cursor.fetchone()[0]

    assert (matches("old"), matches("new")) == (0, 1)
    entry.delete()
    assert matches("new") == 0
