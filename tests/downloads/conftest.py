"""Fixtures of the download engine tests: the worker run inline, a configured library and inbox, and
inbox files generated with ffmpeg whose ISRC tags match the fake Spotify catalog.

Nothing here is autouse: the files/ and sources/ suites below share this folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

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
def engine(transactional_db, data_dir: Path, library_root: Path, inbox_root: Path, spotify_api, inline_queue,
           configure) -> Iterator[Any]:
    """A ready download engine: fake Spotify, an empty library and inbox, inline workers, no
    retry delays, sources tried in the order inbox, spotify (previews)."""
    configure(service="inbox", fallback=True, sourceOrder=["inbox", "spotify"], maxRetries=2,
              retryDelaySeconds=0, retryDelayIncrease=0, maxConcurrentDownloads=2)
    yield spotify_api


@pytest.fixture
def inbox_file(inbox_root: Path, spotify_api) -> Callable[..., Path]:
    """``inbox_file(track_id, extension=".mp3", seconds=1.0)``: a real audio file in the inbox whose tags
    (ISRC, title, artist) match that catalog track."""

    def make(track_id: str, extension: str = ".mp3", seconds: float = 1.0, name: str | None = None) -> Path:
        track = spotify_api.catalog.tracks[track_id]
        artist = spotify_api.catalog.artists[track.artist_ids[0]].name
        path = inbox_root / f"{name or track_id}{extension}"
        return make_audio(path, seconds=seconds, tags={"title": track.name, "artist": artist, "ISRC": track.isrc})

    return make


@pytest.fixture
def album_in_inbox(inbox_file, spotify_api) -> Callable[..., list[Path]]:
    """``album_in_inbox(album_id, extension=".mp3")``: every track of the album in the inbox."""

    def make(album_id: str, extension: str = ".mp3", seconds: float = 1.0) -> list[Path]:
        return [inbox_file(track_id, extension, seconds) for track_id in spotify_api.catalog.albums[album_id].track_ids]

    return make
