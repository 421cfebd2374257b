"""Will we reach the target? The forecast of a programme version in a reporting period, in figures a
page, the API and the status picture show.

Reaching the target (docs/decisions.md, "Forecast"): the programme's target (`Programme.target_eur`,
`target_year`) is a yearly level, as both demo counties write it: Itä-Uusimaa 27,6 M€ a year by 2026
(its ramp 7,2 → 17,5 → 27,6 M€, 52 M€ over three years), Kymenlaakso 78 M€ by 2025 measured as the
costs of 2025 against the original budget of 2023. The target is reached when the savings *in the
target year* (realised where reported, forecast for the rest) are at least the target. The cumulative
figures are the running sum of the yearly ones, as in the status picture's cumulative chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from karki.monitoring.models import Period
from karki.programmes.enums import Recurrence

from . import assumptions, engine
from .inputs import Change, Inputs, ItemInfo, build

ZERO = Decimal("0")
PERCENTILES = (0.1, 0.5, 0.9)


def eur(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


@dataclass
class Band:
    year: int
    p10_eur: Decimal
    p50_eur: Decimal
    p90_eur: Decimal
    planned_eur: Decimal | None = None  # the version's plan (programmes.summary), yearly or cumulative
    realised_eur: Decimal = ZERO  # known so far (as counted: verified, waiting claims × the rate)
    probability: float | None = None  # of reaching the target's level (yearly) or covering the deficit (cumulative)
    one_off_eur: Decimal = ZERO  # yearly bands: the expected one-off savings of the year, beside the level
    realised_one_off_eur: Decimal = ZERO  # yearly bands: of `realised_eur`, one-off


@dataclass
class Contributor:
    item: ItemInfo
    share_pct: Decimal  # of the variance of the target year's savings

    @property
    def code(self) -> str:
        return self.item.code


@dataclass
class Forecast:
    version: object
    period: Period | None
    draws: int
    seed: int
    target_eur: Decimal | None
    target_year: int
    by_year: list[Band]
    cumulative: list[Band]
    probability: float | None
    top_uncertainty: list[Contributor]
    inputs: Inputs
    target_year_savings: np.ndarray = field(repr=False)  # one figure per draw
    mc_error_eur: Decimal = ZERO  # 95 % Monte Carlo error of the target year's percentiles
    mc_error_pp: Decimal = ZERO  # 95 % Monte Carlo error of the probability, percentage points
    changes: list[Change] = field(default_factory=list)
    deficit_eur: Decimal | None = None
    deficit_year: int | None = None
    deficit_probability: float | None = None  # of covering the deficit by its year

    @property
    def programme(self):
        return self.version.programme

    @property
    def verification_rate(self):
        """The share of decided claims finance verified: waiting claims count times it (`monitoring.recurrence`)."""
        return self.inputs.monitoring.saved.rate

    @property
    def run_rate_eur(self) -> Decimal:
        """Recurring savings a year the measures have reached, as counted: the floor carried into later years."""
        return self.inputs.monitoring.saved.run_rate_counted_eur

    @property
    def run_rate_claimed_eur(self) -> Decimal:
        """The same run-rate as the owners claimed it (the status picture's figure)."""
        return self.inputs.monitoring.saved.run_rate_claimed_eur

    @property
    def deficit_band(self) -> Band | None:
        return next((band for band in self.cumulative if band.year == self.deficit_year), None)

    @property
    def deficit_gap_eur(self) -> Decimal | None:
        """What the P50 of the years' savings, added up to the deficit's year, leaves uncovered."""
        band = self.deficit_band
        return None if band is None or self.deficit_eur is None else max(self.deficit_eur - band.p50_eur, ZERO)

    @property
    def deficit_probability_pct(self) -> Decimal | None:
        return None if self.deficit_probability is None else Decimal(f"{self.deficit_probability * 100:.1f}")

    @property
    def has_one_offs(self) -> bool:
        return any(band.one_off_eur or band.realised_one_off_eur for band in self.by_year)

    @property
    def probability_pct(self) -> Decimal | None:
        return None if self.probability is None else Decimal(f"{self.probability * 100:.1f}")

    @property
    def target_band(self) -> Band:
        return next(band for band in self.by_year if band.year == self.target_year)

    def level_at(self, certainty: int) -> Decimal:
        """The target year's savings reached with `certainty` % probability (its (100 − c)th percentile)."""
        return eur(float(np.quantile(self.target_year_savings, 1 - certainty / 100)))

    def gap_at(self, certainty: int) -> Decimal | None:
        if self.target_eur is None:
            return None
        return max(self.target_eur - self.level_at(certainty), ZERO)

    @property
    def first_year_reached(self) -> int | None:
        """The first year whose savings reach the target's level with at least even odds."""
        return self.first_year_at(50)

    def first_year_at(self, certainty: int) -> int | None:
        """By when: the first year whose savings reach the target's level with at least `certainty` %
        probability (50: the P50 reaches it; 80: the P20 does, so four times out of five), or None when
        no year of the programme does."""
        for band in self.by_year:
            if band.probability is not None and band.probability >= certainty / 100:
                return band.year
        return None

    @property
    def first_year_p80(self) -> int | None:
        return self.first_year_at(80)

    @property
    def counts(self) -> dict[str, int]:
        """What the forecast could not count, and where the chances came from."""
        total = self.inputs.summary.total
        parts = self.inputs.parts
        return {
            "enabling": total.count("enabling"), "to_be_specified": total.count("to_be_specified"),
            "missing": sum(1 for p in parts if p.item_key is None),
            "cancelled": sum(1 for p in parts if p.chance_source == "cancelled"),
            "dropped": sum(1 for p in parts if p.chance_source == "dropped"),
            "owner": sum(1 for p in parts if p.chance_source == "owner"),
            "key_results": sum(1 for p in parts if p.chance_source == "key_results"),
            "status": sum(1 for p in parts if p.chance_source == "status"),
            "no_report": sum(1 for p in parts if p.chance_source == "no_report"),
            "revised": sum(1 for i in self.inputs.items if i.source == "revised"),
            "items": len(self.inputs.items),
        }


def _bands(totals: np.ndarray, years: list[int]) -> list[tuple[int, Decimal, Decimal, Decimal]]:
    quantiles = np.quantile(totals, PERCENTILES, axis=0)
    return [(year, eur(quantiles[0, i]), eur(quantiles[1, i]), eur(quantiles[2, i])) for i, year in enumerate(years)]


def run(version, *, period: Period | None = None, draws: int = assumptions.DEFAULT_DRAWS,
        seed: int = assumptions.DEFAULT_SEED, changes=(), summary=None, monitoring=None) -> Forecast:
    """The forecast of `version` as known at the end of `period` (None: without monitoring)."""
    changes = list(changes)
    inputs = build(version, period=period, changes=changes, summary=summary, monitoring=monitoring)
    years = inputs.years
    columns = engine.simulate(inputs.model, draws=draws, seed=seed)
    n = len(years)
    totals, one_offs = columns[:, :n], columns[:, n:]  # the yearly level (recurring), the years' one-offs
    cumulative = np.cumsum(totals + one_offs, axis=1)  # results, recurring and one-off, added up
    programme = version.programme
    target = programme.target_eur
    # Half a cent of slack: a sum of floats that is exactly the target on paper must count as reaching it.
    reached = (totals >= float(target) - 0.005) if target is not None else None
    deficit, deficit_year = programme.deficit_eur, programme.deficit_year
    if deficit_year not in years:
        deficit = deficit_year = None
    covered = (cumulative >= float(deficit) - 0.005) if deficit is not None else None

    # The plan's yearly level (its one-offs beside it), and the plan's running sum of both.
    planned = {row.year: row.savings_expected_eur - row.one_off_eur for row in inputs.summary.by_year}
    planned_cumulative = {row.year: row.cumulative_eur for row in inputs.summary.by_year}
    saved = inputs.monitoring.saved
    by_year, running = [], ZERO
    cumulative_bands = []
    cumulative_quantiles = _bands(cumulative, years)
    expected_one_offs = one_offs.mean(axis=0)
    for index, (year, p10, p50, p90) in enumerate(_bands(totals, years)):
        level = saved.year(Recurrence.RECURRING, year, counted=True)
        one_off = saved.year(Recurrence.ONE_OFF, year, counted=True)
        running += level + one_off
        by_year.append(Band(year, p10, p50, p90, planned.get(year), level,
                            float(reached[:, index].mean()) if reached is not None else None,
                            one_off_eur=eur(float(expected_one_offs[index])), realised_one_off_eur=one_off))
        _y, c10, c50, c90 = cumulative_quantiles[index]
        cumulative_bands.append(Band(year, c10, c50, c90, planned_cumulative.get(year), running,
                                     float(covered[:, index].mean()) if covered is not None else None))

    index = inputs.target_year_index
    sample = totals[:, index]
    probability = float(reached[:, index].mean()) if reached is not None else None
    total_variance = sum(item.variance for item in inputs.items)
    ranked = sorted((item for item in inputs.items if item.variance > 0), key=lambda i: (-i.variance, i.code))
    top = [Contributor(item, Decimal(f"{item.variance / total_variance * 100:.1f}"))
           for item in ranked[:assumptions.TOP_UNCERTAINTY]]
    mc_eur = max(engine.quantile_error(sample, q) for q in PERCENTILES)
    mc_pp = engine.probability_error(probability, draws) * 100 if probability is not None else 0.0
    return Forecast(
        version=version, period=period, draws=draws, seed=seed, target_eur=target, target_year=inputs.target_year,
        by_year=by_year, cumulative=cumulative_bands, probability=probability, top_uncertainty=top, inputs=inputs,
        target_year_savings=sample, mc_error_eur=eur(mc_eur), mc_error_pp=Decimal(f"{mc_pp:.1f}"), changes=changes,
        deficit_eur=deficit, deficit_year=deficit_year,
        deficit_probability=(float(covered[:, years.index(deficit_year)].mean()) if covered is not None else None),
    )
