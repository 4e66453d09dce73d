"""The contract every audio source fulfils, built-in or installed as a plugin.

A source is found through the entry-point group ``spotizerr.sources`` and instantiated without
arguments. The engine asks each configured source in turn to ``find`` a track; the first candidate
wins and is ``fetch``-ed into a temporary directory; once the file is safely in the library the
engine calls ``commit``. See docs/sources.md for how to write one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from spotizerr.integrations.catalog_types import Track
from spotizerr.lib.cancel import CancelToken


@dataclass(frozen=True)
class SourceInfo:
    """What a source offers, shown on the settings page."""

    name: str  # the entry-point name, used in the configuration (``service``, ``sourceOrder``)
    label: str
    full_track: bool  # can give whole songs
    preview: bool  # gives (or may give) short previews
    lossless: bool  # can give lossless audio
    needs_credentials: bool
    network: bool  # fetches over the network (``realTime`` pacing applies)


@dataclass(frozen=True)
class Candidate:
    """A file a source can fetch for a track.

    ``ref`` is the source's own handle (a path, a URL); ``quality`` is a human label such as
    ``"FLAC"`` or ``"MP3 320k"``; ``extension`` (with the dot, e.g. ``".mp3"``) is what the source
    expects, but the suffix of the file ``fetch`` returns is authoritative.
    """

    source: str
    ref: str
    is_preview: bool
    quality: str
    extension: str
    duration_ms: int | None = None
    size: int | None = None


class SourceError(Exception):
    """A source could not find or fetch a track. ``permanent``: retrying will not help (the source
    does not have it, the file is not audio); otherwise the engine may retry later, after
    ``retry_after`` seconds when the source said so (a 429)."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


@runtime_checkable
class Source(Protocol):
    info: SourceInfo

    def find(self, track: Track, *, config: dict[str, Any]) -> Candidate | None:
        """A candidate for ``track``, or None when this source does not have it.
        May raise SourceError when the source cannot be asked right now."""
        ...

    def fetch(
        self, candidate: Candidate, temp_dir: Path, *, config: dict[str, Any], cancel: CancelToken
    ) -> Path:
        """Put the candidate's audio in a new file inside ``temp_dir`` and return its path.
        Raises SourceError, or Cancelled when ``cancel`` fires; leaves no partial file behind."""
        ...

    def commit(self, candidate: Candidate, *, config: dict[str, Any]) -> None:
        """Called once the fetched file is safely in the library (e.g. to remove a moved original)."""
        ...

    def health(self, *, config: dict[str, Any]) -> dict[str, Any]:
        """``{"ok": bool, "detail": str}`` for the settings page; never raises."""
        ...


class BaseSource:
    """Optional base class with the no-op ``commit`` and an always-ok ``health``."""

    info: SourceInfo

    def commit(self, candidate: Candidate, *, config: dict[str, Any]) -> None:
        return None

    def health(self, *, config: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "detail": "ready"}
