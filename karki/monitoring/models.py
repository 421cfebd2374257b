"""Monthly monitoring of a running programme: reporting periods, a status report per measure and
period, and the realised savings of each report by cost category.

Reports are written against the measures of the version being run (the latest approved one) and
follow a measure across versions by its code: `measure_code` is what the status picture joins on,
`measure` records which version's measure the owner saw when writing (see docs/decisions.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from karki.programmes.enums import CostCategory, Recurrence

from .enums import PeriodStatus, Phase, ReviewState, TrafficLight, Verification
from .querysets import PeriodQuerySet, RealisedSavingQuerySet, StatusReportQuerySet

EUR = {"max_digits": 14, "decimal_places": 2}


class Period(models.Model):
    """A reporting period (raportointijakso): one calendar month of one programme."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="periods",
                                  verbose_name=_("programme"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField(_("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("opened by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["programme", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "month"], name="monitoring_period_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monitoring_period_month_1_12"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="monitoring_period_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.slug} {self.key}"

    @property
    def key(self) -> str:
        """YYYY-MM, as in addresses and the API."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def ordinal(self) -> int:
        return self.year * 12 + self.month - 1


class StatusReport(models.Model):
    """A measure owner's monthly status report (tilanneraportti) on one measure."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports",
                               verbose_name=_("reporting period"))
    measure = models.ForeignKey("programmes.Measure", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("measure"))
    measure_code = models.CharField(_("measure code"), max_length=20)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    status = models.CharField(_("status"), max_length=10, choices=TrafficLight.choices)
    narrative = models.TextField(_("what happened"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    # The owner writes in one language; the text is stored as written, with its language, so that
    # readers see it marked up with the right lang attribute (no machine translation).
    language = models.CharField(_("language of the text"), max_length=5, choices=settings.LANGUAGES, default="fi")
    escalation = models.BooleanField(_("escalate to the programme office"), default=False)
    revised_expected_eur = models.DecimalField(
        _("revised forecast of yearly savings (€)"), null=True, blank=True,
        help_text=_("Only when your view of the estimate has changed; the decided estimate stays as it was."), **EUR,
    )
    forecast_note = models.TextField(_("why the forecast changed"), blank=True)
    # The owner's own judgement of the chance that the measure delivers its savings; the forecast
    # (karki/forecasts) prefers it to a chance read from the phase and the traffic light.
    confidence = models.PositiveSmallIntegerField(
        _("confidence (0–100)"), null=True, blank=True, validators=[MaxValueValidator(100)],
        help_text=_("How sure you are, from 0 to 100, that the measure delivers its savings. Optional."),
    )
    state = models.CharField(_("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = StatusReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["period", "measure_code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "measure_code"], name="monitoring_report_unique"),
            models.CheckConstraint(condition=Q(state="draft") | Q(submitted_at__isnull=False),
                                   name="monitoring_report_submitted_has_time"),
            models.CheckConstraint(condition=~Q(state="returned") | ~Q(review_comment=""),
                                   name="monitoring_report_returned_has_comment"),
            models.CheckConstraint(condition=Q(confidence__isnull=True) | Q(confidence__lte=100),
                                   name="monitoring_report_confidence_0_100"),
        ]
        indexes = [models.Index(fields=["measure_code", "period"], name="monitoring_report_code_idx")]

    def __str__(self) -> str:
        return f"{self.measure_code} · {self.period.key}" if self.period_id else self.measure_code


class RealisedSaving(models.Model):
    """Savings realised in the report's period in one cost category (positive = costs fell).

    The owner's amount is a claim until finance verifies it, verifies another amount (adjusted, with a
    reason) or rejects it (with a reason; verified amount zero). Every step is a history row with the
    person and the time. An owner who changes a claim finance has decided on sends it back to claimed;
    `previously_verified_eur` keeps what finance had verified, so that finance sees why it is back."""

    report = models.ForeignKey(StatusReport, on_delete=models.CASCADE, related_name="savings",
                               verbose_name=_("status report"))
    category = models.CharField(_("cost category"), max_length=30, choices=CostCategory.choices)
    amount_eur = models.DecimalField(_("realised savings (€)"), **EUR)
    # Recurring: the cost level fell and stays lower (carried into the months after); one-off: only this
    # month's result (a property sale, a postponed purchase).
    recurrence = models.CharField(_("recurring or one-off"), max_length=10, choices=Recurrence.choices,
                                  default=Recurrence.RECURRING)
    verification = models.CharField(_("verification by finance"), max_length=10, choices=Verification.choices,
                                    default=Verification.CLAIMED)
    verified_amount_eur = models.DecimalField(_("verified by finance (€)"), null=True, blank=True, **EUR)
    verification_reason = models.TextField(_("reason given by finance"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    previously_verified_eur = models.DecimalField(
        _("verified before the claim changed (€)"), null=True, blank=True, **EUR)
    revision = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    objects = RealisedSavingQuerySet.as_manager()

    class Meta:
        verbose_name = _("realised saving")
        verbose_name_plural = _("realised savings")
        ordering = ["report", "category"]
        constraints = [
            models.UniqueConstraint(fields=["report", "category", "recurrence"],
                                    name="monitoring_saving_category_unique"),
            models.CheckConstraint(
                condition=(Q(verification="claimed", verified_amount_eur__isnull=True, verified_at__isnull=True)
                           | (~Q(verification="claimed") & Q(verified_amount_eur__isnull=False,
                                                              verified_at__isnull=False))),
                name="monitoring_saving_decided_has_amount_and_time"),
            models.CheckConstraint(condition=Q(verification__in=["claimed", "verified"]) | ~Q(verification_reason=""),
                                   name="monitoring_saving_adjusted_rejected_have_reason"),
            models.CheckConstraint(condition=~Q(verification="rejected") | Q(verified_amount_eur=0),
                                   name="monitoring_saving_rejected_is_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.amount_eur}"


class Reminder(models.Model):
    """A reminder e-mail sent about missing reports; at most one per period, person and day, so that
    the command can run from cron as often as wanted."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders",
                               verbose_name=_("reporting period"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("recipient"))
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Who pressed the button on the "who has not reported" page; empty when the scheduled command sent it.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("sent by"))
    language = models.CharField(_("language"), max_length=5)
    measure_codes = models.TextField(_("measures"), blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["period", "recipient", "sent_on"], name="monitoring_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} · {self.sent_on}"
