"""Key results (OKR): objectives of an org unit, their key results and the check-ins on them.

Objective and key-result texts keep the one language the county wrote them in (`language`)
instead of modeltranslation fields: the tables are monolingual and a machine fallback would
only pretend otherwise. Check-ins are append-only: a correction is a new check-in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from karki.figures.marks import MarkedQuerySet

from .enums import Direction, TextLanguage
from .querysets import KeyResultQuerySet, ObjectiveQuerySet


class Objective(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="objectives", verbose_name=_("organisation"))
    org_unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.PROTECT, related_name="objectives",
                                 verbose_name=_("org unit"))
    title = models.TextField(_("objective"))
    language = models.CharField(_("language of the text"), max_length=2, choices=TextLanguage.choices,
                                default=TextLanguage.FI)
    start_date = models.DateField(_("start date"), null=True, blank=True,
                                  help_text=_("Where the expected path of its key results starts."))
    order = models.PositiveIntegerField(_("order"), default=0)
    is_sample_data = models.BooleanField(_("sample data"), default=False)
    # The revision a form was opened on: a save based on an older one is refused (karki.core.conflicts).
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["organisation", "org_unit__order", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class KeyResult(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="key_results",
                                  verbose_name=_("objective"))
    text = models.TextField(_("key result"))
    metric = models.CharField(_("metric"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4, null=True, blank=True)
    # A target written as a band ("95–100 %"): `target` is the edge to reach, the band is kept as written.
    target_low = models.DecimalField(_("target band from"), max_digits=18, decimal_places=4, null=True, blank=True)
    target_high = models.DecimalField(_("target band to"), max_digits=18, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True,
        help_text=_("The year whose level is the baseline (“vuoden 2022 tasosta”); the path starts at its end."))
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, default=Direction.UP)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="key_results", verbose_name=_("owner"))
    risk_threshold = models.PositiveSmallIntegerField(
        _("at-risk confidence threshold"), null=True, blank=True,
        help_text=_("A confidence below this marks the key result at risk; empty uses the default."))
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = KeyResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        ordering = ["objective", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(risk_threshold__isnull=True) | Q(risk_threshold__lte=100),
                                   name="okr_keyresult_threshold_0_100"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def threshold(self) -> int:
        if self.risk_threshold is not None:
            return self.risk_threshold
        return getattr(settings, "OKR_AT_RISK_CONFIDENCE", 50)


class KeyResultMeasure(models.Model):
    """A link to a measure of a programme. Measures are rows of a programme *version*, so the link
    names the programme and the measure code: it follows the measure into every new version and
    reads as the measure of the latest version that has the code."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="measure_links",
                                   verbose_name=_("key result"))
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("programme"))
    measure_code = models.CharField(_("measure code"), max_length=20)
    # Links made and removed, with who did it: the key-result form changes them.
    history = HistoricalRecords()

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("linked measure")
        verbose_name_plural = _("linked measures")
        constraints = [
            models.UniqueConstraint(fields=["key_result", "programme", "measure_code"],
                                    name="okr_keyresultmeasure_unique"),
        ]

    def __str__(self) -> str:
        return self.measure_code


class CheckIn(models.Model):
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins",
                                   verbose_name=_("key result"))
    date = models.DateField(_("date"))
    value = models.DecimalField(_("current value"), max_digits=18, decimal_places=4, null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(_("confidence (0–100)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # A person may mark the confidence as wrong (a measured value typed in the confidence column): it stays
    # in the check-in and its history, and is no longer used for the at-risk decision.
    confidence_wrong = models.BooleanField(_("confidence marked as wrong"), default=False)
    # Where an imported check-in came from: the file and the row a spreadsheet shows.
    source_file = models.CharField(_("imported from"), max_length=255, blank=True)
    source_row = models.PositiveIntegerField(_("row of the imported table"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = HistoricalRecords()

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=100),
                                   name="okr_checkin_confidence_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.key_result_id} {self.date}"

    @property
    def confidence_used(self) -> bool:
        """Whether its confidence can count for the at-risk decision (a later value-only check-in may
        still supersede it there)."""
        return self.confidence is not None and not self.confidence_wrong
