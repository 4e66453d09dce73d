"""The ``inbox`` source: audio files the user already owns, dropped in the inbox folder."""

from __future__ import annotations

import logging
import os
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from downloads.sources.audio_files import probe
from downloads.sources.base import BaseSource, Candidate, SourceError, SourceInfo
from downloads.sources.inbox import index, matching
from downloads.sources.local_files import NotARegularFile, copy_file, link_or_copy
from spotizerr.integrations.catalog_types import Track
from spotizerr.lib.cancel import CancelToken

logger = logging.getLogger(__name__)


def inbox_root(config: dict[str, Any]) -> Path | None:
    """The configured inbox folder, absolute, or None when it is not an existing folder."""
    configured = config.get("inboxPath")
    if not configured:
        return None
    root = Path(configured).expanduser().absolute()
    return root if root.is_dir() else None


def _preference(track: Track) -> Callable[[index.IndexedFile], tuple[bool, int, int]]:
    """Sort key: lossless first, then bitrate, then the length closest to the track's."""

    def key(found: index.IndexedFile) -> tuple[bool, int, int]:
        return found.lossless, found.kbps, -abs(found.duration_ms - track.duration_ms)

    return key


class InboxSource(BaseSource):
    info = SourceInfo(
        name="inbox",
        label="Your own files (inbox folder)",
        full_track=True,
        preview=False,
        lossless=True,
        needs_credentials=False,
        network=False,
    )

    def find(self, track: Track, *, config: dict[str, Any]) -> Candidate | None:
        """The best file for ``track``: by ISRC tag first, else by title, artist and length.
        Among several, lossless beats lossy and a higher bitrate a lower one."""
        root = inbox_root(config)
        if root is None:
            logger.warning("The inbox folder is not configured or does not exist")
            return None
        try:
            with index.connect() as conn:
                index.refresh(conn, root)
                found = self._matches(conn, root, track)
        except sqlite3.Error as error:
            raise SourceError(f"the inbox index is unavailable: {error}", permanent=False) from None
        if not found:
            return None
        best = max(found, key=_preference(track))
        return Candidate(
            source=self.info.name,
            ref=str(best.path),
            is_preview=False,
            quality=best.quality,
            extension=best.extension,
            duration_ms=best.duration_ms,
            size=best.size,
        )

    def indexed_matches(self, conn: sqlite3.Connection, root: Path, track: Track) -> bool:
        """True when the index (as last refreshed) holds a file for ``track``: the wanted-list scan
        refreshes once, then asks this for every wanted track."""
        return bool(self._matches(conn, root, track))

    def _matches(self, conn: sqlite3.Connection, root: Path, track: Track) -> list[index.IndexedFile]:
        if track.isrc:
            by_isrc = index.by_isrc(conn, root, track.isrc.strip())
            if by_isrc:
                return by_isrc
        title, artists = matching.title_key(track.name), matching.artist_keys(track.artist_names)
        return [
            found
            for found in index.by_title(conn, root, title)
            if matching.is_match(
                file_title=found.title_key,
                file_artists=found.artist_keys,
                file_duration_ms=found.duration_ms,
                title=title,
                artists=artists,
                duration_ms=track.duration_ms,
            )
        ]

    def fetch(
        self, candidate: Candidate, temp_dir: Path, *, config: dict[str, Any], cancel: CancelToken
    ) -> Path:
        """Copy (or, with ``inboxMode`` "hardlink", link) the file into ``temp_dir``. In "move" mode the
        original is removed only by ``commit``, once the library has its copy."""
        source = self._inside_inbox(candidate, config)
        destination = temp_dir / f"inbox-{uuid.uuid4().hex}{source.suffix.lower()}"
        try:
            if config.get("inboxMode") == "hardlink":
                link_or_copy(source, destination, cancel=cancel)
            else:
                copy_file(source, destination, cancel=cancel)
        except FileNotFoundError:
            raise SourceError(f"{source.name} is no longer in the inbox", permanent=False) from None
        except NotARegularFile as error:
            raise SourceError(f"{error}: the inbox does not follow links", permanent=True) from None
        except OSError as error:
            raise SourceError(
                f"cannot copy {source.name} from the inbox: {error.strerror}", permanent=False
            ) from None
        try:
            probe(destination)
        except SourceError:
            destination.unlink(missing_ok=True)
            raise
        return destination

    def _inside_inbox(self, candidate: Candidate, config: dict[str, Any]) -> Path:
        """The candidate's path, refused unless it and its folders, links resolved, stay in the inbox."""
        root = inbox_root(config)
        source = Path(os.path.normpath(candidate.ref))
        if (
            root is None
            or not source.is_relative_to(root)
            or not Path(os.path.realpath(source.parent)).is_relative_to(root.resolve())
        ):
            raise SourceError("the file is not inside the configured inbox folder", permanent=True)
        return source

    def commit(self, candidate: Candidate, *, config: dict[str, Any]) -> None:
        """In "move" mode, remove the original now that the library holds the file."""
        if config.get("inboxMode") != "move":
            return
        source, root = self._inside_inbox(candidate, config), inbox_root(config)
        try:
            if candidate.size is not None and source.stat().st_size != candidate.size:
                logger.warning("Not removing %s from the inbox: it changed after it was fetched", source.name)
                return
            source.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            logger.warning("Could not remove %s from the inbox: %s", source.name, error.strerror)
            return
        if root is None:  # no inbox configured: nothing indexed to forget
            return
        with index.connect() as conn:
            index.forget_file(conn, root, source)

    def health(self, *, config: dict[str, Any]) -> dict[str, Any]:
        root = inbox_root(config)
        if root is None:
            return {"ok": False, "detail": "the inbox folder does not exist"}
        if not os.access(root, os.R_OK | os.X_OK):
            return {"ok": False, "detail": "the inbox folder is not readable"}
        try:
            with index.connect() as conn:
                index.refresh(conn, root)
                count = index.count_files(conn, root)
        except sqlite3.Error as error:
            return {"ok": False, "detail": f"the inbox index is unavailable: {error}"}
        return {"ok": True, "detail": f"{count} audio file(s) indexed"}
