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

from karki.audit.recording import delete_with_history
from karki.core.conflicts import check_revision
from karki.lib import dates

from .enums import Direction, TextLanguage
from .models import CheckIn, KeyResult, KeyResultMeasure, Objective


def _save(obj, by) -> None:
    if obj.pk is not None and hasattr(obj, "revision"):
        obj.revision = (obj.revision or 0) + 1
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
                     start_date: date | None = None, expected_revision: int | None = None) -> Objective:
    """`expected_revision` is the revision the form was opened on: if someone saved the objective
    since, nothing is saved and `StaleEdit` tells what changed."""
    check_revision(objective, expected_revision)
    objective.refresh_from_db(fields=["revision"])
    _check_unit(objective.organisation, org_unit)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Write the objective.")})
    if language is not None and language not in TextLanguage.values:
        raise ValidationError({"language": _("Choose the language of the text.")})
    objective.org_unit = org_unit
    objective.title = title
    objective.language = language or objective.language
    objective.start_date = start_date
    _save(objective, by)
    return objective


@transaction.atomic
def delete_objective(*, objective: Objective, by, expected_revision: int | None = None) -> None:
    """Remove an objective with its key results and their check-ins (kept in the history)."""
    check_revision(objective, expected_revision)
    delete_with_history(objective, by)


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
                      owner=None, risk_threshold: int | None = None, target_low: Decimal | None = None,
                      target_high: Decimal | None = None, baseline_year: int | None = None,
                      measures: Iterable[tuple[object, str]] = ()) -> KeyResult:
    last = KeyResult.objects.filter(objective=objective).aggregate(m=Max("order"))["m"]
    kr = KeyResult(objective=objective, text=(text or "").strip(), metric=metric.strip(), unit=unit.strip(),
                   baseline=baseline, target=target, direction=direction, start_date=start_date, deadline=deadline,
                   owner=owner, risk_threshold=risk_threshold, order=(last or 0) + 1, target_low=target_low,
                   target_high=target_high, baseline_year=baseline_year)
    _check_key_result(kr)
    _save(kr, by)
    measures = list(measures)
    if measures:
        set_measure_links(key_result=kr, measures=measures, by=by)
    return kr


KEY_RESULT_FIELDS = ("objective", "text", "metric", "unit", "baseline", "target", "direction", "start_date",
                     "deadline", "owner", "risk_threshold", "target_low", "target_high", "baseline_year")


@transaction.atomic
def update_key_result(*, key_result: KeyResult, by, expected_revision: int | None = None,
                      measures: Iterable[tuple[object, str]] | None = None, **fields) -> KeyResult:
    """Change a key result; `measures` (when given) is the whole set of linked measures as
    (programme, measure code). A save based on an older revision than the stored one is refused with
    `StaleEdit`; nothing is saved."""
    unknown = set(fields) - set(KEY_RESULT_FIELDS)
    if unknown:
        raise TypeError(f"unknown key-result fields: {sorted(unknown)}")
    check_revision(key_result, expected_revision)
    key_result.refresh_from_db(fields=["revision"])
    objective = fields.get("objective")
    if objective is not None and objective.pk != key_result.objective_id:
        if objective.organisation_id != key_result.objective.organisation_id:
            raise ValidationError({"objective": _("Choose an objective of this organisation.")})
        last = KeyResult.objects.filter(objective=objective).aggregate(m=Max("order"))["m"]
        key_result.order = (last or 0) + 1  # moved to another objective: last there
    for name, value in fields.items():
        setattr(key_result, name, value.strip() if isinstance(value, str) else value)
    _check_key_result(key_result)
    _save(key_result, by)
    if measures is not None:
        set_measure_links(key_result=key_result, measures=measures, by=by)
    return key_result


@transaction.atomic
def delete_key_result(*, key_result: KeyResult, by, expected_revision: int | None = None) -> None:
    """Remove a key result with its measure links and check-ins (kept in the history)."""
    check_revision(key_result, expected_revision)
    delete_with_history(key_result, by)


