"""Library index lookups by Spotify id and ISRC over a library index of 100,000 files (SQLite): the
check step's "already in the library?" per track, and the paths of a 500-track playlist's M3U (with
an owner, as ``separateTracksByUser`` asks) and of a watched playlist's (the catalog marks too).

    .venv/bin/python bench/library_lookup.py [--files 100000] [--samples 500]

Creates a temporary data directory, migrates it, seeds ``--files`` ``LibraryFile`` rows of one user
(``bench/library_state.py``'s rows: random tracks, plus a 500-track playlist of which 60% are full
files and 10% previews, with real files on disk, and 5% also indexed under an older library root),
then times each lookup in-process: ``--samples`` check-step lookups (the playlist's tracks in turn,
found or not) and ``--samples // 10`` pages. Wall and CPU time per call, the queries it made and the
columns SQLite searched (``EXPLAIN QUERY PLAN``); a lookup that searches the library root or the
owner instead of the Spotify id or ISRC walks every file of the library and is marked ``SCAN``.
Prints a table and, as its last line, one JSON object.

The code before ``downloads/library_index.py`` (root and owner filtered in SQL) is measured by
running this file from an export of that commit::

    git archive b07d90c | tar -x -C /tmp/before && cp bench/library_lookup.py /tmp/before/bench/
    (cd /tmp/before && /path/to/.venv/bin/python bench/library_lookup.py)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import django_in_process, machine, percentile  # noqa: E402

PLAYLIST_TRACKS = 500
WARMUP = 5
CHUNK = 20_000
OLD_ROOT = "/srv/old-music"  # an earlier downloadPath: its rows match by id, never count
_SEARCHED = re.compile(r"USING (?:COVERING )?INDEX \S+ \((\w+)=")
_ID_COLUMNS = {"spotify_id", "isrc"}


def _seed(files: int, rng: random.Random) -> dict[str, Any]:
    """The playlist's tracks (60% full, 10% preview, 5% also under ``OLD_ROOT``) among ``files`` rows,
    all of one user; returns the figures and the playlist as ``(spotify_id, isrc)`` pairs."""
    from django.conf import settings

    from accounts.models import User
    from bench.library_state import _row
    from downloads.models import LibraryFile

    started = time.perf_counter()
    root = Path(settings.DOWNLOAD_DIR)
    user = User.objects.create(username="bench", role=User.Role.USER)
    playlist = [
        (f"{rng.getrandbits(128):032x}"[:22], f"QZBEN{number:07d}") for number in range(PLAYLIST_TRACKS)
    ]
    rows = []
    for number, (track_id, isrc) in enumerate(playlist):
        roll = rng.random()
        if roll < 0.05:
            rows.append(_row(OLD_ROOT, number, track_id, isrc, preview=False, album_id=""))
        if roll < 0.7:
            row = _row(str(root), number, track_id, isrc, preview=roll >= 0.6, album_id="")
            (root / row.relative_path).parent.mkdir(parents=True, exist_ok=True)
            (root / row.relative_path).touch()
            rows.append(row)
    for number in range(len(rows), files):
        track_id = f"{rng.getrandbits(128):032x}"[:22]
        rows.append(_row(str(root), number, track_id, f"BENCH{number:07d}", preview=False, album_id=""))
    for row in rows:
        row.owner = user
    for start in range(0, len(rows), CHUNK):
        LibraryFile.objects.bulk_create(rows[start : start + CHUNK])
    seeded = {"files": LibraryFile.objects.count(), "seed_s": round(time.perf_counter() - started, 1)}
    return {**seeded, "playlist": playlist, "root": root, "user": user}


def _lookups() -> tuple[str, dict[str, Callable[..., Any]]]:
    """The lookups of the code under ``ROOT``: ``downloads.library_index``, or the three before it.
    (Not by ImportError: the virtualenv's editable install would find the module in its checkout.)"""
    if not (ROOT / "downloads" / "library_index.py").is_file():
        from downloads.pipeline.finish import _library_paths
        from downloads.selectors import library_file_find
        from watching.selectors import library_paths

        return "before: root and owner in SQL", {
            "find": library_file_find,
            "m3u": lambda ids, root, owner: _library_paths(ids, str(root), owner),
            "watch": lambda ids, root: library_paths(spotify_ids=ids, root=root),
        }
    from downloads import library_index

    return "downloads/library_index.py", {
        "find": library_index.library_file_find,
        "m3u": lambda ids, root, owner: library_index.library_paths(spotify_ids=ids, root=root, owner=owner),
        "watch": lambda ids, root: library_index.library_paths(spotify_ids=ids, root=root),
    }


def _searched(sql: str) -> list[str]:
    """The columns SQLite searches an index on for ``sql`` (a query as Django logged it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        steps = [row[-1] for row in cursor.fetchall() if "downloads_libraryfile" in row[-1]]
    return [match.group(1) if match else "SCAN" for match in (_SEARCHED.search(step) for step in steps)]


def _timed(
    name: str, samples: int, call: Callable[[int], Any], found: Callable[[Any], int]
) -> dict[str, Any]:
    """``call(i)`` timed ``samples`` times; ``found`` (untimed) counts the tracks an answer had. The
    queries and their plans come from one more call, untimed (logging queries costs time itself)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call(0)
    searched = {column for query in captured for column in _searched(query["sql"])}
    wall: list[float] = []
    cpu: list[float] = []
    hits = 0
    for i in range(samples + WARMUP):
        started, started_cpu = time.perf_counter(), time.process_time()
        answer = call(i)
        elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        if i >= WARMUP:
            wall.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
            hits += found(answer)
    return {
        "case": name,
        "calls": samples,
        "found_per_call": round(hits / samples, 2),
        "queries": len(captured),
        "searched": "+".join(sorted(searched)),
        "p50_ms": round(percentile(wall, 0.5), 3),
        "p95_ms": round(percentile(wall, 0.95), 3),
        "cpu_p50_ms": round(percentile(cpu, 0.5), 3),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 3),
        "ok": bool(searched) and searched <= _ID_COLUMNS,
    }


