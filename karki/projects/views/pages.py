"""Reading a project plan: the project lists (of a programme, of an organisation), a project's overview,
budget, schedule and indicators, and the programme's indicators with their values over time.

Every figure comes from `reading` (planned, spent, forecast at completion, a milestone's standing), so that
a list, a project's pages, the funder's report and the status picture say the same."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from karki.accounts import permissions as perms
from karki.lib import dates
from karki.programmes.models import ProjectMeasure
from karki.programmes.permissions import get_programme_for_user
from karki.programmes.risk_register import level

from .. import charts, reading
from ..enums import CostType, ItemKind, MilestoneStatus
from ..models import Phase, Project, ProjectReport, ProjectRisk
from ..permissions import get_organisation_for_user, get_project_for_user

ZERO = Decimal("0")
NEXT_MILESTONES = 3


def _person(user, written: str = "") -> str:
    if user is not None:
        name = user.get_full_name() or user.get_username()
        return f"{name} ({written})" if written else name
    return written


# -- the lists ---------------------------------------------------------------------------------------


def _list(request, projects, *, organisation, programme=None):
    rows = reading.summaries(projects)
    for row in rows:
        row.owner_label = _person(row.project.owner, row.project.owner_name)
    totals = {
        "planned": sum((r.planned_eur for r in rows), ZERO),
        "spent": sum((r.spent_eur for r in rows), ZERO),
        "forecast": sum((r.forecast_total_eur for r in rows), ZERO),
        "late": sum(r.late for r in rows),
        "at_risk": sum(r.at_risk for r in rows),
        "overspending": sum(1 for r in rows if r.overspend_eur > 0),
    }
    versions = reading.latest_approved_versions([p.programme for p in projects if p.programme_id])
    return render(request, "projects/list.html", {
        "organisation": organisation, "programme": programme, "rows": rows, "totals": totals,
        "versions": versions, "can_add": perms.can_add_project(request.user, organisation),
        "nav": "programmes" if programme else "organisations",
    })


@login_required
def programme_projects(request, slug: str):
    """The projects followed in the programme (members of its organisation only: plans name people)."""
    programme = get_programme_for_user(request, slug)
    if not perms.is_member(request.user, programme.organisation_id):
        raise Http404
    projects = list(Project.objects.for_programme(programme).visible_to(request.user)
                    .select_related("organisation", "programme", "owner"))
    return _list(request, projects, organisation=programme.organisation, programme=programme)


@login_required
def organisation_projects(request, slug: str):
    organisation = get_organisation_for_user(request, slug)
    projects = list(Project.objects.for_organisation(organisation).visible_to(request.user)
                    .select_related("organisation", "programme", "owner"))
    return _list(request, projects, organisation=organisation)


# -- one project ---------------------------------------------------------------------------------------


def _page(request, project, template: str, page: str, context: dict):
    return render(request, template, {
        "project": project, "page": page, "can_edit": perms.can_edit_project(request.user, project),
        "nav": "programmes" if project.programme_id else "organisations", **context,
    })


def _version(project):
    if project.programme_id is None:
        return None
    return reading.latest_approved_versions([project.programme]).get(project.programme_id)


@login_required
def project(request, slug: str, code: str):
    """The answer first: status, money spent and forecast, milestones that need attention and the next
    ones; then what the plan is for, the measures it carries, its funding and risks."""
    project = get_project_for_user(request, slug, code)
    planned = reading.plan(project)
    money = reading.money(project, planned=planned)
    standings = reading.standings(project)
    today = dates.today()
    version = _version(project)
    funders = [{
        "funder": f, "planned": planned.by_funder.get(f.pk, ZERO), "share": planned.funder_share_pct(f),
        "spent": money.spent_by_funder.get(f.pk, ZERO),
    } for f in planned.funders]
    risks = sorted(ProjectRisk.objects.filter(project=project).select_related("owner"),
                   key=lambda r: (-(r.score or 0), r.code.casefold()))
    for risk in risks:
        risk.level = level(risk.score)
        risk.owner_label = _person(risk.owner, risk.owner_name)
    latest = (ProjectReport.objects.filter(project=project).select_related("period")
              .order_by("-period__year", "-period__month").first())
    return _page(request, project, "projects/project.html", "overview", {
        "plan": planned, "money": money, "funders": funders,
        "under_eur": max(ZERO, money.planned_eur - money.forecast_total_eur), "risks": risks, "latest_report": latest,
        "attention": [s for s in standings if s.needs_attention],
        "upcoming": [s for s in standings if s.status != MilestoneStatus.DONE and s.milestone.due_date >= today
                     ][:NEXT_MILESTONES],
        "done_count": sum(1 for s in standings if s.status == MilestoneStatus.DONE),
        "milestone_count": len(standings),
        "version": version,
        "measures": [link.measure for link in ProjectMeasure.objects.filter(
            version=version, project__code__iexact=project.code).select_related("measure").order_by("measure__code")]
        if version else [],
        "allocations": reading.allocations(project, version),
        "owner_label": _person(project.owner, project.owner_name),
        "icons": charts.MILESTONE_ICONS,
        # A project still marked planned or running after its end date: its status or dates want updating.
        "overdue": project.end_date < today and project.status in ("planned", "running"),
    })


@login_required
def budget(request, slug: str, code: str):
    """The structure with its planned cost by year and by funder, rolled up; the cost types by year with
    what has been spent and what remains."""
    project = get_project_for_user(request, slug, code)
    planned = reading.plan(project)
    money = reading.money(project, planned=planned)
    kinds = dict(ItemKind.choices)
    for row in planned.rows:
        row.years = [row.by_year.get(y) for y in planned.years]
        row.funder_amounts = [row.by_funder.get(f.pk) for f in planned.funders]
        row.kind_label = kinds.get(row.item.kind, row.item.kind)
        row.level = row.depth + 1
    cost_types = [{
        "label": label, "years": [planned.by_year_cost_type.get((y, value)) for y in planned.years],
        "planned": planned.by_cost_type.get(value, ZERO), "spent": money.spent_by_cost_type.get(value, ZERO),
        "remaining": planned.by_cost_type.get(value, ZERO) - money.spent_by_cost_type.get(value, ZERO),
    } for value, label in CostType.choices if value in planned.by_cost_type or value in money.spent_by_cost_type]
    return _page(request, project, "projects/budget.html", "budget", {
        "plan": planned, "money": money, "cost_types": cost_types,
        "year_totals": [planned.by_year.get(y, ZERO) for y in planned.years],
        "funder_totals": [planned.by_funder.get(f.pk, ZERO) for f in planned.funders],
        "funder_shares": [{"funder": f, "amount": planned.by_funder.get(f.pk, ZERO),
                           "share": planned.funder_share_pct(f)} for f in planned.funders],
    })


@login_required
def schedule(request, slug: str, code: str):
    """Phases and milestones drawn on a time line with today's line, then the same as a table."""
    project = get_project_for_user(request, slug, code)
    phases = list(Phase.objects.filter(project=project).order_by("start_date", "order", "code"))
    standings = sorted(reading.standings(project), key=lambda s: (s.milestone.due_date, s.milestone.code))
    today = dates.today()
    drawing = charts.gantt(start=project.start_date, end=project.end_date, phases=phases, standings=standings,
                           today=today, language=get_language()) if phases or standings else None
    by_phase: dict = {}
    for standing in standings:
        standing.owner_label = _person(standing.milestone.owner, standing.milestone.owner_name)
        by_phase.setdefault(standing.milestone.phase_id, []).append(standing)
    rows = []
    for phase in phases:
        rows.append(("phase", phase))
        rows += [("milestone", s) for s in by_phase.pop(phase.pk, [])]
    rest = [s for key in list(by_phase) for s in by_phase[key]]
    if rest and phases:
        rows.append(("group", None))
    rows += [("milestone", s) for s in rest]
    return _page(request, project, "projects/schedule.html", "schedule", {
        "gantt": drawing, "rows": rows, "today": today, "icons": charts.MILESTONE_ICONS,
        "counts": {status: sum(1 for s in standings if s.status == status) for status in MilestoneStatus.values},
        "today_outside": drawing is not None and drawing.today_x is None,
    })


