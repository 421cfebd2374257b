"""Writes to key results. Views, the API, the importer and the demo loader all call these.

Each function runs in a transaction, records its author in the history (`_history_user`) and
raises `ValidationError` with a message for the user when the input breaks a rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from karki.lib import dates

from .enums import Direction, TextLanguage
from .models import CheckIn, KeyResult, KeyResultMeasure, Objective


def _save(obj, by) -> None:
    obj._history_user = by
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()


def _check_unit(organisation, org_unit) -> None:
    if org_unit is None or org_unit.organisation_id != organisation.pk:
        raise ValidationError({"org_unit": _("Choose an org unit of this organisation.")})


@transaction.atomic
def create_objective(*, organisation, org_unit, title: str, by, language: str = TextLanguage.FI,
                     start_date: date | None = None, is_sample_data: bool = False) -> Objective:
    _check_unit(organisation, org_unit)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Write the objective.")})
    last = Objective.objects.filter(organisation=organisation, org_unit=org_unit).aggregate(m=Max("order"))["m"]
    objective = Objective(organisation=organisation, org_unit=org_unit, title=title, language=language,
                          start_date=start_date, order=(last or 0) + 1, is_sample_data=is_sample_data)
    _save(objective, by)
    return objective


@transaction.atomic
def update_objective(*, objective: Objective, org_unit, title: str, by, language: str | None = None,
                     start_date: date | None = None) -> Objective:
    _check_unit(objective.organisation, org_unit)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Write the objective.")})
    objective.org_unit = org_unit
    objective.title = title
    objective.language = language or objective.language
    objective.start_date = start_date
    _save(objective, by)
    return objective


def _check_key_result(kr: KeyResult) -> None:
    if not kr.text.strip():
        raise ValidationError({"text": _("Write the key result.")})
    if kr.direction not in Direction.values:
        raise ValidationError({"direction": _("Choose whether the value should go up or down.")})
    if kr.risk_threshold is not None and not 0 <= kr.risk_threshold <= 100:
        raise ValidationError({"risk_threshold": _("The threshold is a confidence between 0 and 100.")})
    if kr.deadline and kr.start_date and kr.deadline < kr.start_date:
        raise ValidationError({"deadline": _("The deadline cannot be before the start date.")})
    if kr.owner_id is not None and not kr.owner.memberships.filter(
            organisation_id=kr.objective.organisation_id).exists():
        raise ValidationError({"owner": _("The owner must be a Kärki user of this organisation.")})


@transaction.atomic
def create_key_result(*, objective: Objective, text: str, by, metric: str = "", unit: str = "",
                      baseline: Decimal | None = None, target: Decimal | None = None,
                      direction: str = Direction.UP, start_date: date | None = None, deadline: date | None = None,
                      owner=None, risk_threshold: int | None = None,
                      measures: Iterable[tuple[object, str]] = ()) -> KeyResult:
    last = KeyResult.objects.filter(objective=objective).aggregate(m=Max("order"))["m"]
    kr = KeyResult(objective=objective, text=(text or "").strip(), metric=metric.strip(), unit=unit.strip(),
                   baseline=baseline, target=target, direction=direction, start_date=start_date, deadline=deadline,
                   owner=owner, risk_threshold=risk_threshold, order=(last or 0) + 1)
    _check_key_result(kr)
    _save(kr, by)
    for programme, code in measures:
        link_measure(key_result=kr, programme=programme, measure_code=code, by=by)
    return kr


KEY_RESULT_FIELDS = ("text", "metric", "unit", "baseline", "target", "direction", "start_date", "deadline",
                     "owner", "risk_threshold")


@transaction.atomic
def update_key_result(*, key_result: KeyResult, by, **fields) -> KeyResult:
    unknown = set(fields) - set(KEY_RESULT_FIELDS)
    if unknown:
        raise TypeError(f"unknown key-result fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(key_result, name, value.strip() if isinstance(value, str) else value)
    _check_key_result(key_result)
    _save(key_result, by)
    return key_result


@transaction.atomic
def link_measure(*, key_result: KeyResult, programme, measure_code: str, by) -> KeyResultMeasure:
    from karki.programmes.models import Measure

    measure_code = (measure_code or "").strip()
    if programme.organisation_id != key_result.objective.organisation_id:
        raise ValidationError({"measures": _("Link only measures of this organisation's programmes.")})
    if not Measure.objects.filter(version__programme=programme, code=measure_code).exists():
        raise ValidationError({"measures": _("%(code)s is not a measure of this programme.") % {"code": measure_code}})
    link, _created = KeyResultMeasure.objects.get_or_create(key_result=key_result, programme=programme,
                                                            measure_code=measure_code)
    return link


@transaction.atomic
def check_in(*, key_result: KeyResult, by, on: date | None = None, value: Decimal | None = None,
             confidence: int | None = None, comment: str = "") -> CheckIn:
    """Record where a key result stands. Check-ins are never edited: the history is the list itself."""
    if value is None and confidence is None:
        raise ValidationError(_("Give the current value, the confidence or both."))
    if confidence is not None and not 0 <= confidence <= 100:
        raise ValidationError({"confidence": _("The confidence is a whole number from 0 to 100.")})
    on = on or dates.today()
    if on > dates.today():
        raise ValidationError({"date": _("A check-in cannot be dated in the future.")})
    entry = CheckIn(key_result=key_result, date=on, value=value, confidence=confidence,
                    comment=(comment or "").strip(), created_by=by if getattr(by, "pk", None) else None)
    _save(entry, by)
    return entry
