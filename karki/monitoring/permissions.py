"""Loading monitoring objects for a request: 404 for what the user may not see (the monitoring of a
programme is for members of its organisation only), 403 for what they may see but not change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from karki.accounts import permissions as perms
from karki.programmes.models import Programme

from .forms import parse_period
from .models import Period, RealisedSaving, StatusReport


def get_monitored_programme(request, slug: str, *, manage: bool = False) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("organisation"), slug=slug)
    if not perms.can_view_monitoring(request.user, programme):
        raise Http404
    if manage and not perms.can_manage_periods(request.user, programme):
        raise PermissionDenied
    return programme


def get_period(programme: Programme, key: str | None) -> Period:
    """The period YYYY-MM, or the latest one when no key is given."""
    periods = Period.objects.filter(programme=programme).select_related("programme", "opened_by", "closed_by")
    if not key:
        period = periods.order_by("-year", "-month").first()
    else:
        parsed = parse_period(key)
        period = periods.filter(year=parsed[0], month=parsed[1]).first() if parsed else None
    if period is None:
        raise Http404
    return period


def get_report_for_user(request, period: Period, code: str, *, review: bool = False) -> StatusReport:
    report = get_object_or_404(
        StatusReport.objects.select_related("measure__version__programme", "measure__owner", "submitted_by",
                                            "reviewed_by", "period__programme"),
        period=period, measure_code=code)
    if review and not perms.can_review_reports(request.user, period.programme):
        raise PermissionDenied
    return report


def get_verification_programme(request, slug: str, *, verify: bool = False) -> Programme:
    """The verification page is finance's, and the programme office follows it; members without either
    role get 403, others 404. `verify`: finance's decisions only."""
    programme = get_monitored_programme(request, slug)
    allowed = perms.can_verify_savings if verify else perms.can_view_verification
    if not allowed(request.user, programme):
        raise PermissionDenied
    return programme


def get_saving(programme: Programme, pk: int) -> RealisedSaving:
    return get_object_or_404(
        RealisedSaving.objects.for_programme(programme).select_related(
            "report__period__programme", "report__measure__org_unit", "report__measure__target",
            "report__submitted_by", "verified_by"), pk=pk)
