"""Is a key result at risk? Derived from its check-ins, never stored.

A key result is at risk on a day when
- its latest confidence estimate (0–100) is below its threshold (`KeyResult.threshold`,
  by default `settings.OKR_AT_RISK_CONFIDENCE`), or
- its latest value is behind the expected path: the straight line from the baseline at the
  start (the key result's start date, else the objective's, else the first check-in) to the
  target at the deadline, read at the date of that value and respecting the direction.
Without a target, a deadline or a starting value there is no path, and only confidence counts.
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
    with_confidence = [c for c in history if c.confidence is not None]
    if with_confidence:
        status.confidence = with_confidence[-1].confidence
        if status.confidence < key_result.threshold:
            status.reasons.append(RiskReason.LOW_CONFIDENCE)
    with_value = [c for c in history if c.value is not None]
    if with_value:
        latest = with_value[-1]
        status.value, status.value_date = latest.value, latest.date
        start = key_result.start_date or key_result.objective.start_date or with_value[0].date
        start_value = key_result.baseline if key_result.baseline is not None else with_value[0].value
        status.expected = expected_value(key_result, start=start, start_value=start_value, on=latest.date)
        if status.expected is not None:
            behind = (latest.value < status.expected if key_result.direction == Direction.UP
                      else latest.value > status.expected)
            if behind:
                status.reasons.append(RiskReason.BEHIND_PATH)
    return status


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
