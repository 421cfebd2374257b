"""Issuing a council interim report: freeze the figures, compare them with the previous issued report,
make the PDFs and store everything at once. The job (jobs.py) and tests call this."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from karki.accounts import permissions as perms
from karki.lib import dates
from karki.programmes.models import Programme

from .changes import compare
from .council import render_pdf
from .figures import Data, freeze, period_label, report_figures_in, thaw
from .models import CouncilReport, CouncilReportFile
from .text import filename

REPORT_LANGUAGES = ("fi", "sv", "en")


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def check_council_period(*, programme, period) -> None:
    """Refuse a report for a period earlier than one already reported to the council: each report lists
    the changes since the latest issued one, which would then run backwards. Reporting the same period
    again (when late reports have come in) is allowed: its changes are those of the late reports."""
    latest = (CouncilReport.objects.for_programme(programme).select_related("period")
              .order_by("-period__year", "-period__month", "-number").first())
    if latest is not None and (period.year, period.month) < (latest.period.year, latest.period.month):
        raise ValidationError({"period": ValidationError(
            _("Interim report %(number)s has already been issued for the later period %(period)s. A report for "
              "an earlier period cannot be issued after it: its changes since the previous report would run "
              "backwards."),
            code="earlier_period", params={"number": latest.number, "period": period_label(latest.period)})})


def issue_council_report(*, programme, period, languages: list[str], by,
                         progress: Callable[[float, str], None] | None = None) -> CouncilReport:
    """Issue the interim report of `period` in `languages`. Its figures and PDFs never change afterwards."""
    if not perms.can_issue_council_report(by, programme):
        raise PermissionDenied
    languages = [code for code in REPORT_LANGUAGES if code in set(languages)]
    if not languages:
        raise ValidationError(_("Choose at least one language for the report."), code="no_language")
    if period.programme_id != programme.pk:
        raise ValidationError(_("The reporting period belongs to another programme."), code="wrong_period")
    check_council_period(programme=programme, period=period)
    progress = progress or (lambda percent, note="": None)
    previous = CouncilReport.objects.for_programme(programme).order_by("-number").first()
    number = (previous.number + 1) if previous else 1
    issued_at = dates.now()
    report_meta = {"number": number, "issued_at": issued_at.isoformat(), "issued_by": _person(by)}
    previous_meta = ({"number": previous.number, "issued_at": previous.issued_at.isoformat(),
                      "period_label": period_label(previous.period)} if previous else None)

    progress(5, _("Reading the figures"))
    # Read and computed once, written out in each language: the Finnish and the Swedish report show the
    # very same figures, and the forecast runs once.
    read = report_figures_in(languages, programme, period, by=by, on=timezone.localdate(issued_at))
    figures: dict[str, dict] = {}
    files: dict[str, bytes] = {}
    step = 80 / len(languages)
    for index, language in enumerate(languages):
        with translation.override(language):
            data = thaw(freeze(read[language]))
            data["report"], data["previous"] = Data(report_meta), thaw(previous_meta) if previous_meta else None
            if previous is not None:
                earlier = previous.figures.get(language) or next(iter(previous.figures.values()))
                data["changes"] = compare(thaw(earlier), data)
            frozen = freeze(data)
            figures[language] = frozen
            progress(15 + index * step, _("Making the PDF"))
            files[language] = render_pdf(thaw(frozen), language=language,
                                         identifier=f"{programme.slug}/{number}/{language}")

    with transaction.atomic():
        # One report number at a time per programme; the comparison above assumed `previous` is the latest.
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        latest = CouncilReport.objects.for_programme(programme).aggregate(n=Max("number"))["n"] or 0
        if latest != (previous.number if previous else 0):
            raise ValidationError(_("Another interim report was issued at the same time. Please issue this one "
                                    "again so that it is compared with that report."), code="issued_meanwhile")
        report = CouncilReport.objects.create(programme=programme, number=number, period=period, languages=languages,
                                              issued_at=issued_at, issued_by=by, previous=previous, figures=figures)
        for language in languages:
            with translation.override(language):
                name = filename(thaw(figures[language]), _("Interim report"), "pdf").replace(".pdf", f"-{number}.pdf")
            CouncilReportFile.objects.create(report=report, language=language, filename=name,
                                             content=files[language], size=len(files[language]))
    progress(100, "")
    return report


# -- the funder's report of a project ----------------------------------------------------------------------


def check_funder_window(*, project, first: tuple[int, int], last: tuple[int, int]) -> None:
    from .funder import project_months

    months = project_months(project)
    if first not in months or last not in months:
        raise ValidationError({"first": ValidationError(_("Choose months inside the project's duration."),
                                                        code="outside_project")})
    if first > last:
        raise ValidationError({"last": ValidationError(_("The last month cannot be before the first."),
                                                       code="months_order")})


def issue_funder_report(*, project, first: tuple[int, int], last: tuple[int, int], language: str, by,
                        progress: Callable[[float, str], None] | None = None):
    """Issue the report of `project` to its funder for the months first..last in `language` (fi or sv): its
    figures are frozen and its PDF and Excel made at once; none of them changes afterwards."""
    from datetime import date

    from .funder import report_figures
    from .funder_files import filename, render_pdf, workbook
    from .models import FUNDER_REPORT_LANGUAGES, FunderReport, FunderReportFile

    if not perms.can_issue_funder_report(by, project):
        raise PermissionDenied
    if language not in dict(FUNDER_REPORT_LANGUAGES):
        raise ValidationError({"language": ValidationError(_("Choose Finnish or Swedish."), code="language")})
    check_funder_window(project=project, first=first, last=last)
    progress = progress or (lambda percent, note="": None)
    issued_at = dates.now()
    progress(5, _("Reading the figures"))
    data = report_figures(project, first, last, language=language, by=by)
    data["report"] = {"issued_at": issued_at.isoformat(), "issued_by": _person(by)}
    frozen = freeze(data)
    with translation.override(language):
        progress(40, _("Making the PDF"))
        pdf = render_pdf(thaw(frozen), identifier=f"{project.pk}/{frozen['window']['label']}/{issued_at}")
        progress(80, _("Writing the workbook"))
        xlsx = workbook(thaw(frozen))
        names = {"pdf": filename(thaw(frozen), "pdf"), "xlsx": filename(thaw(frozen), "xlsx")}
    with transaction.atomic():
        report = FunderReport.objects.create(
            project=project, first_month=date(*first, 1), last_month=date(*last, 1), language=language,
            issued_at=issued_at, issued_by=by, figures=frozen)
        for kind, content in (("pdf", pdf), ("xlsx", xlsx)):
            FunderReportFile.objects.create(report=report, kind=kind, filename=names[kind], content=content,
                                            size=len(content))
    progress(100, "")
    return report
