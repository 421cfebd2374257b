"""The arithmetic of savings estimates and their roll-ups. Decimal euros only, never float.

Every figure Kärki shows about savings goes through this module, so there is one definition of
what a range, an upper bound or an enabling measure adds to a sum.

Sign convention: an estimate is a *saving* (positive when costs fall). Cost-category effects and
top-down targets are *cost changes* (negative when costs fall), as the counties write them
("Henkilöstökulut +12…+16, Palvelujen ostot −28…−89").

How each kind contributes to a sum (min / expected / max):
- point:          amount / amount / amount
- range:          min / midpoint / max
- upper bound:    0 / bound / bound. The counties' own documents count "< 0,1 M€" at its bound
                  in their totals, so the expected figure does too; the item is counted as
                  uncertain and the minimum says it may be nothing.
- enabling:       0 / 0 / 0, counted (it makes other savings possible, it saves nothing itself)
- to be specified: 0 / 0 / 0, counted: the maximum of a sum with such items is a lower bound of
                  the truth, which `Rollup.open_ended` says.
- no estimate:    0 / 0 / 0, counted as missing.

An estimate on a productivity target covers the target's measures: when a target has one, the
measures' own estimates are detail inside it and are never added again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

ZERO = Decimal("0")
MILLION = Decimal("1000000")
LARGE_THRESHOLD = Decimal("1000000")  # large > 1 M€
SMALL_THRESHOLD = Decimal("200000")  # small < 0,2 M€; medium 0,2–1 M€


class EstimateKind(StrEnum):
    POINT = "point"
    RANGE = "range"
    UPPER_BOUND = "upper_bound"
    ENABLING = "enabling"
    TO_BE_SPECIFIED = "to_be_specified"


class PotentialClass(StrEnum):
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"


class EstimateError(ValueError):
    """An estimate whose figures do not fit its kind."""


def to_decimal(value: object) -> Decimal | None:
    """Decimal from a Decimal, int or string; None stays None. Floats are refused."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a string or Decimal")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise EstimateError(f"not a number: {value!r}") from exc


@dataclass(frozen=True)
class Estimate:
    kind: EstimateKind
    amount: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    def __post_init__(self) -> None:
        kind = EstimateKind(self.kind)
        object.__setattr__(self, "kind", kind)
        if kind in (EstimateKind.POINT, EstimateKind.UPPER_BOUND):
            if self.amount is None:
                raise EstimateError("amount_required")
            if self.amount < ZERO and kind == EstimateKind.UPPER_BOUND:
                raise EstimateError("upper_bound_negative")
        elif kind == EstimateKind.RANGE:
            if self.low is None or self.high is None:
                raise EstimateError("range_bounds_required")
            if self.low > self.high:
                raise EstimateError("range_min_above_max")

    @classmethod
    def point(cls, amount: object) -> Estimate:
        return cls(EstimateKind.POINT, amount=to_decimal(amount))

    @classmethod
    def range(cls, low: object, high: object) -> Estimate:
        return cls(EstimateKind.RANGE, low=to_decimal(low), high=to_decimal(high))

    @classmethod
    def upper_bound(cls, amount: object) -> Estimate:
        return cls(EstimateKind.UPPER_BOUND, amount=to_decimal(amount))

    @classmethod
    def enabling(cls) -> Estimate:
        return cls(EstimateKind.ENABLING)

    @classmethod
    def to_be_specified(cls) -> Estimate:
        return cls(EstimateKind.TO_BE_SPECIFIED)

    @property
    def minimum(self) -> Decimal:
        if self.kind == EstimateKind.POINT:
            return self.amount  # type: ignore[return-value]
        if self.kind == EstimateKind.RANGE:
            return self.low  # type: ignore[return-value]
        return ZERO

    @property
    def maximum(self) -> Decimal:
        if self.kind in (EstimateKind.POINT, EstimateKind.UPPER_BOUND):
            return self.amount  # type: ignore[return-value]
        if self.kind == EstimateKind.RANGE:
            return self.high  # type: ignore[return-value]
        return ZERO

    @property
    def expected(self) -> Decimal:
        if self.kind == EstimateKind.RANGE:
            return (self.low + self.high) / 2  # type: ignore[operator]
        return self.maximum

    @property
    def is_uncertain(self) -> bool:
        return self.kind != EstimateKind.POINT

    @property
    def potential_class(self) -> PotentialClass | None:
        """Large > 1 M€, medium 0,2–1 M€, small < 0,2 M€, from the expected figure.

        Enabling and to-be-specified estimates have no class. An upper bound below the small
        threshold is small whatever its bound.
        """
        if self.kind in (EstimateKind.ENABLING, EstimateKind.TO_BE_SPECIFIED):
            return None
        return potential_class_of(self.expected)


def potential_class_of(amount: Decimal) -> PotentialClass:
    if amount > LARGE_THRESHOLD:
        return PotentialClass.LARGE
    if amount < SMALL_THRESHOLD:
        return PotentialClass.SMALL
    return PotentialClass.MEDIUM