def _unknown_measures(key_result: KeyResult, measures: list[tuple[object, str]]) -> list[ValidationError]:
    """What is wrong with the (programme, code) pairs, all checked with one query."""
    from karki.programmes.models import Measure

    organisation_id = key_result.objective.organisation_id
    own = [(programme, code) for programme, code in measures if programme.organisation_id == organisation_id]
    known = set(Measure.objects.filter(version__programme__in={programme.pk for programme, _code in own},
                                       code__in={code for _programme, code in own})
                .values_list("version__programme_id", "code").distinct()) if own else set()
    errors = []
    for programme, code in measures:
        if programme.organisation_id != organisation_id:
            errors.append(ValidationError(_("Link only measures of this organisation's programmes."),
                                          code="other_organisation", params={"programme_id": programme.pk}))
        elif (programme.pk, code) not in known:
            errors.append(ValidationError(_("%(code)s is not a measure of %(programme)s."), code="unknown_measure",
                                          params={"code": code, "programme": programme,
                                                  "programme_id": programme.pk}))
    return errors


def _add_link(key_result: KeyResult, programme, measure_code: str, by) -> KeyResultMeasure:
    link = KeyResultMeasure(key_result=key_result, programme=programme, measure_code=measure_code)
    link._history_user = by
    link.save()
    return link


@transaction.atomic
def set_measure_links(*, key_result: KeyResult, measures: Iterable[tuple[object, str]], by) -> None:
    """Make the key result's linked measures exactly `measures`. Every code is checked (all in one
    query) before anything is written; links made and removed are recorded with the person."""
    wanted = list(dict.fromkeys((programme, (code or "").strip()) for programme, code in measures
                                if (code or "").strip()))
    errors = _unknown_measures(key_result, wanted)
    if errors:
        raise ValidationError({"measures": errors})
    existing = {(link.programme_id, link.measure_code): link for link in key_result.measure_links.all()}
    keep = {(programme.pk, code) for programme, code in wanted}
    for key, link in existing.items():
        if key not in keep:
            link._history_user = by
            link.delete()
    for programme, code in wanted:
        if (programme.pk, code) not in existing:
            _add_link(key_result, programme, code, by)


@transaction.atomic
def link_measure(*, key_result: KeyResult, programme, measure_code: str, by) -> KeyResultMeasure:
    """Link one more measure (kept when already linked)."""
    measure_code = (measure_code or "").strip()
    errors = _unknown_measures(key_result, [(programme, measure_code)])
    if errors:
        raise ValidationError({"measures": errors})
    link = KeyResultMeasure.objects.filter(key_result=key_result, programme=programme,
                                           measure_code=measure_code).first()
    return link if link is not None else _add_link(key_result, programme, measure_code, by)


@transaction.atomic
def check_in(*, key_result: KeyResult, by, on: date | None = None, value: Decimal | None = None,
             confidence: int | None = None, comment: str = "", source_file: str = "",
             source_row: int | None = None) -> CheckIn:
    """Record where a key result stands. Check-ins are never edited: the history is the list itself."""
    if value is None and confidence is None and not (source_row and (comment or "").strip()):
        # An imported text value ("Kyllä") may be kept as the comment alone.
        raise ValidationError(_("Give the current value, the confidence or both."))
    if confidence is not None and not 0 <= confidence <= 100:
        raise ValidationError({"confidence": _("The confidence is a whole number from 0 to 100.")})
    on = on or dates.today()
    if on > dates.today():
        raise ValidationError({"date": _("A check-in cannot be dated in the future.")})
    entry = CheckIn(key_result=key_result, date=on, value=value, confidence=confidence,
                    comment=(comment or "").strip(), created_by=by if getattr(by, "pk", None) else None,
                    source_file=(source_file or "")[:255], source_row=source_row)
    _save(entry, by)
    return entry


@transaction.atomic
def mark_confidence_wrong(*, entry: CheckIn, by, wrong: bool = True) -> CheckIn:
    """Mark a check-in's confidence as wrong (or right again). The confidence stays in the check-in and
    its history, with who marked it and when; a wrong one no longer counts for the at-risk decision."""
    entry = CheckIn.objects.select_for_update().get(pk=entry.pk)
    if entry.confidence is None:
        raise ValidationError(_("This check-in has no confidence to mark."))
    if entry.confidence_wrong != wrong:
        entry.confidence_wrong = wrong
        entry._history_user = by
        entry.save(update_fields=["confidence_wrong"])
    return entry
