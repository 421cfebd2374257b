"""Loading reports for a request: members of the programme's organisation read them (404 for anyone
else, as for the monitoring they are made from); only the programme office issues council reports (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from karki.accounts import permissions as perms
from karki.monitoring.permissions import get_monitored_programme

from .models import CouncilReportFile


def get_reports_programme(request, slug: str, *, issue: bool = False):
    programme = get_monitored_programme(request, slug)
    if not perms.can_produce_reports(request.user, programme):
        raise Http404
    if issue and not perms.can_issue_council_report(request.user, programme):
        raise PermissionDenied
    return programme


def get_council_file(request, slug: str, number: int, language: str) -> CouncilReportFile:
    programme = get_reports_programme(request, slug)
    found = (CouncilReportFile.objects.select_related("report")
             .filter(report__programme=programme, report__number=number, language=language).first())
    if found is None:
        raise Http404
    return found