@dataclass
class Rollup:
    """A sum of estimates with its spread and what is uncertain in it."""

    minimum: Decimal = ZERO
    expected: Decimal = ZERO
    maximum: Decimal = ZERO
    counts: dict[str, int] = field(default_factory=dict)
    uncertain_expected: Decimal = ZERO  # the part of `expected` that rests on ranges and bounds
    items: int = 0

    def add(self, estimate: Estimate | None) -> None:
        self.items += 1
        key = "missing" if estimate is None else str(estimate.kind)
        self.counts[key] = self.counts.get(key, 0) + 1
        if estimate is None:
            return
        self.minimum += estimate.minimum
        self.expected += estimate.expected
        self.maximum += estimate.maximum
        if estimate.kind in (EstimateKind.RANGE, EstimateKind.UPPER_BOUND):
            self.uncertain_expected += estimate.expected

    def merge(self, other: Rollup) -> None:
        self.minimum += other.minimum
        self.expected += other.expected
        self.maximum += other.maximum
        self.uncertain_expected += other.uncertain_expected
        self.items += other.items
        for key, count in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + count

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    @property
    def uncertain_items(self) -> int:
        """Items whose contribution is not a known amount: ranges, bounds, open and enabling."""
        return sum(self.counts.get(k, 0) for k in ("range", "upper_bound", "to_be_specified", "enabling", "missing"))

    @property
    def open_ended(self) -> bool:
        """True when some items have no figure yet, so the maximum is not a real ceiling."""
        return bool(self.count("to_be_specified") or self.count("missing"))

    @property
    def certain_expected(self) -> Decimal:
        return self.expected - self.uncertain_expected


def rollup(estimates: Iterable[Estimate | None]) -> Rollup:
    result = Rollup()
    for estimate in estimates:
        result.add(estimate)
    return result


def covered_figures(
    target_estimate: Estimate | None, measure_estimates: Iterable[Estimate | None]
) -> list[tuple[int | None, Estimate]]:
    """Which figures count for one productivity target, as (index of the measure, estimate) pairs.

    When the target has an estimate it covers its measures: the only pair is (None, the target's
    estimate), and the measures' own figures are detail inside it. Otherwise the measures that have an
    estimate count, each with its index in `measure_estimates`; an empty list means nothing has a figure.
    The roll-up (`covering_estimate`) and the forecast (karki/forecasts) both read the rule from here.
    """
    if target_estimate is not None:
        return [(None, target_estimate)]
    return [(index, estimate) for index, estimate in enumerate(measure_estimates) if estimate is not None]


def covering_estimate(
    target_estimate: Estimate | None, measure_estimates: Iterable[Estimate | None]
) -> Rollup:
    """The roll-up of one productivity target: its own estimate covers its measures.

    When the target has an estimate, its measures' estimates are detail inside it and are not
    added; otherwise the measures that have estimates are summed (measures without one add
    nothing and are not counted as missing, since a target's figure may be given later).
    """
    figures = covered_figures(target_estimate, measure_estimates)
    result = rollup(estimate for _index, estimate in figures)
    if not figures:
        result.add(None)
    return result


@dataclass(frozen=True)
class RangeSum:
    """A sum of cost changes given as ranges (low ≤ high; negative = costs fall)."""

    low: Decimal = ZERO
    high: Decimal = ZERO

    def __add__(self, other: RangeSum) -> RangeSum:
        return RangeSum(self.low + other.low, self.high + other.high)

    @property
    def savings_low(self) -> Decimal:
        """The smaller saving implied by the range (savings are the negated cost change)."""
        return -self.high

    @property
    def savings_high(self) -> Decimal:
        return -self.low


def normalised_range(a: Decimal, b: Decimal) -> RangeSum:
    """Ranges are written either way round ("−28…−89"); store low ≤ high."""
    return RangeSum(min(a, b), max(a, b))


def gap(target: Decimal, achieved: Decimal) -> Decimal:
    """How much is still missing to reach `target` (0 when reached or exceeded)."""
    return max(target - achieved, ZERO)


def linear_ramp(full_effect: Decimal, years_to_full: int, first_year: int, last_year: int) -> dict[int, Decimal]:
    """Yearly savings building up linearly to the full effect over `years_to_full` years."""
    ramp: dict[int, Decimal] = {}
    steps = max(years_to_full, 1)
    for index, year in enumerate(range(first_year, last_year + 1), start=1):
        share = Decimal(min(index, steps)) / Decimal(steps)
        ramp[year] = full_effect * share
    return ramp


def cumulative(yearly: dict[int, Decimal]) -> dict[int, Decimal]:
    total = ZERO
    result: dict[int, Decimal] = {}
    for year in sorted(yearly):
        total += yearly[year]
        result[year] = total
    return result


def quantize_eur(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def stated_differs(stated: Decimal, computed: Decimal, tolerance: Decimal = Decimal("0.5")) -> bool:
    """Whether a stated total differs from the computed one.

    Documents state totals rounded to 0,1 M€; anything closer than `tolerance` euros is
    equal. The default is strict: a difference of 0,1 M€ is a warning.
    """
    return abs(stated - computed) > tolerance
