"""What-if scenarios saved to compare later, and management's decisions on the contingency baskets.

Both are append-only: a scenario is saved once under its name, and a changed mind about a basket is a
new decision, so the record of what management decided, when and why stays as it was written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import BasketDecisionKind, ContingencyBasket
from .querysets import BasketDecisionQuerySet, ScenarioQuerySet

EUR = {"max_digits": 14, "decimal_places": 2}


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are never changed; record a new one")
        super().save(*args, **kwargs)


class Scenario(AppendOnly):
    """A named what-if: changes (delay, drop, new estimate) to measures or targets of one version."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="forecast_scenarios",
                                  verbose_name=_("programme"))
    version = models.ForeignKey("programmes.ProgrammeVersion", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("version"))
    name = models.CharField(_("name"), max_length=120)
    changes = models.JSONField(_("changes"), default=list)
    period_key = models.CharField(_("reporting period"), max_length=7, blank=True)
    draws = models.PositiveIntegerField(_("draws"))
    seed = models.PositiveBigIntegerField(_("seed"))
    # The forecast of the target year as it was when saved, to compare with the figures of today.
    probability_pct = models.DecimalField(_("probability of reaching the target (%)"), max_digits=5,
                                          decimal_places=1, null=True, blank=True)
    p10_eur = models.DecimalField(_("P10 in the target year (€)"), **EUR)
    p50_eur = models.DecimalField(_("P50 in the target year (€)"), **EUR)
    p90_eur = models.DecimalField(_("P90 in the target year (€)"), **EUR)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("saved by"))
    created_at = models.DateTimeField(_("saved at"))

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("what-if scenario")
        verbose_name_plural = _("what-if scenarios")
        ordering = ["programme", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="forecasts_scenario_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class BasketDecision(AppendOnly):
    """The management team's decision to activate basket B or C, or not to, with its reasoning."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="basket_decisions",
                                  verbose_name=_("programme"))
    basket = models.CharField(_("basket"), max_length=1, choices=ContingencyBasket.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=BasketDecisionKind.choices)
    decided_on = models.DateField(_("decided on"))
    reasoning = models.TextField(_("reasoning"))
    # Written once, in the language of the person recording it, and shown with that lang attribute.
    language = models.CharField(_("language of the text"), max_length=5, choices=settings.LANGUAGES, default="fi")
    measure_codes = models.CharField(_("measures"), max_length=300, blank=True,
                                     help_text=_("Codes of the basket's measures the decision concerns."))
    # What the forecast said when the decision was recorded.
    certainty = models.PositiveSmallIntegerField(_("certainty (%)"), null=True, blank=True)
    gap_eur = models.DecimalField(_("gap to the target at that certainty (€)"), null=True, blank=True, **EUR)
    probability_pct = models.DecimalField(_("probability of reaching the target (%)"), max_digits=5,
                                          decimal_places=1, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = BasketDecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("basket decision")
        verbose_name_plural = _("basket decisions")
        ordering = ["programme", "decided_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(basket__in=["B", "C"]), name="forecasts_decision_basket_b_or_c"),
            models.CheckConstraint(condition=~Q(reasoning=""), name="forecasts_decision_has_reasoning"),
            models.CheckConstraint(condition=Q(certainty__isnull=True) | Q(certainty__lte=100),
                                   name="forecasts_decision_certainty_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.basket} {self.decision} {self.decided_on}"

    @property
    def measure_code_list(self) -> list[str]:
        return [code.strip() for code in self.measure_codes.split(",") if code.strip()]
