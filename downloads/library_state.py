"""What the library holds for catalog tracks, as a page shows it: ``present`` (a full file), ``preview``
(only a preview clip), ``wanted`` (the caller asked for it, no source had it yet) or ``missing``.

A page of any length costs one query for library files and one for the caller's wanted rows (plus the
configuration), never one per track. Files are matched by Spotify id or ISRC under the configured
library root, narrowed to the caller's own files when ``separateTracksByUser`` is on (as the check step
does), and count only while they are still on disk. The state is the caller's: it is computed per
request and never stored in a shared cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q

from accounts.models import User
from downloads.library_index import ORDER, in_scope
from downloads.models import LibraryFile, WantedTrack
from settings_app.selectors import get_config

PRESENT, PREVIEW, WANTED, MISSING = "present", "preview", "wanted", "missing"
STATES = (PRESENT, PREVIEW, WANTED, MISSING)
CHUNK = 2000  # tracks per query pair: within SQLite's bound on query parameters (ids and ISRCs)
_FILE_FIELDS = (
    "library_root",
    "owner_id",
    "spotify_id",
    "isrc",
    "relative_path",
    "is_preview",
    "format",
    "bitrate",
    "album_id",
)


@dataclass(frozen=True)
class TrackKey:
    """A catalog track as the library knows it: its Spotify id and, when the catalog gave one, ISRC."""

    id: str
    isrc: str = ""


def empty_state() -> dict[str, Any]:
    return {"state": MISSING, "format": "", "bitrate": 0, "file_path": ""}


def _scope(user: User, config: dict[str, Any] | None = None) -> tuple[Path, User | None]:
    config = config or get_config()
    owner = user if config.get("separateTracksByUser") else None
    return Path(config["downloadPath"]), owner


def _files(match: Q, root: Path, owner: User | None) -> list[dict[str, Any]]:
    """Matching files still on disk, full files before previews and newest first (one query). Root
    and owner are checked in Python, not in SQL, so that SQLite uses the id and ISRC indexes
    (``downloads/library_index.py`` says why)."""
    rows = LibraryFile.objects.filter(match).order_by(*ORDER).values(*_FILE_FIELDS)
    return [
        row
        for row in rows
        if in_scope(row["library_root"], row["owner_id"], root=str(root), owner=owner)
        and (root / row["relative_path"]).is_file()
    ]


def _file_state(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "state": PREVIEW if row["is_preview"] else PRESENT,
        "format": row["format"],
        "bitrate": row["bitrate"],
        "file_path": row["relative_path"],
    }


def track_states(
    *, user: User, tracks: Iterable[TrackKey], config: dict[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Each track's ``{"state", "format", "bitrate", "file_path"}`` by Spotify id (``file_path``
    relative to the library root); one query for files and one for wanted rows for a page of up to
    ``CHUNK`` tracks (longer lists, e.g. a whole playlist when a task is planned, take one pair per
    chunk). ``config`` (e.g. a task's settings snapshot) replaces the current configuration."""
    keys = list({track.id: track for track in tracks if track.id}.values())
    root, owner = _scope(user, config) if keys else (Path(), None)
    by_id: dict[str, dict[str, Any]] = {}
    by_isrc: dict[str, dict[str, Any]] = {}
    wanted: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        part = keys[start : start + CHUNK]
        ids = [track.id for track in part]
        isrcs = sorted({track.isrc.upper() for track in part if track.isrc})
        match = Q(spotify_id__in=ids) | Q(isrc__in=isrcs) if isrcs else Q(spotify_id__in=ids)
        for row in _files(match, root, owner):
            _keep_best(by_id, row["spotify_id"], row)
            _keep_best(by_isrc, row["isrc"], row)
        wanted.update(
            WantedTrack.objects.filter(owner=user, track_id__in=ids).values_list("track_id", flat=True)
        )
    return {track.id: _one_state(track, by_id, by_isrc, wanted) for track in keys}


def _keep_best(found: dict[str, dict[str, Any]], key: str, row: dict[str, Any]) -> None:
    """Rows come full files first, newest first: keep the first, unless a full file follows a
    preview (the same file may come again from a later chunk)."""
    if key and (key not in found or (found[key]["is_preview"] and not row["is_preview"])):
        found[key] = row


def _one_state(
    track: TrackKey,
    by_id: dict[str, dict[str, Any]],
    by_isrc: dict[str, dict[str, Any]],
    wanted: set[str],
) -> dict[str, Any]:
    found = [row for row in (by_id.get(track.id), by_isrc.get(track.isrc.upper())) if row is not None]
    best = min(found, key=lambda row: row["is_preview"], default=None)  # a full file wins
    if best is not None:  # a preview still says what is on disk, wanted or not
        return _file_state(best)
    return {**empty_state(), "state": WANTED} if track.id in wanted else empty_state()


def summary(states: Iterable[dict[str, Any]]) -> dict[str, int]:
    """``{"present": n, "preview": n, "wanted": n, "missing": n}`` of a list of track states."""
    counts = dict.fromkeys(STATES, 0)
    for state in states:
        counts[state["state"]] += 1
    return counts


def release_summaries(*, user: User, releases: Iterable[tuple[str, int]]) -> dict[str, dict[str, int]]:
    """For releases given as ``(album id, total tracks)``: the summary of their tracks, counting the
    distinct tracks the library holds for each album (files record their album) and the caller's
    wanted rows of it; the rest of ``total tracks`` is missing. One query each for files and wanted."""
    totals = {album_id: total for album_id, total in releases if album_id}
    if not totals:
        return {}
    root, owner = _scope(user)
    tracks: dict[str, dict[str, str]] = {album_id: {} for album_id in totals}
    for row in _files(Q(album_id__in=list(totals)), root, owner):
        state = PREVIEW if row["is_preview"] else PRESENT
        key = row["spotify_id"] or row["isrc"] or row["relative_path"]
        if tracks[row["album_id"]].get(key) != PRESENT:
            tracks[row["album_id"]][key] = state
    wanted = WantedTrack.objects.filter(owner=user, album_id__in=list(totals)).values_list(
        "album_id", "track_id"
    )
    for album_id, track_id in wanted:
        tracks[album_id].setdefault(track_id, WANTED)
    result: dict[str, dict[str, int]] = {}
    for album_id, total in totals.items():
        counts = summary({"state": state} for state in tracks[album_id].values())
        counts[MISSING] = max(0, total - counts[PRESENT] - counts[PREVIEW] - counts[WANTED])
        result[album_id] = counts
    return result
