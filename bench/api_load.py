"""API under load: concurrent clients on the read endpoints while two workers write progress.

    .venv/bin/python bench/api_load.py [--database sqlite|postgres] [--clients 25] [--seconds 60]
                                       [--history 20000] [--albums 24] [--tracks 30]
                                       [--web-processes 2] [--think-ms 0]

Starts the real service on a fresh database, the embedded SQLite (WAL, ORM broker) or PostgreSQL +
Redis: ``manage.py serve --no-workers --web-processes N`` for the web side and a 2-worker ``manage.py
qcluster``, authentication on, bearer tokens. Seeds ``--history`` history entries, keeps album
downloads running for the whole measurement (copy and tag from generated inbox files, so the workers
write progress rows as fast as they can), and runs ``--clients`` closed-loop clients (keep-alive
connections, no pause between requests unless ``--think-ms``) on a mix of task list, task detail,
history list, history search and auth status for ``--seconds``.

Reports p50/p95/p99 per endpoint and overall, errors (non-2xx or broken connections) and how often
"database is locked" appears in any server log. Targets: p95 under 300 ms, zero errors, zero locks.
Prints a table and, as its last line, one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import CpuMeter, add_web_processes_option, machine, percentile, running_service

P95_TARGET_MS = 300.0
ADMIN, PASSWORD = "bench-admin", "bench-password-not-secret-1"
MIX = (
    ("task list", 25),
    ("task detail", 25),
    ("history list", 20),
    ("history search", 15),
    ("auth status", 15),
)
WORDS = (
    "sine",
    "wave",
    "fault",
    "line",
    "echo",
    "pattern",
    "long",
    "player",
    "radio",
    "signal",
    "drift",
    "static",
)

SEED_HISTORY = """
import random, uuid
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from library_history.models import HistoryEntry
words = {words!r}
rng = random.Random(7)
owner = User.objects.get(username={admin!r})
now = timezone.now()
def title():
    return " ".join(rng.choice(words).title() for _ in range(rng.randint(1, 3))) + f" {{rng.randint(1, 999)}}"
rows = [HistoryEntry(task_id=uuid.uuid4(), owner=owner, download_type=rng.choice(["track", "album", "playlist"]),
                     status=rng.choice(["completed"] * 8 + ["failed", "partial"]), name=title(),
                     artist=title(), album=title(), service="inbox", quality="MP3 320k",
                     created_at=now - timedelta(minutes=i), completed_at=now - timedelta(minutes=i),
                     total_tracks=1, successful_tracks=1) for i in range({rows})]
