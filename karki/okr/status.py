"""Is a key result at risk? Derived from its check-ins, never stored.

A key result is at risk on a day when
- its latest confidence estimate (0–100) is below its threshold (`KeyResult.threshold`,
  by default `settings.OKR_AT_RISK_CONFIDENCE`), or
- its latest value is behind the expected path: the straight line from the baseline at the
  start (the key result's start date, else the objective's, else the first check-in) to the
  target at the deadline, read at the date of that value and respecting the direction.
- without a baseline there is no path to draw (the first check-in is not a baseline: it may already
  miss the target), so its latest value is at risk when it misses the target itself.
Without a target or a deadline there is no path, and only confidence counts.

Which confidence counts: the latest one not marked as wrong, unless a later check-in gives a value
without a confidence: that check-in says where the key result stands now and supersedes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from karki.lib import dates

from .enums import Direction, RiskReason
from .models import CheckIn, KeyResult


@dataclass
class KeyResultStatus:
    key_result: KeyResult
    latest: CheckIn | None = None  # the newest check-in up to the day
    value: Decimal | None = None
    value_date: date | None = None
    confidence: int | None = None
    expected: Decimal | None = None  # on the path at value_date
    reasons: list[str] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)

    @property
    def reason_labels(self) -> list[str]:
        return [str(RiskReason(reason).label) for reason in self.reasons]


def expected_value(key_result: KeyResult, *, start: date, start_value: Decimal, on: date) -> Decimal | None:
    if key_result.target is None or key_result.deadline is None:
        return None
    if on >= key_result.deadline or key_result.deadline <= start:
        return key_result.target
    if on <= start:
        return start_value
    share = Decimal((on - start).days) / Decimal((key_result.deadline - start).days)
    return start_value + (key_result.target - start_value) * share


def assess(key_result: KeyResult, *, on: date | None = None, check_ins: list[CheckIn] | None = None) -> KeyResultStatus:
    on = on or dates.today()
    if check_ins is None:
        check_ins = list(key_result.check_ins.all())
    history = sorted((c for c in check_ins if c.date <= on), key=lambda c: (c.date, c.created_at, c.pk or 0))
    status = KeyResultStatus(key_result)
    if not history:
        return status
    status.latest = history[-1]
    informative = [c for c in history if c.confidence_used or c.value is not None]
    if informative and informative[-1].confidence_used:
        status.confidence = informative[-1].confidence
        if status.confidence < key_result.threshold:
            status.reasons.append(RiskReason.LOW_CONFIDENCE)
    with_value = [c for c in history if c.value is not None]
    if with_value:
        latest = with_value[-1]
        status.value, status.value_date = latest.value, latest.date
        if key_result.baseline is None:
            if key_result.target is not None and _misses(key_result, latest.value, key_result.target):
                status.reasons.append(RiskReason.OFF_TARGET)
            return status
        start = (key_result.start_date or key_result.objective.start_date
                 or (date(key_result.baseline_year, 12, 31) if key_result.baseline_year else None)
                 or with_value[0].date)
        status.expected = expected_value(key_result, start=start, start_value=key_result.baseline, on=latest.date)
        if status.expected is not None and _misses(key_result, latest.value, status.expected):
            status.reasons.append(RiskReason.BEHIND_PATH)
    return status


def _misses(key_result: KeyResult, value: Decimal, expected: Decimal) -> bool:
    return value < expected if key_result.direction == Direction.UP else value > expected


def statuses(key_results, *, on: date | None = None) -> dict[int, KeyResultStatus]:
    """Status of each key result, with their check-ins read in one query."""
    key_results = list(key_results)
    by_kr: dict[int, list[CheckIn]] = {kr.pk: [] for kr in key_results}
    for entry in CheckIn.objects.filter(key_result__in=[kr.pk for kr in key_results]):
        by_kr[entry.key_result_id].append(entry)
    return {kr.pk: assess(kr, on=on, check_ins=by_kr[kr.pk]) for kr in key_results}


def key_results_at_risk(organisation, *, on: date | None = None) -> list[KeyResult]:
    """The organisation's key results that are at risk on the day (today by default), in the order
    of the objectives; each carries its status as `kr.status`. The status picture calls this."""
    key_results = list(KeyResult.objects.for_organisation(organisation))
    found = statuses(key_results, on=on)
    at_risk = []
    for kr in key_results:
        kr.status = found[kr.pk]
        if kr.status.at_risk:
            at_risk.append(kr)
    return at_risk
