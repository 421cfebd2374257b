"""The funder's report of a project: the issued reports with their PDF and Excel, the form that issues one
(the programme office), and an issued report as a page. Members of the organisation read them, as they read
the project; issuing runs in the background like the council report and freezes the figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from karki.accounts import permissions as perms
from karki.core.content import active_language
from karki.core.forms import apply_errors
from karki.jobs.services import start_job
from karki.reports import funder_files, jobs, services
from karki.reports.figures import thaw
from karki.reports.forms import FunderReportForm
from karki.reports.funder import default_window, month_key, project_months
from karki.reports.models import FunderReport, FunderReportFile

from ..permissions import get_project_for_user

CONTENT_TYPES = {"pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _reports(project):
    files = FunderReportFile.objects.defer("content").order_by("kind")
    return (FunderReport.objects.filter(project=project).select_related("issued_by").defer("figures")
            .prefetch_related(Prefetch("files", queryset=files)).order_by("-issued_at", "-pk"))


def _list(request, project, *, form=None, status=200):
    can_issue = perms.can_issue_funder_report(request.user, project)
    if can_issue and form is None:
        first, last = default_window(project)
        language = active_language() if active_language() in ("fi", "sv") else "fi"
        form = FunderReportForm(months=project_months(project),
                                initial={"first": month_key(first), "last": month_key(last), "language": language})
    return render(request, "projects/funder_reports.html", {
        "project": project, "organisation": project.organisation,
        "nav": "programmes" if project.programme_id else "organisations",
        "reports": _reports(project), "form": form, "can_issue": can_issue,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def funder_reports(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, issue=request.method == "POST")
    if request.method == "GET":
        return _list(request, project)
    form = FunderReportForm(request.POST, months=project_months(project))
    if form.is_valid():
        first, last = form.cleaned_data["first_month"], form.cleaned_data["last_month"]
        try:
            # Checked again when the work runs; here so that the form says it at once.
            services.check_funder_window(project=project, first=first, last=last)
            job = start_job(kind=jobs.FUNDER, by=request.user, organisation=project.organisation,
                            programme=project.programme, params={
                                "project": project.pk, "first": month_key(first), "last": month_key(last),
                                "language": form.cleaned_data["language"]})
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("jobs:job-detail", job_id=job.pk)
    return _list(request, project, form=form, status=400)


def _report(request, slug: str, code: str, pk: int) -> tuple:
    project = get_project_for_user(request, slug, code)
    report = FunderReport.objects.filter(project=project, pk=pk).select_related("issued_by").first()
    if report is None:
        raise Http404
    return project, report


@login_required
@require_GET
def funder_report(request, slug: str, code: str, pk: int):
    project, report = _report(request, slug, code, pk)
    data = thaw(report.figures)
    return render(request, "projects/funder_report.html", {
        "project": project, "organisation": project.organisation,
        "nav": "programmes" if project.programme_id else "organisations", "report": report,
        "files": report.files.defer("content").order_by("kind"), **funder_files.context(data),
        "page_title": funder_files.title(data), "title": funder_files.title_in(data), "on_page": True,
    })


@login_required
@require_GET
def funder_report_file(request, slug: str, code: str, pk: int, kind: str):
    _project, report = _report(request, slug, code, pk)
    found = report.files.filter(kind=kind).first()
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.content), content_type=CONTENT_TYPES[found.kind])
    response["Content-Disposition"] = content_disposition_header(True, found.filename)
    response["Cache-Control"] = "no-store"  # the organisation's figures and people's names
    return response
