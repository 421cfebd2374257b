"""Writes to projects. Views, the API, the project workbook and the demo loader all call these.

Each function runs in a transaction, records its author in the history (`_history_user`) and raises
`ValidationError` with a message for the user when the input breaks a rule; the money rules are in
`rules.py` so that the workbook's preview checks a whole plan with the same words before it writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from karki.audit.recording import delete_with_history
from karki.core.conflicts import check_revision
from karki.core.content import set_translations
from karki.lib import dates
from karki.lib.codes import clashing_code, clean_code
from karki.monitoring.enums import ReviewState, TrafficLight

from . import rules
from .enums import CostType, FunderKind, ItemKind, MilestoneStatus, ProjectStatus
from .models import (
    BudgetLine,
    BudgetShare,
    Funder,
    IndicatorValue,
    Milestone,
    MilestoneUpdate,
    Phase,
    Project,
    ProjectIndicator,
    ProjectReport,
    ProjectRisk,
    Spending,
    WorkItem,
)

# Words of the project addresses (/organisations/<org>/projects/new/).
RESERVED_CODES = {"new", "import"}

_TRANSLATED_BASE = ("name", "description", "goals", "expected_results", "impacts", "dependencies", "deliverable",
                    "title", "mitigation")


def _save(obj, by) -> None:
    if obj.pk is not None and hasattr(obj, "revision"):
        obj.revision = (obj.revision or 0) + 1
    obj._history_user = by
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()


def _revision(obj, expected_revision: int | None) -> None:
    check_revision(obj, expected_revision, hidden_fields=_TRANSLATED_BASE)


def _next_order(queryset) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _code_free(queryset, code: str, exclude_pk=None, field: str = "code") -> str:
    code = clean_code(code)
    if not code:
        raise ValidationError({field: _("Give a code.")})
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    stored = clashing_code(code, queryset.values_list("code", flat=True))
    if stored is not None:
        raise ValidationError({field: _("The code %(code)s is already used.") % {"code": stored}})
    return code


def _member(organisation, person, field: str = "owner") -> None:
    if person is None:
        return
    from karki.accounts.models import Membership

    if not Membership.objects.filter(user=person, organisation=organisation).exists():
        raise ValidationError({field: _("The owner must be a Kärki user of %(organisation)s.")
                               % {"organisation": organisation}})


def _texts(obj, translated: Mapping[str, Mapping[str, str | None] | None] | None) -> None:
    for field, values in (translated or {}).items():
        set_translations(obj, field, values or {})


def _need_name(obj, field: str = "name") -> None:
    if not any(getattr(obj, f"{field}_{lang}", "") for lang in ("fi", "sv", "en")):
        raise ValidationError({field: _("Give a name in at least one language.")})


def _inside(project: Project, day: date | None, field: str) -> None:
    if day is not None and not (project.start_date <= day <= project.end_date):
        raise ValidationError({field: _("The date must fall within the project, %(start)s–%(end)s.")
                               % {"start": project.start_date.strftime("%-d.%-m.%Y"),
                                  "end": project.end_date.strftime("%-d.%-m.%Y")}})


# -- the project ---------------------------------------------------------------------------------------


def _project_facts(project: Project, *, programme, owner, owner_name, org_unit, status, start_date,
                   end_date) -> None:
    if programme is not None and programme.organisation_id != project.organisation_id:
        raise ValidationError({"programme": _("Choose a programme of this organisation.")})
    if org_unit is not None and org_unit.organisation_id != project.organisation_id:
        raise ValidationError({"org_unit": _("Choose an org unit of this organisation.")})
    _member(project.organisation, owner)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("Choose the project's status.")})
    if start_date is None or end_date is None:
        raise ValidationError({"start_date" if start_date is None else "end_date":
                               _("Give the project's start and end dates.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("The project cannot end before it starts.")})
    project.programme = programme
    project.owner = owner
    project.owner_name = owner_name or ""
    project.org_unit = org_unit
    project.status = status
    project.start_date = start_date
    project.end_date = end_date


def _years_still_fit(project: Project) -> None:
    """Shortening a project must not leave budget lines, phases or milestones outside it."""
    years = project.years
    outside = sorted(set(project.budget_lines.exclude(year__in=years).values_list("year", flat=True)))
    if outside:
        raise ValidationError({"start_date": _("The budget has costs in %(years)s, outside the new dates. "
                                               "Move or remove those costs first.")
                               % {"years": ", ".join(str(y) for y in outside)}})
    late = project.milestones.exclude(due_date__range=(project.start_date, project.end_date)).first()
    if late is not None:
        raise ValidationError({"end_date": _("Milestone %(code)s is due outside the new dates. Move it first.")
                               % {"code": late.code}})


@transaction.atomic
def create_project(*, organisation, code: str, name: Mapping[str, str], by, start_date: date, end_date: date,
                   programme=None, owner=None, owner_name: str = "", org_unit=None,
                   status: str = ProjectStatus.PLANNED, translated: Mapping | None = None,
                   is_sample_data: bool = False) -> Project:
    if clean_code(code).lower() in RESERVED_CODES:
        raise ValidationError({"code": _("%(code)s cannot be a project's code; choose another.") % {"code": code}})
    project = Project(organisation=organisation, is_sample_data=is_sample_data)
    project.code = _code_free(Project.objects.filter(organisation=organisation), code)
    _project_facts(project, programme=programme, owner=owner, owner_name=owner_name, org_unit=org_unit,
                   status=status, start_date=start_date, end_date=end_date)
    set_translations(project, "name", name)
    _texts(project, translated)
    _need_name(project)
    _save(project, by)
    return project


@transaction.atomic
def update_project(*, project: Project, by, code: str, name: Mapping[str, str], start_date: date, end_date: date,
                   programme=None, owner=None, owner_name: str = "", org_unit=None, status: str,
                   translated: Mapping | None = None, expected_revision: int | None = None) -> Project:
    _revision(project, expected_revision)
    project.refresh_from_db(fields=["revision"])
    project.code = _code_free(Project.objects.filter(organisation=project.organisation), code, project.pk)
    _project_facts(project, programme=programme, owner=owner, owner_name=owner_name, org_unit=org_unit,
                   status=status, start_date=start_date, end_date=end_date)
    set_translations(project, "name", name)
    _texts(project, translated)
    _need_name(project)
    _years_still_fit(project)
    _save(project, by)
    return project


@transaction.atomic
def delete_project(*, project: Project, by, expected_revision: int | None = None) -> None:
    """Remove a plan that was entered by mistake; a project with follow-up is kept (cancel it instead)."""
    _revision(project, expected_revision)
    if project.reports.exists():
        raise ValidationError(_("The project has monthly follow-up and cannot be removed. "
                                "Mark it cancelled instead."))
    delete_with_history(project, by)


# -- structure: sub-areas → development areas → work packages ---------------------------------------


@transaction.atomic
def save_item(*, project: Project, by, code: str, name: Mapping[str, str], kind: str = ItemKind.WORK_PACKAGE,
              parent: WorkItem | None = None, description: Mapping[str, str] | None = None,
              item: WorkItem | None = None, order: int | None = None) -> WorkItem:
    if kind not in ItemKind.values:
        raise ValidationError({"kind": _("Choose the item's level.")})
    if parent is not None:
        if parent.project_id != project.pk:
            raise ValidationError({"parent": _("Choose an item of this project.")})
        ancestor = parent
        while ancestor is not None:
            if item is not None and ancestor.pk == item.pk:
                raise ValidationError({"parent": _("An item cannot be part of itself or of its own parts.")})
            ancestor = ancestor.parent
    obj = item or WorkItem(project=project)
    obj.code = _code_free(WorkItem.objects.filter(project=project), code, obj.pk)
    obj.kind = kind
    obj.parent = parent
    set_translations(obj, "name", name)
    set_translations(obj, "description", description or {})
    _need_name(obj)
    if order is not None:
        obj.order = order
    elif obj.pk is None:
        obj.order = _next_order(WorkItem.objects.filter(project=project))
    _save(obj, by)
    return obj


@transaction.atomic
def delete_item(*, item: WorkItem, by) -> None:
    """Remove an item with its parts and their budget lines (kept in the history)."""
    project = item.project
    delete_with_history(item, by)
    check_limits(project)


# -- funders and the budget ---------------------------------------------------------------------------


@transaction.atomic
def save_funder(*, project: Project, by, code: str, kind: str, name: Mapping[str, str],
                max_share_pct: Decimal | None = None, funding_code: str = "", funder: Funder | None = None) -> Funder:
    if kind not in FunderKind.values:
        raise ValidationError({"kind": _("Choose the kind of funding.")})
    if max_share_pct is not None and not (0 <= max_share_pct <= 100):
        raise ValidationError({"max_share_pct": _("The allowed share is a percentage from 0 to 100.")})
    obj = funder or Funder(project=project, order=_next_order(Funder.objects.filter(project=project)))
    obj.code = _code_free(Funder.objects.filter(project=project), code, obj.pk)
    obj.kind = kind
    obj.max_share_pct = max_share_pct
    obj.funding_code = clean_code(funding_code) if funding_code else ""
    set_translations(obj, "name", name)
    _need_name(obj)
    _save(obj, by)
    check_limits(project)
    return obj


@transaction.atomic
def delete_funder(*, funder: Funder, by) -> None:
    if funder.spending.exists():
        raise ValidationError(_("Spending has been reported for %(funder)s; it cannot be removed.")
                              % {"funder": funder})
    if funder.shares.filter(amount_eur__gt=0).exists():
        raise ValidationError(_("%(funder)s pays a share of the budget. Move its shares to another funder "
                                "first.") % {"funder": funder})
    delete_with_history(funder, by)


def _totals(project: Project) -> tuple[Decimal, dict[int, Decimal]]:
    total = BudgetLine.objects.filter(project=project).aggregate(s=Sum("total_eur"))["s"] or Decimal("0")
    paid = dict(BudgetShare.objects.filter(line__project=project).values("funder")
                .annotate(s=Sum("amount_eur")).values_list("funder", "s"))
    return total, paid


def check_limits(project: Project) -> None:
    """No funder above its allowed share of the project's total cost (after any change to the budget)."""
    if _limits_deferred.get():
        return
    total, paid = _totals(project)
    funders = list(Funder.objects.filter(project=project))
    errors = rules.limit_errors(project_total=total, paid={str(f): paid.get(f.pk, Decimal("0")) for f in funders},
                                funders=[rules.FunderLimit(str(f), f.max_share_pct) for f in funders])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_budget_line(*, project: Project, by, item: WorkItem, year: int, cost_type: str, total_eur: Decimal,
                    shares: Mapping[Funder, Decimal | None], note: str = "") -> BudgetLine:
    """Plan the cost of an item in a year and cost type, with who pays what. The line's shares must add
    up to its total, and no funder may end up above its allowed share of the whole project."""
    if item.project_id != project.pk:
        raise ValidationError({"item": _("Choose an item of this project.")})
    if cost_type not in CostType.values:
        raise ValidationError({"cost_type": _("Choose the cost type.")})
    for funder in shares:
        if funder.project_id != project.pk:
            raise ValidationError({"shares": _("Choose a funder of this project.")})
    errors = rules.line_errors(total=total_eur, shares={str(f): a for f, a in shares.items()}, year=year,
                               years=project.years)
    if errors:
        raise ValidationError({"total_eur": errors})
    line = BudgetLine.objects.filter(item=item, year=year, cost_type=cost_type).first() \
        or BudgetLine(project=project, item=item, year=year, cost_type=cost_type)
    line.total_eur = total_eur
    line.note = note or ""
    _save(line, by)
    stored = {s.funder_id: s for s in line.shares.all()}
    for funder, amount in shares.items():
        share = stored.pop(funder.pk, None)
        if not amount:
            if share is not None:
                delete_with_history(share, by)
            continue
        share = share or BudgetShare(line=line, funder=funder)
        share.amount_eur = amount
        _save(share, by)
    for share in stored.values():
        delete_with_history(share, by)
    check_limits(project)
    return line


