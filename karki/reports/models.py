"""Council interim reports (osavuosikatsaus / delårsrapport) as issued: frozen figures and their PDFs.

An issued report never changes: its figures are stored as JSON when it is issued, its PDFs are made
from them at once, and `save()`/`delete()` refuse to touch a stored report, so what the council read
can always be downloaded again as it was.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import CouncilReportQuerySet


class ReportIssued(ValidationError):
    def __init__(self):
        super().__init__(_("An issued council report cannot be changed or removed."), code="report_issued")


class CouncilReport(models.Model):
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="council_reports",
                                  verbose_name=_("programme"))
    number = models.PositiveIntegerField(_("number"))
    period = models.ForeignKey("monitoring.Period", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("reporting period"))
    languages = models.JSONField(_("languages"), default=list)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("previous report"))
    # {"fi": {...}, "sv": {...}}: the figures of figures.report_figures() in each language, with the
    # changes since the previous report, frozen when the report was issued.
    figures = models.JSONField(_("figures"), default=dict)

    objects = CouncilReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("council report")
        verbose_name_plural = _("council reports")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="reports_councilreport_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.slug} #{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReportIssued()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReportIssued()


class CouncilReportFile(models.Model):
    """The PDF of an issued report in one language, made when it was issued."""

    report = models.ForeignKey(CouncilReport, on_delete=models.PROTECT, related_name="files")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("council report file")
        verbose_name_plural = _("council report files")
        ordering = ["report", "language"]
        constraints = [
            models.UniqueConstraint(fields=["report", "language"], name="reports_councilreportfile_unique"),
        ]

    def __str__(self) -> str:
        return self.filename

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReportIssued()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReportIssued()


class FunderReportIssued(ValidationError):
    def __init__(self):
        super().__init__(_("An issued funder's report cannot be changed or removed."), code="report_issued")


FUNDER_REPORT_LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish"))]


class FunderReport(models.Model):
    """A project's report to its funder (e.g. the state grant's ministry) for a window of months, as issued.

    Frozen like the council report: its figures are stored as JSON in its language when it is issued,
    its PDF and Excel are made from them at once, and later changes to the plan or the follow-up never
    change it."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="funder_reports",
                                verbose_name=_("project"))
    # The first days of the window's first and last month.
    first_month = models.DateField(_("from (month)"))
    last_month = models.DateField(_("to (month)"))
    language = models.CharField(_("language"), max_length=5, choices=FUNDER_REPORT_LANGUAGES)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    # The figures of funder.report_figures(), in the report's language, frozen when it was issued.
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("funder's report")
        verbose_name_plural = _("funder's reports")
        ordering = ["project", "-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(last_month__gte=models.F("first_month")),
                                   name="reports_funderreport_months_order"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.first_month:%Y-%m}–{self.last_month:%Y-%m}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FunderReportIssued()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FunderReportIssued()

    @property
    def window_label(self) -> str:
        return f"{self.first_month.month}/{self.first_month.year}–{self.last_month.month}/{self.last_month.year}"


class FunderReportFile(models.Model):
    """The PDF or the Excel workbook of an issued funder's report, made when it was issued."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"

    report = models.ForeignKey(FunderReport, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("funder's report file")
        verbose_name_plural = _("funder's report files")
        ordering = ["report", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="reports_funderreportfile_unique"),
        ]

    def __str__(self) -> str:
        return self.filename

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FunderReportIssued()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FunderReportIssued()
