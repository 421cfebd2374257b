"""Geometry of the project pages' server-side SVG drawings: the schedule (phases as bars, milestones as
diamonds, today's line) and an indicator's values over time with its target. Templates draw them; the same
figures are always in a table right after the drawing.

Colour is never the only signal: a milestone's status is also its icon (✔ ○ ▲ ✖) and its word in the row's
label; the target is a dashed line with its figure written beside it; the baseline a ring, measured values
dots on a solid line.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from karki.lib.formatting import format_date, format_number
from karki.lib.svgtext import LINE_HEIGHT, wrap

from .enums import MilestoneStatus

# A status is an icon and a word as well as a colour.
MILESTONE_ICONS = {MilestoneStatus.DONE: "✔", MilestoneStatus.ON_TIME: "○", MilestoneStatus.AT_RISK: "▲",
                   MilestoneStatus.LATE: "✖"}

FONT = 13
PAD = 8


@dataclass
class GanttRow:
    kind: str                   # "phase", "milestone" or "group" (the milestones outside the phases)
    lines: list[str]            # the label, wrapped
    y: int                      # top of the row
    height: int
    status: str = ""            # a milestone's status (its CSS class and icon)
    icon: str = ""
    x: int = 0                  # a phase's bar start, or a milestone's centre
    width: int = 0              # a phase's bar width
    date_text: str = ""         # beside a milestone's diamond
    date_x: int = 0
    date_anchor: str = "start"

    @property
    def middle(self) -> int:
        return self.y + self.height // 2

    @property
    def label_ys(self) -> list[tuple[int, str]]:
        step = round(FONT * LINE_HEIGHT)
        first = self.middle - (len(self.lines) - 1) * step // 2 + FONT // 3
        return [(first + i * step, line) for i, line in enumerate(self.lines)]

    @property
    def diamond(self) -> str:
        r, cx, cy = 7, self.x, self.middle
        return f"{cx},{cy - r} {cx + r},{cy} {cx},{cy + r} {cx - r},{cy}"


@dataclass
class Tick:
    x: int
    text: str = ""
    major: bool = False
    text_x: int = 0


@dataclass
class Gantt:
    width: int
    height: int
    left: int                   # where the time axis starts
    right: int
    top: int                    # where the rows start (below the axis labels)
    rows: list[GanttRow]
    ticks: list[Tick]
    today_x: int | None
    today_text: str
    font_size: int = FONT


def _months(start: date, end: date) -> list[date]:
    found, day = [], date(start.year, start.month, 1)
    while day <= end:
        found.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return found


def gantt(*, start: date, end: date, phases, standings, today: date, language: str,
          width: int = 960, label_width: int = 280) -> Gantt:
    """`phases` in order; `standings` (reading.Standing) each drawn under its phase, the rest at the end."""
    dates_seen = [start, end] + [p.start_date for p in phases] + [p.end_date for p in phases] \
        + [s.milestone.due_date for s in standings]
    first, last = min(dates_seen), max(dates_seen)
    first = date(first.year, first.month, 1)
    last = date(last.year, last.month, calendar.monthrange(last.year, last.month)[1]) + timedelta(days=1)
    left, right, top = label_width + 2 * PAD, width - 3 * PAD, 3 * FONT + PAD
    span = (last - first).days or 1

    def x_of(day: date) -> int:
        return round(left + (right - left) * (day - first).days / span)

    ordered: list[tuple[str, object]] = []
    by_phase: dict[int | None, list] = {}
    for standing in standings:
        by_phase.setdefault(standing.milestone.phase_id, []).append(standing)
    for phase in phases:
        ordered.append(("phase", phase))
        ordered += [("milestone", s) for s in by_phase.pop(phase.pk, [])]
    rest = [s for key in list(by_phase) for s in by_phase[key]]
    if rest and phases:
        ordered.append(("group", _("Milestones outside the phases")))
    ordered += [("milestone", s) for s in rest]

    rows, y = [], top
    for kind, obj in ordered:
        if kind == "phase":
            lines = wrap(f"{obj.code} {obj.name}", label_width, FONT)
        elif kind == "group":
            lines = wrap(str(obj), label_width, FONT)
        else:
            m = obj.milestone
            lines = wrap(f"◆ {m.code} {m.name}", label_width - FONT, FONT)
            lines.append(f"{MILESTONE_ICONS[obj.status]} {obj.get_status_display()}")
        height = max(28, len(lines) * round(FONT * LINE_HEIGHT) + PAD)
        row = GanttRow(kind=kind, lines=lines, y=y, height=height)
        if kind == "group":
            pass
        elif kind == "phase":
            row.x = x_of(obj.start_date)
            row.width = max(3, x_of(obj.end_date + timedelta(days=1)) - row.x)
        else:
            row.status, row.icon = obj.status, MILESTONE_ICONS[obj.status]
            row.x = x_of(obj.milestone.due_date)
            row.date_text = f"{row.icon} {format_date(obj.milestone.due_date, language)}"
            if row.x > right - 110:
                row.date_x, row.date_anchor = row.x - 12, "end"
            else:
                row.date_x = row.x + 12
        rows.append(row)
        y += height
    months = _months(first, last - timedelta(days=1))
    quarterly = len(months) > 30
    ticks = []
    for month in months:
        major = month.month == 1 or month == months[0]
        if quarterly and month.month % 3 != 1 and not major:
            continue
        tick = Tick(x=x_of(month), major=major)
        if major:
            tick.text, tick.text_x = str(month.year), tick.x + 4
        ticks.append(tick)
    today_x = x_of(today) if first <= today < last else None
    return Gantt(width=width, height=y + PAD, left=left, right=right, top=top, rows=rows, ticks=ticks,
                 today_x=today_x, today_text=_("Today %(date)s") % {"date": format_date(today, language)})


# -- an indicator's values over time ----------------------------------------------------------------------


@dataclass
class Point:
    x: int
    y: int
    text: str


@dataclass
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: list[Point]
    path: str
    y_ticks: list[Point]
    x_ticks: list[Point]
    target_y: int | None = None
    target_text: str = ""
    baseline: Point | None = None
    font_size: int = FONT
    extra: dict = field(default_factory=dict)


def _nice_step(span: float) -> float:
    """A round step (1, 2, 2,5 or 5 × a power of ten) that cuts `span` into about four."""
    raw = span / 4 or 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _places(step: float) -> int:
    return 0 if step >= 1 else (1 if step >= 0.1 else 2)


def places_of(*values: Decimal | None) -> int:
    """The decimals an indicator's figures need (0–2), so that 19,6 % is not written 19,60 %."""
    needed = 0
    for value in values:
        if value is not None:
            exponent = Decimal(value).normalize().as_tuple().exponent
            needed = max(needed, min(2, -exponent) if isinstance(exponent, int) and exponent < 0 else 0)
    return needed


