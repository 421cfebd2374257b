"""The forecast API, with the same loaders and permissions as the pages."""

from __future__ import annotations

from decimal import Decimal

from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.core import api
from karki.figures import read as figures
from karki.lib.formatting import format_number
from karki.monitoring.api import views as monitoring_api

from .. import assumptions
from ..inputs import ForecastUnavailable
from ..permissions import forecast_period, forecast_version, get_forecast_programme
from . import serializers as s

# Parameters are read strictly (karki/core/api.py): a malformed or out-of-range value is a 400 that names
# it; a well-formed version or period that the programme does not have is a 404.
VERSION = api.VERSION.but(description="Version number, a whole number from 1 up; the version being run (the "
                                      "latest approved) when left out. 404 when the programme has no such version.")
DRAWS = api.integer_parameter(
    "draws", low=assumptions.MIN_DRAWS, high=assumptions.MAX_DRAWS, default=assumptions.DEFAULT_DRAWS,
    description=f"Number of draws, a whole number {assumptions.MIN_DRAWS}–{assumptions.MAX_DRAWS}; "
                f"{assumptions.DEFAULT_DRAWS} when left out.",
    message=lazy(lambda: _("Ask for between %(low)s and %(high)s draws.") % {
        "low": format_number(assumptions.MIN_DRAWS, get_language()),
        "high": format_number(assumptions.MAX_DRAWS, get_language())}, str)())
SEED = api.integer_parameter(
    "seed", low=0, high=assumptions.MAX_SEED, default=assumptions.DEFAULT_SEED,
    description=f"Seed of the draws, a whole number 0–{assumptions.MAX_SEED}; the same seed gives the same figures. "
                f"{assumptions.DEFAULT_SEED} when left out.",
    message=lazy(lambda: _("The seed is a whole number from 0 to %(high)s.") % {"high": assumptions.MAX_SEED},
                 str)())
PERIOD = monitoring_api.PERIOD.but(description="YYYY-MM, a month 01–12: the monitoring known at the end of this "
                                               "month; the latest period when left out. 404 when the programme "
                                               "has no such period.")
PARAMETERS = [VERSION, DRAWS, SEED, PERIOD]


@extend_schema(parameters=[p.openapi() for p in PARAMETERS], responses={200: s.ForecastSerializer},
               summary="Forecast: will the programme reach its target, and how likely")
@api_view(["GET"])
def programme_forecast(request, slug: str):
    programme = get_forecast_programme(request, slug)
    values = api.read_query(request, *PARAMETERS, detail=_("The forecast cannot be made with these parameters."))
    number, period_key, draws, seed = values["version"], values["period"], values["draws"], values["seed"]
    version = forecast_version(programme, number)
    period = forecast_period(programme, period_key)
    try:
        forecast = figures.forecast(version, period=period, draws=draws, seed=seed)
    except ForecastUnavailable as problem:  # the programme's own facts, stored before they were checked
        return api.refusal(problem.message, code=problem.code)

    def bands(rows):
        return [{"year": b.year, "p10_eur": b.p10_eur, "p50_eur": b.p50_eur, "p90_eur": b.p90_eur} for b in rows]

    data = {
        "target_eur": forecast.target_eur, "target_year": forecast.target_year,
        "first_year_p50": forecast.first_year_reached, "first_year_p80": forecast.first_year_p80,
        "probability_reaching_target": (None if forecast.probability is None
                                        else Decimal(str(round(forecast.probability, 4)))),
        "by_year": [{**band, "one_off_eur": b.one_off_eur, "realised_eur": b.realised_eur,
                     "realised_one_off_eur": b.realised_one_off_eur}
                    for band, b in zip(bands(forecast.by_year), forecast.by_year, strict=True)],
        "cumulative": bands(forecast.cumulative),
        "deficit_eur": forecast.deficit_eur, "deficit_year": forecast.deficit_year,
        "probability_covering_deficit": (None if forecast.deficit_probability is None
                                         else Decimal(str(round(forecast.deficit_probability, 4)))),
        "verification_rate": Decimal(str(round(forecast.verification_rate.value, 4))),
        "recurring_run_rate_eur": forecast.run_rate_eur,
        "top_uncertainty": [c.code for c in forecast.top_uncertainty],
        "version": version.number, "period": period.key if period else None, "draws": draws, "seed": seed,
    }
    return Response(s.ForecastSerializer(data).data)
