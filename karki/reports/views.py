"""The Reports page of a programme: start a slide deck or an Excel status picture (members), issue an
interim report to the council (programme office), list and download the issued council reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from karki.accounts import permissions as perms
from karki.core.forms import apply_errors
from karki.jobs.services import start_job
from karki.monitoring.models import Period

from . import jobs, services
from .forms import CouncilReportForm, ReportForm
from .models import CouncilReport
from .permissions import get_council_file, get_reports_programme

KINDS = {"deck": jobs.DECK, "status_xlsx": jobs.STATUS_XLSX}
BI_EXPORTS = [
    ("api-export-measures", _("Targets and measures with their estimates")),
    ("api-export-status-reports", _("Status reports with realised savings")),
    ("api-export-savings-by-year", _("Savings by year")),
    ("api-export-savings-by-theme", _("Savings by theme")),
    ("api-export-savings-by-org-unit", _("Savings by org unit")),
    ("api-export-savings-by-cost-category", _("Savings by cost category")),
]
# The books are for finance and the programme office (perms.can_view_books), as the books pages.
BOOKS_BI_EXPORTS = [
    ("api-export-books", _("Savings in the books by month, org unit and cost category")),
    ("api-export-books-unmapped", _("Cost centres and accounts not mapped in the books")),
]


def _periods(programme) -> list[Period]:
    return list(Period.objects.filter(programme=programme).order_by("-year", "-month"))


def _language() -> str:
    language = (get_language() or "fi")[:2]
    return language if language in ("fi", "sv", "en") else "fi"


def _page(request, programme, *, form=None, council_form=None, status=200):
    periods = _periods(programme)
    latest = periods[0].key if periods else None
    form = form or ReportForm(periods=periods, initial={"period": latest, "language": _language()})
    can_issue = perms.can_issue_council_report(request.user, programme)
    if can_issue and council_form is None:
        council_form = CouncilReportForm(periods=periods, initial={"period": latest, "languages": [_language()]})
    reports = CouncilReport.objects.for_programme(programme).listed()[:5]
    return render(request, "reports/reports.html", {
        "programme": programme, "nav": "programmes", "periods": periods, "form": form,
        "council_form": council_form, "can_issue": can_issue, "council_reports": reports,
        "bi_exports": BI_EXPORTS + (BOOKS_BI_EXPORTS if perms.can_view_books(request.user, programme.organisation)
                                    else []),
    }, status=status)


@login_required
@require_GET
def reports_page(request, slug: str):
    return _page(request, get_reports_programme(request, slug))


@login_required
@require_POST
def start_report(request, slug: str):
    programme = get_reports_programme(request, slug)
    form = ReportForm(request.POST, periods=_periods(programme))
    if not form.is_valid():
        return _page(request, programme, form=form, status=400)
    job = start_job(kind=KINDS[form.cleaned_data["kind"]], by=request.user, organisation=programme.organisation,
                    programme=programme, params={"period": form.cleaned_data["period"],
                                                 "language": form.cleaned_data["language"]})
    return redirect("jobs:job-detail", job_id=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def council_reports(request, slug: str):
    programme = get_reports_programme(request, slug, issue=request.method == "POST")
    if request.method == "POST":
        periods = _periods(programme)
        form = CouncilReportForm(request.POST, periods=periods)
        if form.is_valid():
            period = next(p for p in periods if p.key == form.cleaned_data["period"])
            try:
                # Checked again when the work runs; here so that the form says it at once.
                services.check_council_period(programme=programme, period=period)
                job = start_job(kind=jobs.COUNCIL, by=request.user, organisation=programme.organisation,
                                programme=programme, params={"period": form.cleaned_data["period"],
                                                             "languages": form.cleaned_data["languages"]})
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("jobs:job-detail", job_id=job.pk)
        return _page(request, programme, council_form=form, status=400)
    reports = CouncilReport.objects.for_programme(programme).listed()
    return render(request, "reports/council_list.html", {
        "programme": programme, "nav": "programmes", "council_reports": reports,
        "can_issue": perms.can_issue_council_report(request.user, programme),
    })


@login_required
@require_GET
def council_pdf(request, slug: str, number: int, language: str):
    found = get_council_file(request, slug, number, language)
    response = HttpResponse(bytes(found.content), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, found.filename)
    response["Cache-Control"] = "no-store"  # the organisation's figures and people's names
    return response
