"""Fixtures for the source tests: local servers standing in for Deezer and media hosts, and a
config dict built the way ``settings_app.selectors.get_config()`` shapes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.deezer_api import FakeDeezer
from tests.fakes.media_server import MediaServer


@pytest.fixture
def media_server(settings) -> Iterator[MediaServer]:
    """A local server whose origin is the configured Deezer API URL, so fetching from it is allowed."""
    with MediaServer() as server:
        settings.DEEZER_API_URL = server.base_url
        yield server


@pytest.fixture
def outside_server() -> Iterator[MediaServer]:
    """A local server on a port no setting names: fetching from it must be refused."""
    with MediaServer() as server:
        yield server


@pytest.fixture
def deezer_api(settings) -> Iterator[FakeDeezer]:
    with FakeDeezer() as fake:
        settings.DEEZER_API_URL = fake.base_url
        yield fake


@pytest.fixture
def source_config(tmp_path: Path) -> dict[str, Any]:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    return {
        "service": "inbox",
        "fallback": True,
        "sourceOrder": ["inbox", "deezer", "spotify", "command"],
        "inboxPath": str(inbox),
        "inboxMode": "copy",
        "commandSource": None,
        "realTime": False,
        "realTimeMultiplier": 0,
        "deezerQuality": "MP3_128",
    }


@pytest.fixture
def temp_dir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    return work
