"""Two lookups on a cold inbox index: the second one waits for the build, never reads half of it."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from downloads.sources.base import Candidate
from downloads.sources.inbox import InboxSource, index
from downloads.tagging import TagData, write_tags
from tests.downloads.sources.helpers import make_track
from tests.downloads.sources.test_inbox import age
from tests.fakes.audio import make_audio

TRACKS = 40


@pytest.fixture(autouse=True)
def private_index(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()


def an_album_in_nested_folders(inbox: Path, template: Path) -> Path:
    """``Artist/Album/NN.flac``, every entry old enough for the index to trust its timestamp."""
    album = inbox / "New Order" / "Power, Corruption & Lies"
    album.mkdir(parents=True)
    for number in range(1, TRACKS + 1):
        path = album / f"{number:02}.flac"
        shutil.copyfile(template, path)
        write_tags(path, TagData(title=f"Song {number}", artists=["New Order"], isrc=f"GBAAA83{number:05}"))
    age(*album.iterdir(), album, album.parent, inbox)
    return album


def root_row_committed() -> bool:
    path = Path(settings.DATA_DIR) / index.INDEX_FILE
    if not path.exists():
        return False
    try:
        with sqlite3.connect(path, timeout=0.1) as conn:
            return conn.execute("SELECT COUNT(*) FROM dirs WHERE path = ''").fetchone()[0] > 0
    except sqlite3.OperationalError:
        return False


def test_a_lookup_during_the_first_build_waits_for_it_and_finds_the_file(source_config, tmp_path) -> None:
    """GIVEN an inbox of nested folders and no index yet
    WHEN a second lookup starts while the first is still building the index (its top folder is in,
    the album folder not yet)
    THEN both lookups find their track."""
    inbox = Path(source_config["inboxPath"])
    an_album_in_nested_folders(inbox, make_audio(tmp_path / "template.flac", seconds=2.0))
    found: dict[str, Candidate | None] = {}
    first = threading.Thread(
        target=lambda: found.update(
            first=InboxSource().find(make_track(isrc="GBAAA8300001"), config=source_config)
        )
    )
    first.start()
    deadline = time.monotonic() + 20
    while not root_row_committed() and time.monotonic() < deadline:
        time.sleep(0.001)

    found["second"] = InboxSource().find(make_track(isrc=f"GBAAA83{TRACKS:05}"), config=source_config)
    first.join(30)

    assert found["first"] is not None and Path(found["first"].ref).name == "01.flac"
    assert found["second"] is not None and Path(found["second"].ref).name == f"{TRACKS:02}.flac"
