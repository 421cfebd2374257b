"""The figures of one programme version: roll-ups by theme, org unit, cost category and year,
the gap to the target, and data-quality warnings. Read-only; a fixed number of queries
whatever the size of the programme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from karki.core.content import active_language, translated
from karki.lib import money
from karki.lib.formatting import format_meur, format_meur_range
from karki.organisations.models import OrgUnit

from .enums import HORIZON_YEARS, Basket, CostCategory, Horizon, Recurrence, TopDownDimension
from .models import (
    CostCategoryEffect,
    Measure,
    ProgrammeVersion,
    StatedTotal,
    Target,
    Theme,
    TopDownTarget,
    YearlyRampStep,
)

HORIZON_RANK = {Horizon.SHORT: 1, Horizon.MEDIUM: 2, Horizon.LONG: 3}


@dataclass
class TargetFigures:
    target: Target
    measures: list[Measure]
    rollup: money.Rollup

    @property
    def horizon(self) -> str:
        """The slowest horizon among the measures: the target reaches its full effect then."""
        horizons = [m.horizon for m in self.measures if m.horizon]
        if not horizons:
            return Horizon.MEDIUM
        return max(horizons, key=lambda h: HORIZON_RANK[Horizon(h)])

    @property
    def measures_with_own_estimate_ignored(self) -> bool:
        return self.target.estimate is not None and any(m.estimate is not None for m in self.measures)

    @property
    def one_off_expected_eur(self) -> Decimal:
        """Of `rollup.expected`, what one-off estimates count: the target's own when it covers its measures,
        else the measures' own one-off estimates."""
        if self.target.estimate is not None:
            return self.rollup.expected if self.target.estimate_recurrence == Recurrence.ONE_OFF else money.ZERO
        return sum((m.estimate.expected for m in self.measures
                    if m.estimate is not None and m.estimate_recurrence == Recurrence.ONE_OFF), money.ZERO)


@dataclass
class ThemeFigures:
    theme: Theme
    targets: list[TargetFigures]
    rollup: money.Rollup
    stated: list[StatedTotal]
    warnings: list[str] = field(default_factory=list)

    @property
    def measure_count(self) -> int:
        return sum(len(t.measures) for t in self.targets)

    @property
    def stated_savings_eur(self) -> Decimal | None:
        return self.stated[0].amount_eur if self.stated else None


@dataclass
class YearFigure:
    year: int
    savings_expected_eur: Decimal  # the year's savings: the recurring level plus the year's one-offs
    cumulative_eur: Decimal
    source: str  # "stated" or "derived"
    one_off_eur: Decimal = money.ZERO  # of `savings_expected_eur`, one-off estimates counted in this year


@dataclass
class CostCategoryRow:
    category: str
    label: str
    bottom_up: money.RangeSum | None
    top_down: money.RangeSum | None

    @property
    def shown(self) -> money.RangeSum | None:
        return self.bottom_up if self.bottom_up is not None else self.top_down

    @property
    def source(self) -> str:
        return "bottom_up" if self.bottom_up is not None else "top_down"


@dataclass
class OrgUnitRow:
    org_unit: OrgUnit | None
    rollup: money.Rollup
    top_down: money.RangeSum | None = None

    @property
    def gap_to_top_down_eur(self) -> Decimal | None:
        """Savings the top-down target asks for beyond the bottom-up estimates (at its low end)."""
        if self.top_down is None:
            return None
        return money.gap(self.top_down.savings_low, self.rollup.expected)


@dataclass
class VersionSummary:
    version: ProgrammeVersion
    themes: list[ThemeFigures]
    total: money.Rollup
    contingency: dict[str, list[Measure]]
    by_year: list[YearFigure]
    by_cost_category: list[CostCategoryRow]
    by_org_unit: list[OrgUnitRow]
    warnings: list[str]
    stated_programme_totals: list[StatedTotal]

    @property
    def programme(self):
        return self.version.programme

    @property
    def target_eur(self) -> Decimal | None:
        return self.programme.target_eur

    @property
    def gap_eur(self) -> Decimal | None:
        """Expected savings still missing to reach the financial target."""
        if self.target_eur is None:
            return None
        return money.gap(self.target_eur, self.total.expected)

    @property
    def measure_count(self) -> int:
        return sum(t.measure_count for t in self.themes)

    @property
    def target_count(self) -> int:
        return sum(len(t.targets) for t in self.themes)


