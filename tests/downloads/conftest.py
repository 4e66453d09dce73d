"""Fixtures of the download engine tests: the worker run inline, a configured library and inbox, and
inbox files generated with ffmpeg whose ISRC tags match the fake Spotify catalog.

Nothing here is autouse: the files/ and sources/ suites below share this folder.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from downloads.tagging import TagData, write_tags
from tests.fakes.audio import make_audio


@pytest.fixture
def inline_queue(monkeypatch) -> None:
    """django-q2 runs every enqueued task at once, in the enqueuing thread (the real worker code)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def queued_only(monkeypatch) -> None:
    """django-q2 only stores enqueued tasks in its ORM queue; nothing runs them."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def configure(db) -> Callable[..., dict[str, Any]]:
    """``configure(**changes)``: change the main configuration through its service."""
    from settings_app.services import config_update

    def change(**changes: Any) -> dict[str, Any]:
        return config_update(changes=changes)

    return change


@pytest.fixture
def data_dir(settings, tmp_path: Path) -> Path:
    """A fresh DATA_DIR (work folders, the inbox index, the encryption key); set before anything is
    encrypted with the key it holds."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def engine(
    transactional_db, data_dir: Path, library_root: Path, inbox_root: Path, spotify_api, configure
) -> Iterator[Any]:
    """A ready download engine: fake Spotify, an empty library and inbox, no retry delays, sources
    tried in the order inbox, spotify (previews). Add ``inline_queue`` or ``queued_only``."""
    configure(
        service="inbox",
        fallback=True,
        sourceOrder=["inbox", "spotify"],
        maxRetries=2,
        retryDelaySeconds=0,
        retryDelayIncrease=0,
        maxConcurrentDownloads=2,
    )
    yield spotify_api


@pytest.fixture
def inbox_file(data_dir: Path, inbox_root: Path, spotify_api) -> Callable[..., Path]:
    """``inbox_file(track_id, extension=".mp3", seconds=1.0)``: a real audio file in the inbox whose tags
    (ISRC, title, artist) match that catalog track."""

    def make(track_id: str, extension: str = ".mp3", seconds: float = 1.0, name: str | None = None) -> Path:
        track = spotify_api.catalog.tracks[track_id]
        artist = spotify_api.catalog.artists[track.artist_ids[0]].name
        path = inbox_root / f"{name or track_id}{extension}"
        return make_audio(
            path, seconds=seconds, tags={"title": track.name, "artist": artist, "ISRC": track.isrc}
        )

    return make


@pytest.fixture
def album_in_inbox(
    data_dir: Path, inbox_root: Path, spotify_api, tmp_path: Path
) -> Callable[..., list[Path]]:
    """``album_in_inbox(album_id, extension=".mp3", seconds=1.0, skip=())``: the album's tracks in the
    inbox (all but the positions in ``skip``, 1-based). One file is generated with ffmpeg and copied,
    each copy tagged with its track's title, artist and ISRC (fast enough for 60 tracks)."""

    def make(
        album_id: str, extension: str = ".mp3", seconds: float = 1.0, skip: tuple[int, ...] = ()
    ) -> list[Path]:
        template = make_audio(tmp_path / "templates" / f"{seconds}{extension}", seconds=seconds)
        catalog = spotify_api.catalog
        made = []
        for number, track_id in enumerate(catalog.albums[album_id].track_ids, start=1):
            if number in skip:
                continue
            track = catalog.tracks[track_id]
            path = inbox_root / f"{album_id}-{number}{extension}"
            shutil.copyfile(template, path)
            artists = [catalog.artists[artist_id].name for artist_id in track.artist_ids]
            write_tags(path, TagData(title=track.name, artists=artists, isrc=track.isrc or ""))
            made.append(path)
        return made

    return make


@pytest.fixture
def command_source(data_dir: Path, tmp_path: Path, spotify_api, configure) -> Callable[..., Path]:
    """``command_source(delay=0.0, known=None)``: configure the ``command`` source as the only source,
    running a real program that waits ``delay`` seconds then writes a generated MP3 for the ISRCs in
    ``known`` (default: every catalog track) and exits 69 ("not available") for others."""

    def setup(delay: float = 0.0, known: list[str] | None = None, seconds: float = 1.0) -> Path:
        template = make_audio(tmp_path / "command" / "template.mp3", seconds=seconds)
        isrcs = known if known is not None else [track.isrc for track in spotify_api.catalog.tracks.values()]
        (tmp_path / "command" / "known.txt").write_text("\n".join(isrc or "" for isrc in isrcs))
        script = tmp_path / "command" / "fetch.py"
        script.write_text(COMMAND_SCRIPT)
        configure(
            service="command",
            fallback=False,
            commandSource={
                "argv": [sys.executable, str(script), "{isrc}", "{output}", str(delay), str(template.parent)],
                "timeoutSeconds": 60,
            },
        )
        return script

    return setup


COMMAND_SCRIPT = """
import shutil, sys, time
from pathlib import Path
isrc, output, delay, folder = sys.argv[1], sys.argv[2], float(sys.argv[3]), Path(sys.argv[4])
time.sleep(delay)
if isrc not in (folder / "known.txt").read_text().split():
    sys.exit(69)
shutil.copyfile(folder / "template.mp3", output + ".mp3")
"""
