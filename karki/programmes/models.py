"""A productivity programme, its versions and everything a version holds.

Content (themes, targets, measures, risks …) belongs to one `ProgrammeVersion`. An approved
version is frozen: `VersionContent.save()/delete()` and its QuerySet's bulk operations refuse to
touch it, so no path (views, API, admin, imports, shell) can change what the council approved.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karki.figures.marks import MarkedQuerySet
from karki.lib import money

from .enums import (
    Basket,
    CostCategory,
    Difficulty,
    Direction,
    EstimateKind,
    FundingKind,
    Horizon,
    PotentialClass,
    Recurrence,
    RiskCategory,
    ServiceLevelImpact,
    TopDownDimension,
    VersionStatus,
)
from .querysets import ProgrammeQuerySet, VersionContentQuerySet, VersionQuerySet

EUR = {"max_digits": 14, "decimal_places": 2}


# Codes appear in addresses (/measures/1.2.b/) and in exports: letters, digits, dots, hyphens and
# underscores, as the counties write them (1, 1.2, 1.2.b, R4, T-3).
validate_code = RegexValidator(
    r"^[\w.\-]+\Z", _("Use only letters, digits, dots, hyphens and underscores in a code, for example 1.2.b."),
    code="invalid_code",
)


class VersionFrozen(ValidationError):
    """Raised on any attempt to change an approved version."""

    def __init__(self, version=None):
        super().__init__(
            _("Version %(label)s is approved and can no longer be changed. Start a new version to make changes."),
            code="version_frozen",
            params={"label": getattr(version, "display_label", "")},
        )


def target_year_message(first: int, last: int) -> str:
    """The target is a yearly level in one of the programme's years: the forecast and the status picture
    compare that year's savings with it."""
    return str(_("The target year must be one of the programme's years, %(first)s–%(last)s.")
               % {"first": first, "last": last})


