"""The read side of a project: its plan rolled up through the structure, spending against the budget,
and each milestone's standing. Pages, the API, the funder's report and the status picture read these,
so a figure means the same everywhere.

- **Planned** is the sum of the budget lines (of an item and all its parts).
- **Spent** is the sum of the follow-ups' actual costs up to a period (all reported months if none).
- **Remaining** = planned − spent. **Forecast at completion** is the owner's latest estimate if given,
  otherwise spent + remaining (the plan holds).
- A milestone's standing is its latest reported status; without one, a milestone past its due date is
  late and any other is on time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from karki.lib import dates

from .enums import CostType, MilestoneStatus
from .models import (
    BudgetLine,
    BudgetShare,
    Funder,
    IndicatorValue,
    Milestone,
    MilestoneUpdate,
    Project,
    ProjectReport,
    Spending,
    WorkItem,
)

ZERO = Decimal("0")


@dataclass
class ItemRow:
    item: WorkItem
    depth: int
    planned_eur: Decimal = ZERO
    by_year: dict[int, Decimal] = field(default_factory=dict)
    by_cost_type: dict[str, Decimal] = field(default_factory=dict)
    by_funder: dict[int, Decimal] = field(default_factory=dict)
    spent_eur: Decimal = ZERO


@dataclass
class Plan:
    project: Project
    rows: list[ItemRow]               # the structure depth-first, each row with its parts rolled up
    funders: list[Funder]
    years: list[int]
    planned_eur: Decimal
    by_year: dict[int, Decimal]
    by_cost_type: dict[str, Decimal]
    by_funder: dict[int, Decimal]
    by_year_cost_type: dict[tuple[int, str], Decimal]

    def funder_share_pct(self, funder: Funder) -> Decimal | None:
        if not self.planned_eur:
            return None
        return self.by_funder.get(funder.pk, ZERO) * 100 / self.planned_eur


def plan(project: Project) -> Plan:
    """The plan rolled up: 3 queries whatever its size."""
    items = list(WorkItem.objects.filter(project=project).order_by("order", "code"))
    lines = list(BudgetLine.objects.filter(project=project).values("pk", "item_id", "year", "cost_type", "total_eur"))
    shares = list(BudgetShare.objects.filter(line__project=project).values("line__item_id", "funder_id", "amount_eur"))
    funders = list(Funder.objects.filter(project=project).order_by("order", "code"))

    children: dict[int | None, list[WorkItem]] = defaultdict(list)
    for item in items:
        children[item.parent_id].append(item)
    rows: list[ItemRow] = []
    by_item: dict[int, ItemRow] = {}
    parent_of = {item.pk: item.parent_id for item in items}

    def walk(parent_id, depth):
        for item in children.get(parent_id, []):
            row = ItemRow(item, depth)
            rows.append(row)
            by_item[item.pk] = row
            walk(item.pk, depth + 1)

    walk(None, 0)

    def lineage(item_id):
        while item_id is not None:
            row = by_item.get(item_id)
            if row is None:
                return
            yield row
            item_id = parent_of.get(item_id)

    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_cost_type: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_funder: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_year_cost_type: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        amount = line["total_eur"]
        by_year[line["year"]] += amount
        by_cost_type[line["cost_type"]] += amount
        by_year_cost_type[(line["year"], line["cost_type"])] += amount
        for row in lineage(line["item_id"]):
            row.planned_eur += amount
            row.by_year[line["year"]] = row.by_year.get(line["year"], ZERO) + amount
            row.by_cost_type[line["cost_type"]] = row.by_cost_type.get(line["cost_type"], ZERO) + amount
    for share in shares:
        by_funder[share["funder_id"]] += share["amount_eur"]
        for row in lineage(share["line__item_id"]):
            row.by_funder[share["funder_id"]] = row.by_funder.get(share["funder_id"], ZERO) + share["amount_eur"]
    return Plan(project=project, rows=rows, funders=funders, years=project.years,
                planned_eur=sum(by_year.values(), ZERO), by_year=dict(by_year), by_cost_type=dict(by_cost_type),
                by_funder=dict(by_funder), by_year_cost_type=dict(by_year_cost_type))


@dataclass
class Money:
    """Spending against the budget up to a period."""

    planned_eur: Decimal
    spent_eur: Decimal
    spent_by_cost_type: dict[str, Decimal]
    spent_by_funder: dict[int, Decimal]
    spent_by_cost_type_funder: dict[tuple[str, int], Decimal]
    planned_to_date_eur: Decimal      # the plan of the years up to the period's year
    forecast_total_eur: Decimal
    forecast_is_owners: bool

    @property
    def remaining_eur(self) -> Decimal:
        return self.planned_eur - self.spent_eur

    @property
    def overspend_eur(self) -> Decimal:
        """How much the forecast at completion exceeds the plan (0 if it does not)."""
        return max(ZERO, self.forecast_total_eur - self.planned_eur)

    @property
    def spent_pct(self) -> Decimal | None:
        return self.spent_eur * 100 / self.planned_eur if self.planned_eur else None


def _reports_upto(project: Project, period=None):
    reports = ProjectReport.objects.filter(project=project)
    if period is not None:
        reports = reports.filter(Q(period__year__lt=period.year) | Q(period__year=period.year,
                                                                     period__month__lte=period.month))
    return reports


def forecast_at_completion(planned: Decimal, spent: Decimal, owners: Decimal | None) -> Decimal:
    """The owner's latest estimate if given, otherwise what is spent plus what the plan has left."""
    return owners if owners is not None else spent + max(ZERO, planned - spent)


