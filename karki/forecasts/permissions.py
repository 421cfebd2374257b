"""Loading what the forecast pages need, with permissions applied: 404 for what the user may not see
(the forecast reads the monitoring, so it is for members of the organisation only), 403 for what they
may see but not change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from karki.accounts import permissions as perms
from karki.lib.params import whole_number
from karki.monitoring.forms import parse_period
from karki.monitoring.models import Period
from karki.programmes.models import Programme, ProgrammeVersion


def get_forecast_programme(request, slug: str, *, save_scenario: bool = False,
                           decide_baskets: bool = False) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("organisation"), slug=slug)
    if not perms.can_view_forecast(request.user, programme):
        raise Http404
    if save_scenario and not perms.can_save_scenario(request.user, programme):
        raise PermissionDenied
    if decide_baskets and not perms.can_record_basket_decision(request.user, programme):
        raise PermissionDenied
    return programme


def forecast_version(programme: Programme, number) -> ProgrammeVersion:
    """The version asked for, else the one being run (the latest approved), else the latest."""
    versions = ProgrammeVersion.objects.filter(programme=programme)
    if number not in (None, ""):
        wanted = whole_number(str(number))
        version = versions.filter(number=wanted).first() if wanted else None
    else:
        version = versions.approved().order_by("-number").first() or versions.order_by("-number").first()
    if version is None:
        raise Http404
    version.programme = programme  # the one loaded with its organisation, not another query
    return version


def forecast_period(programme: Programme, key: str | None) -> Period | None:
    """The reporting period YYYY-MM, else the latest one (None when nothing has been reported yet)."""
    periods = Period.objects.filter(programme=programme)
    if not key:
        return periods.order_by("-year", "-month").first()
    parsed = parse_period(key)
    period = periods.filter(year=parsed[0], month=parsed[1]).first() if parsed else None
    if period is None:
        raise Http404
    return period
