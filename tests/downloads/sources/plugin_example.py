"""Stand-in third-party plugins for the registry tests: one good, several broken ways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from downloads.sources.base import BaseSource, Candidate, SourceInfo
from spotizerr.integrations.catalog_types import Track
from spotizerr.lib.cancel import CancelToken


class EchoSource(BaseSource):
    info = SourceInfo(
        name="echo",
        label="Echo",
        full_track=True,
        preview=False,
        lossless=False,
        needs_credentials=False,
        network=False,
    )

    def find(self, track: Track, *, config: dict[str, Any]) -> Candidate | None:
        return None

    def fetch(
        self, candidate: Candidate, temp_dir: Path, *, config: dict[str, Any], cancel: CancelToken
    ) -> Path:
        raise NotImplementedError


class ExplodingSource(EchoSource):
    def __init__(self) -> None:
        raise RuntimeError("needs a licence key")


class NotASource:
    info = "echo"


class WrongName(EchoSource):
    info = SourceInfo(
        name="other",
        label="Other",
        full_track=True,
        preview=False,
        lossless=False,
        needs_credentials=False,
        network=False,
    )