def money(project: Project, period=None, planned: Plan | None = None) -> Money:
    planned = planned or plan(project)
    rows = (Spending.objects.filter(report__in=_reports_upto(project, period))
            .values("cost_type", "funder_id").annotate(s=Sum("amount_eur")))
    by_type: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_funder: dict[int, Decimal] = defaultdict(lambda: ZERO)
    both: dict[tuple[str, int], Decimal] = {}
    for row in rows:
        by_type[row["cost_type"]] += row["s"]
        by_funder[row["funder_id"]] += row["s"]
        both[(row["cost_type"], row["funder_id"])] = row["s"]
    spent = sum(by_type.values(), ZERO)
    latest = (_reports_upto(project, period).exclude(forecast_total_eur__isnull=True)
              .order_by("-period__year", "-period__month").values_list("forecast_total_eur", flat=True).first())
    year = period.year if period is not None else dates.today().year
    to_date = sum((amount for y, amount in planned.by_year.items() if y <= year), ZERO)
    forecast = forecast_at_completion(planned.planned_eur, spent, latest)
    return Money(planned_eur=planned.planned_eur, spent_eur=spent, spent_by_cost_type=dict(by_type),
                 spent_by_funder=dict(by_funder), spent_by_cost_type_funder=both, planned_to_date_eur=to_date,
                 forecast_total_eur=forecast, forecast_is_owners=latest is not None)


@dataclass
class Standing:
    milestone: Milestone
    status: str                 # MilestoneStatus
    reported: bool              # False: derived from the due date, nobody has reported on it
    done_on: date | None
    note: str

    @property
    def is_late(self) -> bool:
        return self.status == MilestoneStatus.LATE

    @property
    def needs_attention(self) -> bool:
        return self.status in (MilestoneStatus.LATE, MilestoneStatus.AT_RISK)

    def get_status_display(self) -> str:
        return str(MilestoneStatus(self.status).label)


def standings(project: Project, period=None, on: date | None = None) -> list[Standing]:
    """Every milestone's standing as of a period (its last day) or a date (today if neither)."""
    if on is None:
        on = _period_end(period) if period is not None else dates.today()
    milestones = list(Milestone.objects.filter(project=project).select_related("phase", "item", "owner"))
    latest: dict[int, MilestoneUpdate] = {}
    for update in (MilestoneUpdate.objects.filter(report__in=_reports_upto(project, period))
                   .order_by("report__period__year", "report__period__month")):
        latest[update.milestone_id] = update
    return [standing_of(milestone, latest.get(milestone.pk), on) for milestone in milestones]


