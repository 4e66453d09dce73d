"""django-q2 entry points: plain values in, services do the work. Safe to run twice."""

from __future__ import annotations

from datetime import datetime

from watching import services


def watch_lanes_start_task() -> int:
    """The every-minute schedule: start lanes for due checks."""
    return services.watch_lanes_start()


def watch_lane_task(slot: int, holder: str, horizon: str, now: str | None = None) -> int:
    """One lane: run due checks while holding ``slot``. ``now`` is set only by tests and benchmarks."""
    return services.watch_lane_run(
        slot=slot,
        holder=holder,
        horizon=datetime.fromisoformat(horizon),
        now=datetime.fromisoformat(now) if now else None,
    )