def line_chart(values: list[tuple[date, Decimal]], *, language: str, target: Decimal | None = None,
               baseline: tuple[date | None, Decimal | None] = (None, None), deadline: date | None = None,
               places: int = 2, width: int = 440, height: int = 220) -> LineChart | None:
    """Measured values (oldest first) as dots on a line, the target as a dashed line, the baseline a ring."""
    if not values:
        return None
    baseline_date, baseline_value = baseline
    days = [d for d, _v in values] + [d for d in (baseline_date, deadline) if d is not None]
    numbers = [float(v) for _d, v in values] + [float(v) for v in (target, baseline_value) if v is not None]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - timedelta(days=30), last + timedelta(days=30)
    low, high = min(numbers), max(numbers)
    if low >= 0 and low <= high / 2:
        low = 0.0
    if low == high:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    low = step * (low // step)
    high = step * -(-high // step)
    tick_places = _places(step)
    left, right, top, bottom = 64, width - 16, 16, height - 36

    def x_of(day: date) -> int:
        return round(left + (right - left) * (day - first).days / (last - first).days)

    def y_of(value: float) -> int:
        return round(bottom - (bottom - top) * (value - low) / (high - low))

    points = [Point(x_of(d), y_of(float(v)), format_number(v, language, places)) for d, v in values]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points))
    y_ticks, tick = [], low
    while tick <= high + step / 1000:
        y_ticks.append(Point(left - 6, y_of(tick), format_number(Decimal(str(round(tick, 6))), language, tick_places)))
        tick += step
    x_ticks = [Point(x_of(first), bottom + 20, format_date(first, language))]
    if last != first:
        x_ticks.append(Point(x_of(last), bottom + 20, format_date(last, language)))
    chart = LineChart(width=width, height=height, left=left, right=right, top=top, bottom=bottom, points=points,
                      path=path, y_ticks=y_ticks, x_ticks=x_ticks)
    if target is not None:
        chart.target_y = y_of(float(target))
        chart.target_text = _("Target %(value)s") % {"value": format_number(target, language, places)}
    if baseline_value is not None and baseline_date is not None:
        chart.baseline = Point(x_of(baseline_date), y_of(float(baseline_value)), "")
    return chart
