"""Writes of the forecasts app: saving a what-if scenario and recording a decision on a basket. Views,
the API and the demo loader call these; both write a new row and never change one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from karki.accounts import permissions as perms
from karki.lib import dates

from .enums import BasketDecisionKind, ContingencyBasket
from .forecast import Forecast
from .models import BasketDecision, Scenario


@transaction.atomic
def save_scenario(*, forecast: Forecast, name: str, by) -> Scenario:
    """Store the what-if behind `forecast` under `name`, with the figures it gave."""
    programme = forecast.programme
    if not perms.can_save_scenario(by, programme):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the scenario a name.")}, code="name_required")
    if len(name) > 120:
        raise ValidationError({"name": _("Keep the name under 120 characters.")}, code="name_too_long")
    if not forecast.changes:
        raise ValidationError(_("Make at least one change before saving a scenario."), code="no_changes")
    if Scenario.objects.filter(programme=programme, name=name).exists():
        raise ValidationError({"name": _("A scenario called “%(name)s” exists already; choose another name.")
                               % {"name": name}}, code="name_taken")
    band = forecast.target_band
    scenario = Scenario(
        programme=programme, version=forecast.version, name=name,
        changes=[change.as_json() for change in forecast.changes],
        period_key=forecast.period.key if forecast.period else "", draws=forecast.draws, seed=forecast.seed,
        probability_pct=forecast.probability_pct, p10_eur=band.p10_eur, p50_eur=band.p50_eur, p90_eur=band.p90_eur,
        created_by=by, created_at=dates.now(),
    )
    try:
        with transaction.atomic():
            scenario.save()
    except IntegrityError as exc:  # the same name saved by someone else a moment ago
        raise ValidationError({"name": _("A scenario called “%(name)s” exists already; choose another name.")
                               % {"name": name}}, code="name_taken") from exc
    return scenario


@transaction.atomic
def record_basket_decision(*, programme, basket: str, decision: str, decided_on: date, reasoning: str, by,
                           language: str = "fi", measure_codes: list[str] | None = None,
                           certainty: int | None = None, gap_eur: Decimal | None = None,
                           probability_pct: Decimal | None = None) -> BasketDecision:
    """Record the management team's decision to activate basket B or C (or not to), with its reasoning
    and, for the record, what the forecast said then."""
    if not perms.can_record_basket_decision(by, programme):
        raise PermissionDenied
    errors = {}
    if basket not in ContingencyBasket.values:
        errors["basket"] = _("Choose basket B or C.")
    if decision not in BasketDecisionKind.values:
        errors["decision"] = _("Choose whether the basket is activated.")
    reasoning = (reasoning or "").strip()
    if not reasoning:
        errors["reasoning"] = _("Write down why management decided so; the council reads it.")
    if decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    elif decided_on > dates.today():
        errors["decided_on"] = _("A decision cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    entry = BasketDecision(
        programme=programme, basket=basket, decision=decision, decided_on=decided_on, reasoning=reasoning,
        language=language, measure_codes=", ".join(measure_codes or []), certainty=certainty, gap_eur=gap_eur,
        probability_pct=probability_pct, recorded_by=by, recorded_at=dates.now(),
    )
    entry._history_user = by
    entry.save()
    return entry
