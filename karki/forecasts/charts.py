"""Geometry of the forecast's SVG chart: per year the band from P10 to P90, the median (P50), the
version's plan and the target, drawn on the server (no JavaScript). The same numbers are always in the
table that follows the chart, and each series has its own shape as well as its colour.

As with the bar charts (monitoring/charts.py), a page gets a WIDE and a NARROW drawing and shows the one
that fits, so that the text keeps its size on a phone; the PDF has its own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from karki.lib.formatting import format_meur
from karki.lib.svgtext import text_width


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    font_size: int
    plan_radius: int


WIDE = Layout(width=800, height=320, font_size=14, plan_radius=5)
NARROW = Layout(width=360, height=260, font_size=14, plan_radius=5)
PRINT = Layout(width=640, height=260, font_size=12, plan_radius=4)
# Kept for callers that only need the default drawing's size.
WIDTH, HEIGHT = WIDE.width, WIDE.height
RIGHT, TOP = 12, 16


@dataclass
class Column:
    label: str
    x: int  # left edge of the band
    width: int
    band_top: int
    band_height: int
    median_y: int
    plan_y: int | None
    centre: int = 0
    plan_x: int = 0
    show_label: bool = True


@dataclass
class Tick:
    y: int
    text: str


@dataclass
class BandChart:
    columns: list[Column]
    ticks: list[Tick]
    target_y: int | None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = 70
    right_edge: int = WIDTH - RIGHT
    axis_y: int = HEIGHT - 36
    font_size: int = 14
    plan_radius: int = 5
    label_y: int = 0


def _nice(top: Decimal) -> Decimal:
    """A round upper end for the axis (1, 1,5, 2, 3, 4, 5, 6 or 8 × 10ⁿ euros), so the bars fill the plot."""
    if top <= 0:
        return Decimal(1_000_000)
    exponent = len(str(int(top))) - 1
    base = Decimal(10) ** exponent
    for step in (Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3), Decimal(4), Decimal(5), Decimal(6),
                 Decimal(8), Decimal(10)):
        if top <= step * base:
            return step * base
    return 10 * base


def band_chart(bands, target: Decimal | None, language: str, *, layout: Layout = WIDE) -> BandChart:
    """`bands`: objects with year, p10_eur, p50_eur, p90_eur and planned_eur."""
    values = [b.p90_eur for b in bands] + [b.planned_eur for b in bands if b.planned_eur is not None]
    if target is not None:
        values.append(target)
    top = _nice(max(values, default=Decimal(0)))
    size = layout.font_size
    tick_values = [top * step / 4 for step in range(5)]
    tick_texts = [format_meur(value, language) for value in tick_values]
    left = int(max(text_width(text, size) for text in tick_texts)) + 10  # the tick labels end 6 px left of the plot
    bottom = round(size * 1.25) + 10  # the years under the axis
    axis_y = layout.height - bottom
    plot = axis_y - TOP

    def y(value: Decimal) -> int:
        return TOP + int(plot - max(value, Decimal(0)) / top * plot)

    slot = (layout.width - left - RIGHT) // max(len(bands), 1)
    # Every year is labelled when the years fit side by side; otherwise every second or third one.
    year_width = max((text_width(str(band.year), size) for band in bands), default=0) + 6
    every = max(1, -(-int(year_width) // max(slot, 1)))
    columns = []
    for index, band in enumerate(bands):
        x = left + index * slot + slot // 4
        width = slot // 2
        upper, lower = y(band.p90_eur), y(band.p10_eur)
        columns.append(Column(label=str(band.year), x=x, width=width, band_top=upper,
                              band_height=max(lower - upper, 2), median_y=y(band.p50_eur),
                              plan_y=y(band.planned_eur) if band.planned_eur is not None else None,
                              centre=x + width // 2, plan_x=x + width + layout.plan_radius + 3,
                              show_label=index % every == 0))
    ticks = [Tick(y(value), text) for value, text in zip(tick_values, tick_texts, strict=True)]
    return BandChart(columns=columns, ticks=ticks, target_y=y(target) if target is not None else None,
                     width=layout.width, height=layout.height, left=left, right_edge=layout.width - RIGHT,
                     axis_y=axis_y, font_size=size, plan_radius=layout.plan_radius, label_y=axis_y + size + 4)


def band_charts(bands, target: Decimal | None, language: str) -> dict[str, BandChart]:
    """The same chart for a page: {"wide": …, "narrow": …}."""
    return {"wide": band_chart(bands, target, language, layout=WIDE),
            "narrow": band_chart(bands, target, language, layout=NARROW)}
