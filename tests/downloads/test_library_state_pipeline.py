"""The pipeline records each library file's format, bitrate and album; "Download missing" queues only
what the library does not hold in full."""

from __future__ import annotations

import pytest

from downloads.models import LibraryFile, TaskStatus, TrackJob, TrackStatus
from tests.downloads.queueing import download
from tests.fakes.library_files import put_file
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def test_a_placed_mp3_is_recorded_with_its_format_bitrate_and_album(alice_client, album_in_inbox) -> None:
    album_in_inbox(IDS.small_album)

    download(alice_client, "album", IDS.small_album)

    rows = set(LibraryFile.objects.values_list("format", "album_id"))
    assert rows == {("mp3", IDS.small_album)}
    assert all(120 <= bitrate <= 140 for bitrate in LibraryFile.objects.values_list("bitrate", flat=True))


def test_a_placed_flac_is_recorded_as_lossless(alice_client, album_in_inbox) -> None:
    album_in_inbox(IDS.single, ".flac")

    download(alice_client, "album", IDS.single)

    assert list(LibraryFile.objects.values_list("format", "bitrate", "album_id")) == [("flac", 0, IDS.single)]


def test_download_missing_skips_the_tracks_already_present_and_fetches_the_rest(
    alice_client, album_in_inbox, library_root, spotify_api
) -> None:
    """GIVEN the first track of an album in the library in full and the second only as a preview
    WHEN the album's missing tracks are downloaded THEN the first is skipped at once with its file
    (never claimed by a worker) and the other two go through the pipeline."""
    first, second, third = spotify_api.catalog.albums[IDS.small_album].track_ids
    put_file(library_root, first, album_id=IDS.small_album)
    put_file(library_root, second, preview=True, album_id=IDS.small_album)
    album_in_inbox(IDS.small_album, skip=(1,))

    task = download(alice_client, "album", IDS.small_album, "?missing_only=true")

    jobs = {job.track_id: job for job in TrackJob.objects.filter(task=task)}
    assert task.total_tracks == 3
    assert (jobs[first].status, jobs[first].reason, jobs[first].attempts) == (
        TrackStatus.SKIPPED,
        "Already in the library.",
        0,
    )
    assert jobs[first].file_path == f"Artist/Album/{first}.flac"
    assert jobs[second].attempts >= 1 and jobs[third].attempts >= 1
    assert jobs[third].status == TrackStatus.DONE


def test_without_missing_only_every_track_goes_to_a_worker(
    alice_client, album_in_inbox, library_root, spotify_api
) -> None:
    first = spotify_api.catalog.albums[IDS.small_album].track_ids[0]
    put_file(library_root, first)
    album_in_inbox(IDS.small_album, skip=(1,))

    task = download(alice_client, "album", IDS.small_album)

    assert task.status == TaskStatus.COMPLETE
    assert TrackJob.objects.get(task=task, track_id=first).attempts >= 1


@pytest.mark.django_db
def test_a_list_longer_than_a_chunk_is_answered_in_a_few_queries(alice, library_root) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from downloads.library_state import CHUNK, TrackKey, track_states

    put_file(library_root, "track00000", isrc="ISRC00000")
    put_file(library_root, "other", isrc=f"ISRC{CHUNK + 5:05d}", preview=True)
    keys = [TrackKey(id=f"track{n:05d}", isrc=f"ISRC{n:05d}") for n in range(CHUNK * 2 + 1)]

    with CaptureQueriesContext(connection) as captured:
        states = track_states(user=alice, tracks=keys)

    assert len(states) == CHUNK * 2 + 1 and len(captured) == 1 + 3 * 2  # config, then files + wanted
    assert states["track00000"]["state"] == "present"
    assert states[f"track{CHUNK + 5:05d}"]["state"] == "preview"
    assert states["track00001"]["state"] == "missing"
