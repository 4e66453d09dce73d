"""Lookups in the library index (``LibraryFile``) by Spotify id or ISRC, under one library root and,
with ``separateTracksByUser``, for one owner: the check step's "already in the library?", the paths
of a playlist's M3U, the marks on watched catalog pages.

Root and owner are checked in Python, never in SQL. SQLite has no statistics unless ``ANALYZE`` ran,
and without them it prefers the ``(library_root, relative_path)`` index or the owner's to the Spotify
id and ISRC ones whenever a query also names the root or the owner: it then walks every file of the
library (~13 ms of CPU a lookup at 100,000 files). A query on ids and ISRCs alone can use nothing but
their indexes, on any database, and returns only the few copies of those tracks (other roots, other
users) for Python to drop. ``tests/downloads/test_library_index.py`` checks the query plans.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import Q

from accounts.models import User
from downloads.models import LibraryFile

ORDER = ("is_preview", "-created_at")  # full files before previews, newest first
LOOKUP_CHUNK = 500  # ids per IN (...) query


def in_scope(library_root: str, owner_id: int | None, *, root: str, owner: User | None) -> bool:
    """Whether an index row is under ``root`` and, when ``owner`` is given, that user's."""
    return library_root == root and (owner is None or owner_id == owner.pk)


def library_file_find(
    *, spotify_id: str, isrc: str | None, root: str, owner: User | None
) -> LibraryFile | None:
    """The library file holding this track (same Spotify id or ISRC) under ``root`` that still exists
    on disk, full files before previews, newest first (one query). ``owner`` narrows to that user's
    files (``separateTracksByUser``)."""
    match = Q(spotify_id=spotify_id) if spotify_id else Q(pk__in=[])
    if isrc:
        match |= Q(isrc=isrc.upper())
    for found in LibraryFile.objects.filter(match).order_by(*ORDER):
        if in_scope(found.library_root, found.owner_id, root=root, owner=owner) and (
            (Path(root) / found.relative_path).is_file()
        ):
            return found
    return None


def library_paths(*, spotify_ids: list[str], root: Path, owner: User | None = None) -> dict[str, Path]:
    """The file under ``root`` the index holds for each track that has one still on disk (full files
    before previews, newest first), by Spotify id; ``owner`` narrows to that user's files. One query
    per ``LOOKUP_CHUNK`` tracks however long the playlist."""
    ids = list(dict.fromkeys(spotify_id for spotify_id in spotify_ids if spotify_id))
    found: dict[str, Path] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        rows = (
            LibraryFile.objects.filter(spotify_id__in=ids[start : start + LOOKUP_CHUNK])
            .order_by(*ORDER)
            .values_list("spotify_id", "library_root", "owner_id", "relative_path")
        )
        for spotify_id, library_root, owner_id, relative in rows:
            if (
                spotify_id not in found
                and in_scope(library_root, owner_id, root=str(root), owner=owner)
                and (root / relative).is_file()
            ):
                found[spotify_id] = root / relative
    return found
