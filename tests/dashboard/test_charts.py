"""The chart geometry behind the statistics page."""

from __future__ import annotations

from spotizerr.dashboard.charts import column_chart, row_chart


def test_the_tallest_column_fills_the_plot_and_empty_days_have_no_height() -> None:
    chart = column_chart("Per day", [("2024-01-01", 0), ("2024-01-02", 4), ("2024-01-03", 2)], height=120)
    heights = [bar.height for bar in chart.bars]
    assert heights == [0, 100, 50]
    assert chart.bars[1].y == 0 and chart.first_label == "2024-01-01" and chart.last_label == "2024-01-03"


def test_rows_scale_to_the_largest_value() -> None:
    chart = row_chart("Top", [("A", 10), ("B", 5)], width=620)
    assert chart.bars[0].width == 400 and chart.bars[1].width == 200
    assert chart.height == 48


def test_a_chart_without_data_says_it_is_empty() -> None:
    assert column_chart("Per day", [("d", 0)]).empty
    assert row_chart("Top", []).empty


def test_svg_coordinates_are_plain_numbers() -> None:
    bar = column_chart("x", [("a", 1), ("b", 3)], width=300).bars[0]
    assert bar.svg["width"] == "148" and bar.svg["x"] == "1"
