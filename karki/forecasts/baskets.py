"""The gap to the target at a chosen certainty, the prepared basket B and C measures that would close it
in the order management prefers, and management's decisions on the baskets.

A basket measure counts as if activated in the month after the forecast's period: its own estimate,
drawn like any other (uniform between its minimum and maximum), ramping up over its horizon from that
month, with the chance of a measure that has no report yet (or the chance its own reports give, if it
is already being run). Adding measures one by one in the order of preference, the plan shows the
target year's savings reached with the chosen certainty after each, and where the gap closes.

`basket_decisions(programme, until=None)` is the plain list the council report reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from karki.lib import dates
from karki.programmes.enums import HORIZON_YEARS, Horizon, Recurrence
from karki.programmes.models import Measure

from . import engine
from .enums import BasketDecisionKind, ContingencyBasket
from .forecast import Forecast, eur
from .inputs import PartInfo, chance_of, ramp_share
from .models import BasketDecision

ZERO = Decimal("0")


@dataclass
class BasketOption:
    measure: Measure
    expected_eur: Decimal  # the measure's expected savings in the target year, if activated now
    level_eur: Decimal | None = None  # target year's savings at the certainty with it and those before it
    gap_eur: Decimal | None = None  # what is still missing then
    closes_gap: bool = False  # this is the measure with which the gap closes
    countable: bool = True  # False: no estimate yet, or a one-off one, so it cannot close the yearly gap
    one_off: bool = False  # its estimate is one-off: it helps a year's result, never the yearly level
    chance: float = 0.0
    activation_share: float = 0.0  # of its full effect reached in the target year


@dataclass
class BasketPlan:
    certainty: int
    level_eur: Decimal  # without baskets
    gap_eur: Decimal | None
    target_eur: Decimal | None
    target_year: int
    activation: tuple[int, int]  # (year, month) from which the measures would count
    options: list[BasketOption] = field(default_factory=list)

    @property
    def measures_needed(self) -> list[BasketOption]:
        """The options, in order, up to the one that closes the gap (empty when there is no gap)."""
        if not self.gap_eur:
            return []
        for index, option in enumerate(self.options):
            if option.closes_gap:
                return self.options[:index + 1]
        return []

    @property
    def gap_closes(self) -> bool:
        return not self.gap_eur or bool(self.measures_needed)

    @property
    def remaining_gap_eur(self) -> Decimal | None:
        """What is missing even with every prepared measure."""
        countable = [o for o in self.options if o.gap_eur is not None]
        if self.gap_eur is None:
            return None
        return countable[-1].gap_eur if countable else self.gap_eur


def activated(version, decisions=None, measures=None) -> dict[str, BasketDecision]:
    """Measures of the version that management has activated: code → the decision that activated it. Decisions
    are read oldest first: an activation adds the measures it names (naming none, the whole basket); a decision
    not to activate takes back those it names (naming none, the whole basket). Activated measures are not
    offered again. `decisions` and `measures` (the version's B and C measures) save queries when known."""
    decisions = decisions if decisions is not None else basket_decisions(version.programme)
    if not decisions:
        return {}
    measures = measures if measures is not None else contingency_measures(version)
    by_basket: dict[str, list[Measure]] = {}
    for measure in measures:
        by_basket.setdefault(measure.basket, []).append(measure)
    found: dict[str, BasketDecision] = {}
    for decision in decisions:
        named = set(decision.measure_code_list)
        concerned = [m.code for m in by_basket.get(decision.basket, []) if not named or m.code in named]
        for code in concerned:
            if decision.decision == BasketDecisionKind.ACTIVATE:
                found[code] = decision
            else:
                found.pop(code, None)
    return found


def contingency_measures(version) -> list[Measure]:
    """Basket B and C measures of the version in management's order of preference (unranked last)."""
    measures = Measure.objects.filter(version=version, basket__in=ContingencyBasket.values)
    return sorted(measures, key=lambda m: (m.contingency_rank is None, m.contingency_rank or 0, m.basket, m.order,
                                           m.code))


@dataclass
class Contingency:
    """The version's basket B and C measures against management's decisions: all that were prepared, those
    already activated (code → the activating decision), and those still offered."""

    prepared: list[Measure]
    done: dict[str, BasketDecision]
    offered: list[Measure]


def contingency(version, decisions) -> Contingency:
    """What the baskets page, its decision form and the reports offer: prepared measures not yet activated."""
    prepared = contingency_measures(version)
    done = activated(version, decisions, prepared)
    return Contingency(prepared, done, [m for m in prepared if m.code not in done])


def _activation(forecast: Forecast) -> tuple[int, int]:
    if forecast.period is not None:
        year, month = forecast.period.year, forecast.period.month
    else:
        today = dates.today()
        year, month = today.year, today.month
    return (year + 1, 1) if month == 12 else (year, month + 1)


def basket_plan(forecast: Forecast, *, certainty: int, measures: list[Measure] | None = None) -> BasketPlan:
    inputs = forecast.inputs
    version = forecast.version
    target_year = forecast.target_year
    year, month = _activation(forecast)
    start_months = version.first_effect_year * 12
    shift = max(year * 12 + month - 1 - start_months, 0)
    level = forecast.level_at(certainty)
    plan = BasketPlan(certainty=certainty, level_eur=level, gap_eur=forecast.gap_at(certainty),
                      target_eur=forecast.target_eur, target_year=target_year, activation=(year, month))
    items, parts = [], []
    for measure in measures if measures is not None else contingency_measures(version):
        option = BasketOption(measure=measure, expected_eur=ZERO)
        plan.options.append(option)
        if measure.estimate is None or measure.estimate_recurrence == Recurrence.ONE_OFF:
            option.countable = False
            option.one_off = measure.estimate is not None
            continue
        part = PartInfo(measure.code, measure, None, measure.horizon or Horizon.MEDIUM,
                        status=inputs.monitoring.latest.get(measure.code))
        option.chance, _source = chance_of(part, inputs.monitoring)
        steps = HORIZON_YEARS[Horizon(part.horizon)]
        knots = ([float(version.first_effect_year - 1), float(version.first_effect_year - 1 + steps)], [0.0, 1.0])
        option.activation_share = ramp_share(knots, target_year, shift)
        items.append(engine.Item(measure.code, float(measure.estimate.minimum), float(measure.estimate.maximum)))
        weights = tuple(option.activation_share if y == target_year else 0.0 for y in inputs.years)
        parts.append(engine.Part(measure.code, len(items) - 1, weights, chance=option.chance))
        option.expected_eur = eur(items[-1].mean * option.chance * option.activation_share)
    if not parts or plan.gap_eur is None:
        return plan
    model = engine.Model(tuple(inputs.years), items, parts)
    added = engine.simulate_parts(model, draws=forecast.draws, seed=forecast.seed,
                                  year_index=inputs.target_year_index)
    totals = forecast.target_year_savings[:, None] + np.cumsum(added, axis=1)
    levels = np.quantile(totals, 1 - certainty / 100, axis=0)
    closed = not plan.gap_eur
    countable = [o for o in plan.options if o.countable]
    for option, value in zip(countable, levels, strict=True):
        option.level_eur = eur(float(value))
        option.gap_eur = max(forecast.target_eur - option.level_eur, ZERO)
        if not closed and option.gap_eur == 0:
            option.closes_gap = closed = True
    return plan


def basket_decisions(programme, until=None) -> list[BasketDecision]:
    """Management's decisions on baskets B and C, oldest first, up to and including the day `until`
    (a date; None: all). Each has `basket`, `decision` (`get_decision_display()`), `decided_on`,
    `reasoning` (in `language`), `measure_code_list`, what the forecast said then (`certainty`,
    `gap_eur`, `probability_pct`) and who recorded it when (`recorded_by`, `recorded_at`)."""
    return list(BasketDecision.objects.for_programme(programme).until(until).in_order()
                .select_related("recorded_by"))


def latest_decisions(programme, decisions: list[BasketDecision] | None = None) -> dict[str, BasketDecision]:
    """The decision in force for each basket: the latest one."""
    found: dict[str, BasketDecision] = {}
    for decision in decisions if decisions is not None else basket_decisions(programme):
        found[decision.basket] = decision
    return found