def standing_of(milestone: Milestone, update: MilestoneUpdate | None, on: date) -> Standing:
    """One milestone's standing on a date from its latest update (the rule of the module's docstring)."""
    if update is not None and (update.status == MilestoneStatus.DONE or milestone.due_date >= on
                               or update.status == MilestoneStatus.LATE):
        return Standing(milestone, update.status, True, update.done_on, update.note)
    if update is not None:
        # Reported on time or at risk, but the due date has since passed without it being done.
        return Standing(milestone, MilestoneStatus.LATE, False, None, update.note)
    status = MilestoneStatus.LATE if milestone.due_date < on else MilestoneStatus.ON_TIME
    return Standing(milestone, status, False, None, "")


def _period_end(period) -> date:
    import calendar

    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


COST_TYPES = list(CostType)


# -- a window of months (the funder's report) ---------------------------------------------------------------
# Months are (year, month) tuples; a window runs from its first to its last month, both included.


def _in_window(prefix: str, first: tuple[int, int], last: tuple[int, int]) -> Q:
    year, month = f"{prefix}year", f"{prefix}month"
    after = Q(**{f"{year}__gt": first[0]}) | Q(**{year: first[0], f"{month}__gte": first[1]})
    before = Q(**{f"{year}__lt": last[0]}) | Q(**{year: last[0], f"{month}__lte": last[1]})
    return after & before


def spent_between(project: Project, first: tuple[int, int], last: tuple[int, int]) -> dict[tuple[str, int], Decimal]:
    """Actual costs of the follow-ups of the months first..last, by (cost type, funder id)."""
    rows = (Spending.objects.filter(_in_window("report__period__", first, last), report__project=project)
            .values("cost_type", "funder_id").annotate(s=Sum("amount_eur")))
    return {(row["cost_type"], row["funder_id"]): row["s"] for row in rows}


def reports_between(project: Project, first: tuple[int, int], last: tuple[int, int]):
    """The follow-ups of the months first..last, oldest first."""
    return (ProjectReport.objects.filter(_in_window("period__", first, last), project=project)
            .select_related("period").order_by("period__year", "period__month"))


def planned_by_year_funder(project: Project) -> dict[tuple[int, int], Decimal]:
    """The funders' planned shares by (year, funder id)."""
    rows = (BudgetShare.objects.filter(line__project=project).values("line__year", "funder_id")
            .annotate(s=Sum("amount_eur")))
    return {(row["line__year"], row["funder_id"]): row["s"] for row in rows}


def active_months(project: Project, year: int) -> list[int]:
    """The months of `year` inside the project's dates."""
    return [month for month in range(1, 13)
            if (project.start_date.year, project.start_date.month) <= (year, month)
            <= (project.end_date.year, project.end_date.month)]


def window_share(project: Project, year: int, first: tuple[int, int], last: tuple[int, int]) -> Decimal:
    """The part of a year's budget that falls in the window: a year's budget is spread evenly over the
    project's months in that year (a project running from July spreads its first year over six months)."""
    months = active_months(project, year)
    if not months:
        return ZERO
    inside = [m for m in months if first <= (year, m) <= last]
    return Decimal(len(inside)) / Decimal(len(months))


def latest_indicator_values(project: Project, on: date) -> dict[int, IndicatorValue]:
    """Each project indicator's latest value measured on or before `on`, by indicator id."""
    latest: dict[int, IndicatorValue] = {}
    for value in (IndicatorValue.objects.filter(project_indicator__project=project, measured_on__lte=on)
                  .order_by("measured_on", "pk")):
        latest[value.project_indicator_id] = value
    return latest

