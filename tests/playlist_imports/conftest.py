"""Fixtures of the import tests: the download engine's (inline worker, library, inbox files) and a
local fake of Deezer's public API, plus helpers to post imports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.downloads.conftest import (  # noqa: F401  (fixtures shared with the engine's tests)
    album_in_inbox,
    configure,
    data_dir,
    engine,
    inbox_file,
    inline_queue,
    queued_only,
)
from tests.fakes.deezer_api import FakeDeezer
from tests.fakes.spotify_api import IDS


@pytest.fixture
def deezer_api(settings) -> Iterator[FakeDeezer]:
    with FakeDeezer() as fake:
        settings.DEEZER_API_URL = fake.base_url
        yield fake


@pytest.fixture
def catalog_track(spotify_api) -> Callable[[str], dict[str, Any]]:
    """``catalog_track(track_id)``: title, artist, album, duration and ISRC of a fake catalog track."""

    def describe(track_id: str) -> dict[str, Any]:
        catalog = spotify_api.catalog
        track = catalog.tracks[track_id]
        return {
            "id": track_id,
            "title": track.name,
            "artist": catalog.artists[track.artist_ids[0]].name,
            "album": catalog.albums[track.album_id].name,
            "duration_ms": track.duration_ms,
            "isrc": track.isrc,
        }

    return describe


@pytest.fixture
def small_album_ids(spotify_api) -> list[str]:
    return list(spotify_api.catalog.albums[IDS.small_album].track_ids)


@pytest.fixture(autouse=True)
def _data_dir_first(data_dir) -> None:  # noqa: F811
    """The DATA_DIR (and its encryption key) is set before the fake's credentials are stored."""