HistoryEntry.objects.bulk_create(rows, batch_size=2000)
from django.db import connection
if connection.vendor == "postgresql":  # what autovacuum does within a minute of a bulk load in a deployment
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
print(HistoryEntry.objects.count())
"""


class Client(threading.Thread):
    """One closed-loop client with its own keep-alive connection."""

    def __init__(
        self, port: int, token: str, task_ids: list[str], deadline: float, seed: int, think_s: float = 0.0
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.task_ids, self.deadline = port, token, task_ids, deadline
        self.think_s = think_s
        self.rng = random.Random(seed)
        self.samples: list[tuple[str, float, int]] = []  # (endpoint, ms, status; 0 = broken connection)
        self.locked = 0
        self.error_bodies: dict[int, bytes] = {}  # first body per failing status

    def _path(self, name: str) -> str:
        if name == "task list":
            return "/api/prgs/list?limit=25"
        if name == "task detail":
            return f"/api/prgs/{self.rng.choice(self.task_ids)}"
        if name == "history list":
            return f"/api/history/?limit=25&offset={self.rng.choice((0, 0, 25, 50, 500))}"
        if name == "history search":
            return f"/api/history/search?q={self.rng.choice(WORDS)}&limit=25"
        return "/api/auth/status"

    def run(self) -> None:
        names = [name for name, weight in MIX for _ in range(weight)]
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while time.monotonic() < self.deadline:
            name = self.rng.choice(names)
            started = time.perf_counter()
            try:
                connection.request("GET", self._path(name), headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                body, status = b"", 0
            self.samples.append((name, (time.perf_counter() - started) * 1000, status))
            self.locked += body.count(b"database is locked")
            if not 200 <= status < 300:
                self.error_bodies.setdefault(status, body[:300])
            if self.think_s:
                time.sleep(self.rng.uniform(0.5, 1.5) * self.think_s)
        connection.close()


class AlbumFeeder(threading.Thread):
    """Keeps two albums queued or running so the workers write progress the whole time."""

    def __init__(
        self, service: Any, album_ids: list[str], stop: threading.Event, headers: dict[str, str]
    ) -> None:
        super().__init__(daemon=True)
        self.service, self.album_ids, self.stop_event, self.headers = service, list(album_ids), stop, headers
        self.requested: list[str] = []

    def active(self) -> int:
        status, body = self.service.api(
            "GET", "/api/prgs/list?active_only=true&limit=10", headers=self.headers
        )
        return len(body.get("tasks", [])) if status == 200 else 2

    def run(self) -> None:
        while not self.stop_event.is_set() and self.album_ids:
            if self.active() < 2:
                status, body = self.service.api(
                    "GET", f"/api/album/download/{self.album_ids.pop(0)}", headers=self.headers
                )
                if status == 202:
                    self.requested.append(body["task_id"])
            self.stop_event.wait(0.5)


def _prepare(service: Any, fake: Any, args: argparse.Namespace) -> tuple[str, list[str]]:
    from tests.fakes.spotify_api import IDS
    from tests.faults.service import album_to_inbox

    albums = [
        fake.catalog.add_album(f"Load Album {n}", artist_ids=[IDS.artist], tracks=args.tracks)
        for n in range(args.albums)
    ]
    for album_id in albums:
        album_to_inbox(service.inbox, fake, album_id, seconds=10, template_dir=service.root / "templates")
    assert service.manage("bootstrap").returncode == 0
    seeded = service.manage(
        "shell", "-c", SEED_HISTORY.format(words=WORDS, admin=ADMIN, rows=args.history), timeout=600
    )
    assert seeded.returncode == 0, seeded.stderr
    service.start_serve("--no-workers", "--web-processes", str(args.web_processes))  # the web side of serve
    service.web = service.serve
    status, body = service.api("POST", "/api/auth/login", {"username": ADMIN, "password": PASSWORD})
    assert status == 200, body
    token = body["access_token"] if "access_token" in body else body["access"]
    return token, albums


def _summarise(samples: list[tuple[str, float, int]]) -> list[dict[str, Any]]:
    rows = []
    for name in [name for name, _ in MIX] + ["all"]:
        mine = [(ms, status) for endpoint, ms, status in samples if name in ("all", endpoint)]
        times = [ms for ms, _ in mine]
        rows.append(
            {
                "endpoint": name,
                "requests": len(mine),
                "errors": sum(1 for _, s in mine if not 200 <= s < 300),
                "p50_ms": round(percentile(times, 0.50), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "p99_ms": round(percentile(times, 0.99), 1),
                "max_ms": round(max(times, default=0), 1),
            }
        )
    return rows


def _drive_clients(
    service: Any, token: str, task_ids: list[str], args: argparse.Namespace
) -> tuple[list[Client], float, dict[str, float]]:
    """Run the clients for ``args.seconds``: the clients, the seconds it took, the CPU cores used."""
    deadline = time.monotonic() + args.seconds
    clients = [
        Client(service.port, token, task_ids, deadline, seed, args.think_ms / 1000)
        for seed in range(args.clients)
    ]
    meter = CpuMeter({"web": service.web.pid, "workers": service.cluster.pid})
    meter.start()
    started = time.monotonic()
    for client in clients:
        client.start()
    for client in clients:
        client.join(args.seconds + 60)
    return clients, time.monotonic() - started, meter.stop()


def run(args: argparse.Namespace) -> dict[str, Any]:
    env = {
        "SPOTIZERR_AUTH_ENABLED": "true",
        "SPOTIZERR_ADMIN_USERNAME": ADMIN,
        "SPOTIZERR_ADMIN_PASSWORD": PASSWORD,
        "SPOTIZERR_JWT_ACCESS_MINUTES": "10",
    }
    with running_service(args.database, env=env) as (service, fake):
        token, albums = _prepare(service, fake, args)
        headers = {"Authorization": f"Bearer {token}"}
        status, _ = service.api(
            "POST", "/api/config/", {"maxConcurrentDownloads": 2, "convertTo": None}, headers=headers
        )
        assert status == 200
        service.start_cluster(workers=2)
        stop = threading.Event()
        feeder = AlbumFeeder(service, albums, stop, headers)
        feeder.start()
        service.wait_for(
            lambda: feeder.requested and service.running_worker_pids(feeder.requested[0]),
            timeout=60,
            what="the workers to start",
        )
        events_before = service.rows("SELECT COUNT(*) FROM downloads_taskevent")[0][0]
        clients, elapsed, cores = _drive_clients(service, token, feeder.requested[:], args)
        stop.set()
        feeder.join(10)
        events = service.rows("SELECT COUNT(*) FROM downloads_taskevent")[0][0] - events_before
        tracks_done = service.rows("SELECT COUNT(*) FROM downloads_trackjob WHERE status = 'done'")[0][0]
        logs = b"".join(path.read_bytes() for path in service.logs.glob("*.log"))
    samples = [sample for client in clients for sample in client.samples]
    rows = _summarise(samples)
    overall = rows[-1]
    return {
        "bench": "api_load",
        "database": args.database,
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": overall["requests"],
        "requests_per_s": round(overall["requests"] / elapsed, 1),
        "p50_ms": overall["p50_ms"],
        "p95_ms": overall["p95_ms"],
        "p99_ms": overall["p99_ms"],
        "errors": overall["errors"],
        "database_locked": logs.count(b"database is locked") + sum(client.locked for client in clients),
        "progress_events_written": events,
        "tracks_done": tracks_done,
        "history_entries": args.history,
        "think_ms": args.think_ms,
        "web_processes": args.web_processes,
        "cpu_cores_used": cores,
        "error_samples": {
            str(status): body.decode(errors="replace")
            for client in clients
            for status, body in client.error_bodies.items()
        },
        "endpoints": rows[:-1],
        "p95_target_ms": P95_TARGET_MS,
        "p95_ok": overall["p95_ms"] < P95_TARGET_MS,
        "machine": machine(),
    }


def _print(result: dict[str, Any]) -> None:
    print(
        f"API load: {result['clients']} clients x {result['seconds']} s on {result['database']} "
        f"({result['web_processes']} web process(es)) while 2 workers "
        f"wrote {result['progress_events_written']} progress events ({result['tracks_done']} tracks done)"
    )
    print(
        f"{'endpoint':<16}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    )
    for row in [
        *result["endpoints"],
        {
            "endpoint": "all",
            "requests": result["requests"],
            "errors": result["errors"],
            "p50_ms": result["p50_ms"],
            "p95_ms": result["p95_ms"],
            "p99_ms": result["p99_ms"],
            "max_ms": max(r["max_ms"] for r in result["endpoints"]),
        },
    ]:
        print(
            f"{row['endpoint']:<16}{row['requests']:>10}{row['errors']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['p99_ms']:>9}{row['max_ms']:>9}"
        )
    print(
        f"{result['requests_per_s']} requests/s; 'database is locked': {result['database_locked']}; "
        f"p95 target {P95_TARGET_MS:.0f} ms: {'met' if result['p95_ok'] else 'MISSED'}"
    )
    print(
        "CPU cores used: "
        + ", ".join(f"{name} {cores}" for name, cores in result["cpu_cores_used"].items())
        + f" (think time {result['think_ms']:g} ms per client between requests)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--clients", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--history", type=int, default=20000, help="history entries to seed")
    parser.add_argument("--albums", type=int, default=24, help="albums available to download during the run")
    parser.add_argument("--tracks", type=int, default=30, help="tracks per album")
    add_web_processes_option(parser)
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean pause of each client between requests (0: back to back)",
    )
    result = run(parser.parse_args(argv))
    _print(result)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
