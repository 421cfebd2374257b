"""Geometry of the server-side SVG bar charts (templates draw them; no JavaScript, no CDN).

Every chart is drawn next to a table with the same numbers; the chart is a picture of that table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from karki.lib.formatting import format_meur

BAR = 14
GAP = 10
LABEL_WIDTH = 220
PLOT_WIDTH = 420


@dataclass
class Bar:
    y: int
    width: int
    series: int  # 0 = planned, 1 = realised: a CSS class and a pattern tell them apart, not colour alone
    text: str


@dataclass
class Group:
    label: str
    y: int
    bars: list[Bar]


@dataclass
class Marker:
    """A vertical dashed line across the bars, such as the target, labelled with its figure."""

    x: int
    text: str


@dataclass
class Chart:
    groups: list[Group]
    height: int
    width: int = LABEL_WIDTH + PLOT_WIDTH + 90
    label_width: int = LABEL_WIDTH
    marker: Marker | None = None


def bar_chart(rows: list[tuple[str, list[Decimal | None]]], language: str, *,
              marker: tuple[str, Decimal | None] | None = None) -> Chart:
    """Horizontal bars, one group per row and one bar per series; negative values draw as zero.
    `marker` (label, value) draws a line at the value, for example the target of the programme."""
    marked = marker[1] if marker and marker[1] is not None and marker[1] > 0 else None
    values = [v for _label, row in rows for v in row if v is not None] + ([marked] if marked else [])
    top = max(values, default=Decimal("0"))
    scale = Decimal(PLOT_WIDTH) / top if top > 0 else Decimal("0")
    groups, y = [], GAP
    for label, values in rows:
        bars = []
        for index, value in enumerate(values):
            width = int(max(value or 0, 0) * scale)
            bars.append(Bar(y=y + index * BAR, width=width, series=index,
                            text=format_meur(value, language) if value is not None else "–"))
        groups.append(Group(label=label[:40], y=y, bars=bars))
        y += len(values) * BAR + GAP
    chart = Chart(groups=groups, height=y + GAP + (14 if marked else 0))
    if marked:
        chart.marker = Marker(x=LABEL_WIDTH + int(marked * scale), text=f"{marker[0]} {format_meur(marked, language)}")
    return chart