def _charted(series_list):
    language = get_language()
    for series in series_list:
        indicator = series.indicator
        when = getattr(indicator, "baseline_date", None)
        if when is None and getattr(indicator, "baseline_year", None):
            when = date(indicator.baseline_year, 12, 31)
        series.places = charts.places_of(indicator.baseline_value, indicator.target_value,
                                         *(v.value for v in series.values))
        series.chart = charts.line_chart([(v.measured_on, v.value) for v in series.values], language=language,
                                         target=indicator.target_value, baseline=(when, indicator.baseline_value),
                                         deadline=indicator.deadline, places=series.places)
    return series_list


@login_required
def indicators(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code)
    series = _charted(reading.project_series(project))
    if perms.can_edit_project(request.user, project):
        for s in series:
            s.add_url = reverse("projects:indicator-value-create", args=[project.organisation.slug, project.code,
                                                                          s.indicator.code])
    return _page(request, project, "projects/indicators.html", "indicators", {"series": series})


@login_required
def programme_indicators(request, slug: str):
    """The indicators of the version being run (the latest approved), each with the values measured over
    time (members of the programme's organisation: the values are internal follow-up)."""
    programme = get_programme_for_user(request, slug)
    if not perms.is_member(request.user, programme.organisation_id):
        raise Http404
    version = reading.latest_approved_versions([programme]).get(programme.pk)
    series = _charted(reading.programme_series(programme, version))
    if perms.can_record_programme_indicators(request.user, programme):
        for s in series:
            s.add_url = reverse("projects:programme-indicator-value-create", args=[programme.slug, s.indicator.code])
    return render(request, "projects/programme_indicators.html", {
        "programme": programme, "version": version, "series": series, "nav": "programmes",
    })
