"""Migration downloads.0006 gives files indexed before it their album, from the jobs that placed them."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from downloads.models import DownloadTask, LibraryFile, TrackJob

pytestmark = pytest.mark.django_db


def test_files_take_their_album_from_the_job_that_placed_them_and_unknown_ones_stay_empty(alice) -> None:
    task = DownloadTask.objects.create(owner=alice, download_type="album", item_id="album1")
    TrackJob.objects.create(task=task, position=1, track_id="known", track_data={"album": {"id": "album1"}})
    TrackJob.objects.create(task=task, position=2, track_id="no-album", track_data={"album": {"id": None}})
    for track_id in ("known", "no-album", "never-downloaded"):
        LibraryFile.objects.create(library_root="/lib", relative_path=f"{track_id}.mp3", spotify_id=track_id)
    migration = importlib.import_module("downloads.migrations.0006_library_album_id")

    migration.album_id_from_jobs(apps, None)

    assert dict(LibraryFile.objects.values_list("spotify_id", "album_id")) == {
        "known": "album1",
        "no-album": "",
        "never-downloaded": "",
    }