def _differs(stated: Decimal, rollup: money.Rollup) -> bool:
    """A stated total is consistent with a computed sum when it lies within its min…max."""
    low, high = rollup.minimum, rollup.maximum
    return money.stated_differs(stated, low) and money.stated_differs(stated, high) and not (low <= stated <= high)


def _computed_text(rollup: money.Rollup, lang: str) -> str:
    if rollup.minimum == rollup.maximum:
        return format_meur(rollup.expected, lang)
    return format_meur_range(rollup.minimum, rollup.maximum, lang)


def summarise(version: ProgrammeVersion) -> VersionSummary:
    lang = active_language()
    themes = list(Theme.objects.filter(version=version).order_by("order", "code"))
    targets = list(Target.objects.filter(version=version).select_related("org_unit").order_by("order", "code"))
    measures = list(Measure.objects.filter(version=version).select_related("org_unit").order_by("order", "code"))
    stated = list(StatedTotal.objects.filter(version=version).order_by("pk"))

    measures_by_target: dict[int, list[Measure]] = defaultdict(list)
    contingency: dict[str, list[Measure]] = {Basket.B: [], Basket.C: []}
    for measure in measures:
        if measure.basket == Basket.A and measure.target_id:
            measures_by_target[measure.target_id].append(measure)
        elif measure.basket in contingency:
            contingency[measure.basket].append(measure)

    targets_by_theme: dict[int, list[TargetFigures]] = defaultdict(list)
    for target in targets:
        own = measures_by_target.get(target.pk, [])
        figures = TargetFigures(target, own, money.covering_estimate(target.estimate, [m.estimate for m in own]))
        targets_by_theme[target.theme_id].append(figures)

    stated_by_theme: dict[int | None, list[StatedTotal]] = defaultdict(list)
    for row in stated:
        stated_by_theme[row.theme_id].append(row)

    warnings: list[str] = []
    total = money.Rollup()
    theme_rows: list[ThemeFigures] = []
    for theme in themes:
        rollup = money.Rollup()
        for figures in targets_by_theme.get(theme.pk, []):
            rollup.merge(figures.rollup)
        row = ThemeFigures(theme, targets_by_theme.get(theme.pk, []), rollup, stated_by_theme.get(theme.pk, []))
        name = translated(theme, "name", lang).text
        for stated_row in row.stated:
            if _differs(stated_row.amount_eur, rollup):
                message = _(
                    "Theme %(code)s %(name)s: the source states %(stated)s%(where)s, but its targets add up to "
                    "%(computed)s."
                ) % {
                    "code": theme.code, "name": name, "stated": format_meur(stated_row.amount_eur, lang),
                    "where": f" ({stated_row.source})" if stated_row.source else "",
                    "computed": _computed_text(rollup, lang),
                }
                row.warnings.append(message)
                warnings.append(message)
        for figures in row.targets:
            if figures.measures_with_own_estimate_ignored:
                warnings.append(
                    _("Target %(code)s has its own estimate and so do some of its measures; the target's "
                      "estimate is used and the measures' figures are not added again.") % {"code": figures.target.code}
                )
        total.merge(rollup)
        theme_rows.append(row)

    programme_stated = list(stated_by_theme.get(None, []))
    if version.stated_total_eur is not None and _differs(version.stated_total_eur, total):
        warnings.append(
            _("The source states a programme total of %(stated)s, but the themes add up to %(computed)s.")
            % {"stated": format_meur(version.stated_total_eur, lang), "computed": _computed_text(total, lang)}
        )
    for stated_row in programme_stated:
        if _differs(stated_row.amount_eur, total):
            warnings.append(
                _("The source states a programme total of %(stated)s%(where)s, but the themes add up to "
                  "%(computed)s.") % {
                    "stated": format_meur(stated_row.amount_eur, lang),
                    "where": f" ({stated_row.source})" if stated_row.source else "",
                    "computed": _computed_text(total, lang),
                }
            )

    by_year = _by_year(version, [f for row in theme_rows for f in row.targets])
    by_cost_category = _by_cost_category(version)
    by_org_unit = _by_org_unit(version, [f for row in theme_rows for f in row.targets])

    return VersionSummary(
        version=version, themes=theme_rows, total=total, contingency=contingency, by_year=by_year,
        by_cost_category=by_cost_category, by_org_unit=by_org_unit, warnings=warnings,
        stated_programme_totals=programme_stated,
    )


