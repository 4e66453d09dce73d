"""The contract of one pipeline step (``downloads.pipeline.steps.TRACK_STEPS`` lists them in order)."""

from __future__ import annotations

from downloads.pipeline.context import TrackContext


class Step:
    """One stage of making a track."""

    name = "step"

    def setup(self, ctx: TrackContext) -> None:
        """Prepare; runs right before ``run``."""

    def run(self, ctx: TrackContext) -> None:
        raise NotImplementedError

    def cleanup(self, ctx: TrackContext) -> None:
        """Always runs (in reverse order) once the track is over, whatever happened."""
