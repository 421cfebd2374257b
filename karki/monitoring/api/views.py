"""Monitoring API: the status picture in figures and submitting a status report, with the same
permissions and services as the browser."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.accounts import permissions as perms
from karki.core.api import QueryParameter, read_query, refusal
from karki.core.conflicts import NOT_YET_SAVED
from karki.figures import read as figures
from karki.programmes.api.edits import PROBLEMS, problem

from .. import services
from ..forms import parse_period
from ..models import Period
from ..permissions import get_monitored_programme, get_period
from . import serializers as s

PERIOD = QueryParameter(
    "period", {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
    "YYYY-MM, a month 01–12; the latest period when left out. 404 when the programme has no such period.",
    lambda raw: raw if parse_period(raw) else None,
    gettext_lazy("The period is a month written YYYY-MM (a month 01–12), for example 2025-03."))
PERIOD_PARAM = PERIOD.openapi()


@extend_schema(parameters=[PERIOD_PARAM], responses={200: s.StatusSerializer},
               summary="Status picture of a reporting period in figures")
@api_view(["GET"])
def programme_status(request, slug: str):
    programme = get_monitored_programme(request, slug)
    key = read_query(request, PERIOD)["period"]
    period = get_period(programme, key)
    picture = figures.status_picture(programme, period)
    data = {
        "period": period.key, "period_status": period.status, "target_eur": picture.target_eur,
        "target_year": picture.target_year,
        "realised_savings_eur": picture.realised_total_eur,
        "realised_verified_eur": picture.verified_total_eur,
        "waiting_verification_eur": picture.waiting_total_eur,
        "realised_by_year": [{"year": row.year, "savings_eur": row.realised_eur, "verified_eur": row.verified_eur,
                              "waiting_verification_eur": row.waiting_eur, "one_off_eur": row.one_off_eur}
                             for row in picture.by_year],
        "recurring_run_rate_eur": picture.run_rate_eur,
        "recurring_run_rate_verified_eur": picture.run_rate_verified_eur,
        "carried_by_year": [{"year": c.year, "months": c.months, "claimed_eur": c.claimed_eur,
                             "verified_eur": c.verified_eur} for c in picture.carried],
        "deficit_eur": picture.deficit_eur, "deficit_year": picture.deficit_year,
        "deficit_covered_eur": picture.deficit_covered_eur if picture.deficit_eur is not None else None,
        "reports_expected": picture.reports_expected, "reports_received": picture.reports_received,
        "status_counts": picture.status_counts,
        "escalations": [r.measure_code for r in picture.escalations],
        "key_results_at_risk": len(picture.key_results_at_risk),
    }
    return Response(s.StatusSerializer(data).data)


def report_data(report) -> dict:
    return {
        "measure": report.measure_code, "period": report.period.key, "phase": report.phase, "status": report.status,
        "state": report.state, "escalation": report.escalation, "revised_expected_eur": report.revised_expected_eur,
        "confidence": report.confidence,
        "savings": [{"category": x.category, "recurrence": x.recurrence, "amount_eur": x.amount_eur}
                    for x in report.savings.all()],
        "revision": report.revision,
    }


@extend_schema(request=s.ReportInputSerializer, responses={200: s.ReportSerializer, **PROBLEMS},
               summary="Save or submit the status report of a measure for a period",
               description="Creates the measure's report of the period, or changes it when `revision` is the "
                           "stored one. A report that exists although the request expected none (`revision` 0, "
                           "null or left out), or whose stored revision is newer, is not overwritten: 409 "
                           "`stale_edit` with `current_revision` and `changes`.")
@api_view(["POST"])
def measure_report(request, slug: str, code: str):
    programme = get_monitored_programme(request, slug)
    version = services.running_version(programme)
    measure = services.reporting_measures(version).filter(code=code).first()
    if measure is None:
        raise Http404
    if not perms.can_report_measure(request.user, measure):
        return refusal(_("You may not report on this measure."), code="permission_denied",
                       status_code=status.HTTP_403_FORBIDDEN)
    serializer = s.ReportInputSerializer(data=request.data)
    if not serializer.is_valid():
        return refusal(_("The report was not saved."), errors=serializer.errors)
    data = serializer.validated_data
    parsed = parse_period(data["period"])
    if parsed is None:
        message = str(PERIOD.message)
        return refusal(message, errors={"period": [message]})
    period = Period.objects.filter(programme=programme, year=parsed[0], month=parsed[1]).first()
    if period is None:
        message = _("No reporting period %(period)s has been opened.") % {"period": data["period"]}
        return refusal(message, errors={"period": [message]})
    try:
        report = services.record_status_report(
            measure, period=period, by=request.user, phase=data["phase"], status=data["status"],
            narrative=data["narrative"], obstacles=data["obstacles"], language=data["language"],
            escalation=data["escalation"], revised_expected_eur=data["revised_expected_eur"],
            forecast_note=data["forecast_note"], submit=data["submit"],
            # Without a revision the client states that it knows of no report: one made meanwhile is a 409.
            expected_revision=NOT_YET_SAVED if data["revision"] is None else data["revision"],
            confidence=data["confidence"],
            # The list is the report's whole set of realised savings: savings left out are removed.
            savings={**{key: None for key in services.saving_keys()},
                     **{(row["category"], row["recurrence"]): row["amount_eur"] for row in data["savings"]}},
        )
    except ValidationError as error:
        return problem(error)
    return Response(s.ReportSerializer(report_data(report)).data)

