"""Geometry of the server-side SVG bar charts (templates draw them; no JavaScript, no CDN).

Every chart is drawn next to a table with the same numbers; the chart is a picture of that table.

Labels are never cut: they wrap onto as many lines as they need, and the chart grows with its rows and
their lines. SVG text scales with the drawing, so a page gets two drawings of the same figures (WIDE with
the labels in a column beside the bars, NARROW with each label above its bars, for phones) and the CSS
shows the one that fits: one drawing scaled down to a phone would have 6 px text. The PDF has its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from karki.lib.formatting import format_meur
from karki.lib.svgtext import LINE_HEIGHT, text_width, wrap

GROUP_GAP = 12  # between the rows of the chart
BAR_GAP = 3  # between the bars of a row, so that each bar meets the white background
VALUE_GAP = 6  # between the end of a bar and its figure
LABEL_GAP = 12  # between a label column and the bars
INSET = 2  # labels start this far in: the first letter of "Totalt" or "Yhteensä" reaches left of its origin


@dataclass(frozen=True)
class Layout:
    width: int  # of the drawing, px
    label_size: int  # font sizes, px
    value_size: int
    labels_above: bool  # each label on its own lines above its bars, or in a column beside them
    max_label_width: int  # beside: the widest the label column may be


WIDE = Layout(width=880, label_size=15, value_size=14, labels_above=False, max_label_width=320)
NARROW = Layout(width=360, label_size=15, value_size=14, labels_above=True, max_label_width=360)
PRINT = Layout(width=640, label_size=12, value_size=12, labels_above=False, max_label_width=240)


@dataclass
class Line:
    x: int
    y: int  # baseline
    text: str


@dataclass
class Bar:
    y: int
    width: int
    series: int  # 0 = planned, 1 = realised: a pattern tells them apart, not colour alone
    text: str
    x: int = 0
    height: int = 0
    text_x: int = 0
    text_y: int = 0


@dataclass
class Group:
    label: str
    y: int
    bars: list[Bar]
    lines: list[Line]


@dataclass
class Marker:
    """A vertical dashed line across the bars, such as the target, labelled with its figure."""

    x: int
    text: str
    bottom: int = 0  # where the line ends
    text_x: int = 0  # the label's right end (text-anchor: end)
    text_y: int = 0


@dataclass
class Chart:
    groups: list[Group]
    height: int
    width: int
    label_size: int
    value_size: int
    plot_x: int  # where the bars start (the zero line)
    marker: Marker | None = None


def bar_chart(rows: list[tuple[str, list[Decimal | None]]], language: str, *,
              marker: tuple[str, Decimal | None] | None = None, layout: Layout = WIDE) -> Chart:
    """Horizontal bars, one group per row and one bar per series; negative values draw as zero.
    `marker` (label, value) draws a line at the value, for example the target of the programme."""
    rows = [(str(label), values) for label, values in rows]
    marked = marker[1] if marker and marker[1] is not None and marker[1] > 0 else None
    texts = [[format_meur(v, language) if v is not None else "–" for v in values] for _label, values in rows]
    value_room = VALUE_GAP + max((text_width(t, layout.value_size) for row in texts for t in row), default=0) + 2
    line_height = round(layout.label_size * LINE_HEIGHT)
    bar_height = layout.value_size + 6

    if layout.labels_above:
        label_x, plot_x, label_room = INSET, 0, layout.width - INSET
    else:
        widest = max((text_width(label, layout.label_size) for label, _values in rows), default=0)
        label_room = min(widest, layout.max_label_width)
        label_x, plot_x = INSET, INSET + int(label_room + 0.999) + LABEL_GAP
    plot_width = layout.width - plot_x - int(value_room + 0.999)

    numbers = [v for _label, values in rows for v in values if v is not None] + ([marked] if marked else [])
    top = max(numbers, default=Decimal("0"))
    scale = Decimal(plot_width) / top if top > 0 else Decimal("0")

    groups, y = [], GROUP_GAP // 2
    ascent = round(layout.label_size * 0.8)  # baseline below the top of a line
    for (label, values), row_texts in zip(rows, texts, strict=True):
        wrapped = wrap(label, label_room, layout.label_size)
        lines = [Line(x=label_x, y=y + ascent + index * line_height, text=text) for index, text in enumerate(wrapped)]
        label_height = len(wrapped) * line_height
        bars_top = y + label_height + 2 if layout.labels_above else y
        bars = []
        for index, (value, text) in enumerate(zip(values, row_texts, strict=True)):
            top_y = bars_top + index * (bar_height + BAR_GAP)
            width = int(max(value or 0, 0) * scale)
            bars.append(Bar(y=top_y, width=width, series=index, text=text, x=plot_x, height=bar_height,
                            text_x=plot_x + width + VALUE_GAP,
                            text_y=top_y + round(bar_height / 2 + layout.value_size * 0.35)))
        bars_height = len(values) * (bar_height + BAR_GAP) - BAR_GAP
        height = label_height + 2 + bars_height if layout.labels_above else max(label_height, bars_height)
        groups.append(Group(label=label, y=y, bars=bars, lines=lines))
        y += height + GROUP_GAP
    chart = Chart(groups=groups, height=y, width=layout.width, label_size=layout.label_size,
                  value_size=layout.value_size, plot_x=plot_x)
    if marked:
        text = f"{marker[0]} {format_meur(marked, language)}"
        x = plot_x + int(marked * scale)
        # The label sits in a row of its own under the bars, ending at the line, inside the drawing.
        width = text_width(text, layout.value_size)
        chart.marker = Marker(x=x, text=text, bottom=y, text_x=int(min(max(x, width + 1), layout.width)),
                              text_y=y + layout.value_size)
        chart.height = y + round(layout.value_size * 1.4)
    return chart


def bar_charts(rows: list[tuple[str, list[Decimal | None]]], language: str, *,
               marker: tuple[str, Decimal | None] | None = None) -> dict[str, Chart]:
    """The same chart for a page: {"wide": …, "narrow": …}."""
    return {"wide": bar_chart(rows, language, marker=marker, layout=WIDE),
            "narrow": bar_chart(rows, language, marker=marker, layout=NARROW)}
