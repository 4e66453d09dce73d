"""The compatibility tests use the download engine's fixtures (a configured library, the fake Spotify
and a queue that stores tasks without running them)."""

from __future__ import annotations

from tests.downloads.conftest import configure, data_dir, engine, queued_only  # noqa: F401
