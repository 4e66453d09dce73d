"""Per-request cost: keep-alive load on three read endpoints, as the original Spotizerr was measured.

    .venv/bin/python bench/peer_compare.py [--seconds 10] [--passes 2] [--connections 1,16]
                                           [--web-processes 2] [--generator auto|wrk|python]
                                           [--history 0]

Starts ``manage.py serve`` with its defaults (two web processes on Linux, the worker cluster, SQLite)
on an empty data store with authentication on, logs in as the admin and runs closed-loop keep-alive
load (``wrk`` when installed, else a Python load generator with the same shape) on ``GET /api/config/``
and the bearer-authenticated ``GET /api/prgs/list`` and ``GET /api/history/``, with 1 and 16
connections, ``--seconds`` each, the whole round ``--passes`` times (alternating runs, so a burst of
other load on the shared machine skews one pass, not one endpoint).

Reports requests/s, p50 and p99 latency and the server's CPU per request: user + system time of the
web processes (``serve`` and the web processes it forked; the worker cluster not included) from /proc,
divided by the requests answered. The load average is printed with every run. Targets (issue 21):
task list p50 <= 1.5 ms at 1 connection and >= 1,500 requests/s at 16; config >= 2,500 requests/s at
16. Prints a table and, as its last line, one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    add_web_processes_option,
    cpu_seconds,
    cpu_times,
    machine,
    percentile,
    running_service,
)

ADMIN, PASSWORD = "bench-admin", "bench-password-not-secret-1"
ENDPOINTS = (("config", "/api/config/"), ("task list", "/api/prgs/list"), ("history", "/api/history/"))
TARGETS = {  # (endpoint, connections): (metric, bound, "min"|"max")
    ("task list", 1): ("p50_ms", 1.5, "max"),
    ("task list", 16): ("requests_per_s", 1500.0, "min"),
    ("config", 16): ("requests_per_s", 2500.0, "min"),
}

# wrk's summary as one JSON line (latency in microseconds).
WRK_SCRIPT = """
wrk.headers["Authorization"] = os.getenv("BENCH_AUTHORIZATION")
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nBENCH {"requests": %d, "seconds": %f, "p50_us": %d, "p99_us": %d, '
    .. '"non_2xx": %d, "socket_errors": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


# ---------------------------------------------------------------------------------------- load generators
def run_wrk(port: int, path: str, token: str, connections: int, seconds: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        threads = min(connections, 2)
        url = f"http://127.0.0.1:{port}{path}"
        completed = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "-s", script.name, url],
            env={**os.environ, "BENCH_AUTHORIZATION": f"Bearer {token}"},
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("BENCH "))
    raw = json.loads(line[len("BENCH ") :])
    return {
        "requests": raw["requests"],
        "seconds": raw["seconds"],
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": raw["non_2xx"] + raw["socket_errors"],
    }


async def _python_connection(
    port: int, request: bytes, deadline: float, times: list[float], errors: list[int]
) -> None:
    """One keep-alive connection sending ``request`` back to back until ``deadline``."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            times.append((time.perf_counter() - started) * 1000)
            if not head.startswith(b"HTTP/1.1 2"):
                errors.append(1)
    finally:
        writer.close()


def run_python(port: int, path: str, token: str, connections: int, seconds: float) -> dict[str, Any]:
    """wrk's shape in Python (one thread, asyncio): fine for the p50 at one connection; at 16 the
    generator itself may need a whole core, so prefer wrk for throughput."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()
    times: list[float] = []
    errors: list[int] = []

    async def drive() -> float:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(_python_connection(port, request, deadline, times, errors) for _ in range(connections))
        )
        return time.monotonic() - started

    elapsed = asyncio.run(drive())
    return {
        "requests": len(times),
        "seconds": elapsed,
        "p50_ms": percentile(times, 0.50),
        "p99_ms": percentile(times, 0.99),
        "errors": len(errors),
    }


# ---------------------------------------------------------------------------------------------- service
def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except (FileNotFoundError, ProcessLookupError):
        return b""


def user_system_seconds(pids: list[int]) -> tuple[float, float]:
    """User and system CPU time of ``pids`` so far (the thread hand-offs of a request show as system)."""
    user, system, _, _ = cpu_times(pids)
    return user, system


def web_pids(serve_pid: int) -> list[int]:
    """``serve`` and the web processes it forked (same command line); not the worker cluster."""
    from tests.faults.service import descendants

    own = _cmdline(serve_pid)
    return [pid for pid in descendants(serve_pid) if _cmdline(pid) == own]


def _prepare(service: Any, args: argparse.Namespace) -> str:
    assert service.manage("bootstrap").returncode == 0
    if args.history:
        from bench.api_load import SEED_HISTORY, WORDS

        seeded = service.manage(
            "shell", "-c", SEED_HISTORY.format(words=WORDS, admin=ADMIN, rows=args.history), timeout=600
        )
        assert seeded.returncode == 0, seeded.stderr
    service.start_serve("--web-processes", str(args.web_processes))
    status, body = service.api("POST", "/api/auth/login", {"username": ADMIN, "password": PASSWORD})
    assert status == 200, body
    return body["access_token"] if "access_token" in body else body["access"]


