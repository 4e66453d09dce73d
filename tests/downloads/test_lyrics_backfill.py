"""``manage.py lyrics_backfill`` over a library downloaded with lyrics off."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from downloads.extras.backfill import CHECKPOINT_KEY
from downloads.models import LibraryFile
from downloads.tag_reading import read_tags
from tests.fakes.lrclib import record
from tests.fakes.spotify_api import IDS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("auth_on", "engine", "inline_queue"),
]
ALBUM = "The Test Pattern/Sine Waves"


@pytest.fixture
def library_without_lyrics(alice_client, album_in_inbox, lrclib, configure, library_root: Path) -> Path:
    configure(lyrics="off")
    album_in_inbox(IDS.small_album, ".flac")
    assert alice_client.get(f"/api/album/download/{IDS.small_album}").status_code == 202
    configure(lyrics="both")
    for item in list(lrclib.records.values()):  # the backfill goes by the files' own (1 s) length
        lrclib.add(record(item["trackName"], item["artistName"], 1.0))
    return library_root / ALBUM


def backfill(*args: str) -> str:
    out = io.StringIO()
    call_command("lyrics_backfill", *args, stdout=out)
    return out.getvalue()


def test_it_embeds_lyrics_and_writes_lrc_files_for_the_whole_library(library_without_lyrics, lrclib) -> None:
    output = backfill()

    files = sorted(library_without_lyrics.glob("*.flac"))
    assert len(files) == 3
    assert all(read_tags(path)["lyrics"] and path.with_suffix(".lrc").exists() for path in files)
    assert "3/3" in output and "Done: 3 synced." in output


def test_missing_only_skips_files_that_have_their_lyrics(library_without_lyrics, lrclib) -> None:
    backfill()
    asked = len(lrclib.requests)

    output = backfill("--missing-only")

    assert len(lrclib.requests) == asked and "Done: 3 skipped." in output


def test_it_resumes_after_the_last_file_it_finished(library_without_lyrics, lrclib) -> None:
    first = LibraryFile.objects.order_by("id").first()
    cache.set(CHECKPOINT_KEY, first.id)

    output = backfill()

    assert "2/2" in output
    assert not read_tags(Path(first.library_root) / first.relative_path)["lyrics"]


def test_it_refuses_to_run_with_lyrics_off(library_without_lyrics, configure) -> None:
    configure(lyrics="off")

    with pytest.raises(CommandError, match="Lyrics are off"):
        backfill()
