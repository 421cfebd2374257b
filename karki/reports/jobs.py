"""The reports as background work: the slide deck, the Excel status picture and the council interim
report. Each runs in the language chosen on the Reports page (`params["language"]`), and checks again
that the person who started it still may."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from karki.accounts import permissions as perms
from karki.jobs import registry
from karki.jobs.models import Job
from karki.jobs.services import Progress
from karki.monitoring.forms import parse_period
from karki.monitoring.models import Period

from .deck import PPTX, build_deck
from .excel import XLSX, status_workbook
from .figures import report_figures
from .text import filename

DECK = "reports.deck"
STATUS_XLSX = "reports.status_xlsx"
COUNCIL = "reports.council"


def _period(job: Job) -> Period:
    parsed = parse_period(job.params.get("period"))
    period = Period.objects.filter(programme=job.programme, year=parsed[0], month=parsed[1]).first() if parsed \
        else None
    if period is None:
        raise registry.JobFailed(_("The reporting period no longer exists."))
    return period


def _check(job: Job, allowed) -> None:
    if job.programme is None or not allowed(job.created_by, job.programme):
        raise registry.JobFailed(_("You no longer have the right to produce this report."))


@registry.register(DECK, label=gettext_lazy("Slide deck for the management team"))
def make_deck(job: Job, progress: Progress) -> registry.Outcome:
    _check(job, perms.can_produce_reports)
    period = _period(job)
    language = job.params.get("language") or job.language
    with translation.override(language):
        progress(10, _("Reading the figures"))
        figures = report_figures(job.programme, period, by=job.created_by)
        progress(60, _("Drawing the slides"))
        content = build_deck(figures, language=language)
        name = filename(figures, _("Slide deck"), "pptx")
    return registry.Outcome(file=content, filename=name, content_type=PPTX)


@registry.register(STATUS_XLSX, label=gettext_lazy("Status picture as Excel"))
def make_status_workbook(job: Job, progress: Progress) -> registry.Outcome:
    _check(job, perms.can_produce_reports)
    period = _period(job)
    language = job.params.get("language") or job.language
    with translation.override(language):
        progress(10, _("Reading the figures"))
        figures = report_figures(job.programme, period, by=job.created_by)
        progress(60, _("Writing the workbook"))
        content = status_workbook(figures, language=language)
        name = filename(figures, _("Status picture"), "xlsx")
    return registry.Outcome(file=content, filename=name, content_type=XLSX)


@registry.register(COUNCIL, label=gettext_lazy("Interim report to the council"),
                   summary_template="reports/_council_summary.html")
def issue_council_report(job: Job, progress: Progress) -> registry.Outcome:
    from . import services

    _check(job, perms.can_issue_council_report)
    period = _period(job)
    try:
        report = services.issue_council_report(programme=job.programme, period=period, by=job.created_by,
                                               languages=job.params.get("languages") or [job.language],
                                               progress=progress)
    except PermissionDenied as denied:
        raise registry.JobFailed(_("You no longer have the right to produce this report.")) from denied
    except ValidationError as error:
        raise registry.JobFailed(" ".join(error.messages)) from error
    first = report.files.get(language=report.languages[0])
    return registry.Outcome(file=bytes(first.content), filename=first.filename, content_type="application/pdf",
                            summary={"report": report.number, "programme": job.programme.slug,
                                     "languages": report.languages})


FUNDER = "reports.funder"


@registry.register(FUNDER, label=gettext_lazy("Report to the funder"),
                   summary_template="reports/_funder_summary.html")
def issue_funder_report(job: Job, progress: Progress) -> registry.Outcome:
    from karki.projects.models import Project

    from . import services
    from .funder import parse_month

    project = (Project.objects.select_related("organisation", "programme", "owner")
               .filter(pk=job.params.get("project"), organisation=job.organisation).first())
    first, last = parse_month(job.params.get("first")), parse_month(job.params.get("last"))
    if project is None or first is None or last is None:
        raise registry.JobFailed(_("The project no longer exists."))
    try:
        report = services.issue_funder_report(project=project, first=first, last=last, by=job.created_by,
                                              language=job.params.get("language") or job.language,
                                              progress=progress)
    except PermissionDenied as denied:
        raise registry.JobFailed(_("You no longer have the right to produce this report.")) from denied
    except ValidationError as error:
        raise registry.JobFailed(" ".join(error.messages)) from error
    pdf = report.files.get(kind="pdf")
    return registry.Outcome(file=bytes(pdf.content), filename=pdf.filename, content_type="application/pdf",
                            summary={"report": report.pk, "organisation": project.organisation.slug,
                                     "project": project.code, "window": report.window_label})