class Programme(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="programmes",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    target_eur = models.DecimalField(_("financial target (€)"), null=True, blank=True, **EUR)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_description = models.TextField(_("how the target is built"), blank=True)
    # An accumulated deficit the programme must cover by a year (by law): covered by the savings of each year,
    # recurring and one-off alike, added up year by year.
    deficit_eur = models.DecimalField(_("accumulated deficit to cover (€)"), null=True, blank=True, **EUR)
    deficit_year = models.PositiveSmallIntegerField(_("deficit covered by"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_label = models.CharField(_("baseline"), max_length=200, blank=True)
    baseline_operating_costs_eur = models.DecimalField(
        _("baseline operating costs (€)"), null=True, blank=True, **EUR
    )
    decision_body = models.CharField(_("decided by"), max_length=200, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    is_sample_data = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["organisation__slug", "-period_start", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="programmes_programme_period_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.slug

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The last year cannot be before the first year.")})
        if self.target_year is not None and self.period_start and self.period_end \
                and self.target_year not in self.years:
            raise ValidationError({"target_year": target_year_message(self.period_start, self.period_end)},
                                  code="target_year_outside")
        if (self.deficit_eur is None) != (self.deficit_year is None):
            raise ValidationError({"deficit_year" if self.deficit_year is None else "deficit_eur": _(
                "Give both the accumulated deficit and the year by which it must be covered, or neither.")},
                code="deficit_incomplete")
        if self.deficit_year is not None and self.period_start and self.period_end \
                and self.deficit_year not in self.years:
            raise ValidationError({"deficit_year": _(
                "The year by which the deficit is covered must be one of the programme's years, "
                "%(first)s–%(last)s.") % {"first": self.period_start, "last": self.period_end}},
                code="deficit_year_outside")

    @property
    def years(self) -> list[int]:
        return list(range(self.period_start, self.period_end + 1))


class ProgrammeVersion(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    source = models.CharField(_("source"), max_length=300, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("based on")
    )
    stated_total_eur = models.DecimalField(_("stated total (€)"), null=True, blank=True, **EUR)
    effects_start_year = models.PositiveSmallIntegerField(
        _("first year of savings"), null=True, blank=True,
        help_text=_("The year from which the measures' savings start to build up."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programmes_version_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False),
                name="programmes_version_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def display_label(self) -> str:
        return self.label or str(self.number)

    @property
    def first_effect_year(self) -> int:
        return self.effects_start_year or self.programme.period_start

    def save(self, *args, **kwargs):
        if self.pk:
            stored = ProgrammeVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == VersionStatus.APPROVED:
                raise VersionFrozen(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and ProgrammeVersion.objects.filter(pk=self.pk, status=VersionStatus.APPROVED).exists():
            raise VersionFrozen(self)
        return super().delete(*args, **kwargs)


class Publication(models.Model):
    """An approved version made readable to signed-in users of other organisations.

    Publishing does not touch the frozen version: it is a record of its own, withdrawn by stamping
    `withdrawn_at`, so both acts stay in the history with their authors.
    """

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.PROTECT, related_name="publications",
                                verbose_name=_("version"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"], condition=Q(withdrawn_at__isnull=True), name="programmes_publication_one_live"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_by__isnull=False),
                name="programmes_publication_withdrawn_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.published_at:%Y-%m-%d}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


class VersionContent(models.Model):
    """Anything that belongs to one programme version and is frozen with it."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.CASCADE, related_name="+")

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # Every content model inherits this; the ones people name (themes, targets, measures) override it.
        label = getattr(self, "code", None) or self.pk
        return f"{self._meta.verbose_name} {label}"

    def _check_not_frozen(self) -> None:
        version_ids = {self.version_id}
        if self.pk:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("version_id", flat=True).first()
            if stored:
                version_ids.add(stored)
        if ProgrammeVersion.objects.filter(pk__in=version_ids, status=VersionStatus.APPROVED).exists():
            raise VersionFrozen(self.version)

    def save(self, *args, **kwargs):
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_not_frozen()
        return super().delete(*args, **kwargs)


class EstimateFields(models.Model):
    """A savings estimate (positive = costs fall) on a productivity target or a measure."""

    estimate_kind = models.CharField(_("estimate kind"), max_length=20, choices=EstimateKind.choices, blank=True)
    estimate_amount_eur = models.DecimalField(_("amount (€)"), null=True, blank=True, **EUR)
    estimate_min_eur = models.DecimalField(_("minimum (€)"), null=True, blank=True, **EUR)
    estimate_max_eur = models.DecimalField(_("maximum (€)"), null=True, blank=True, **EUR)
    estimate_note = models.TextField(_("note on the estimate"), blank=True)
    # A recurring estimate is a yearly effect that lowers the cost level from its start on; a one-off is an
    # amount that counts once, in the year the measure takes effect.
    estimate_recurrence = models.CharField(_("recurring or one-off"), max_length=10, choices=Recurrence.choices,
                                           default=Recurrence.RECURRING)

    class Meta:
        abstract = True

    @classmethod
    def estimate_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=(
                    Q(estimate_kind="", estimate_amount_eur__isnull=True, estimate_min_eur__isnull=True,
                      estimate_max_eur__isnull=True)
                    | Q(estimate_kind__in=["point", "upper_bound"], estimate_amount_eur__isnull=False,
                        estimate_min_eur__isnull=True, estimate_max_eur__isnull=True)
                    | Q(estimate_kind="range", estimate_amount_eur__isnull=True, estimate_min_eur__isnull=False,
                        estimate_max_eur__isnull=False, estimate_min_eur__lte=models.F("estimate_max_eur"))
                    | Q(estimate_kind__in=["enabling", "to_be_specified"], estimate_amount_eur__isnull=True,
                        estimate_min_eur__isnull=True, estimate_max_eur__isnull=True)
                ),
                name=f"{prefix}_estimate_fits_kind",
            ),
        ]

    @property
    def estimate(self) -> money.Estimate | None:
        if not self.estimate_kind:
            return None
        return money.Estimate(
            money.EstimateKind(self.estimate_kind),
            amount=self.estimate_amount_eur,
            low=self.estimate_min_eur,
            high=self.estimate_max_eur,
        )

    @property
    def potential_class(self) -> str | None:
        estimate = self.estimate
        cls = estimate.potential_class if estimate else None
        return str(cls) if cls else None

    def get_potential_class_display(self) -> str:
        return str(PotentialClass(self.potential_class).label) if self.potential_class else ""


class Theme(VersionContent):
    """A spearhead (tuottavuuskärki / spets) or theme."""

    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner (as written)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="programmes_theme_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Target(VersionContent, EstimateFields):
    """A productivity target (tuottavuuskohde / produktivitetsobjekt) with its measures."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="targets", verbose_name=_("theme"))
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    org_unit = models.ForeignKey(
        "organisations.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("org unit"),
    )
    potential_class_stated = models.CharField(
        _("potential class (as stated)"), max_length=10, choices=PotentialClass.choices, blank=True
    )
    difficulty = models.CharField(_("implementation difficulty"), max_length=20, choices=Difficulty.choices, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("productivity target")
        verbose_name_plural = _("productivity targets")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="programmes_target_code_unique"),
            *EstimateFields.estimate_constraints("programmes_target"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Measure(VersionContent, EstimateFields):
    """A measure (toimenpide / åtgärd). Basket A measures sit under a target; B and C are
    contingency measures prepared for activation if A under-delivers."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, null=True, blank=True, related_name="measures",
        verbose_name=_("productivity target"),
    )
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    basket = models.CharField(_("basket"), max_length=1, choices=Basket.choices, default=Basket.A)
    horizon = models.CharField(_("realisation horizon"), max_length=10, choices=Horizon.choices, blank=True)
    difficulty = models.CharField(_("implementation difficulty"), max_length=20, choices=Difficulty.choices, blank=True)
    org_unit = models.ForeignKey(
        "organisations.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("org unit"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner (as written)"), max_length=200, blank=True)
    # Contingency (basket B and C) measures: management's order of preference and what each costs
    # residents in service level; the baskets view proposes them in this order to close a gap.
    contingency_rank = models.PositiveSmallIntegerField(
        _("order of preference"), null=True, blank=True,
        help_text=_("Basket B and C measures: the order in which management prefers to activate them, 1 first."),
    )
    service_level_impact = models.CharField(
        _("cost in service level"), max_length=10, choices=ServiceLevelImpact.choices, blank=True,
    )
    service_level_effect = models.TextField(_("what it costs in service level"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="programmes_measure_code_unique"),
            models.CheckConstraint(
                condition=Q(basket="A", target__isnull=False) | Q(basket__in=["B", "C"]),
                name="programmes_measure_basket_a_has_target",
            ),
            models.CheckConstraint(
                condition=Q(basket__in=["B", "C"]) | Q(contingency_rank__isnull=True),
                name="programmes_measure_rank_only_contingency",
            ),
            *EstimateFields.estimate_constraints("programmes_measure"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MeasureDependency(VersionContent):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="dependencies")
    depends_on = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="dependents",
                                   verbose_name=_("depends on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(fields=["measure", "depends_on"], name="programmes_dependency_unique"),
            models.CheckConstraint(condition=~Q(measure=models.F("depends_on")), name="programmes_dependency_not_self"),
        ]


class StatedTotal(VersionContent):
    """A sum a source document states (for a theme, or the programme when theme is empty)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="stated_totals")
    amount_eur = models.DecimalField(_("stated amount (€)"), **EUR)
    source = models.CharField(_("where it is stated"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stated total")
        verbose_name_plural = _("stated totals")
        ordering = ["pk"]


class YearlyRampStep(VersionContent):
    """The programme's stated yearly savings (annual effect in that year)."""

    year = models.PositiveSmallIntegerField(_("year"))
    savings_eur = models.DecimalField(_("savings in the year (€)"), **EUR)

    class Meta:
        verbose_name = _("yearly ramp step")
        verbose_name_plural = _("yearly ramp")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["version", "year"], name="programmes_ramp_year_unique")]


class CostCategoryEffect(VersionContent):
    """Bottom-up effect of a target or measure on one cost category (negative = costs fall)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, null=True, blank=True, related_name="cost_effects")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="cost_effects")
    category = models.CharField(_("cost category"), max_length=30, choices=CostCategory.choices)
    cost_change_min_eur = models.DecimalField(_("cost change, low (€)"), **EUR)
    cost_change_max_eur = models.DecimalField(_("cost change, high (€)"), **EUR)

    class Meta:
        verbose_name = _("cost-category effect")
        verbose_name_plural = _("cost-category effects")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_change_min_eur__lte=models.F("cost_change_max_eur")),
                name="programmes_costeffect_range_order",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=False, measure__isnull=True) | Q(target__isnull=True, measure__isnull=False),
                name="programmes_costeffect_one_owner",
            ),
        ]


class TopDownTarget(VersionContent):
    """A target set from above, by cost category or by service area, as a range of cost change."""

    dimension = models.CharField(_("dimension"), max_length=20, choices=TopDownDimension.choices)
    category = models.CharField(_("cost category"), max_length=30, choices=CostCategory.choices, blank=True)
    org_unit = models.ForeignKey(
        "organisations.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("service area"),
    )
    cost_change_min_eur = models.DecimalField(_("cost change, low (€)"), **EUR)
    cost_change_max_eur = models.DecimalField(_("cost change, high (€)"), **EUR)
    years = models.CharField(_("years"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("top-down target")
        verbose_name_plural = _("top-down targets")
        ordering = ["dimension", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_change_min_eur__lte=models.F("cost_change_max_eur")),
                name="programmes_topdown_range_order",
            ),
            models.CheckConstraint(
                condition=Q(dimension="cost_category", org_unit__isnull=True) & ~Q(category="")
                | Q(dimension="service_area", org_unit__isnull=False),
                name="programmes_topdown_dimension_fits",
            ),
        ]


class Funding(VersionContent):
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=FundingKind.choices)
    total_eur = models.DecimalField(_("total (€)"), null=True, blank=True, **EUR)
    grant_share_eur = models.DecimalField(_("grant share (€)"), null=True, blank=True, **EUR)
    own_share_eur = models.DecimalField(_("own share (€)"), null=True, blank=True, **EUR)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="programmes_funding_code_unique")]


class FundingAllocation(VersionContent):
    funding = models.ForeignKey(Funding, on_delete=models.CASCADE, related_name="allocations")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    label = models.CharField(_("allocated to"), max_length=300, blank=True)
    # The project of the programme's project list that spends this part of the funding, if one does; its
    # plan, budget and follow-up are the organisation's project with the same code (karki/projects).
    project = models.ForeignKey("Project", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="allocations", verbose_name=_("project"))
    share_pct_min = models.DecimalField(_("share, low (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    share_pct_max = models.DecimalField(_("share, high (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    amount_eur = models.DecimalField(_("amount (€)"), null=True, blank=True, **EUR)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("funding allocation")
        verbose_name_plural = _("funding allocations")
        ordering = ["order", "pk"]

    @property
    def amount_range(self) -> tuple[Decimal | None, Decimal | None]:
        total = self.funding.total_eur
        if self.amount_eur is not None:
            return self.amount_eur, self.amount_eur
        if total is None or self.share_pct_min is None:
            return None, None
        high = self.share_pct_max if self.share_pct_max is not None else self.share_pct_min
        return total * self.share_pct_min / 100, total * high / 100


class Project(VersionContent):
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    total_cost_eur = models.DecimalField(_("total cost (€)"), null=True, blank=True, **EUR)
    grant_share_eur = models.DecimalField(_("grant share (€)"), null=True, blank=True, **EUR)
    own_share_eur = models.DecimalField(_("own share (€)"), null=True, blank=True, **EUR)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="programmes_project_code_unique")]


class ProjectMeasure(VersionContent):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="project_links")

    class Meta:
        verbose_name = _("measure of a project")
        verbose_name_plural = _("measures of projects")
        constraints = [models.UniqueConstraint(fields=["project", "measure"], name="programmes_projectmeasure_unique")]


class Indicator(VersionContent):
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("programme indicator")
        verbose_name_plural = _("programme indicators")
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="programmes_indicator_code_unique")]


class Risk(VersionContent):
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="risks", verbose_name=_("theme"),
        help_text=_("The theme whose owner looks after this risk; empty for risks of the whole programme."),
    )
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    title = models.CharField(_("risk"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner (as written)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="programmes_risk_code_unique"),
            models.CheckConstraint(
                condition=Q(likelihood__isnull=True) | Q(likelihood__gte=1, likelihood__lte=5),
                name="programmes_risk_likelihood_1_5",
            ),
            models.CheckConstraint(
                condition=Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5), name="programmes_risk_impact_1_5"
            ),
        ]

    @property
    def score(self) -> int | None:
        if self.likelihood and self.impact:
            return self.likelihood * self.impact
        return None


class ImpactAssessment(VersionContent):
    """Effects of a measure (or of a theme) on people, per the impact-assessment duty."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="impacts")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="impacts")
    clients = models.TextField(_("clients"), blank=True)
    staff = models.TextField(_("staff"), blank=True)
    equality_language = models.TextField(_("equality and language groups"), blank=True)
    wellbeing = models.TextField(_("wellbeing and health"), blank=True)
    finances = models.TextField(_("finances"), blank=True)

    class Meta:
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False, theme__isnull=True) | Q(measure__isnull=True, theme__isnull=False)
                | Q(measure__isnull=True, theme__isnull=True),
                name="programmes_impact_one_subject",
            ),
        ]


class Goal(VersionContent):
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.TextField(_("goal"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="programmes_goal_code_unique")]


# Models copied when a new version starts, in an order where every foreign key target comes first.
VERSION_CONTENT_MODELS: list[type[VersionContent]] = [
    Theme, Target, Measure, MeasureDependency, StatedTotal, YearlyRampStep, CostCategoryEffect,
    TopDownTarget, Funding, Project, FundingAllocation, ProjectMeasure, Indicator, Risk, ImpactAssessment, Goal,
]
