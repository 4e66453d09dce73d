"""Footprint of the whole service: start-up time, memory idle and during an album download.

    .venv/bin/python bench/footprint.py [--database sqlite|postgres] [--tracks 40] [--seconds 30]
                                        [--idle-seconds 10]

Starts ``manage.py serve`` (daphne in its process, the django-q2 cluster with the default 2 workers)
on a fresh, migrated database: the embedded SQLite or PostgreSQL + Redis, and measures

* start-up: from launching ``serve`` until the API answers, and until the cluster's workers are up;
* idle memory of the whole process tree (serve with daphne and the watchdog, the cluster forked from
  serve: django-q2's sentinel with its pusher thread, the monitor and the workers), sampled for
  ``--idle-seconds``;
* memory while an album of ``--tracks`` generated ``--seconds``-second FLAC files is downloaded and
  converted to MP3 320k (ffmpeg children included), and idle again afterwards.

Memory is given as summed RSS (shared pages counted once per process: forked workers share most of
Django, so this overstates) and summed PSS (shared pages split between the processes sharing them:
what the service really takes). Targets (issue 21): idle PSS peak at most 150 MB and at most 300 MB
during the album, in the embedded default.
Prints a table and, as its last line, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import add_web_processes_option, machine, process_tree, running_service, tree_memory

IDLE_TARGET_MB = 150.0
ALBUM_TARGET_MB = 300.0


def _sample(pid: int, seconds: float, *, until: Any = None, every: float = 0.5) -> dict[str, float]:
    """Mean and peak of the tree's memory over ``seconds`` (or until ``until()`` is true)."""
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        samples.append(tree_memory(process_tree(pid)))
        if until is not None and until():
            break
        time.sleep(every)
    return {
        "rss_mean_mb": round(sum(s["rss_mb"] for s in samples) / len(samples), 1),
        "rss_peak_mb": max(s["rss_mb"] for s in samples),
        "pss_mean_mb": round(sum(s["pss_mb"] for s in samples) / len(samples), 1),
        "pss_peak_mb": max(s["pss_mb"] for s in samples),
        "processes_peak": max(s["processes"] for s in samples),
        "samples": len(samples),
    }


def _components(serve_pid: int) -> dict[str, dict[str, float]]:
    """Memory per part of the service: serve itself (daphne, watchdog), the cluster (main and children)."""
    from tests.faults.service import children_of

    parts: dict[str, dict[str, float]] = {}
    web = [serve_pid]
    for child in children_of(serve_pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            name = Path(f"/proc/{child}/comm").read_text().strip()
        except FileNotFoundError:
            continue
        if command.rstrip().endswith("qcluster") or name == "qcluster":  # exec'd or forked from serve
            parts["cluster (sentinel + monitor + workers)"] = tree_memory(process_tree(child))
        else:
            web.append(child)  # a forked web process (--web-processes)
    label = "serve (web + watchdog)" if len(web) == 1 else f"serve + {len(web) - 1} web processes"
    return {label: tree_memory(web), **parts}


def run(args: argparse.Namespace) -> dict[str, Any]:
    from tests.fakes.spotify_api import IDS
    from tests.faults.service import album_to_inbox, descendants

    with running_service(args.database) as (service, fake):
        album_id = fake.catalog.add_album("Footprint", artist_ids=[IDS.artist], tracks=args.tracks)
        album_to_inbox(
            service.inbox, fake, album_id, seconds=args.seconds, template_dir=service.root / "templates"
        )
        web_children = args.web_processes if args.web_processes > 1 else 0
        started = time.monotonic()
        serve = service._spawn(
            "serve",
            [
                sys.executable,
                "manage.py",
                "serve",
                "--skip-migrate",
                "--port",
                str(service.port),
                "--web-processes",
                str(args.web_processes),
            ],
        )
        service.serve = serve
        service.wait_for(service._answers, timeout=60, what="the API to answer", every=0.05)
        api_up = time.monotonic() - started
        service.wait_for(
            lambda: len(descendants(serve.pid)) >= web_children + 1 + 1 + 2 + 1,
            timeout=60,
            every=0.05,
            what="the workers to be up",
        )  # serve (web), the cluster (sentinel and pusher), 2 workers, monitor
        workers_up = time.monotonic() - started
        time.sleep(5.0)  # let imports and first queries settle
        idle = _sample(serve.pid, args.idle_seconds)
        idle_parts = _components(serve.pid)
        service.configure(convertTo="MP3", bitrate="320k", maxConcurrentDownloads=2)
        task_id = service.request("album", album_id)
        began = time.monotonic()
        busy = _sample(
            serve.pid, 900, every=0.25, until=lambda: service.task(task_id)["status"] in ("complete", "error")
        )
        album_seconds = time.monotonic() - began
        task = service.task(task_id)
        time.sleep(3.0)
        after = _sample(serve.pid, args.idle_seconds)
        service.stop(serve, timeout=90)
    return {
        "bench": "footprint",
        "database": args.database,
        "web_processes": args.web_processes,
        "startup_api_s": round(api_up, 2),
        "startup_workers_s": round(workers_up, 2),
        "idle": idle,
        "idle_parts": idle_parts,
        "album": busy,
        "album_status": task["status"],
        "album_tracks": args.tracks,
        "album_track_seconds": args.seconds,
        "album_wall_s": round(album_seconds, 1),
        "idle_after_album": after,
        "idle_target_mb": IDLE_TARGET_MB,
        "idle_ok": idle["pss_peak_mb"] <= IDLE_TARGET_MB,
        "album_target_mb": ALBUM_TARGET_MB,
        "album_ok": busy["pss_peak_mb"] <= ALBUM_TARGET_MB,
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "idle_rss_ok": idle["rss_peak_mb"] < IDLE_TARGET_MB,
        "machine": machine(),
        "ffmpeg": subprocess.run(
            [sys.executable, "-c", "import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_version())"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
    }


def _print(result: dict[str, Any]) -> None:
    print(
        f"Footprint of `manage.py serve --web-processes {result['web_processes']}` on {result['database']} "
        "(2 workers)"
    )
    print(
        f"start-up: API answers after {result['startup_api_s']} s, workers up after {result['startup_workers_s']} s"
    )
    print(f"{'phase':<34}{'RSS mean':>10}{'RSS peak':>10}{'PSS mean':>10}{'PSS peak':>10}{'procs':>7}")
    album = f"album ({result['album_tracks']} x {result['album_track_seconds']:g} s -> MP3)"
    for name, key in (("idle", "idle"), (album, "album"), ("idle after the album", "idle_after_album")):
        row = result[key]
        print(
            f"{name:<34}{row['rss_mean_mb']:>10}{row['rss_peak_mb']:>10}{row['pss_mean_mb']:>10}"
            f"{row['pss_peak_mb']:>10}{row['processes_peak']:>7}"
        )
    print(
        "idle, per part (RSS / PSS MB): "
        + "; ".join(
            f"{name} {part['rss_mb']} / {part['pss_mb']}" for name, part in result["idle_parts"].items()
        )
    )
    print(
        f"album: {result['album_status']} in {result['album_wall_s']} s; idle target {IDLE_TARGET_MB:g} MB (PSS): "
        f"{'met' if result['idle_ok'] else 'MISSED'}; album target {ALBUM_TARGET_MB:g} MB: "
        f"{'met' if result['album_ok'] else 'MISSED'}; load average {result['load_average']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--tracks", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each generated track")
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    add_web_processes_option(parser)
    result = run(parser.parse_args(argv))
    _print(result)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
