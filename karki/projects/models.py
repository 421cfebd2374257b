"""Projects: the plans that carry a programme's measures, with their structure, budget and funders,
schedule, risks, indicators and monthly follow-up.

A project is content of an organisation, not of a programme version: its plan changes month by month
while the programme's approved versions stay frozen. It is followed through one programme
(`programme`): that programme's reporting periods, reminders, review and status picture. Which of the
programme's measures it carries is written in the programme version (`programmes.ProjectMeasure`),
matched to the project by its code within the organisation, so an approved version keeps saying what
the council approved.

Money rules (each budget line's shares add up to its total, a funder never above its allowed share of
the project, budget years inside the project) live in `services.py`, which every path calls.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karki.monitoring.enums import ReviewState, TrafficLight
from karki.programmes.enums import Direction, RiskCategory
from karki.programmes.models import validate_code

from .enums import CostType, FunderKind, ItemKind, MilestoneStatus, ProjectStatus
from .querysets import ProjectQuerySet

EUR = {"max_digits": 14, "decimal_places": 2}


class Project(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="projects", verbose_name=_("organisation"))
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("followed in programme"),
        help_text=_("The programme whose reporting periods, review and status picture follow this project."),
    )
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    impacts = models.TextField(_("impacts"), blank=True)
    dependencies = models.TextField(_("dependencies"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    owner_name = models.CharField(_("owner (as written)"), max_length=200, blank=True)
    org_unit = models.ForeignKey("organisations.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("org unit"))
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices,
                              default=ProjectStatus.PLANNED)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_sample_data = models.BooleanField(_("sample data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The revision a form was opened on: a save based on an older one is refused (karki.core.conflicts).
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="projects_project_code_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="projects_project_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_date.year, self.end_date.year + 1))


class WorkItem(models.Model):
    """One item of the plan's structure: a sub-area, a development area or a work package (any depth)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items", verbose_name=_("project"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("part of"))
    kind = models.CharField(_("level"), max_length=10, choices=ItemKind.choices)
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("item of the plan")
        verbose_name_plural = _("items of the plan")
        ordering = ["project", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="projects_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Funder(models.Model):
    """Who pays a share of the project: a state grant, EU/RRP funding, the county's own funding."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funders",
                                verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    kind = models.CharField(_("kind"), max_length=10, choices=FunderKind.choices)
    name = models.CharField(_("name"), max_length=300)
    # A grant pays at most this share of the project's total cost (e.g. 80 %); empty = no limit.
    max_share_pct = models.DecimalField(
        _("allowed share (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The largest share of the project's total cost this funder may pay; empty if none."),
    )
    # The programme's funding this money comes from (e.g. the state stabilisation grant), by its code.
    funding_code = models.CharField(_("programme funding"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["project", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="projects_funder_code_unique"),
            models.CheckConstraint(
                condition=Q(max_share_pct__isnull=True) | Q(max_share_pct__gte=0, max_share_pct__lte=100),
                name="projects_funder_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_own(self) -> bool:
        return self.kind == FunderKind.OWN


class BudgetLine(models.Model):
    """The planned cost of one item in one year and cost type; its shares say who pays it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines",
                                verbose_name=_("project"))
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="budget_lines",
                             verbose_name=_("item"))
    year = models.PositiveSmallIntegerField(_("year"))
    cost_type = models.CharField(_("cost type"), max_length=10, choices=CostType.choices)
    total_eur = models.DecimalField(_("total (€)"), validators=[MinValueValidator(0)], **EUR)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "item__order", "item__code", "year", "cost_type"]
        constraints = [
            models.UniqueConstraint(fields=["item", "year", "cost_type"], name="projects_budget_line_unique"),
            models.CheckConstraint(condition=Q(total_eur__gte=0), name="projects_budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.year} {self.cost_type}"


class BudgetShare(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="shares",
                             verbose_name=_("budget line"))
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="shares", verbose_name=_("funder"))
    amount_eur = models.DecimalField(_("amount (€)"), **EUR)

    class Meta:
        verbose_name = _("funder's share")
        verbose_name_plural = _("funders' shares")
        constraints = [
            models.UniqueConstraint(fields=["line", "funder"], name="projects_share_unique"),
            models.CheckConstraint(condition=Q(amount_eur__gte=0), name="projects_share_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.funder_id} {self.amount_eur}"


class Phase(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases", verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["project", "start_date", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="projects_phase_code_unique"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="projects_phase_dates_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones",
                              verbose_name=_("phase"))
    item = models.ForeignKey(WorkItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones",
                             verbose_name=_("item"))
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    owner_name = models.CharField(_("owner (as written)"), max_length=200, blank=True)
    deliverable = models.TextField(_("deliverable"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_date", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="projects_milestone_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProjectRisk(models.Model):
    """A risk of a project; the programme's risk register shows it beside the programme's own risks."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks", verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
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
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    owner_name = models.CharField(_("owner (as written)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("project risk")
        verbose_name_plural = _("project risks")
        ordering = ["project", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="projects_risk_code_unique"),
            models.CheckConstraint(
                condition=Q(likelihood__isnull=True) | Q(likelihood__gte=1, likelihood__lte=5),
                name="projects_risk_likelihood_1_5",
            ),
            models.CheckConstraint(
                condition=Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5), name="projects_risk_impact_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def score(self) -> int | None:
        if self.likelihood and self.impact:
            return self.likelihood * self.impact
        return None


class ProjectIndicator(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators",
                                verbose_name=_("project"))
    code = models.CharField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("project indicator")
        verbose_name_plural = _("project indicators")
        ordering = ["project", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="projects_indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorValue(models.Model):
    """A measured value of an indicator on a date: of a project's indicator, or of a programme indicator
    (followed across the programme's versions by its code, as status reports follow measures)."""

    project_indicator = models.ForeignKey(ProjectIndicator, on_delete=models.CASCADE, null=True, blank=True,
                                          related_name="values", verbose_name=_("project indicator"))
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="indicator_values", verbose_name=_("programme"))
    indicator_code = models.CharField(_("indicator code"), max_length=20, blank=True)
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(_("source"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["measured_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project_indicator__isnull=False, programme__isnull=True, indicator_code="")
                | Q(project_indicator__isnull=True, programme__isnull=False) & ~Q(indicator_code=""),
                name="projects_value_one_indicator",
            ),
            models.UniqueConstraint(fields=["project_indicator", "measured_on"],
                                    condition=Q(project_indicator__isnull=False),
                                    name="projects_value_project_date_unique"),
            models.UniqueConstraint(fields=["programme", "indicator_code", "measured_on"],
                                    condition=Q(programme__isnull=False),
                                    name="projects_value_programme_date_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code or self.project_indicator_id} {self.measured_on}"


class ProjectReport(models.Model):
    """The project owner's monthly follow-up (seuranta) in one reporting period of the programme."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports",
                                verbose_name=_("project"))
    period = models.ForeignKey("monitoring.Period", on_delete=models.PROTECT, related_name="project_reports",
                               verbose_name=_("reporting period"))
    status = models.CharField(_("status"), max_length=10, choices=TrafficLight.choices)
    narrative = models.TextField(_("what happened"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    language = models.CharField(_("language of the text"), max_length=5, choices=settings.LANGUAGES, default="fi")
    escalation = models.BooleanField(_("escalate to the programme office"), default=False)
    # The owner's estimate of the project's whole cost at completion; empty = spent so far + the plan left.
    forecast_total_eur = models.DecimalField(
        _("forecast of the total cost at completion (€)"), null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("Only if you expect the project to cost more or less than planned."), **EUR,
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

    class Meta:
        verbose_name = _("project follow-up")
        verbose_name_plural = _("project follow-ups")
        ordering = ["project", "period__year", "period__month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="projects_report_unique"),
            models.CheckConstraint(condition=Q(state="draft") | Q(submitted_at__isnull=False),
                                   name="projects_report_submitted_has_time"),
            models.CheckConstraint(condition=~Q(state="returned") | ~Q(review_comment=""),
                                   name="projects_report_returned_has_comment"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.period.key}" if self.period_id else self.project.code


class MilestoneUpdate(models.Model):
    report = models.ForeignKey(ProjectReport, on_delete=models.CASCADE, related_name="milestone_updates",
                               verbose_name=_("follow-up"))
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates",
                                  verbose_name=_("milestone"))
    status = models.CharField(_("status"), max_length=10, choices=MilestoneStatus.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("reason or note"), blank=True)

    class Meta:
        verbose_name = _("milestone status")
        verbose_name_plural = _("milestone statuses")
        constraints = [
            models.UniqueConstraint(fields=["report", "milestone"], name="projects_milestone_update_unique"),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False),
                                   name="projects_milestone_done_has_date"),
            models.CheckConstraint(condition=Q(status="done") | Q(done_on__isnull=True),
                                   name="projects_milestone_date_only_done"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id} {self.status}"


class Spending(models.Model):
    """Actual costs of the report's month by cost type and funder."""

    report = models.ForeignKey(ProjectReport, on_delete=models.CASCADE, related_name="spending",
                               verbose_name=_("follow-up"))
    cost_type = models.CharField(_("cost type"), max_length=10, choices=CostType.choices)
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="spending", verbose_name=_("funder"))
    amount_eur = models.DecimalField(_("amount (€)"), **EUR)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        constraints = [
            models.UniqueConstraint(fields=["report", "cost_type", "funder"], name="projects_spending_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cost_type} {self.amount_eur}"


# Every model whose changes the project's history shows (registered in translation.py).
HISTORY_MODELS = [Project, WorkItem, Funder, BudgetLine, BudgetShare, Phase, Milestone, ProjectRisk,
                  ProjectIndicator, IndicatorValue, ProjectReport, MilestoneUpdate, Spending]