def _by_year(version: ProgrammeVersion, targets: list[TargetFigures]) -> list[YearFigure]:
    programme = version.programme
    stated = list(YearlyRampStep.objects.filter(version=version).order_by("year"))
    if stated:
        yearly = {step.year: step.savings_eur for step in stated}
        return [YearFigure(year, yearly[year], total, "stated") for year, total in money.cumulative(yearly).items()]
    first, last = version.first_effect_year, programme.period_end
    if last < first:
        return []
    yearly: dict[int, Decimal] = {year: money.ZERO for year in range(first, last + 1)}
    once: dict[int, Decimal] = {year: money.ZERO for year in range(first, last + 1)}
    for figures in targets:
        steps = HORIZON_YEARS[Horizon(figures.horizon)]
        one_off = figures.one_off_expected_eur
        for year, amount in money.linear_ramp(figures.rollup.expected - one_off, steps, first, last).items():
            yearly[year] += amount
        if one_off:
            once[first] += one_off  # a one-off counts once, whole, in the first year of savings
    rows = []
    total = {year: yearly[year] + once[year] for year in yearly}
    for year, cumulative in money.cumulative(total).items():
        rows.append(YearFigure(year, money.quantize_eur(total[year]), money.quantize_eur(cumulative), "derived",
                               money.quantize_eur(once[year])))
    return rows


def _by_cost_category(version: ProgrammeVersion) -> list[CostCategoryRow]:
    bottom: dict[str, money.RangeSum] = {}
    for effect in CostCategoryEffect.objects.filter(version=version):
        bottom[effect.category] = bottom.get(effect.category, money.RangeSum()) + money.normalised_range(
            effect.cost_change_min_eur, effect.cost_change_max_eur
        )
    top: dict[str, money.RangeSum] = {}
    rows_top = list(TopDownTarget.objects.filter(version=version, dimension=TopDownDimension.COST_CATEGORY))
    # Documents give the split for several periods (2023, 2024–2025, 2023–2025); the whole
    # programme period is the one to show, and summing the periods would count years twice.
    period = f"{version.programme.period_start}-{version.programme.period_end}"
    if any(row.years == period for row in rows_top):
        rows_top = [row for row in rows_top if row.years in (period, "")]
    for row in rows_top:
        top[row.category] = top.get(row.category, money.RangeSum()) + money.normalised_range(
            row.cost_change_min_eur, row.cost_change_max_eur
        )
    rows = []
    for value, label in CostCategory.choices:
        if value in bottom or value in top:
            rows.append(CostCategoryRow(value, str(label), bottom.get(value), top.get(value)))
    return rows


def _by_org_unit(version: ProgrammeVersion, targets: list[TargetFigures]) -> list[OrgUnitRow]:
    units = {u.pk: u for u in OrgUnit.objects.filter(organisation_id=version.programme.organisation_id)}

    def root(unit_id: int | None) -> int | None:
        node = units.get(unit_id) if unit_id else None
        while node is not None and node.parent_id:
            node = units[node.parent_id]
        return node.pk if node else None

    rows: dict[int | None, OrgUnitRow] = {}
    for figures in targets:
        unit_id = figures.target.org_unit_id
        if unit_id is None:
            ids = {m.org_unit_id for m in figures.measures if m.org_unit_id}
            unit_id = ids.pop() if len(ids) == 1 else None
        key = root(unit_id)
        rows.setdefault(key, OrgUnitRow(units.get(key) if key else None, money.Rollup())).rollup.merge(figures.rollup)
    for row in TopDownTarget.objects.filter(version=version, dimension=TopDownDimension.SERVICE_AREA):
        key = root(row.org_unit_id)
        entry = rows.setdefault(key, OrgUnitRow(units.get(key), money.Rollup()))
        addition = money.normalised_range(row.cost_change_min_eur, row.cost_change_max_eur)
        entry.top_down = addition if entry.top_down is None else entry.top_down + addition
    ordered = sorted(rows.values(), key=lambda r: (r.org_unit is None, r.org_unit.order if r.org_unit else 0,
                                                   r.org_unit.code if r.org_unit else ""))
    return ordered
