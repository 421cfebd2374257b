"""The forecast API, with the same loaders and permissions as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.figures import read as figures
from karki.lib.formatting import format_number
from karki.lib.params import whole_number
from karki.monitoring.forms import parse_period
from karki.programmes.api.serializers import ProblemSerializer

from .. import assumptions
from ..inputs import ForecastUnavailable
from ..permissions import forecast_period, forecast_version, get_forecast_programme
from . import serializers as s

# Parameters are read strictly (`whole_number`, `parse_period`): a malformed or out-of-range value is a
# 400 that names it; a well-formed version or period that the programme does not have is a 404.
MAX_VERSION = 2**31 - 1

PARAMETERS = [
    OpenApiParameter("version", {"type": "integer", "minimum": 1, "maximum": MAX_VERSION},
                     description="Version number, a whole number from 1 up; the version being run (the latest "
                                 "approved) when left out. 404 when the programme has no such version."),
    OpenApiParameter("draws", {"type": "integer", "minimum": assumptions.MIN_DRAWS, "maximum": assumptions.MAX_DRAWS,
                               "default": assumptions.DEFAULT_DRAWS},
                     description=f"Number of draws, a whole number {assumptions.MIN_DRAWS}–{assumptions.MAX_DRAWS}; "
                                 f"{assumptions.DEFAULT_DRAWS} when left out."),
    OpenApiParameter("seed", {"type": "integer", "minimum": 0, "maximum": assumptions.MAX_SEED,
                              "default": assumptions.DEFAULT_SEED},
                     description=f"Seed of the draws, a whole number 0–{assumptions.MAX_SEED}; the same seed gives the "
                                 f"same figures. {assumptions.DEFAULT_SEED} when left out."),
    OpenApiParameter("period", {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
                     description="YYYY-MM, a month 01–12: the monitoring known at the end of this month; the latest "
                                 "period when left out. 404 when the programme has no such period."),
]


def _integer(params, name: str, default: int | None, low: int, high: int, message: str, errors: dict) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    value = whole_number(raw)
    if value is None or not low <= value <= high:
        errors[name] = [message]
        return default
    return value


def _period_key(params, errors: dict) -> str | None:
    raw = params.get("period")
    if raw in (None, ""):
        return None
    if parse_period(raw) is None:
        errors["period"] = [_("The period is a month written YYYY-MM (a month 01–12), for example 2025-03.")]
        return None
    return raw


@extend_schema(parameters=PARAMETERS, responses={200: s.ForecastSerializer, 400: ProblemSerializer},
               summary="Forecast: will the programme reach its target, and how likely")
@api_view(["GET"])
def programme_forecast(request, slug: str):
    programme = get_forecast_programme(request, slug)
    params = request.query_params
    language = getattr(request, "LANGUAGE_CODE", "fi")
    errors: dict[str, list[str]] = {}
    number = _integer(params, "version", None, 1, MAX_VERSION,
                      _("The version is a version number: a whole number from 1 up."), errors)
    period_key = _period_key(params, errors)
    draws = _integer(params, "draws", assumptions.DEFAULT_DRAWS, assumptions.MIN_DRAWS, assumptions.MAX_DRAWS,
                     _("Ask for between %(low)s and %(high)s draws.") % {
                         "low": format_number(assumptions.MIN_DRAWS, language),
                         "high": format_number(assumptions.MAX_DRAWS, language)}, errors)
    seed = _integer(params, "seed", assumptions.DEFAULT_SEED, 0, assumptions.MAX_SEED,
                    _("The seed is a whole number from 0 to %(high)s.") % {"high": assumptions.MAX_SEED}, errors)
    if errors:
        return Response({"detail": _("The forecast cannot be made with these parameters."), "code": "invalid",
                         "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    version = forecast_version(programme, number)
    period = forecast_period(programme, period_key)
    try:
        forecast = figures.forecast(version, period=period, draws=draws, seed=seed)
    except ForecastUnavailable as problem:  # the programme's own facts, stored before they were checked
        return Response({"detail": problem.message, "code": problem.code}, status=status.HTTP_400_BAD_REQUEST)

    def bands(rows):
        return [{"year": b.year, "p10_eur": b.p10_eur, "p50_eur": b.p50_eur, "p90_eur": b.p90_eur} for b in rows]

    data = {
        "target_eur": forecast.target_eur, "target_year": forecast.target_year,
        "probability_reaching_target": None if forecast.probability is None else round(forecast.probability, 4),
        "by_year": bands(forecast.by_year), "cumulative": bands(forecast.cumulative),
        "top_uncertainty": [c.code for c in forecast.top_uncertainty],
        "version": version.number, "period": period.key if period else None, "draws": draws, "seed": seed,
    }
    return Response(s.ForecastSerializer(data).data)
