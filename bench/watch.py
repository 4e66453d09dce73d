"""Watch benchmark: 500 watched playlists of 100 tracks each, checked against the local fake Spotify API.

    .venv/bin/python bench/watch.py [--playlists 500] [--tracks 100] [--changed 0.1] [--hours 2]

Starts the fake Spotify Web API in-process, creates a temporary data directory (WAL SQLite), migrates it
and watches every playlist through the real services. Then, with the real scheduler code (lanes of
``max_concurrent_checks`` run by worker threads, as the django-q2 cluster would run them):

1. one full round with nothing changed: API calls and wall time;
2. one full round with ``--changed`` of the playlists changed (two tracks added, one removed, one
   moved each): API calls by kind, downloads queued, wall time;
3. a simulated ``--hours`` of minute ticks with the watches' due times spread over the check interval,
   changing random playlists at random moments: how long after each change a check noticed it
   (target: within one check_interval, whatever the number of watches).

Prints a table and, as its last line, one JSON object.
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
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHECK_INTERVAL = 3600
MAX_CONCURRENT = 2
TICK = timedelta(minutes=1)


def _setup(data_dir: Path, fake: Any) -> None:
    os.environ.update(
        {
            "SPOTIZERR_DATA_DIR": str(data_dir),
            "SPOTIZERR_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
            "SPOTIZERR_SPOTIFY_API_URL": fake.api_url,
            "SPOTIZERR_LRCLIB_URL": "off",  # never the real lyrics and genre services
            "SPOTIZERR_MUSICBRAINZ_URL": "off",
            "SPOTIZERR_SPOTIFY_TOKEN_URL": fake.token_url,
            "SPOTIZERR_SPOTIFY_CLIENT_ID": fake.client_id,
            "SPOTIZERR_SPOTIFY_CLIENT_SECRET": fake.client_secret,
            "SPOTIZERR_DOWNLOAD_DIR": str(data_dir / "library"),
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "SPOTIZERR_Q_SYNC"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spotizerr.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _calls(fake: Any, since: int) -> dict[str, int]:
    """API calls after request number ``since``, by kind."""
    kinds: Counter[str] = Counter()
    for record in fake.requests[since:]:
        path = record.path
        if not path.startswith("/v1/"):
            kinds["token"] += 1
        elif path.endswith("/items"):
            kinds["pages"] += 1
        elif path.startswith("/v1/playlists/"):
            kinds["snapshot" if record.query.get("fields") == "snapshot_id" else "playlist"] += 1
        elif path.startswith("/v1/tracks/"):
            kinds["track lookups"] += 1
        else:
            kinds["other"] += 1
    kinds["total"] = sum(kinds.values())
    return dict(kinds)


def _run_lanes(now: datetime) -> int:
    """One tick: the scheduler starts lanes (queued in django-q2's ORM queue); worker threads run them."""
    from django.db import connection
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    from watching.services import watch_lanes_start

    if not watch_lanes_start(now=now):
        return 0
    lanes = []
    for row in OrmQ.objects.order_by("id"):
        package = SignedPackage.loads(row.payload)
        if package["func"].startswith("watching."):
            lanes.append(package)
            row.delete()

    def run(package: dict) -> int:
        try:
            return import_string(package["func"])(*package["args"], **package["kwargs"])
        finally:
            connection.close()

    with ThreadPoolExecutor(MAX_CONCURRENT) as pool:
        return sum(pool.map(run, lanes))


def _round(fake: Any, now: datetime) -> dict[str, Any]:
    """Make every watch due at ``now`` and run ticks until none is left."""
    from downloads.models import DownloadTask
    from watching.models import WatchTarget

    WatchTarget.objects.update(next_check_at=now)
    since, tasks_before = len(fake.requests), DownloadTask.objects.count()
    started = time.perf_counter()
    checks = 0
    while ran := _run_lanes(now):
        checks += ran
    seconds = time.perf_counter() - started
    return {
        "checks": checks,
        "seconds": round(seconds, 3),
        "checks_per_s": round(checks / seconds, 1),
        "api_calls": _calls(fake, since),
        "downloads_queued": DownloadTask.objects.count() - tasks_before,
    }


def _change(catalog: Any, playlist_id: str, spare: list[str]) -> str:
    """Two tracks added, one removed, one moved; returns the new snapshot id."""
    catalog.playlist_add(playlist_id, [spare.pop(), spare.pop()], position=random.randrange(90))
    catalog.playlist_remove(playlist_id, catalog.playlists[playlist_id].entries[5].item_id)
    return catalog.playlist_move(playlist_id, 0, 50)


def _notice_times(
    fake: Any, ids: list[str], spare: list[str], start: datetime, hours: float
) -> dict[str, Any]:
    """Simulated minute ticks over ``hours`` with due times spread over the interval; random changes."""
    from watching.models import WatchTarget

    for n, target in enumerate(WatchTarget.objects.order_by("pk")):
        offset = timedelta(seconds=CHECK_INTERVAL * n / len(ids))
        WatchTarget.objects.filter(pk=target.pk).update(next_check_at=start + offset)
    ticks = int(hours * 3600 / TICK.total_seconds())
    latest = (ticks - 1) * 60 - CHECK_INTERVAL  # every change has a full interval left to be noticed
    changes = sorted(
        (start + timedelta(seconds=random.uniform(0, latest)), playlist_id)
        for playlist_id in random.sample(ids, min(40, len(ids)))
    )
    pending: list[tuple[datetime, str, datetime]] = []  # (changed at, playlist, tick it was applied before)
    delays: list[float] = []
    since, started, checks, slowest = len(fake.requests), time.perf_counter(), 0, 0.0
    for tick in (start + TICK * n for n in range(ticks)):
        while changes and changes[0][0] <= tick:
            changed_at, playlist_id = changes.pop(0)
            _change(fake.catalog, playlist_id, spare)
            pending.append((changed_at, playlist_id, tick))
        tick_started = time.perf_counter()
        checks += _run_lanes(tick)
        slowest = max(slowest, time.perf_counter() - tick_started)
        checked = dict(
            WatchTarget.objects.filter(spotify_id__in=[p for _, p, _ in pending]).values_list(
                "spotify_id", "last_checked_at"
            )
        )
        for entry in list(pending):
            if checked[entry[1]] >= entry[2]:  # a check ran after the change: it saw the new snapshot
                delays.append((tick - entry[0]).total_seconds())
                pending.remove(entry)
    wall = time.perf_counter() - started
    return {
        "simulated_hours": hours,
        "ticks": ticks,
        "checks": checks,
        "changes_noticed": len(delays),
        "not_noticed": len(pending),
        "max_delay_s": round(max(delays), 1),
        "mean_delay_s": round(statistics.mean(delays), 1),
        "check_interval_s": CHECK_INTERVAL,
        "within_interval": max(delays) <= CHECK_INTERVAL and not pending,
        "api_calls": _calls(fake, since)["total"],
        "wall_s": round(wall, 2),
        "slowest_tick_s": round(slowest, 3),
    }


def _build(fake: Any, playlists: int, tracks: int) -> tuple[list[str], list[str], dict[str, Any]]:
    from django.utils import timezone

    from accounts.models import User
    from settings_app.services import watch_config_update
    from watching.services import watch_playlist_add

    catalog = fake.catalog
    ids = [catalog.generate_playlist(f"Bench Mix {n}", tracks) for n in range(playlists)]
    spare_album = catalog.add_album("Spare Parts", artist_ids=[catalog.add_artist("Spare")], tracks=1000)
    spare = list(catalog.albums[spare_album].track_ids)
    watch_config_update(changes={"check_interval": CHECK_INTERVAL, "max_concurrent_checks": MAX_CONCURRENT})
    user = User.objects.create(username="bench", role=User.Role.USER)
    since, started = len(fake.requests), time.perf_counter()
    now = timezone.now()
    for playlist_id in ids:
        watch_playlist_add(user=user, playlist_id=playlist_id, now=now)
    setup = {"seconds": round(time.perf_counter() - started, 2), "api_calls": _calls(fake, since)["total"]}
    return ids, spare, setup


def _print(args: argparse.Namespace, setup: dict, unchanged: dict, changed: dict, notice: dict) -> None:
    print(
        f"\n{args.playlists} watched playlists x {args.tracks} tracks, max_concurrent_checks={MAX_CONCURRENT}, "
        f"check_interval={CHECK_INTERVAL} s (fake Spotify API in-process)"
    )
    print(f"watching them all: {setup['seconds']} s, {setup['api_calls']} API calls\n")
    print(f"{'full round':<28} {'checks':>7} {'wall s':>8} {'checks/s':>9} {'API calls':>10}  calls by kind")
    print("-" * 100)
    for label, row in (("nothing changed", unchanged), (f"{args.changed:.0%} changed", changed)):
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(row["api_calls"].items()) if k != "total")
        print(
            f"{label:<28} {row['checks']:>7} {row['seconds']:>8.2f} {row['checks_per_s']:>9.1f} "
            f"{row['api_calls']['total']:>10}  {kinds}"
        )
    print(f"\ndownloads queued in the changed round: {changed['downloads_queued']}")
    capacity = int(unchanged["checks_per_s"] * CHECK_INTERVAL)
    print(f"capacity at this speed: ~{capacity:,} unchanged watches per check_interval")
    print(
        f"\nchange noticed (simulated {notice['simulated_hours']} h, {notice['ticks']} minute ticks, "
        f"{notice['changes_noticed']} changes): max {notice['max_delay_s']} s, mean {notice['mean_delay_s']} s "
        f"(target <= {CHECK_INTERVAL} s: {'met' if notice['within_interval'] else 'MISSED'}); "
        f"{notice['checks']} checks, {notice['api_calls']} API calls, {notice['wall_s']} s wall, "
        f"slowest tick {notice['slowest_tick_s']} s\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--playlists", type=int, default=500)
    parser.add_argument("--tracks", type=int, default=100)
    parser.add_argument("--changed", type=float, default=0.1, help="share of playlists changed in round 2")
    parser.add_argument("--hours", type=float, default=2.0, help="simulated time for the notice measurement")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args(argv)
    random.seed(args.seed)
    sys.path.insert(0, str(ROOT))
    from tests.fakes import spotify_api
    from tests.fakes.spotify_api import FakeCatalog, FakeSpotify

    # The fake writes headers and body separately; with Nagle on, every small answer (a snapshot id)
    # waits ~40 ms for a delayed ACK on loopback, which real Spotify does not cost. TCP_NODELAY removes it.
    spotify_api._Handler.disable_nagle_algorithm = True
    fake = FakeSpotify(FakeCatalog()).start()
    data_dir = Path(tempfile.mkdtemp(prefix="spotizerr-bench-watch-"))
    try:
        (data_dir / "library").mkdir()
        _setup(data_dir, fake)
        from django.utils import timezone

        ids, spare, setup = _build(fake, args.playlists, args.tracks)
        start = timezone.now() + timedelta(hours=2)
        unchanged = _round(fake, start)
        for playlist_id in random.sample(ids, int(len(ids) * args.changed)):
            _change(fake.catalog, playlist_id, spare)
        changed = _round(fake, start + timedelta(seconds=CHECK_INTERVAL))
        notice = _notice_times(fake, ids, spare, start + timedelta(seconds=2 * CHECK_INTERVAL), args.hours)
        _print(args, setup, unchanged, changed, notice)
        print(
            json.dumps(
                {
                    "bench": "watch",
                    "playlists": args.playlists,
                    "tracks": args.tracks,
                    "max_concurrent_checks": MAX_CONCURRENT,
                    "check_interval_s": CHECK_INTERVAL,
                    "setup": setup,
                    "unchanged_round": unchanged,
                    "changed_round": changed,
                    "notice": notice,
                }
            )
        )
    finally:
        fake.stop()
        if args.keep:
            print(f"data kept in {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
