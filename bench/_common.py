"""Shared by the benchmarks: the real service in subprocesses (``tests.faults.service.Service``:
daphne, qcluster, serve) on a throw-away database, Django in the bench's own process
(``django_in_process``), the fake Spotify, percentiles and the memory of a process tree from /proc."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = os.environ.get("SPOTIZERR_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
# Production periods (the fault tests' Service shortens them); a quiet log like a real deployment.
PRODUCTION_ENV = {
    "SPOTIZERR_LEASE_STALE_SECONDS": "60",
    "SPOTIZERR_REAPER_INTERVAL_SECONDS": "30",
    "SPOTIZERR_CLUSTER_STOP_SECONDS": "60",
    "SPOTIZERR_LOG_LEVEL": "WARNING",
}


BENCH_SECRET_KEY = "bench-only-secret-key-not-for-production-use-0123456789"


def django_in_process(data_dir: Path, env: dict[str, str] | None = None) -> None:
    """Django in this process on a new, migrated SQLite store in ``data_dir`` (the library in
    ``data_dir/library``), a quiet log; ``env`` adds or overrides settings."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "spotizerr.settings",
            "SPOTIZERR_DATA_DIR": str(data_dir),
            "SPOTIZERR_DOWNLOAD_DIR": str(data_dir / "library"),
            "SPOTIZERR_SECRET_KEY": BENCH_SECRET_KEY,
            "SPOTIZERR_LOG_LEVEL": "WARNING",
            **(env or {}),
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def add_web_processes_option(parser: argparse.ArgumentParser) -> None:
    """``--web-processes``, passed on to ``manage.py serve``; its default is serve's own on Linux."""
    parser.add_argument(
        "--web-processes", type=int, default=2, help="serve's --web-processes (its default on Linux: 2)"
    )


def backend_for(database: str) -> Any:
    from tests.faults.backends import Backend

    if database == "postgres":
        return Backend("postgres", "redis", POSTGRES_SERVER)  # the scale-out setup: PostgreSQL + Redis
    return Backend("sqlite", "orm")


@contextmanager
def running_service(database: str, *, env: dict[str, str] | None = None) -> Iterator[tuple[Any, Any]]:
    """``(service, fake_spotify)``: a migrated database and folders in a temporary directory, nothing
    started; everything stopped and removed afterwards."""
    from tests.fakes.spotify_api import FakeSpotify
    from tests.faults.backends import drop_template, flush_fault_redis, migrate_template
    from tests.faults.service import Service

    backend = backend_for(database)
    folder = Path(tempfile.mkdtemp(prefix="spotizerr-bench-"))
    fake = FakeSpotify().start()
    template = migrate_template(backend, folder / "template")
    if backend.broker == "redis":
        flush_fault_redis()
    service = Service(
        root=folder / "service",
        backend=backend,
        spotify=fake,
        template=template,
        env={**PRODUCTION_ENV, **(env or {})},
    )
    try:
        yield service, fake
    finally:
        service.close()
        drop_template(backend, template)
        fake.stop()
        shutil.rmtree(folder, ignore_errors=True)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` 0..1) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def machine() -> dict[str, Any]:
    memory_kb = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


# ---------------------------------------------------------------------------------------------- memory
def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    from tests.faults.service import descendants

    return descendants(pid)


def _status_kb(pid: int, field: str, source: str = "status") -> int:
    try:
        with open(f"/proc/{pid}/{source}") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def rss_mb(pid: int) -> float:
    return _status_kb(pid, "VmRSS") / 1024


def pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (forked workers share Django's) counted once overall."""
    return _status_kb(pid, "Pss", "smaps_rollup") / 1024


def tree_memory(pids: list[int]) -> dict[str, float]:
    """Summed RSS (counts shared pages once per process) and PSS (counts them once) of ``pids``."""
    return {
        "rss_mb": round(sum(rss_mb(pid) for pid in pids), 1),
        "pss_mb": round(sum(pss_mb(pid) for pid in pids), 1),
        "processes": len(pids),
    }


def cpu_times(pids: list[int]) -> tuple[float, float, float, float]:
    """User, system, reaped children's user and children's system CPU seconds of ``pids`` so far
    (``/proc/<pid>/stat``; processes gone already count nothing)."""
    ticks = os.sysconf("SC_CLK_TCK")
    totals = [0, 0, 0, 0]
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        for index, value in enumerate(fields[11:15]):  # utime, stime, cutime, cstime
            totals[index] += int(value)
    user, system, child_user, child_system = (total / ticks for total in totals)
    return user, system, child_user, child_system


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of ``pids`` so far (exited children they reaped included)."""
    return sum(cpu_times(pids))


def machine_busy_seconds() -> float:
    """CPU time all processes of the machine spent busy so far (from /proc/stat)."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """Cores used by named process trees, by this process and by everything else on the machine
    between ``start()`` and ``stop()`` (other load skews a benchmark on a shared machine)."""

    def __init__(self, trees: dict[str, int]) -> None:
        self.trees = trees

    def start(self) -> None:
        self.began = time.monotonic()
        self.before = {name: cpu_seconds(process_tree(pid)) for name, pid in self.trees.items()}
        self.own_before = cpu_seconds([os.getpid()])
        self.busy_before = machine_busy_seconds()

    def stop(self) -> dict[str, float]:
        elapsed = time.monotonic() - self.began
        cores = {
            name: (cpu_seconds(process_tree(pid)) - self.before[name]) / elapsed
            for name, pid in self.trees.items()
        }
        cores["load generator"] = (cpu_seconds([os.getpid()]) - self.own_before) / elapsed
        cores["other processes"] = max(
            0.0, (machine_busy_seconds() - self.busy_before) / elapsed - sum(cores.values())
        )
        return {name: round(value, 2) for name, value in cores.items()}