def _measure(seeded: dict[str, Any], samples: int) -> tuple[str, list[dict[str, Any]]]:
    code, lookups = _lookups()
    playlist, root, user = seeded["playlist"], seeded["root"], seeded["user"]
    ids = [track_id for track_id, _ in playlist]
    pages = max(1, samples // 10)

    def find(owner: Any) -> Callable[[int], Any]:
        def call(i: int) -> Any:
            track_id, isrc = playlist[i % len(playlist)]
            return lookups["find"](spotify_id=track_id, isrc=isrc, root=str(root), owner=owner)

        return call

    one = lambda answer: int(answer is not None)  # noqa: E731
    return code, [
        _timed("check step: library_file_find, per track", samples, find(None), one),
        _timed("same, separateTracksByUser (owner)", samples, find(user), one),
        _timed("M3U paths, 500-track playlist, owner", pages, lambda i: lookups["m3u"](ids, root, user), len),
        _timed("watched playlist paths, 500 tracks", pages, lambda i: lookups["watch"](ids, root), len),
    ]


def _print_table(
    code: str, seeded: dict[str, Any], results: list[dict[str, Any]], load: tuple[float, ...]
) -> None:
    print(
        f"\nCode: {code}. Seeded {seeded['files']:,} library files in {seeded['seed_s']} s; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n"
    )
    print(
        f"{'case':<42} {'calls':>5} {'found':>6} {'queries':>7} {'searched':>16} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8}"
    )
    print("-" * 116)
    for row in results:
        print(
            f"{row['case']:<42} {row['calls']:>5} {row['found_per_call']:>6} {row['queries']:>7} "
            f"{row['searched']:>16} {row['p50_ms']:>8.3f} {row['p95_ms']:>8.3f} {row['cpu_p50_ms']:>8.3f} "
            f"{row['cpu_p95_ms']:>8.3f}  {'ok' if row['ok'] else 'SCAN'}"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=100_000, help="library files to index")
    parser.add_argument("--samples", type=int, default=500, help="timed check-step lookups (pages: a tenth)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="spotizerr-bench-lookup-"))
    (data_dir / "library").mkdir()
    try:
        django_in_process(data_dir)
        seeded = _seed(args.files, random.Random(args.seed))
        code, results = _measure(seeded, args.samples)
        load = os.getloadavg()
        _print_table(code, seeded, results, load)
        summary = {
            "bench": "library_lookup",
            "database": "sqlite",
            "code": code,
            "files": seeded["files"],
            "seed_s": seeded["seed_s"],
            "load_average": [round(value, 2) for value in load],
            "machine": machine(),
            "all_ok": all(row["ok"] for row in results),
            "results": results,
        }
        print(json.dumps(summary))
        return 0 if summary["all_ok"] else 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
