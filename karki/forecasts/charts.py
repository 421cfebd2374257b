"""Geometry of the forecast's SVG chart: per year the band from P10 to P90, the median (P50), the
version's plan and the target, drawn on the server (no JavaScript). The same numbers are always in the
table that follows the chart, and each series has its own shape as well as its colour."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from karki.lib.formatting import format_meur

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 16, 36


@dataclass
class Column:
    label: str
    x: int  # left edge of the band
    width: int
    band_top: int
    band_height: int
    median_y: int
    plan_y: int | None


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
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    axis_y: int = HEIGHT - BOTTOM


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


def band_chart(bands, target: Decimal | None, language: str) -> BandChart:
    """`bands`: objects with year, p10_eur, p50_eur, p90_eur and planned_eur."""
    values = [b.p90_eur for b in bands] + [b.planned_eur for b in bands if b.planned_eur is not None]
    if target is not None:
        values.append(target)
    top = _nice(max(values, default=Decimal(0)))
    plot = HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> int:
        return TOP + int(plot - max(value, Decimal(0)) / top * plot)

    slot = (WIDTH - LEFT - RIGHT) // max(len(bands), 1)
    columns = []
    for index, band in enumerate(bands):
        x = LEFT + index * slot + slot // 4
        upper, lower = y(band.p90_eur), y(band.p10_eur)
        columns.append(Column(label=str(band.year), x=x, width=slot // 2, band_top=upper,
                              band_height=max(lower - upper, 2), median_y=y(band.p50_eur),
                              plan_y=y(band.planned_eur) if band.planned_eur is not None else None))
    ticks = [Tick(y(top * step / 4), format_meur(top * step / 4, language)) for step in range(5)]
    return BandChart(columns=columns, ticks=ticks, target_y=y(target) if target is not None else None)