# -- several projects at once (the project lists), with the same definitions as above -------------------


@dataclass
class Summary:
    """A project's figures for a list: planned, spent and forecast as `money()` reads them, and its
    milestones' standings today as `standings()` reads them."""

    project: Project
    planned_eur: Decimal = ZERO
    spent_eur: Decimal = ZERO
    forecast_total_eur: Decimal = ZERO
    late: int = 0
    at_risk: int = 0
    measures: list = field(default_factory=list)    # programmes.Measure rows the project carries

    @property
    def overspend_eur(self) -> Decimal:
        return max(ZERO, self.forecast_total_eur - self.planned_eur)


def summaries(projects: list[Project]) -> list[Summary]:
    """The list's figures of `projects` in a fixed number of queries, whatever their number."""
    ids = [p.pk for p in projects]
    planned = dict(BudgetLine.objects.filter(project_id__in=ids).values("project_id")
                   .annotate(s=Sum("total_eur")).values_list("project_id", "s"))
    spent = dict(Spending.objects.filter(report__project_id__in=ids).values("report__project_id")
                 .annotate(s=Sum("amount_eur")).values_list("report__project_id", "s"))
    forecasts: dict[int, Decimal] = {}
    for project_id, amount in (ProjectReport.objects.filter(project_id__in=ids, forecast_total_eur__isnull=False)
                               .order_by("period__year", "period__month")
                               .values_list("project_id", "forecast_total_eur")):
        forecasts[project_id] = amount  # the latest period's estimate wins
    latest: dict[int, MilestoneUpdate] = {}
    for update in (MilestoneUpdate.objects.filter(report__project_id__in=ids)
                   .order_by("report__period__year", "report__period__month")):
        latest[update.milestone_id] = update
    today = dates.today()
    result = {p.pk: Summary(p, planned_eur=planned.get(p.pk) or ZERO, spent_eur=spent.get(p.pk) or ZERO)
              for p in projects}
    for milestone in Milestone.objects.filter(project_id__in=ids):
        standing = standing_of(milestone, latest.get(milestone.pk), today)
        row = result[milestone.project_id]
        row.late += standing.status == MilestoneStatus.LATE
        row.at_risk += standing.status == MilestoneStatus.AT_RISK
    for row in result.values():
        own = forecasts.get(row.project.pk)
        row.forecast_total_eur = forecast_at_completion(row.planned_eur, row.spent_eur, own)
    carried = carried_measures_by_code([p.programme for p in projects if p.programme_id])
    for row in result.values():
        row.measures = carried.get((row.project.programme_id, row.project.code.casefold()), [])
    return [result[p.pk] for p in projects]


# -- what the programme says about a project: the measures it carries, the funding allocated to it ------


def latest_approved_versions(programmes) -> dict[int, object]:
    """{programme pk: its latest approved version} (the version being run); programmes without one left out."""
    from karki.programmes.models import ProgrammeVersion

    found: dict[int, object] = {}
    ids = {p.pk for p in programmes if p is not None}
    for version in (ProgrammeVersion.objects.filter(programme_id__in=ids, status="approved")
                    .select_related("programme").order_by("number")):
        found[version.programme_id] = version
    return found


def carried_measures_by_code(programmes) -> dict[tuple[int, str], list]:
    """{(programme pk, project code casefolded): [Measure]} of each programme's latest approved version."""
    from karki.programmes.models import ProjectMeasure

    versions = latest_approved_versions(programmes)
    result: dict[tuple[int, str], list] = defaultdict(list)
    links = (ProjectMeasure.objects.filter(version__in=list(versions.values()))
             .select_related("project", "measure", "version__programme").order_by("measure__code"))
    for link in links:
        result[(link.version.programme_id, link.project.code.casefold())].append(link.measure)
    return dict(result)


