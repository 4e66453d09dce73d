"""Album and artist downloads through the real pipeline, the worker run inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from downloads.models import DownloadTask, TaskStatus, TrackJob, TrackStatus
from downloads.tag_reading import read_tags
from library_history.models import HistoryEntry
from tests.downloads.queueing import download
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]


def summary_of(client, task: DownloadTask) -> dict:
    """The summary with its per-track lists, as GET /api/prgs/{task_id} gives it."""
    response = client.get(f"/api/prgs/{task.pk}")
    assert response.status_code == 200
    return response.json()["summary"]


def test_a_big_album_ends_complete_with_every_track_in_order(
    alice_client, album_in_inbox, library_root
) -> None:
    album_in_inbox(IDS.big_album)

    task = download(alice_client, "album", IDS.big_album)

    assert task.status == TaskStatus.COMPLETE and task.total_tracks == 60, task.error_message
    folder = library_root / "The Test Pattern" / "The Long Player"
    names = sorted(path.name for path in folder.glob("*.mp3"))
    assert (
        len(names) == 60
        and names[0] == "01. The Long Player 1.mp3"
        and names[-1] == "60. The Long Player 60.mp3"
    )
    assert read_tags(folder / names[41])["track"] == 42
    assert task.summary["total_successful"] == 60


def test_an_album_is_recorded_with_one_history_row_per_track(alice_client, album_in_inbox) -> None:
    album_in_inbox(IDS.small_album)

    task = download(alice_client, "album", IDS.small_album)

    entry = HistoryEntry.objects.get(task_id=task.pk)
    assert (entry.status, entry.total_tracks, entry.successful_tracks) == ("completed", 3, 3)
    assert list(entry.tracks.order_by("position").values_list("name", flat=True)) == [
        "Four Forty",
        "Eight Eighty",
        "Either/Or: Live?",
    ]


def test_disc_numbers_and_totals_are_tagged(alice_client, album_in_inbox, library_root) -> None:
    album_in_inbox(IDS.two_disc_album, ".flac")

    download(alice_client, "album", IDS.two_disc_album)

    tags = read_tags(library_root / "The Test Pattern" / "Two Sides" / "01. Two Sides 5.flac")
    assert (tags["disc"], tags["disc_total"], tags["track"], tags["date"]) == (2, 2, 1, "2019-11")


def test_an_album_with_a_missing_track_completes_with_the_failure_in_its_summary(
    alice_client, album_in_inbox
) -> None:
    album_in_inbox(IDS.small_album, skip=(2,))  # track 2 has no preview either

    task = download(alice_client, "album", IDS.small_album)

    assert task.status == TaskStatus.COMPLETE
    assert [row["position"] for row in summary_of(alice_client, task)["failed_tracks"]] == [2]
    assert "No source has this track" in summary_of(alice_client, task)["failed_tracks"][0]["reason"]
    assert HistoryEntry.objects.get(task_id=task.pk).status == "partial"


def test_task_lists_carry_the_counts_and_the_task_itself_the_track_lists(
    alice_client, album_in_inbox
) -> None:
    album_in_inbox(IDS.small_album, skip=(2,))
    task = download(alice_client, "album", IDS.small_album)

    listed = alice_client.get("/api/prgs/list").json()["tasks"][0]["summary"]
    detail = alice_client.get(f"/api/prgs/{task.pk}").json()["summary"]

    assert (listed["total_successful"], listed["total_failed"], listed["total_tracks"]) == (2, 1, 3)
    assert not {"successful_tracks", "failed_tracks", "skipped_tracks"} & set(listed)
    assert [row["position"] for row in detail["successful_tracks"]] == [1, 3]
    assert (detail["total_successful"], detail["total_failed"]) == (2, 1)


def test_an_album_where_no_track_can_be_had_ends_in_error(alice_client, spotify_api, configure) -> None:
    configure(sourceOrder=["inbox"])

    task = download(alice_client, "album", IDS.small_album)

    assert task.status == TaskStatus.ERROR
    assert task.error_message.startswith("No track could be downloaded")


def test_album_tracks_already_in_the_library_count_as_skipped(
    alice_client, album_in_inbox, library_root
) -> None:
    album_in_inbox(IDS.small_album)
    download(alice_client, "track", IDS.track)

    task = download(alice_client, "album", IDS.small_album)

    assert task.status == TaskStatus.COMPLETE
    assert (task.summary["total_successful"], task.summary["total_skipped"]) == (2, 1)
    assert len(list(library_root.rglob("*.mp3"))) == 3


def test_the_explicit_filter_skips_explicit_tracks(alice_client, album_in_inbox) -> None:
    album_in_inbox(IDS.small_album)

    task = download(alice_client, "album", IDS.small_album, "?explicitFilter=true")

    skipped = summary_of(alice_client, task)["skipped_tracks"]
    assert [row["name"] for row in skipped] == ["Either/Or: Live?"] and "xplicit" in skipped[0]["reason"]


def test_hostile_titles_never_leave_the_library(
    alice_client, spotify_api, album_in_inbox, library_root, tmp_path
) -> None:
    catalog = spotify_api.catalog
    album_id = catalog.add_album(
        "../../etc",
        artist_ids=[IDS.artist],
        tracks=["../../etc/passwd", "a/b\\c:d", "bell\x07\x1b[31m", "x" * 300, "..", "CON"],
    )
    album_in_inbox(album_id)

    task = download(alice_client, "album", album_id)

    assert task.status == TaskStatus.COMPLETE and task.summary["total_successful"] == 6
    files = [
        path
        for path in tmp_path.rglob("*.mp3")
        if "inbox" not in path.parts and "templates" not in path.parts
    ]
    assert len(files) == 6
    assert all(path.resolve().is_relative_to(library_root.resolve()) for path in files)
    assert all(len(part.encode()) <= 255 for path in files for part in path.parts)


def test_a_track_template_with_playlist_placeholders_outside_a_playlist_still_works(
    alice_client, album_in_inbox, library_root
) -> None:
    album_in_inbox(IDS.small_album)

    task = download(
        alice_client,
        "album",
        IDS.small_album,
        "?customDirFormat=%25artist%25&customTrackFormat=%25playlistnum%25%25music%25",
    )

    assert task.status == TaskStatus.COMPLETE
    assert (library_root / "The Test Pattern" / "Four Forty.mp3").is_file()
    assert len(list(library_root.rglob("*.mp3"))) == 3


def test_an_artist_download_fetches_each_release(alice_client, album_in_inbox, library_root) -> None:
    album_in_inbox(IDS.single)

    response = alice_client.get(f"/api/artist/download/{IDS.artist}?album_type=single")

    task = DownloadTask.objects.get(pk=response.json()["queued_albums"][0])
    assert task.status == TaskStatus.COMPLETE
    assert (library_root / "The Test Pattern" / "Square Wave" / "01. Square Wave.mp3").is_file()


def test_work_folders_are_removed_after_each_track(alice_client, album_in_inbox, data_dir: Path) -> None:
    album_in_inbox(IDS.small_album)

    download(alice_client, "album", IDS.small_album)

    assert not list((data_dir / "work").iterdir())
    assert TrackJob.objects.filter(status=TrackStatus.DONE).count() == 3