def _one_run(service: Any, generate: Any, token: str, path: str, connections: int, seconds: float) -> dict:
    pids = web_pids(service.serve.pid)
    load_before = os.getloadavg()[0]
    cpu_before, (_, system_before) = cpu_seconds(pids), user_system_seconds(pids)
    measured = generate(service.port, path, token, connections, seconds)
    cpu = cpu_seconds(pids) - cpu_before
    _, system = user_system_seconds(pids)
    requests = max(1, measured["requests"])
    return {
        "requests": measured["requests"],
        "requests_per_s": round(measured["requests"] / measured["seconds"], 1),
        "p50_ms": round(measured["p50_ms"], 2),
        "p99_ms": round(measured["p99_ms"], 2),
        "errors": measured["errors"],
        "cpu_ms_per_request": round(cpu * 1000 / requests, 3),
        "system_share": round((system - system_before) / max(cpu, 1e-9), 2),
        "web_processes": len(pids) - 1,
        "load_average": round((load_before + os.getloadavg()[0]) / 2, 2),
    }


def _generator(choice: str) -> tuple[str, Any]:
    if choice == "wrk" or (choice == "auto" and shutil.which("wrk")):
        return "wrk", run_wrk
    return "python", run_python


def run(args: argparse.Namespace) -> dict[str, Any]:
    name, generate = _generator(args.generator)
    connection_counts = [int(value) for value in args.connections.split(",")]
    env = {
        "SPOTIZERR_AUTH_ENABLED": "true",
        "SPOTIZERR_ADMIN_USERNAME": ADMIN,
        "SPOTIZERR_ADMIN_PASSWORD": PASSWORD,
    }
    runs: list[dict[str, Any]] = []
    with running_service("sqlite", env=env) as (service, _fake):
        token = _prepare(service, args)
        for _endpoint, path in ENDPOINTS:  # warm every process's caches and connections
            generate(service.port, path, token, 16, 1.0)
        for number in range(args.passes):
            for endpoint, path in ENDPOINTS:
                for connections in connection_counts:
                    result = _one_run(service, generate, token, path, connections, args.seconds)
                    runs.append(
                        {"pass": number + 1, "endpoint": endpoint, "connections": connections, **result}
                    )
                    _print_run(runs[-1])
    return {
        "bench": "peer_compare",
        "generator": name,
        "seconds": args.seconds,
        "passes": args.passes,
        "history_entries": args.history,
        "runs": runs,
        "summary": _summary(runs),
        "machine": machine(),
    }


def _summary(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per endpoint and connection count: the mean of the passes, and whether a target is met."""
    rows = []
    for endpoint, _path in ENDPOINTS:
        for connections in sorted({run["connections"] for run in runs}):
            mine = [run for run in runs if run["endpoint"] == endpoint and run["connections"] == connections]
            if not mine:
                continue
            row: dict[str, Any] = {"endpoint": endpoint, "connections": connections}
            for key in (
                "requests_per_s",
                "p50_ms",
                "p99_ms",
                "cpu_ms_per_request",
                "system_share",
                "load_average",
            ):
                row[key] = round(sum(run[key] for run in mine) / len(mine), 3)
            row["errors"] = sum(run["errors"] for run in mine)
            target = TARGETS.get((endpoint, connections))
            if target:
                metric, bound, kind = target
                row["target"] = f"{metric} {'<=' if kind == 'max' else '>='} {bound:g}"
                row["target_met"] = row[metric] <= bound if kind == "max" else row[metric] >= bound
            rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------- output
HEADER = f"{'endpoint':<11}{'conns':>6}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'CPU ms/req':>11}{'errors':>7}{'load':>6}"


def _print_run(run: dict[str, Any]) -> None:
    print(
        f"pass {run['pass']}: {run['endpoint']:<11}{run['connections']:>3} conns {run['requests_per_s']:>8} "
        f"req/s p50 {run['p50_ms']} ms p99 {run['p99_ms']} ms CPU {run['cpu_ms_per_request']} ms/req "
        f"({run['system_share']:.0%} system) "
        f"errors {run['errors']} load {run['load_average']}",
        flush=True,
    )


def _print(result: dict[str, Any]) -> None:
    print(
        f"\nPer-request cost ({result['generator']}, {result['seconds']:g} s runs, mean of "
        f"{result['passes']} passes; CPU = web processes' user + system time per request)"
    )
    print(HEADER + "  target")
    for row in result["summary"]:
        verdict = ""
        if "target" in row:
            verdict = f"  {row['target']}: {'met' if row['target_met'] else 'MISSED'}"
        print(
            f"{row['endpoint']:<11}{row['connections']:>6}{row['requests_per_s']:>9.0f}{row['p50_ms']:>8.2f}"
            f"{row['p99_ms']:>8.2f}{row['cpu_ms_per_request']:>11.3f}{row['errors']:>7}"
            f"{row['load_average']:>6.2f}{verdict}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    parser.add_argument(
        "--passes", type=int, default=2, help="rounds over every endpoint and connection count"
    )
    parser.add_argument("--connections", default="1,16", help="comma-separated connection counts")
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--history", type=int, default=0, help="history entries to seed (0: empty store)")
    add_web_processes_option(parser)
    result = run(parser.parse_args(argv))
    _print(result)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