@transaction.atomic
def delete_budget_line(*, line: BudgetLine, by) -> None:
    project = line.project
    delete_with_history(line, by)
    check_limits(project)


# -- schedule ------------------------------------------------------------------------------------------


@transaction.atomic
def save_phase(*, project: Project, by, code: str, name: Mapping[str, str], start_date: date, end_date: date,
               phase: Phase | None = None) -> Phase:
    if start_date is None or end_date is None:
        raise ValidationError({"start_date": _("Give the phase's start and end dates.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("A phase cannot end before it starts.")})
    _inside(project, start_date, "start_date")
    _inside(project, end_date, "end_date")
    obj = phase or Phase(project=project, order=_next_order(Phase.objects.filter(project=project)))
    obj.code = _code_free(Phase.objects.filter(project=project), code, obj.pk)
    obj.start_date, obj.end_date = start_date, end_date
    set_translations(obj, "name", name)
    _need_name(obj)
    _save(obj, by)
    return obj


@transaction.atomic
def delete_phase(*, phase: Phase, by) -> None:
    delete_with_history(phase, by)


@transaction.atomic
def save_milestone(*, project: Project, by, code: str, name: Mapping[str, str], due_date: date,
                   phase: Phase | None = None, item: WorkItem | None = None, owner=None, owner_name: str = "",
                   deliverable: Mapping[str, str] | None = None, milestone: Milestone | None = None) -> Milestone:
    if due_date is None:
        raise ValidationError({"due_date": _("Give the milestone's due date.")})
    _inside(project, due_date, "due_date")
    if phase is not None and phase.project_id != project.pk:
        raise ValidationError({"phase": _("Choose a phase of this project.")})
    if item is not None and item.project_id != project.pk:
        raise ValidationError({"item": _("Choose an item of this project.")})
    _member(project.organisation, owner)
    obj = milestone or Milestone(project=project, order=_next_order(Milestone.objects.filter(project=project)))
    obj.code = _code_free(Milestone.objects.filter(project=project), code, obj.pk)
    obj.due_date, obj.phase, obj.item, obj.owner, obj.owner_name = due_date, phase, item, owner, owner_name or ""
    set_translations(obj, "name", name)
    set_translations(obj, "deliverable", deliverable or {})
    _need_name(obj)
    _save(obj, by)
    return obj


@transaction.atomic
def delete_milestone(*, milestone: Milestone, by) -> None:
    if milestone.updates.exists():
        raise ValidationError(_("Milestone %(code)s has been followed up and cannot be removed.")
                              % {"code": milestone.code})
    delete_with_history(milestone, by)


# -- risks and indicators -------------------------------------------------------------------------------


@transaction.atomic
def save_risk(*, project: Project, by, code: str, title: Mapping[str, str], category: str,
              likelihood: int | None = None, impact: int | None = None, owner=None, owner_name: str = "",
              description: Mapping[str, str] | None = None, mitigation: Mapping[str, str] | None = None,
              risk: ProjectRisk | None = None) -> ProjectRisk:
    from karki.programmes.enums import RiskCategory

    if category not in RiskCategory.values:
        raise ValidationError({"category": _("Choose the risk's category.")})
    for field, value in (("likelihood", likelihood), ("impact", impact)):
        if value is not None and not 1 <= value <= 5:
            raise ValidationError({field: _("Give a number from 1 to 5.")})
    _member(project.organisation, owner)
    obj = risk or ProjectRisk(project=project, order=_next_order(ProjectRisk.objects.filter(project=project)))
    obj.code = _code_free(ProjectRisk.objects.filter(project=project), code, obj.pk)
    obj.category, obj.likelihood, obj.impact = category, likelihood, impact
    obj.owner, obj.owner_name = owner, owner_name or ""
    set_translations(obj, "title", title)
    set_translations(obj, "description", description or {})
    set_translations(obj, "mitigation", mitigation or {})
    _need_name(obj, "title")
    _save(obj, by)
    return obj


@transaction.atomic
def delete_risk(*, risk: ProjectRisk, by) -> None:
    delete_with_history(risk, by)


@transaction.atomic
def save_indicator(*, project: Project, by, code: str, name: Mapping[str, str], unit: str = "",
                   direction: str = "", baseline_value: Decimal | None = None, baseline_date: date | None = None,
                   target_value: Decimal | None = None, deadline: date | None = None,
                   indicator: ProjectIndicator | None = None) -> ProjectIndicator:
    obj = indicator or ProjectIndicator(project=project,
                                        order=_next_order(ProjectIndicator.objects.filter(project=project)))
    obj.code = _code_free(ProjectIndicator.objects.filter(project=project), code, obj.pk)
    obj.unit, obj.direction = unit or "", direction or ""
    obj.baseline_value, obj.baseline_date = baseline_value, baseline_date
    obj.target_value, obj.deadline = target_value, deadline
    set_translations(obj, "name", name)
    _need_name(obj)
    _save(obj, by)
    return obj


@transaction.atomic
def delete_indicator(*, indicator: ProjectIndicator, by) -> None:
    delete_with_history(indicator, by)


@transaction.atomic
def record_indicator_value(*, by, measured_on: date, value: Decimal, source: str = "",
                           project_indicator: ProjectIndicator | None = None, programme=None,
                           indicator_code: str = "") -> IndicatorValue:
    """A measured value on a date, of a project's indicator or of a programme indicator (by its code).
    A second value on the same date replaces the first (the history keeps it)."""
    if (project_indicator is None) == (programme is None):
        raise ValueError("give a project indicator or a programme, not both")
    if measured_on is None:
        raise ValidationError({"measured_on": _("Give the date of the measurement.")})
    if measured_on > dates.today():
        raise ValidationError({"measured_on": _("A measured value cannot be dated in the future.")})
    if value is None:
        raise ValidationError({"value": _("Give the measured value.")})
    if project_indicator is not None:
        lookup = {"project_indicator": project_indicator, "measured_on": measured_on}
    else:
        indicator_code = clean_code(indicator_code)
        if not indicator_code:
            raise ValidationError({"indicator_code": _("Choose the indicator.")})
        lookup = {"programme": programme, "indicator_code": indicator_code, "measured_on": measured_on}
    obj = IndicatorValue.objects.filter(**lookup).first() or IndicatorValue(**lookup)
    obj.value, obj.source, obj.recorded_by = value, (source or "").strip(), by
    _save(obj, by)
    return obj


@transaction.atomic
def delete_indicator_value(*, value: IndicatorValue, by) -> None:
    delete_with_history(value, by)


# -- monthly follow-up ----------------------------------------------------------------------------------


def _check_period(project: Project, period) -> None:
    if project.programme_id is None or period.programme_id != project.programme_id:
        raise ValidationError({"period": _("Choose a reporting period of the programme the project is followed in.")})
    if not period.is_open:
        raise ValidationError({"period": _("The reporting period %(period)s is closed.") % {"period": period.key}})


@transaction.atomic
def save_project_report(*, project: Project, period, by, status: str, narrative: str = "", obstacles: str = "",
                        language: str = "fi", escalation: bool = False, forecast_total_eur: Decimal | None = None,
                        milestones: Mapping[Milestone, tuple[str, date | None, str]] | None = None,
                        spending: Mapping[tuple[str, Funder], Decimal | None] | None = None,
                        submit: bool = False, expected_revision: int | None = None) -> ProjectReport:
    """Write (and optionally submit) the month's follow-up: the traffic light and narrative, each
    milestone's status (status, date done, reason), and the month's actual costs by cost type and funder.
    An accepted follow-up is final; a returned one can be corrected and submitted again."""
    _check_period(project, period)
    report = ProjectReport.objects.filter(project=project, period=period).first()
    if report is not None:
        _revision(report, expected_revision)
        report.refresh_from_db()
        if report.state == ReviewState.ACCEPTED:
            raise ValidationError(_("The follow-up of %(period)s has been accepted and can no longer be changed.")
                                  % {"period": period.key})
    else:
        report = ProjectReport(project=project, period=period)
    if status not in TrafficLight.values:
        raise ValidationError({"status": _("Choose how the project is going.")})
    if forecast_total_eur is not None and forecast_total_eur < 0:
        raise ValidationError({"forecast_total_eur": _("A cost cannot be negative.")})
    report.status, report.narrative, report.obstacles = status, narrative or "", obstacles or ""
    report.language, report.escalation, report.forecast_total_eur = language, escalation, forecast_total_eur
    if escalation and not (narrative or obstacles or "").strip():
        raise ValidationError({"obstacles": _("Say what the programme office should help with.")})
    if submit:
        if report.state in (ReviewState.DRAFT, ReviewState.RETURNED):
            report.state = ReviewState.SUBMITTED
        report.submitted_at, report.submitted_by = dates.now(), by
    _save(report, by)
    _milestone_updates(report, milestones or {}, by)
    _spending(report, spending or {}, by)
    return report


def _milestone_updates(report: ProjectReport, updates, by) -> None:
    stored = {u.milestone_id: u for u in report.milestone_updates.all()}
    for milestone, (status, done_on, note) in updates.items():
        if milestone.project_id != report.project_id:
            raise ValidationError({"milestones": _("Choose a milestone of this project.")})
        if not status:
            continue
        if status not in MilestoneStatus.values:
            raise ValidationError({"milestones": _("Choose a status for milestone %(code)s.")
                                   % {"code": milestone.code}})
        if status == MilestoneStatus.DONE and done_on is None:
            raise ValidationError({"milestones": _("Give the date milestone %(code)s was done.")
                                   % {"code": milestone.code}})
        if done_on is not None and done_on > dates.today():
            raise ValidationError({"milestones": _("Milestone %(code)s cannot be done on a future date.")
                                   % {"code": milestone.code}})
        if status in (MilestoneStatus.LATE, MilestoneStatus.AT_RISK) and not (note or "").strip():
            raise ValidationError({"milestones": _("Say why milestone %(code)s is late or at risk.")
                                   % {"code": milestone.code}})
        update = stored.get(milestone.pk) or MilestoneUpdate(report=report, milestone=milestone)
        update.status = status
        update.done_on = done_on if status == MilestoneStatus.DONE else None
        update.note = note or ""
        _save(update, by)


def _spending(report: ProjectReport, amounts, by) -> None:
    stored = {(s.cost_type, s.funder_id): s for s in report.spending.all()}
    for (cost_type, funder), amount in amounts.items():
        if funder.project_id != report.project_id:
            raise ValidationError({"spending": _("Choose a funder of this project.")})
        if cost_type not in CostType.values:
            raise ValidationError({"spending": _("Choose the cost type.")})
        row = stored.get((cost_type, funder.pk))
        if amount is None or amount == 0:
            if row is not None:
                delete_with_history(row, by)
            continue
        row = row or Spending(report=report, cost_type=cost_type, funder=funder)
        row.amount_eur = amount
        _save(row, by)


@transaction.atomic
def review_project_report(*, report: ProjectReport, by, accept: bool, comment: str = "",
                          expected_revision: int | None = None) -> ProjectReport:
    _revision(report, expected_revision)
    report.refresh_from_db()
    if report.state != ReviewState.SUBMITTED:
        raise ValidationError(_("Only a submitted follow-up can be accepted or returned."))
    if not accept and not (comment or "").strip():
        raise ValidationError({"review_comment": _("Say what should be corrected.")})
    report.state = ReviewState.ACCEPTED if accept else ReviewState.RETURNED
    report.review_comment = (comment or "").strip()
    report.reviewed_at, report.reviewed_by = dates.now(), by
    _save(report, by)
    return report


# -- many changes at once (the project workbook) ------------------------------------------------------

_limits_deferred: ContextVar[bool] = ContextVar("projects_limits_deferred", default=False)


@contextmanager
def limits_checked_once(project: Project):
    """Write many funders and budget lines, checking the funders' allowed shares once, after the last write:
    an import passes through states (a new grant's lines written before the own funding's) that the whole
    plan does not have. Use it inside a transaction, which a refusal at the end rolls back."""
    token = _limits_deferred.set(True)
    try:
        yield
    finally:
        _limits_deferred.reset(token)
    check_limits(project)
