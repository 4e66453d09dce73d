"""Library index lookups (the check step's, the M3U paths', the library state's) find the right file,
in one query, and on SQLite look the tracks up in the Spotify id and ISRC indexes instead of walking
every file of the library root."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from downloads.library_index import LOOKUP_CHUNK, library_file_find, library_paths
from downloads.library_state import TrackKey, track_states
from tests.fakes.library_files import put_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_root(tmp_path: Path) -> Path:
    root = tmp_path / "old-library"
    root.mkdir()
    return root


def _find(root: Path, track_id: str = "track1", isrc: str = "", owner: User | None = None) -> Any:
    return library_file_find(spotify_id=track_id, isrc=isrc, root=str(root), owner=owner)


def test_a_track_is_found_by_its_isrc_under_another_spotify_id(library_root) -> None:
    put_file(library_root, "relinked", isrc="GBAAA0000001")

    assert _find(library_root, isrc="gbaaa0000001").spotify_id == "relinked"


def test_only_files_under_the_root_count(library_root, old_root) -> None:
    put_file(old_root, "track1")

    assert _find(library_root) is None
    assert library_paths(spotify_ids=["track1"], root=library_root) == {}


def test_with_an_owner_only_their_files_count(library_root, alice, bob) -> None:
    put_file(library_root, "track1", owner=bob)

    assert _find(library_root, owner=alice) is None
    assert _find(library_root, owner=bob) is not None
    assert library_paths(spotify_ids=["track1"], root=library_root, owner=alice) == {}
    assert library_paths(spotify_ids=["track1"], root=library_root) == {
        "track1": library_root / "Artist/Album/track1.flac"
    }


def test_a_full_file_wins_and_one_gone_from_disk_gives_way(library_root) -> None:
    preview = put_file(library_root, "track1", preview=True)
    full = put_file(library_root, "track1")

    assert _find(library_root).pk == full.pk
    (library_root / full.relative_path).unlink()
    assert _find(library_root).pk == preview.pk
    assert library_paths(spotify_ids=["track1"], root=library_root) == {
        "track1": library_root / preview.relative_path
    }


def test_a_long_playlist_costs_one_query_per_chunk(library_root) -> None:
    put_file(library_root, "track00001")
    put_file(library_root, f"track{LOOKUP_CHUNK + 1:05d}")
    ids = [f"track{n:05d}" for n in range(LOOKUP_CHUNK + 2)]

    with CaptureQueriesContext(connection) as captured:
        found = library_paths(spotify_ids=ids, root=library_root)

    assert len(captured) == 2 and set(found) == {"track00001", f"track{LOOKUP_CHUNK + 1:05d}"}


# ---------------------------------------------------------------------------------------------- query plans
# SQLite without ANALYZE statistics takes the (library_root, relative_path) or the owner index as soon
# as a query names the root or the owner, and then reads every file of the library.
_ID_INDEX = re.compile(r"USING (COVERING )?INDEX \S+ \((spotify_id|isrc)=\?\)")


def _lookups(root: Path, owner: User) -> dict[str, Callable[[], object]]:
    ids = [f"track{n}" for n in range(600)]
    return {
        "check step": lambda: _find(root, isrc="GBAAA0000001", owner=owner),
        "check step, no owner": lambda: _find(root, isrc="GBAAA0000001"),
        "M3U paths": lambda: library_paths(spotify_ids=ids, root=root, owner=owner),
        "watched playlist paths": lambda: library_paths(spotify_ids=ids, root=root),
        "library state": lambda: track_states(
            user=owner, tracks=[TrackKey(id=track_id, isrc=f"GB{track_id}") for track_id in ids]
        ),
    }


def _library_file_plans(call: Callable[[], object]) -> list[list[str]]:
    """The SQLite query plan of each library index query ``call`` makes."""
    with CaptureQueriesContext(connection) as captured:
        call()
    plans = []
    for query in captured:
        if "downloads_libraryfile" in query["sql"]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
                plans.append([row[-1] for row in cursor.fetchall()])
    return plans


@pytest.mark.parametrize(
    "lookup", ["check step", "check step, no owner", "M3U paths", "watched playlist paths", "library state"]
)
def test_lookups_read_the_spotify_id_and_isrc_indexes_on_sqlite(lookup, library_root, alice) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans from its statistics")
    put_file(library_root, "track1", isrc="GBAAA0000001", owner=alice)

    plans = _library_file_plans(_lookups(library_root, alice)[lookup])

    assert plans, "no library index query"
    for plan in plans:
        steps = [step for step in plan if "downloads_libraryfile" in step]
        assert steps and all(_ID_INDEX.search(step) for step in steps), plan
