"""The forecast chart's geometry: bands within the plot, the median inside its band, the target line, and
ticks and years that can be read on a desktop, on a phone and in the PDF."""

from decimal import Decimal

import pytest

from karki.forecasts.charts import HEIGHT, NARROW, PRINT, WIDE, band_chart
from karki.forecasts.forecast import Band
from karki.lib.svgtext import text_width


def test_band_chart__geometry_follows_the_figures():
    bands = [Band(2025, Decimal("11600000"), Decimal("13000000"), Decimal("14200000"), Decimal("17500000")),
             Band(2026, Decimal("18300000"), Decimal("20500000"), Decimal("22500000"), Decimal("27600000"))]
    chart = band_chart(bands, Decimal("27600000"), "fi")
    assert [c.label for c in chart.columns] == ["2025", "2026"]
    assert chart.ticks[-1].text == "30,0\u00a0M€"  # a round top just above the largest figure
    for column in chart.columns:
        assert 0 <= column.band_top <= column.median_y <= column.band_top + column.band_height <= HEIGHT
    assert chart.target_y == chart.columns[1].plan_y  # the plan of 2026 is the target
    assert chart.columns[1].band_top < chart.columns[0].band_top  # more savings, higher band


LAYOUTS = pytest.mark.parametrize("layout", [WIDE, NARROW, PRINT], ids=["wide", "narrow", "print"])


def _bands(first: int, count: int):
    return [Band(first + index, Decimal(10_000_000 * index), Decimal(12_000_000 * index),
                 Decimal(14_000_000 * index), Decimal(13_000_000 * index)) for index in range(count)]


@LAYOUTS
def test_band_chart__ticks_and_years_readable_inside_the_drawing(layout):
    chart = band_chart(_bands(2023, 4), Decimal("150000000"), "sv", layout=layout)
    assert chart.font_size >= 12
    for tick in chart.ticks:  # right-aligned 6 px left of the plot, never cut at the left edge
        assert chart.left - 6 - text_width(tick.text, chart.font_size) >= 0
    assert chart.ticks[-1].text == "150,0\u00a0mn\u00a0€"
    half = [text_width(column.label, chart.font_size) / 2 for column in chart.columns]
    assert chart.columns[0].centre - half[0] >= chart.left
    assert chart.columns[-1].centre + half[-1] <= chart.width
    for column, next_column, width in zip(chart.columns, chart.columns[1:], half, strict=False):
        assert column.centre + width < next_column.centre - width  # years side by side, apart
    assert chart.label_y <= chart.height and chart.axis_y < chart.label_y - chart.font_size * 0.7


def test_band_chart__narrow__many_years__every_other_year_labelled_so_they_do_not_collide():
    chart = band_chart(_bands(2023, 12), None, "fi", layout=NARROW)
    shown = [column for column in chart.columns if column.show_label]
    assert 1 < len(shown) < len(chart.columns)
    for column, next_column in zip(shown, shown[1:], strict=False):
        assert next_column.centre - column.centre > text_width("2030", chart.font_size)
