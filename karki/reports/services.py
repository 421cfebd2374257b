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
