"""From a programme version, its monitoring and a what-if to the engine's `Model`.

What counts follows the roll-up (`money.covered_figures`, as in `programmes.summary`): a target's
estimate covers its measures, whose own figures are then never added again; otherwise each measure's
own estimate counts. A target's estimate is carried by its measures in equal shares, each measure
with its own chance and timing; a target without measures carries its estimate itself.

Per measure, from its latest received status report up to the chosen period (reports follow a measure
by its code across versions, see docs/decisions.md):
- chance: cancelled → 0; else the owner's confidence on the report; else the latest confidence of the
  key results linked to the measure (their mean); else the table in `assumptions` by phase and
  traffic light; no report yet → the table's first row;
- amount: the owner's revised forecast of yearly savings replaces the centre of a measure's own
  estimate (a range is scaled with it; a point or an upper bound becomes that figure); a target's
  estimate follows its measures' revised forecasts only when all of them give one;
- timing: the version's stated yearly ramp (the share of the full effect in each year), else a
  straight ramp over the target's horizon (`HORIZON_YEARS`, as `summary._by_year`); a measure still
  *planned* starts its ramp in the month after its report at the earliest; a what-if delay shifts it.
- realised savings of the months a measure has reported are facts: those months are taken out of the
  model, and every realised euro up to the period is added to its year, whatever the measure's code —
  as finance verified it, and a claim not yet decided on times the verification rate so far
  (`monitoring.recurrence`);
- recurring or one-off: the model's columns are the yearly level (recurring savings in effect in each
  year) and then each year's one-off savings. A recurring estimate counts in the level by the ramp; a
  one-off estimate counts once, whole, in the first year its ramp saves anything (later when delayed);
- carry-over: a measure's recurring run-rate (`monitoring.recurrence`) is a floor under its level in
  the months after the period (`engine.Floor`), so realised recurring savings go on in the years after.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from karki.lib import money
from karki.monitoring.enums import RECEIVED_STATES, Phase
from karki.monitoring.models import Period, StatusReport
from karki.monitoring.recurrence import Realised, realised
from karki.programmes.enums import HORIZON_YEARS, Horizon, Recurrence
from karki.programmes.summary import VersionSummary, summarise

from . import assumptions, engine

ZERO = Decimal("0")
TARGET, MEASURE = "target", "measure"


@dataclass(frozen=True)
class Change:
    """One what-if change to a measure or a target (all of its measures): delay, drop, new estimate."""

    code: str
    delay_months: int = 0
    drop: bool = False
    estimate: money.Estimate | None = None
    # A target and a measure may have the same code (each is unique among its own kind): TARGET or MEASURE
    # says which is meant; "" means the target of that code if there is one, else the measure.
    kind: str = ""

    def as_json(self) -> dict:
        data: dict = {"code": self.code, "delay_months": self.delay_months, "drop": self.drop, "estimate": None,
                      "kind": self.kind}
        if self.estimate is not None:
            e = self.estimate
            data["estimate"] = {"kind": str(e.kind), "amount_eur": _text(e.amount), "min_eur": _text(e.low),
                                "max_eur": _text(e.high)}
        return data

    @classmethod
    def from_json(cls, data: dict) -> Change:
        estimate = None
        if data.get("estimate"):
            e = data["estimate"]
            estimate = money.Estimate(money.EstimateKind(e["kind"]), amount=money.to_decimal(e.get("amount_eur")),
                                      low=money.to_decimal(e.get("min_eur")), high=money.to_decimal(e.get("max_eur")))
        return cls(code=data["code"], delay_months=int(data.get("delay_months") or 0), drop=bool(data.get("drop")),
                   estimate=estimate, kind=data.get("kind") or "")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# -- Monitoring ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LatestStatus:
    phase: str
    status: str
    confidence: int | None
    revised_expected_eur: Decimal | None
    year: int
    month: int


@dataclass
class Monitoring:
    as_of: Period | None = None
    latest: dict[str, LatestStatus] = field(default_factory=dict)
    months_reported: dict[str, dict[int, int]] = field(default_factory=dict)  # code → year → months
    realised: dict[int, Decimal] = field(default_factory=dict)  # year → euros counted, every code and kind
    saved: Realised = field(default_factory=Realised)  # by kind, claimed and counted, and the run-rates
    key_result_confidence: dict[str, float] = field(default_factory=dict)  # code → mean latest confidence


def read_monitoring(programme, period: Period | None) -> Monitoring:
    """Received reports and realised savings up to `period`, and linked key results' confidence:
    three or four set-wide queries whatever the size of the programme."""
    from karki.okr.models import CheckIn, KeyResultMeasure

    if period is None:
        return Monitoring()
    found = Monitoring(as_of=period)
    up_to = Period.objects.up_to(period)
    received = StatusReport.objects.filter(period__in=up_to, state__in=RECEIVED_STATES)
    # The database counts each measure's reported months per year and says its last month: one row
    # per measure and year, however many months have been reported. Then only the reports of those
    # last months are read (usually one or two periods).
    months: dict[str, dict[int, int]] = defaultdict(dict)
    last: dict[str, tuple[int, int]] = {}
    for code, year, count, last_month in (received.values_list("measure_code", "period__year")
                                          .annotate(count=Count("pk"), last_month=Max("period__month")).order_by()):
        months[code][year] = count
        last[code] = max(last.get(code, (0, 0)), (year, last_month))
    found.months_reported = dict(months)
    if last:
        which = Q()
        for year, month in set(last.values()):
            which |= Q(period__year=year, period__month=month)
        for code, year, month, phase, status, confidence, revised in received.filter(which).values_list(
                "measure_code", "period__year", "period__month", "phase", "status", "confidence",
                "revised_expected_eur"):
            if last.get(code) == (year, month):
                found.latest[code] = LatestStatus(phase, status, confidence, revised, year, month)
    found.saved = realised(period)
    years = {year for by_year in found.saved.counted.values() for year in by_year}
    found.realised = {year: found.saved.total(year, counted=True) for year in sorted(years)}
    links = list(KeyResultMeasure.objects.filter(programme_id=programme.pk).values_list("measure_code",
                                                                                        "key_result_id"))
    if links:
        last_day = date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
        latest_confidence: dict[int, int] = {}
        for key_result_id, confidence in (
                CheckIn.objects.filter(key_result_id__in={kr for _code, kr in links}, confidence__isnull=False,
                                       date__lte=last_day)
                .order_by("key_result_id", "-date", "-created_at", "-pk").values_list("key_result_id", "confidence")):
            latest_confidence.setdefault(key_result_id, confidence)
        by_code: dict[str, list[int]] = defaultdict(list)
        for code, key_result_id in links:
            if key_result_id in latest_confidence:
                by_code[code].append(latest_confidence[key_result_id])
        found.key_result_confidence = {code: sum(values) / len(values) for code, values in by_code.items()}
    return found


# -- Items and parts -----------------------------------------------------------------------


@dataclass
class ItemInfo:
    """A figure that counts: a target's estimate, or a measure's own."""

    kind: str  # TARGET or MEASURE
    code: str
    subject: object  # the Target or Measure, for its name
    estimate: money.Estimate
    source: str = "decided"  # "decided", "revised" (the owner's forecast) or "what_if"
    low: Decimal = ZERO
    high: Decimal = ZERO
    index: int = -1  # in the engine's items
    mean_eur: Decimal = ZERO  # expected savings in the target year
    variance: float = 0.0  # of the savings in the target year

    def __post_init__(self) -> None:
        self.low, self.high = self.estimate.minimum, self.estimate.maximum

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.code)

    @property
    def recurrence(self) -> str:
        return getattr(self.subject, "estimate_recurrence", "") or Recurrence.RECURRING

    @property
    def one_off(self) -> bool:
        return self.recurrence == Recurrence.ONE_OFF


@dataclass
class PartInfo:
    """A measure carrying an item (or a share of its target's)."""

    code: str
    measure: object | None  # None for a target without measures, which carries its own estimate
    target: object
    horizon: str
    item_key: tuple[str, str] | None = None
    share: float = 1.0
    chance: float = 0.0
    chance_source: str = ""  # "owner", "key_results", "status", "no_report", "cancelled", "dropped"
    status: LatestStatus | None = None
    shift_months: int = 0  # from a phase still planned, plus a what-if delay
    delay_months: int = 0
    dropped: bool = False


@dataclass
class Inputs:
    model: engine.Model
    years: list[int]
    target_year: int
    items: list[ItemInfo]
    parts: list[PartInfo]
    monitoring: Monitoring
    summary: VersionSummary
    unknown_codes: list[str] = field(default_factory=list)

    @property
    def target_year_index(self) -> int:
        """The target year's column of the yearly level (the one-offs' columns follow the level's)."""
        return self.years.index(self.target_year)


class ForecastUnavailable(Exception):
    """The programme's own facts do not allow a forecast; `message` says what to correct."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def forecast_years(programme) -> tuple[list[int], int]:
    """The programme's years and its target year, which must be one of them (`Programme.clean` refuses
    anything else where it is entered; a programme stored before that check gets a message, not a crash)."""
    target_year = programme.target_year or programme.period_end
    years = programme.years
    if target_year not in years:
        raise ForecastUnavailable(
            _("The forecast cannot be made: the programme's target year %(year)s is not one of its years "
              "%(first)s–%(last)s. Correct the target year or the programme's years on the workbook's Programme "
              "sheet.") % {"year": target_year, "first": programme.period_start, "last": programme.period_end},
            code="target_year_outside")
    return years, target_year


def ramp_knots(version, summary: VersionSummary, horizon: str) -> tuple[list[float], list[float]]:
    """The share of the full yearly effect reached in a year, as points of a piecewise-linear curve.

    A stated yearly ramp (7,2 → 17,5 → 27,6 M€) gives the shares of its last step (0,26 → 0,63 → 1);
    otherwise the share grows straight from 0 to 1 over the horizon's years from the first year of
    savings, like `money.linear_ramp`.
    """
    stated = [(row.year, row.savings_expected_eur) for row in summary.by_year if row.source == "stated"]
    if stated:
        full = max(amount for _year, amount in stated)
        if full > 0:
            xs = [float(stated[0][0] - 1)] + [float(year) for year, _amount in stated]
            return xs, [0.0] + [min(float(amount / full), 1.0) for _year, amount in stated]
    steps = HORIZON_YEARS[Horizon(horizon or Horizon.MEDIUM)]
    first = version.first_effect_year
    return [float(first - 1), float(first - 1 + steps)], [0.0, 1.0]


def ramp_share(knots: tuple[list[float], list[float]], year: int, shift_months: int) -> float:
    xs, fs = knots
    return float(np.interp(year - shift_months / 12, xs, fs, left=0.0, right=fs[-1]))


def planned_shift(version, status: LatestStatus | None) -> int:
    """Months by which a measure still *planned* starts later than the version's first year of savings:
    its ramp starts in the month after its report at the earliest."""
    if status is None or status.phase != Phase.PLANNED:
        return 0
    start = version.first_effect_year * 12
    earliest = status.year * 12 + status.month  # the month after the report (months counted from 0)
    return max(earliest - start, 0)


def chance_of(part: PartInfo, monitoring: Monitoring) -> tuple[float, str]:
    status = part.status
    if part.dropped:
        return 0.0, "dropped"
    if status is not None and status.phase == Phase.CANCELLED:
        return 0.0, "cancelled"
    if status is not None and status.confidence is not None:
        return status.confidence / 100, "owner"
    if part.code in monitoring.key_result_confidence:
        return monitoring.key_result_confidence[part.code] / 100, "key_results"
    if status is not None:
        return assumptions.chance_from_status(status.phase, status.status), "status"
    return assumptions.chance_from_status(None, None), "no_report"


def _scaled(estimate: money.Estimate, revised: Decimal) -> money.Estimate:
    """The owner's revised yearly figure as the amount's new centre, its mean in the draws. A range keeps
    its relative width around it. A point, or an upper bound (which says only how much at most, and whose
    draws from 0…bound average half of it), becomes the owner's figure itself."""
    revised = max(revised, ZERO)
    expected = estimate.expected
    if estimate.kind != money.EstimateKind.RANGE or expected <= 0 or estimate.minimum == estimate.maximum:
        return money.Estimate.point(revised)
    factor = revised / expected
    return money.Estimate.range(estimate.minimum * factor, estimate.maximum * factor)