def allocations(project: Project, version) -> list:
    """The programme's funding allocations (of `version`) to the programme's own project with this project's
    code: the allocation names the version's project list, the organisation's project holds the plan."""
    from karki.programmes.models import FundingAllocation

    if version is None:
        return []
    return list(FundingAllocation.objects.filter(version=version, project__code__iexact=project.code)
                .select_related("funding", "theme").order_by("funding__code", "order"))


def programme_project_risks(programme) -> list:
    """The risks of the projects followed in `programme`, the highest score first."""
    from .models import ProjectRisk

    risks = list(ProjectRisk.objects.filter(project__programme=programme)
                 .select_related("project__organisation", "owner"))
    return sorted(risks, key=lambda r: (-(r.score or 0), r.project.code.casefold(), r.code.casefold()))


# -- indicators with their measured values over time ------------------------------------------------------


@dataclass
class Series:
    """An indicator (a project's or the programme's) with its measured values, oldest first."""

    indicator: object
    values: list        # IndicatorValue rows

    @property
    def latest(self):
        return self.values[-1] if self.values else None


def project_series(project: Project) -> list[Series]:
    from .models import IndicatorValue, ProjectIndicator

    indicators = list(ProjectIndicator.objects.filter(project=project).order_by("order", "code"))
    values: dict[int, list] = defaultdict(list)
    for value in IndicatorValue.objects.filter(project_indicator__project=project).order_by("measured_on", "pk"):
        values[value.project_indicator_id].append(value)
    return [Series(i, values.get(i.pk, [])) for i in indicators]


def programme_series(programme, version) -> list[Series]:
    """The indicators of `version` with the values measured for the programme under each one's code."""
    from karki.programmes.models import Indicator

    from .models import IndicatorValue

    if version is None:
        return []
    indicators = list(Indicator.objects.filter(version=version).order_by("order", "code"))
    values: dict[str, list] = defaultdict(list)
    for value in IndicatorValue.objects.filter(programme=programme).order_by("measured_on", "pk"):
        values[value.indicator_code.casefold()].append(value)
    return [Series(i, values.get(i.code.casefold(), [])) for i in indicators]


# -- the programme's projects in one reading ------------------------------------------------------------
# The status picture, the review place of a period, reminders and "my work" read every project followed in
# a programme at once: a fixed number of queries whatever the number of projects, with the same figures as
# `money` and `standings` give for one project.

FINISHED = ("completed", "cancelled")


def _upto(period, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}period__year__lt": period.year})
            | Q(**{f"{prefix}period__year": period.year, f"{prefix}period__month__lte": period.month}))


def reporting_projects(programme, period):
    """The projects that owe a follow-up in `period`: followed in the programme, neither completed nor
    cancelled, and running (by their dates) in the period's month."""
    first = date(period.year, period.month, 1)
    return (Project.objects.filter(programme=programme, start_date__lte=_period_end(period), end_date__gte=first)
            .exclude(status__in=FINISHED))


@dataclass
class ProjectLine:
    """One project of a programme as of a period: its follow-up of the period, money and late milestones."""

    project: Project
    report: ProjectReport | None       # the follow-up of the period, if any was written
    expected: bool                     # the project owes a follow-up in the period
    planned_eur: Decimal = ZERO
    spent_eur: Decimal = ZERO
    forecast_total_eur: Decimal = ZERO
    late: list[Standing] = field(default_factory=list)  # the most urgent (earliest due) first
    open_state: str = ""               # the state of its follow-up of the latest open period ("": none)

    @property
    def remaining_eur(self) -> Decimal:
        return self.planned_eur - self.spent_eur

    @property
    def overspend_eur(self) -> Decimal:
        return max(ZERO, self.forecast_total_eur - self.planned_eur)

    @property
    def received(self) -> bool:
        return self.report is not None and self.report.state in ("submitted", "accepted")


