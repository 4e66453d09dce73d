"""Progress stream fan-out: many open Server-Sent Events streams, and many short-lived ones.

    .venv/bin/python bench/sse_fanout.py [--database sqlite|postgres] [--redis] [--streams 200]
                                         [--cycles 1000] [--parallel 20] [--tracks 40]

Starts the real service (daphne and a 2-worker ``manage.py qcluster``) on a fresh database: the
embedded SQLite (no Redis: streams learn of new events from SQLite's change counter), SQLite with
``--redis`` (Redis at ``SPOTIZERR_BENCH_REDIS_URL``, by default database 13 of the local server,
flushed first: workers push events through channels-redis) or PostgreSQL + Redis. Then:

1. on the idle service, opens ``--idle`` streams one after another with a bare HTTP client and
   times each first frame (target p50 5 ms), and daphne's CPU per stream opened;
2. opens ``--streams`` progress streams and downloads an album of ``--tracks`` tracks; every task
   event carries the time the worker published it, so each client measures publish-to-arrival;
   per event, "arrival at every client" is the slowest client's time (target p95 0.1 s with Redis,
   0.35 s embedded), and no client may miss one;
3. closes them and runs ``--cycles`` connect / first frame / disconnect cycles, ``--parallel`` at once,
   twice: daphne's resident memory may not grow over the second thousand (a leak grows with every
   cycle; the first pass also fills allocator pools and the thread pool);
4. checks that the server holds no stream connection afterwards.

Prints a table and, as its last line, one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import CpuMeter, cpu_seconds, machine, percentile, process_tree, rss_mb, running_service
from bench._sse_clients import Listener, first_frame_raw, open_server_connections

ARRIVAL_P95_TARGET_S = {"redis": 0.1, "embedded": 0.35}
FIRST_FRAME_P50_TARGET_MS = 5.0
MEMORY_GROWTH_TARGET_MB = 30.0  # from before the first stream to after every cycle
CYCLE_GROWTH_TARGET_MB = 2.0  # over the second pass of cycles: nothing kept per connection
REDIS_URL = os.environ.get("SPOTIZERR_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


async def _fan_out(service: Any, album_id: str, streams: int) -> dict[str, Any]:
    stop = asyncio.Event()
    listeners = [Listener(service.port) for _ in range(streams)]
    tasks = [asyncio.create_task(listener.run(stop)) for listener in listeners]
    await asyncio.wait_for(asyncio.gather(*(listener.first_frame.wait() for listener in listeners)), 60)
    open_during = open_server_connections(service.port)
    loop = asyncio.get_running_loop()
    status, body = await loop.run_in_executor(None, service.api, "GET", f"/api/album/download/{album_id}")
    assert status == 202, body
    task_id = body["task_id"]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not all(task_id in listener.finished for listener in listeners):
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    events = sorted({event for listener in listeners for event in listener.arrivals})
    per_event_slowest = [
        max(listener.arrivals.get(event, float("inf")) for listener in listeners) for event in events
    ]
    deliveries = [value for listener in listeners for value in listener.arrivals.values()]
    missing = sum(1 for listener in listeners for event in events if event not in listener.arrivals)
    return {
        "streams": streams,
        "events": len(events),
        "deliveries": len(deliveries),
        "missing_deliveries": missing,
        "stream_errors": sum(1 for listener in listeners if listener.error),
        "open_during": open_during,
        "every_client_p50_s": round(percentile(per_event_slowest, 0.5), 3),
        "every_client_p95_s": round(percentile(per_event_slowest, 0.95), 3),
        "every_client_max_s": round(max(per_event_slowest, default=0.0), 3),
        "delivery_p50_s": round(percentile(deliveries, 0.5), 3),
        "delivery_p95_s": round(percentile(deliveries, 0.95), 3),
    }


async def _cycles(port: int, cycles: int, parallel: int) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/api/prgs/stream"
    times: list[float] = []
    failures = 0
    gate = asyncio.Semaphore(parallel)
    limits = httpx.Limits(max_connections=parallel + 5, max_keepalive_connections=0)

    async def one(client: httpx.AsyncClient) -> None:
        nonlocal failures
        async with gate:
            started = time.perf_counter()
            try:
                async with client.stream("GET", url, headers={"Accept": "text/event-stream"}) as response:
                    async for chunk in response.aiter_text():
                        if "\n\n" in chunk:
                            break
                times.append(time.perf_counter() - started)
            except (httpx.HTTPError, OSError):
                failures += 1

    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(10.0, read=30.0)) as client:
        began = time.monotonic()
        await asyncio.gather(*(one(client) for _ in range(cycles)))
        elapsed = time.monotonic() - began
    return {
        "cycles": cycles,
        "parallel": parallel,
        "failures": failures,
        "seconds": round(elapsed, 1),
        "first_frame_p50_ms": round(1000 * percentile(times, 0.5), 1),
        "first_frame_p95_ms": round(1000 * percentile(times, 0.95), 1),
    }


async def _idle_first_frames(port: int, count: int) -> dict[str, Any]:
    """``count`` streams opened one after another on an idle service: connect to first frame."""
    times: list[float] = []
    for _ in range(count):
        times.append(await first_frame_raw(port))
        await asyncio.sleep(0.02)  # the server sees the disconnect before the next one
    return {
        "count": count,
        "p50_ms": round(1000 * percentile(times, 0.5), 2),
        "p95_ms": round(1000 * percentile(times, 0.95), 2),
    }


def _flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


def _load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def run(args: argparse.Namespace) -> dict[str, Any]:
    from tests.fakes.spotify_api import IDS
    from tests.faults.service import album_to_inbox

    env = {}
    if args.redis and args.database == "sqlite":
        _flush_redis(REDIS_URL)
        env["REDIS_URL"] = REDIS_URL
    setup = "redis" if args.redis or args.database == "postgres" else "embedded"
    load_before = _load()
    with running_service(args.database, env=env) as (service, fake):
        album_id = fake.catalog.add_album("Fan Out", artist_ids=[IDS.artist], tracks=args.tracks)
        album_to_inbox(service.inbox, fake, album_id, seconds=10, template_dir=service.root / "templates")
        service.start_web()
        service.configure(maxConcurrentDownloads=2, convertTo=None)
        service.start_cluster(workers=2)
        asyncio.run(_cycles(service.port, 5, 5))  # warm-up: imports, thread pool, first queries
        time.sleep(1.0)
        web_cpu = cpu_seconds(process_tree(service.web.pid))
        idle = asyncio.run(_idle_first_frames(service.port, args.idle))
        idle["web_cpu_ms_per_stream"] = round(
            1000 * (cpu_seconds(process_tree(service.web.pid)) - web_cpu) / max(1, args.idle), 2
        )
        memory_before = rss_mb(service.web.pid)
        meter = CpuMeter({"web": service.web.pid, "workers": service.cluster.pid})
        meter.start()
        fan_out = asyncio.run(_fan_out(service, album_id, args.streams))
        seconds = time.monotonic() - meter.began
        cores = meter.stop()
        for name in ("web", "workers"):  # CPU per event: what the machine's other load does not change
            fan_out[f"{name}_cpu_ms_per_event"] = round(
                1000 * cores[name] * seconds / max(1, fan_out["events"]), 1
            )
        memory_peak = rss_mb(service.web.pid)
        cycles = asyncio.run(_cycles(service.port, args.cycles, args.parallel))
        time.sleep(2.0)
        memory_first_pass = rss_mb(service.web.pid)
        cycles_again = asyncio.run(_cycles(service.port, args.cycles, args.parallel))
        settle = time.monotonic() + 15
        while open_server_connections(service.port) and time.monotonic() < settle:
            time.sleep(0.2)
        open_after = open_server_connections(service.port)
        time.sleep(2.0)
        memory_after = rss_mb(service.web.pid)
    growth = memory_after - memory_before
    cycle_growth = memory_after - memory_first_pass
    return {
        "bench": "sse_fanout",
        "database": args.database,
        "setup": setup,
        "clients": "bare HTTP/1.0 sockets",
        "idle_first_frame": idle,
        **fan_out,
        "cycles": cycles,
        "cycles_again": cycles_again,
        "open_connections_after": open_after,
        "web_rss_before_mb": round(memory_before, 1),
        "web_rss_with_streams_mb": round(memory_peak, 1),
        "web_rss_after_first_cycles_mb": round(memory_first_pass, 1),
        "web_rss_after_mb": round(memory_after, 1),
        "web_rss_growth_mb": round(growth, 1),
        "web_rss_growth_second_cycles_mb": round(cycle_growth, 1),
        "cpu_cores_used_during_fan_out": cores,
        "arrival_p95_target_s": ARRIVAL_P95_TARGET_S[setup],
        "arrival_p95_ok": fan_out["every_client_p95_s"] <= ARRIVAL_P95_TARGET_S[setup]
        and not fan_out["missing_deliveries"],
        "first_frame_ok": idle["p50_ms"] <= FIRST_FRAME_P50_TARGET_MS,
        "memory_ok": growth < MEMORY_GROWTH_TARGET_MB and cycle_growth <= CYCLE_GROWTH_TARGET_MB,
        "streams_closed_ok": open_after == 0,
        "load_average": {"before": load_before, "after": _load()},
        "machine": machine(),
    }


def _print(result: dict[str, Any]) -> None:
    cycles, again, idle = result["cycles"], result["cycles_again"], result["idle_first_frame"]
    print(
        f"SSE fan-out on {result['database']} ({result['setup']}): {result['streams']} streams,"
        f" an album of {result['events']} events; load average {result['load_average']}"
    )
    target = result["arrival_p95_target_s"]
    rows = [
        (
            f"idle service, first frame p50 / p95 ({idle['count']})",
            f"{idle['p50_ms']} ms / {idle['p95_ms']} ms",
            f"p50 <= {FIRST_FRAME_P50_TARGET_MS:g} ms",
        ),
        ("daphne CPU per stream opened (idle)", f"{idle['web_cpu_ms_per_stream']} ms", ""),
        ("open streams seen by the server", result["open_during"], ""),
        ("deliveries (missing)", f"{result['deliveries']} ({result['missing_deliveries']})", "0 missing"),
        (
            "publish -> every client p50 / p95",
            f"{result['every_client_p50_s']} s / {result['every_client_p95_s']} s",
            f"p95 <= {target:g} s",
        ),
        (
            f"CPU per event for {result['streams']} streams: daphne / workers",
            f"{result['web_cpu_ms_per_event']} ms / {result['workers_cpu_ms_per_event']} ms",
            "",
        ),
        (
            "publish -> one client p50 / p95",
            f"{result['delivery_p50_s']} s / {result['delivery_p95_s']} s",
            "",
        ),
        (
            f"{cycles['cycles']} connect/disconnect ({cycles['parallel']} at once)",
            f"{cycles['seconds']} s, {cycles['failures']} failed",
            "0 failed",
        ),
        (
            "first frame p50 / p95, cycles",
            f"{cycles['first_frame_p50_ms']} ms / {cycles['first_frame_p95_ms']} ms",
            "",
        ),
        (
            f"again {again['cycles']}: first frame p50 / p95",
            f"{again['first_frame_p50_ms']} ms / {again['first_frame_p95_ms']} ms, {again['failures']} failed",
            "0 failed",
        ),
        ("server connections left open", result["open_connections_after"], "0"),
        (
            "daphne RSS before / with streams / after",
            f"{result['web_rss_before_mb']} / {result['web_rss_with_streams_mb']} / {result['web_rss_after_mb']} MB",
            "",
        ),
        ("daphne RSS growth", f"{result['web_rss_growth_mb']} MB", f"< {MEMORY_GROWTH_TARGET_MB:g} MB"),
        (
            "daphne RSS growth, second cycles",
            f"{result['web_rss_growth_second_cycles_mb']} MB",
            f"<= {CYCLE_GROWTH_TARGET_MB:g} MB",
        ),
    ]
    for name, value, target in rows:
        print(f"{name:<44}{value!s:<34}{target}")
    print(
        "CPU cores used while streaming: "
        + ", ".join(f"{name} {cores}" for name, cores in result["cpu_cores_used_during_fan_out"].items())
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--redis",
        action="store_true",
        help="SQLite with Redis (SPOTIZERR_BENCH_REDIS_URL) for the queue and streams",
    )
    parser.add_argument("--idle", type=int, default=100, help="streams opened one by one on the idle service")
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=20, help="connect/disconnect cycles at once")
    parser.add_argument(
        "--tracks", type=int, default=40, help="tracks of the album whose events are streamed"
    )
    result = run(parser.parse_args(argv))
    _print(result)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
