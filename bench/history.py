"""Download-history benchmark: a million entries in the embedded SQLite database, timed through the API.

    .venv/bin/python bench/history.py [--rows 1000000] [--samples 40] [--explain]

Creates a temporary data directory (WAL SQLite, the production settings), migrates it, bulk-loads
``--rows`` history entries (10% albums and playlists with ``--tracks`` child rows each) the way a
restore would, rebuilds the counters with the real service, then times each endpoint through the
real view stack (authentication, permissions, serializers) with bearer tokens. Prints a table and,
as its last line, one JSON object with p50/p95 in milliseconds per endpoint.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._history_fill import history_fill

TARGETS_MS = {"list": 50, "search": 200, "stats": 500, "write": 50}
WARMUP = 5


def _setup_django(data_dir: Path) -> None:
    os.environ["SPOTIZERR_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["SPOTIZERR_AUTH_ENABLED"] = "true"
    os.environ["SPOTIZERR_SECRET_KEY"] = "bench-only-secret-key-not-for-production-use-0123456789"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotizerr.settings")
    import django

    django.setup()


def _clients() -> dict[str, Any]:
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.tokens import issue_token_pair

    clients = {}
    for role, username in (("admin", "user00"), ("user", "user01")):
        client = APIClient(SERVER_NAME="localhost")  # a host name ALLOWED_HOSTS lists by default
        client.credentials(
            HTTP_AUTHORIZATION=f"Bearer {issue_token_pair(User.objects.get(username=username))['access']}"
        )
        clients[role] = client
    return clients


def _cases(rng: random.Random) -> list[tuple[str, str, str, list[dict[str, Any]]]]:
    """(name, target kind, client role, parameter sets to cycle through) per measured call."""
    from library_history.models import HistoryEntry, HistoryTrack

    words = [
        w for (name,) in HistoryEntry.objects.order_by("?").values_list("name")[:200] for w in name.split()
    ]
    artists = list(HistoryEntry.objects.order_by("?").values_list("artist", flat=True)[:50])
    queries = (
        [{"q": w} for w in words[:30]]
        + [{"q": a} for a in artists[:20]]
        + [{"q": f"{a} {w}"} for a, w in zip(artists[20:30], words[30:40], strict=True)]
        + [{"q": w[:3]} for w in words[40:50]]
    )
    parents = list(HistoryTrack.objects.values_list("parent__task_id", flat=True).distinct()[:2000])
    rng.shuffle(queries)
    return [
        ("list (admin, all)", "list", "admin", [{}]),
        ("list (admin, offset 1000)", "list", "admin", [{"offset": 1000}]),
        ("list status=failed", "list", "admin", [{"status": "failed"}]),
        ("list download_type=album", "list", "admin", [{"download_type": "album"}]),
        (
            "list type=playlist+status=partial",
            "list",
            "admin",
            [{"download_type": "playlist", "status": "partial"}],
        ),
        ("list (user)", "list", "user", [{}]),
        ("list (user) status=skipped", "list", "user", [{"status": "skipped"}]),
        ("search (admin)", "search", "admin", queries),
        ("search (user)", "search", "user", queries),
        ("stats (admin)", "stats", "admin", [{}]),
        ("stats (user)", "stats", "user", [{}]),
        ("children (admin)", "list", "admin", [{"task_id": str(t)} for t in parents]),
        ("recent (admin)", "list", "admin", [{}]),
    ]


_PATHS = {"list": "/api/history/", "search": "/api/history/search", "stats": "/api/history/stats"}


def _path(name: str, kind: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if name.startswith("children"):
        return f"/api/history/{params['task_id']}/children", {}
    if name.startswith("recent"):
        return "/api/history/recent", params
    return _PATHS[kind], params


def _measure(samples: int, rng: random.Random) -> list[dict[str, Any]]:
    clients = _clients()
    results = []
    for name, kind, role, param_sets in _cases(rng):
        client, timings = clients[role], []
        for i in range(samples + WARMUP):
            path, params = _path(name, kind, param_sets[i % len(param_sets)])
            started = time.perf_counter()
            response = client.get(path, params)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(
                    f"{name}: {path} {params} answered {response.status_code}: {response.content[:300]!r}"
                )
            if i >= WARMUP:  # the first calls warm caches and connections
                timings.append(elapsed)
        results.append(_summary(name, kind, timings))
    return results


def _measure_writes(samples: int) -> dict[str, Any]:
    """Time the engine's upsert: a new in_progress entry, then the same task completed."""
    from django.utils import timezone as django_timezone

    from accounts.models import User
    from library_history.services import history_record_download

    owner = User.objects.get(username="user01")
    timings = []
    for i in range(samples + WARMUP):
        task_id, now = uuid.uuid4(), django_timezone.now()
        values = {
            "task_id": task_id,
            "owner_id": owner.id,
            "download_type": "track",
            "spotify_url": "",
            "name": f"Bench write {i}",
            "artist": "Bench Artist",
            "created_at": now,
        }
        started = time.perf_counter()
        history_record_download(**values, status="in_progress")
        history_record_download(**values, status="completed", completed_at=now, size_bytes=8_000_000)
        if i >= WARMUP:
            timings.append((time.perf_counter() - started) * 1000 / 2)
    return _summary("record download (service, per call)", "write", timings)


