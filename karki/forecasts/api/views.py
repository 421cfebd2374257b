"""The forecast API, with the same loaders and permissions as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.lib.formatting import format_number
from karki.programmes.api.serializers import ProblemSerializer

from .. import assumptions
from ..forecast import run
from ..inputs import ForecastUnavailable
from ..permissions import forecast_period, forecast_version, get_forecast_programme
from . import serializers as s

PARAMETERS = [
    OpenApiParameter("version", OpenApiTypes.INT,
                     description="Version number; the version being run (the latest approved) when left out."),
    OpenApiParameter("draws", OpenApiTypes.INT,
                     description=f"Number of draws, {assumptions.MIN_DRAWS}–{assumptions.MAX_DRAWS}; "
                                 f"{assumptions.DEFAULT_DRAWS} when left out."),
    OpenApiParameter("seed", OpenApiTypes.INT,
                     description=f"Seed of the draws, 0–{assumptions.MAX_SEED}; the same seed gives the same figures. "
                                 f"{assumptions.DEFAULT_SEED} when left out."),
    OpenApiParameter("period", OpenApiTypes.STR,
                     description="YYYY-MM: the monitoring known at the end of this month; the latest period when "
                                 "left out."),
]


def _integer(request, name: str, default: int, low: int, high: int, message: str, errors: dict) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors[name] = [message]
        return default
    return value


@extend_schema(parameters=PARAMETERS, responses={200: s.ForecastSerializer, 400: ProblemSerializer},
               summary="Forecast: will the programme reach its target, and how likely")
@api_view(["GET"])
def programme_forecast(request, slug: str):
    programme = get_forecast_programme(request, slug)
    version = forecast_version(programme, request.query_params.get("version"))
    period = forecast_period(programme, request.query_params.get("period"))
    language = getattr(request, "LANGUAGE_CODE", "fi")
    errors: dict[str, list[str]] = {}
    draws = _integer(request, "draws", assumptions.DEFAULT_DRAWS, assumptions.MIN_DRAWS, assumptions.MAX_DRAWS,
                     _("Ask for between %(low)s and %(high)s draws.") % {
                         "low": format_number(assumptions.MIN_DRAWS, language),
                         "high": format_number(assumptions.MAX_DRAWS, language)}, errors)
    seed = _integer(request, "seed", assumptions.DEFAULT_SEED, 0, assumptions.MAX_SEED,
                    _("The seed is a whole number from 0 to %(high)s.") % {"high": assumptions.MAX_SEED}, errors)
    if errors:
        return Response({"detail": _("The forecast cannot be made with these parameters."), "code": "invalid",
                         "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    try:
        forecast = run(version, period=period, draws=draws, seed=seed)
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