@dataclass
class ProgrammeProjects:
    period: object
    lines: list[ProjectLine]
    open_period: object = None          # the latest open period of the programme
    missing: list[ProjectLine] = field(default_factory=list)  # follow-ups of `open_period` not received

    @property
    def late(self) -> list[ProjectLine]:
        return sorted((line for line in self.lines if line.late),
                      key=lambda line: (line.late[0].milestone.due_date, line.project.code))

    @property
    def late_count(self) -> int:
        return sum(len(line.late) for line in self.lines)

    @property
    def overspent(self) -> list[ProjectLine]:
        return sorted((line for line in self.lines if line.overspend_eur > 0),
                      key=lambda line: (-line.overspend_eur, line.project.code))

    @property
    def expected(self) -> list[ProjectLine]:
        return [line for line in self.lines if line.expected or line.report is not None]


def programme_projects(programme, period, *, on: date | None = None) -> ProgrammeProjects:
    """Every project followed in `programme` as of `period` (milestones judged on the period's last day, or
    today if that is earlier): 7 or 8 queries whatever the number of projects."""
    on = on or min(_period_end(period), dates.today())
    projects = list(Project.objects.filter(programme=programme).select_related("owner").order_by("code"))
    if not projects:
        return ProgrammeProjects(period=period, lines=[])
    ids = [p.pk for p in projects]
    planned = dict(BudgetLine.objects.filter(project_id__in=ids).values("project_id")
                   .annotate(s=Sum("total_eur")).values_list("project_id", "s"))
    spent = dict(Spending.objects.filter(_upto(period, "report__"), report__project_id__in=ids)
                 .values("report__project_id").annotate(s=Sum("amount_eur")).values_list("report__project_id", "s"))
    reports = list(ProjectReport.objects.filter(_upto(period), project_id__in=ids)
                   .select_related("period").order_by("period__year", "period__month"))
    forecast: dict[int, Decimal] = {}
    current: dict[int, ProjectReport] = {}
    for report in reports:
        if report.forecast_total_eur is not None:
            forecast[report.project_id] = report.forecast_total_eur
        if report.period_id == period.pk:
            current[report.project_id] = report
    milestones = list(Milestone.objects.filter(project_id__in=ids).order_by("due_date", "order", "code"))
    latest: dict[int, MilestoneUpdate] = {}
    for update in (MilestoneUpdate.objects.filter(_upto(period, "report__"), report__project_id__in=ids)
                   .order_by("report__period__year", "report__period__month")):
        latest[update.milestone_id] = update
    late: dict[int, list[Standing]] = defaultdict(list)
    for milestone in milestones:
        standing = standing_of(milestone, latest.get(milestone.pk), on)
        if standing.is_late:
            late[milestone.project_id].append(standing)
    first, last = date(period.year, period.month, 1), _period_end(period)
    lines = []
    for project in projects:
        p, s = planned.get(project.pk, ZERO), spent.get(project.pk, ZERO)
        lines.append(ProjectLine(
            project=project, report=current.get(project.pk),
            expected=project.status not in FINISHED and project.start_date <= last and project.end_date >= first,
            planned_eur=p, spent_eur=s, forecast_total_eur=forecast_at_completion(p, s, forecast.get(project.pk)),
            late=late.get(project.pk, [])))
    result = ProgrammeProjects(period=period, lines=lines)
    from karki.monitoring.models import Period

    open_period = (Period.objects.filter(programme=programme, status="open").order_by("-year", "-month").first())
    result.open_period = open_period
    if open_period is not None:
        if open_period.pk == period.pk:
            states = {line.project.pk: line.report.state for line in lines if line.report is not None}
        else:
            states = dict(ProjectReport.objects.filter(period=open_period, project_id__in=ids)
                          .values_list("project_id", "state"))
        o_first, o_last = date(open_period.year, open_period.month, 1), _period_end(open_period)
        result.missing = [line for line in lines
                          if line.project.status not in FINISHED and line.project.start_date <= o_last
                          and line.project.end_date >= o_first
                          and states.get(line.project.pk) not in ("submitted", "accepted")]
        for line in result.missing:
            line.open_state = states.get(line.project.pk, "")
    return result
