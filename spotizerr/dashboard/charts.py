"""Bar charts drawn on the server as SVG geometry: the templates only place the rectangles.

Pure functions from ``(label, value)`` rows to coordinates; colours come from CSS classes so the
charts follow the light and dark themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from library_history.models import DownloadType, HistoryStatus


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    css: str = ""

    @property
    def title(self) -> str:
        return f"{self.label}: {self.value}"

    @property
    def svg(self) -> dict[str, str]:
        """Coordinates as SVG attribute text (never localised), plus where a row's label and value go."""
        return {
            "x": _num(self.x),
            "y": _num(self.y),
            "width": _num(self.width),
            "height": _num(self.height),
            "label_y": _num(self.y + self.height / 2 + 5),
            "value_x": _num(self.x + self.width + 4),
        }


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class BarChart:
    """A chart's bars in a ``width`` x ``height`` viewBox, with its largest value for the axis label."""

    title: str
    bars: list[Bar]
    width: int
    height: int
    maximum: int
    horizontal: bool

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def empty(self) -> bool:
        return self.maximum == 0

    @property
    def first_label(self) -> str:
        return self.bars[0].label if self.bars else ""

    @property
    def last_label(self) -> str:
        return self.bars[-1].label if self.bars else ""

    @property
    def axis_y(self) -> int:
        return self.height - 4


def column_chart(title: str, rows: list[tuple[str, int]], *, width: int = 600, height: int = 160) -> BarChart:
    """Vertical bars left to right (e.g. downloads per day); labels go under the first and last."""
    maximum = max((value for _, value in rows), default=0)
    slot = width / max(len(rows), 1)
    plot = height - 20  # room for the date labels
    bars = []
    for index, (label, value) in enumerate(rows):
        bar_height = plot * value / maximum if maximum else 0
        bars.append(
            Bar(
                label,
                value,
                round(index * slot + 1, 2),
                round(plot - bar_height, 2),
                round(max(slot - 2, 1), 2),
                round(bar_height, 2),
            )
        )
    return BarChart(title, bars, width, height, maximum, horizontal=False)


def row_chart(
    title: str,
    rows: list[tuple[str, int]],
    *,
    width: int = 600,
    row_height: int = 24,
    css: dict[str, str] | None = None,
) -> BarChart:
    """Horizontal bars top to bottom with the label inside the left part (e.g. top artists)."""
    maximum = max((value for _, value in rows), default=0)
    label_width = 180
    plot = width - label_width - 40
    bars = [
        Bar(
            label,
            value,
            label_width,
            index * row_height + 2,
            round(plot * value / maximum, 2) if maximum else 0,
            row_height - 4,
            (css or {}).get(label, ""),
        )
        for index, (label, value) in enumerate(rows)
    ]
    return BarChart(title, bars, width, max(len(rows), 1) * row_height, maximum, horizontal=True)


def stats_charts(stats: dict[str, Any]) -> list[BarChart]:
    """The statistics page's charts, labelled in words, from ``library_history.selectors.history_stats``."""
    per_day = [(f"{row['date']:%a %-d %b}", row["count"]) for row in stats["downloads_per_day"]]
    statuses = dict(HistoryStatus.choices)
    by_status = [(statuses.get(status, status), count) for status, count in stats["by_status"].items()]
    css = {statuses.get(status, status): f"status-{status}" for status in stats["by_status"]}
    types = {value: f"{label}s" for value, label in DownloadType.choices}
    by_type = [(types.get(kind, kind), count) for kind, count in stats["by_type"].items()]
    top = [(row["artist"], row["count"]) for row in stats["top_artists"]]
    return [
        column_chart(f"Downloads per day (last {len(per_day)} days)", per_day),
        row_chart("By status", by_status, css=css),
        row_chart("By kind", by_type),
        row_chart("Top artists", top),
    ]
