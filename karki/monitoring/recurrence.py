"""Realised savings as the forecast and the status picture count them: recurring or one-off, claimed or
verified, and the recurring run-rate that carries into the months after a period.

- A month's realised saving is the saving *in that month*. A recurring one (the cost level fell) goes on
  in the months after; a one-off counts in its own month only.
- The **run-rate** of a measure is its recurring savings a year at the end of a period: the mean of its
  recurring savings in its last three reported months (within the twelve months up to the period; a
  report without savings is a month of zero), times twelve. That is what carries into the months not yet
  reported and into the years after (the forecast, the status picture).
- **Counted** amounts (the forecast's facts): what finance verified where it has decided (a verified
  claim, an adjusted amount, zero for a rejected one), and a claim still waiting times the verification
  rate seen so far — the share of the decided claims' amount that finance verified (1 while finance has
  decided on nothing). The status picture shows claimed and verified side by side instead.

A fixed number of queries whatever the number of measures or months.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from karki.lib.money import quantize_eur
from karki.programmes.enums import Recurrence

from .enums import RECEIVED_STATES, Verification
from .models import Period, RealisedSaving, StatusReport

ZERO = Decimal("0")
RUN_RATE_MONTHS = 3  # the last reported months whose mean recurring savings carry on
RUN_RATE_WINDOW = 12  # months before the period (itself included) in which those months are looked for


@dataclass(frozen=True)
class Rate:
    """The share of the decided claims' amount that finance verified, up to a period."""

    decided_claimed_eur: Decimal = ZERO
    verified_eur: Decimal = ZERO

    @property
    def value(self) -> Decimal:
        """1 while finance has decided on nothing (claims count as they are), never below 0."""
        if self.decided_claimed_eur <= 0:
            return Decimal(1)
        return max(self.verified_eur / self.decided_claimed_eur, ZERO)

    @property
    def known(self) -> bool:
        return self.decided_claimed_eur > 0

    @property
    def pct(self) -> Decimal:
        return self.value * 100


def _counted(verification: str, claimed: Decimal, verified: Decimal | None, rate: Decimal) -> Decimal:
    if verification == Verification.CLAIMED:
        return claimed * rate
    return verified or ZERO


@dataclass
class Realised:
    """Realised savings up to a period, by year and kind, and the measures' recurring run-rates."""

    rate: Rate = field(default_factory=Rate)
    claimed: dict[str, dict[int, Decimal]] = field(default_factory=dict)  # recurrence → year → claimed
    counted: dict[str, dict[int, Decimal]] = field(default_factory=dict)  # recurrence → year → counted
    run_rate_claimed: dict[str, Decimal] = field(default_factory=dict)  # measure code → euros a year
    run_rate_verified: dict[str, Decimal] = field(default_factory=dict)  # decided claims as verified, waiting as 0
    run_rate_counted: dict[str, Decimal] = field(default_factory=dict)

    def year(self, recurrence: str, year: int, *, counted: bool = False) -> Decimal:
        return (self.counted if counted else self.claimed).get(recurrence, {}).get(year, ZERO)

    def total(self, year: int, *, counted: bool = False) -> Decimal:
        return sum((self.year(r, year, counted=counted) for r in Recurrence.values), ZERO)

    @staticmethod
    def _sum(rates: dict[str, Decimal]) -> Decimal:
        return sum(rates.values(), ZERO)

    @property
    def run_rate_claimed_eur(self) -> Decimal:
        return self._sum(self.run_rate_claimed)

    @property
    def run_rate_verified_eur(self) -> Decimal:
        return self._sum(self.run_rate_verified)

    @property
    def run_rate_counted_eur(self) -> Decimal:
        return self._sum(self.run_rate_counted)


def window(period: Period, prefix: str = "period__") -> Q:
    """The `RUN_RATE_WINDOW` months up to `period` (itself included), as a filter through `prefix`."""
    first_year, first_month = divmod(period.year * 12 + period.month - 1 - (RUN_RATE_WINDOW - 1), 12)
    return (Q(**{f"{prefix}year__gt": first_year})
            | Q(**{f"{prefix}year": first_year, f"{prefix}month__gte": first_month + 1}))


def _received_up_to(period: Period):
    return RealisedSaving.objects.received().filter(report__period__in=Period.objects.up_to(period))


def realised(period: Period | None) -> Realised:
    """Everything realised up to `period` (None: nothing): three queries."""
    found = Realised()
    if period is None:
        return found
    rows = list(_received_up_to(period)
                .values_list("recurrence", "report__period__year", "verification")
                .annotate(claimed=Sum("amount_eur"), verified=Sum("verified_amount_eur")).order_by())
    decided = [(amount, verified) for _r, _y, verification, amount, verified in rows
               if verification != Verification.CLAIMED]
    found.rate = rate = Rate(sum((amount for amount, _v in decided), ZERO),
                             sum((verified or ZERO for _a, verified in decided), ZERO))
    claimed: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    counted: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for recurrence, year, verification, amount, verified in rows:
        claimed[recurrence][year] += amount
        counted[recurrence][year] += _counted(verification, amount, verified, rate.value)
    found.claimed = {key: dict(value) for key, value in claimed.items()}
    found.counted = {key: {year: quantize_eur(amount) for year, amount in value.items()}
                     for key, value in counted.items()}

    # Each measure's last reported months in the window, newest first.
    recent = (StatusReport.objects.filter(period__in=Period.objects.up_to(period), state__in=RECEIVED_STATES)
              .filter(window(period)).values_list("measure_code", "period__year", "period__month"))
    months: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for code, year, month in recent:
        months[code].append((year, month))
    last = {code: set(sorted(found_months, reverse=True)[:RUN_RATE_MONTHS]) for code, found_months in months.items()}
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])  # claimed, verified, counted
    for code, year, month, verification, amount, verified in (
            _received_up_to(period).filter(window(period, "report__period__"), recurrence=Recurrence.RECURRING)
            .values_list("report__measure_code", "report__period__year", "report__period__month", "verification")
            .annotate(claimed=Sum("amount_eur"), verified=Sum("verified_amount_eur")).order_by()):
        if (year, month) not in last.get(code, ()):
            continue
        total = sums[code]
        total[0] += amount
        total[1] += ZERO if verification == Verification.CLAIMED else (verified or ZERO)
        total[2] += _counted(verification, amount, verified, rate.value)
    for code, (amount, verified, counted_amount) in sums.items():
        n = len(last[code])
        if amount or counted_amount:
            found.run_rate_claimed[code] = quantize_eur(amount / n * 12)
            found.run_rate_verified[code] = quantize_eur(verified / n * 12)
            found.run_rate_counted[code] = quantize_eur(counted_amount / n * 12)
    return found