def build(version, *, period: Period | None = None, changes=(), summary: VersionSummary | None = None,
          monitoring: Monitoring | None = None) -> Inputs:
    programme = version.programme
    summary = summary or summarise(version)
    monitoring = monitoring if monitoring is not None else read_monitoring(programme, period)
    years, target_year = forecast_years(programme)

    items: dict[tuple[str, str], ItemInfo] = {}
    parts: list[PartInfo] = []
    parts_of_target: dict[str, list[PartInfo]] = {}
    for theme in summary.themes:
        for figures in theme.targets:
            target, measures = figures.target, figures.measures
            covered = money.covered_figures(target.estimate, [m.estimate for m in measures])
            own = [PartInfo(m.code, m, target, figures.horizon, status=monitoring.latest.get(m.code))
                   for m in measures] or [PartInfo(target.code, None, target, figures.horizon)]
            if covered and covered[0][0] is None:
                items[(TARGET, target.code)] = ItemInfo(TARGET, target.code, target, target.estimate)
                for part in own:
                    part.item_key = (TARGET, target.code)
            else:
                for index, estimate in covered:
                    items[(MEASURE, measures[index].code)] = ItemInfo(MEASURE, measures[index].code, measures[index],
                                                                      estimate)
                    own[index].item_key = (MEASURE, measures[index].code)
            parts_of_target[target.code] = own
            parts.extend(own)

    _apply_revised_forecasts(items, parts, parts_of_target)
    unknown = _apply_changes(items, parts, parts_of_target, list(changes))

    used = {part.item_key for part in parts if part.item_key is not None}
    item_list = [item for key, item in items.items() if key in used]
    nothing = len(item_list)  # parts without a figure keep their column (common random numbers) at 0…0
    engine_items = [engine.Item(item.code, float(item.low), float(item.high)) for item in item_list]
    engine_items.append(engine.Item("", 0.0, 0.0))
    for index, item in enumerate(item_list):
        item.index = index
    engine_parts = []
    knots_by_horizon: dict[str, tuple[list[float], list[float]]] = {}
    none = tuple(0.0 for _year in years)
    part_of_code: dict[str, int] = {}
    ramps: list[tuple[float, ...]] = []
    for part in parts:
        item = items[part.item_key] if part.item_key is not None else None
        if item is not None and item.kind == TARGET:
            part.share = 1 / len(parts_of_target[item.code])
        part.chance, part.chance_source = chance_of(part, monitoring)
        planned = planned_shift(version, part.status)
        part.shift_months = planned + part.delay_months
        knots = knots_by_horizon.setdefault(part.horizon, ramp_knots(version, summary, part.horizon))
        # The months a measure has reported are facts and leave the model: a year's level counts only for
        # its months not yet reported. A measure still planned starts after its report, so its shifted ramp
        # has nothing in those months already; taking them out again would count its delay twice.
        reported = {} if planned else monitoring.months_reported.get(part.code, {})
        unreported = [1 - min(reported.get(year, 0), 12) / 12 for year in years]
        ramp = tuple(ramp_share(knots, year, part.shift_months) for year in years)
        if item is not None and item.one_off:
            # Counted once, whole, in the first year its ramp saves anything (later when it is delayed).
            first = next((i for i, share in enumerate(ramp) if share > 0), None)
            weights = none + tuple(unreported[i] if i == first else 0.0 for i in range(len(years)))
            ramp = none
        else:
            weights = tuple(a * b for a, b in zip(ramp, unreported, strict=True)) + none
        ramps.append(ramp)
        if part.measure is not None:
            part_of_code.setdefault(part.code, len(engine_parts))
        engine_parts.append(engine.Part(part.code, item.index if item is not None else nothing, weights,
                                        share=part.share, chance=part.chance))
    saved = monitoring.saved
    fixed = tuple(float(saved.year(Recurrence.RECURRING, year, counted=True)) for year in years) + tuple(
        float(saved.year(Recurrence.ONE_OFF, year, counted=True)) for year in years)
    floors = []
    if monitoring.as_of is not None:
        as_of = monitoring.as_of
        future = tuple(1.0 if year > as_of.year else (12 - as_of.month) / 12 if year == as_of.year else 0.0
                       for year in years) + none
        for code, amount in sorted(saved.run_rate_counted.items()):
            index = part_of_code.get(code)
            floors.append(engine.Floor(index, float(amount), ramps[index] + none if index is not None else none + none,
                                       future))
    model = engine.Model(tuple(years) + tuple(years), engine_items, engine_parts, fixed, floors)
    inputs = Inputs(model=model, years=years, target_year=target_year, items=item_list, parts=parts,
                    monitoring=monitoring, summary=summary, unknown_codes=unknown)
    _describe_items(inputs)
    return inputs


