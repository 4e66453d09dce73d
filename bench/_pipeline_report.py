"""The figures and the table of bench/pipeline.py: runs of the album through the service and direct
ffmpeg runs, in wall-clock time and in CPU time (the service's whole cluster, ffmpeg children
included, against the direct ffmpeg processes), paired in alternating rounds."""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass
from typing import Any

RATIO_TARGET = 1.05
LATENCY_TARGET_MS = 200.0


@dataclass(frozen=True)
class Run:
    """One album through the service (``task`` set) or one batch of direct ffmpeg runs."""

    wall_s: float
    cpu_s: float
    pipeline_s: float = 0.0  # the service's first claim to its end (tracks only)
    task: Any = None


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def _paired(converts: list[Run], direct: list[Run], measure: str) -> list[float]:
    """Each service run over the mean of the direct runs just before and after it."""
    return [
        getattr(run, measure) / ((getattr(direct[i], measure) + getattr(direct[i + 1], measure)) / 2)
        for i, run in enumerate(converts)
    ]


def lyrics_report(tracks: int, copy: Run, lyrics: Run, lrc_files: int) -> dict[str, Any]:
    return {
        "lyrics_done": lyrics.task.summary.get("total_successful"),
        "lyrics_lrc_files": lrc_files,
        "lyrics_wall_s": round(lyrics.wall_s, 3),
        "lyrics_ms_per_track": round(1000 * (lyrics.pipeline_s - copy.pipeline_s) / tracks, 1),
    }


def conversion_report(converts: list[Run], direct: list[Run], tracks: int) -> dict[str, Any]:
    """Service ÷ direct: the median of the paired rounds, in CPU time (the target: robust to other
    load on a shared machine) and in wall-clock time."""
    middle = sorted(converts, key=lambda run: run.wall_s)[len(converts) // 2]
    failed = [run.task for run in converts if run.task.summary.get("total_successful") != tracks]
    task = failed[0] if failed else middle.task
    cpu = _paired(converts, direct, "cpu_s")
    wall = _paired(converts, direct, "wall_s")
    return {
        "convert_status": task.status,
        "convert_done": task.summary.get("total_successful"),
        "convert_service_wall_s": round(middle.wall_s, 3),
        "convert_service_pipeline_s": round(middle.pipeline_s, 3),
        "convert_service_cpu_s": round(statistics.median(run.cpu_s for run in converts), 3),
        "convert_direct_wall_s": round(statistics.median(run.wall_s for run in direct), 3),
        "convert_direct_cpu_s": round(statistics.median(run.cpu_s for run in direct), 3),
        "convert_cpu_ratio": round(statistics.median(cpu), 3),
        "convert_cpu_ratio_rounds": [round(value, 3) for value in cpu],
        "convert_ratio": round(statistics.median(wall), 3),
        "convert_ratio_rounds": [round(value, 3) for value in wall],
        "convert_pipeline_ratio": round(
            statistics.median(
                run.pipeline_s / ((direct[i].wall_s + direct[i + 1].wall_s) / 2)
                for i, run in enumerate(converts)
            ),
            3,
        ),
        "convert_ratio_target": RATIO_TARGET,
    }


def report(
    tracks: int,
    seconds: float,
    concurrency: int,
    copy: Run,
    conversion: dict[str, Any],
    latencies: list[float],
) -> dict[str, Any]:
    median_ms = statistics.median(latencies) if latencies else float("nan")
    return {
        "tracks": tracks,
        "track_seconds": seconds,
        "concurrency": concurrency,
        "copy_tag_status": copy.task.status,
        "copy_tag_done": copy.task.summary.get("total_successful"),
        "copy_tag_wall_s": round(copy.wall_s, 3),
        "copy_tag_pipeline_s": round(copy.pipeline_s, 3),
        "copy_tag_cpu_s": round(copy.cpu_s, 3),
        "copy_tag_tracks_per_s": round(tracks / copy.wall_s, 2),
        **conversion,
        "queue_to_start_ms_median": round(median_ms, 1),
        "queue_to_start_ms_max": round(max(latencies), 1),
        "latency_target_ms": LATENCY_TARGET_MS,
        "ok": bool(
            copy.task.summary.get("total_successful") == tracks == conversion["convert_done"]
            and conversion["convert_cpu_ratio"] <= RATIO_TARGET
            and median_ms < LATENCY_TARGET_MS
        ),
    }


def print_table(result: dict[str, Any]) -> None:
    rows = [
        (
            "album",
            f"{result['tracks']} tracks x {result['track_seconds']} s, {result['concurrency']} concurrent",
        ),
        (
            "copy and tag",
            (
                f"{result['copy_tag_wall_s']:.2f} s  ({result['copy_tag_tracks_per_s']:.1f} tracks/s, "
                f"{result['copy_tag_cpu_s']:.2f} s CPU)"
            ),
        ),
        (
            "  of which decode check",
            (
                f"{result['check_decode_s']:.2f} s if run alone ({result['check_ms_per_track']:.0f} ms a track, "
                f"{result['concurrency']} at a time)"
            ),
        ),
        (
            "MP3 320k, service",
            (
                f"{result['convert_service_wall_s']:.2f} s, {result['convert_service_cpu_s']:.2f} s CPU  "
                f"(tracks only: {result['convert_service_pipeline_s']:.2f} s)"
            ),
        ),
        (
            "MP3 320k, ffmpeg direct",
            f"{result['convert_direct_wall_s']:.2f} s, {result['convert_direct_cpu_s']:.2f} s CPU  (medians)",
        ),
        (
            "service / direct, CPU",
            f"{result['convert_cpu_ratio']:.3f}  (median of paired rounds; target <= {RATIO_TARGET})",
        ),
        ("  per round", ", ".join(f"{value:.3f}" for value in result["convert_cpu_ratio_rounds"])),
        (
            "service / direct, wall",
            f"{result['convert_ratio']:.3f}  (tracks only: {result['convert_pipeline_ratio']:.3f})",
        ),
        ("  per round", ", ".join(f"{value:.3f}" for value in result["convert_ratio_rounds"])),
        (
            "queue-to-start, median",
            f"{result['queue_to_start_ms_median']:.0f} ms  (target < {LATENCY_TARGET_MS:.0f})",
        ),
        ("queue-to-start, max", f"{result['queue_to_start_ms_max']:.0f} ms"),
        ("load average (1 min)", f"{result['load_before']} before, {result['load_after']} after"),
        ("all targets met", "yes" if result["ok"] else "no"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