def _summary(name: str, kind: str, timings: list[float]) -> dict[str, Any]:
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    return {
        "endpoint": name,
        "kind": kind,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(p95, 2),
        "target_ms": TARGETS_MS[kind],
        "ok": p95 < TARGETS_MS[kind],
    }


def _explain() -> None:
    """Print SQLite's plan of the list and search queries (no temp b-tree: rows come in index order)."""
    from django.db import connection

    from accounts.models import User
    from library_history import selectors
    from library_history.models import HistoryEntry

    admin, user = User.objects.get(username="user00"), User.objects.get(username="user01")
    plans = {
        "list": selectors.visible_entries(user=admin)[:100],
        "list status": selectors.visible_entries(user=admin).filter(status="failed")[:100],
        "list user+status": selectors.visible_entries(user=user).filter(status="failed")[:100],
    }
    for label, queryset in plans.items():
        print(f"{label}: {queryset.explain()}")
    table = HistoryEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN QUERY PLAN SELECT e.id FROM library_history_search s JOIN {table} e "
            "ON e.id = s.rowid WHERE library_history_search MATCH 'ka*' ORDER BY s.rowid DESC LIMIT 50"
        )
        print("search: " + " | ".join(row[-1] for row in cursor.fetchall()))


def _print_table(fill: dict[str, Any], results: list[dict[str, Any]]) -> None:
    print(
        f"\nFilled {fill['entries']:,} entries in {fill['entries_s']} s, {fill['children']:,} track rows in "
        f"{fill['children_s']} s, counters rebuilt in {fill['counters_s']} s\n"
    )
    print(f"{'endpoint':<36} {'p50 ms':>9} {'p95 ms':>9} {'target':>8}  ")
    print("-" * 68)
    for row in results:
        verdict = "ok" if row["ok"] else "SLOW"
        print(
            f"{row['endpoint']:<36} {row['p50_ms']:>9.2f} {row['p95_ms']:>9.2f} {'<' + str(row['target_ms']):>8}  "
            f"{verdict}"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="history entries to load")
    parser.add_argument("--tracks", type=int, default=10, help="child rows per album or playlist")
    parser.add_argument("--samples", type=int, default=40, help="timed requests per endpoint")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print SQLite query plans")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="spotizerr-bench-history-"))
    try:
        _setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        fill = history_fill(args.rows, args.tracks, args.seed)
        if args.explain:
            _explain()
        results = [*_measure(args.samples, random.Random(args.seed)), _measure_writes(args.samples)]
        _print_table(fill, results)
        print(
            json.dumps(
                {
                    "bench": "history",
                    "database": "sqlite",
                    **fill,
                    "all_ok": all(r["ok"] for r in results),
                    "results": results,
                }
            )
        )
        return 0 if all(r["ok"] for r in results) else 1
    finally:
        if args.keep:
            print(f"data kept in {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