def _apply_revised_forecasts(items, parts: list[PartInfo], parts_of_target: dict[str, list[PartInfo]]) -> None:
    for part in parts:
        revised = part.status.revised_expected_eur if part.status is not None else None
        if revised is None or part.measure is None:
            continue
        key = (MEASURE, part.code)
        if part.item_key == key:
            item = items[key]
            items[key] = ItemInfo(MEASURE, part.code, part.measure, _scaled(item.estimate, revised), "revised")
        elif part.item_key is None:
            items[key] = ItemInfo(MEASURE, part.code, part.measure, money.Estimate.point(max(revised, ZERO)),
                                  "revised")
            part.item_key = key
    for code, own in parts_of_target.items():
        key = (TARGET, code)
        if key not in items or any(p.measure is None or p.status is None or p.status.revised_expected_eur is None
                                   for p in own):
            continue
        total = sum((p.status.revised_expected_eur for p in own), ZERO)
        item = items[key]
        items[key] = ItemInfo(TARGET, code, item.subject, _scaled(item.estimate, total), "revised")


def _apply_changes(items, parts: list[PartInfo], parts_of_target: dict[str, list[PartInfo]],
                   changes: list[Change]) -> list[str]:
    """Targets first, then measures: a change to one measure wins over one to its whole target. A change
    names a target or a measure by kind and code, so a target and a measure of the same code are apart."""
    by_code = {part.code: part for part in parts if part.measure is not None}
    targets = {code: own[0].target for code, own in parts_of_target.items()}

    def to_target(change: Change) -> bool:
        return change.kind == TARGET or (not change.kind and change.code in targets)

    unknown = []
    for change in sorted(changes, key=lambda c: not to_target(c)):
        if to_target(change) and change.code in targets:
            affected = parts_of_target[change.code]
            if change.estimate is not None:
                key = (TARGET, change.code)
                items[key] = ItemInfo(TARGET, change.code, targets[change.code], change.estimate, "what_if")
                for part in affected:
                    part.item_key = key
        elif not to_target(change) and change.code in by_code:
            part = by_code[change.code]
            affected = [part]
            if change.estimate is not None:
                key = (MEASURE, part.code)
                items[key] = ItemInfo(MEASURE, part.code, part.measure, change.estimate, "what_if")
                part.item_key = key
        else:
            unknown.append(change.code)
            continue
        for part in affected:
            part.delay_months += max(change.delay_months, 0)
            part.dropped = part.dropped or change.drop
    return unknown


def _describe_items(inputs: Inputs) -> None:
    """Each item's expected savings and variance in the target year (exact, for the uncertainty list)."""
    index = inputs.target_year_index
    variances = engine.item_variances(inputs.model, index)
    means = np.zeros(len(inputs.model.items))
    for part in inputs.model.parts:
        means[part.item] += inputs.model.items[part.item].mean * part.share * part.chance * part.weights[index]
    for item in inputs.items:
        item.variance = float(variances[item.index])
        item.mean_eur = Decimal(f"{means[item.index]:.2f}")
