"""The monthly follow-up of a project (hankkeen kuukausiseuranta): its periods, the month's form for the
project's owner and the programme office (milestones, spending by cost type and funder, the forecast at
completion), and the programme office's review. The rules are in `services.save_project_report` and
`services.review_project_report`; this module only reads the input's shape and shows what they refuse."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from karki.accounts import permissions as perms
from karki.core.conflicts import NOT_YET_SAVED
from karki.core.forms import MoneyField, apply_errors
from karki.lib import dates
from karki.monitoring.enums import TRAFFIC_LIGHT_ICONS, ReviewState, TrafficLight
from karki.monitoring.forms import ReviewForm
from karki.monitoring.models import Period
from karki.monitoring.permissions import get_period
from karki.okr.forms import DayInput

from .. import reading, services
from ..enums import CostType, MilestoneStatus
from ..models import MilestoneUpdate, ProjectReport
from ..permissions import get_project_for_user

ZERO = Decimal("0")


def _day_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DayInput, input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                           error_messages={"invalid": gettext_lazy("Enter a date, for example 5.10.2025.")})


class FollowUpForm(forms.Form):
    """The month's follow-up: the project's traffic light and text, one row per milestone not yet done,
    and the month's actual costs as a grid of cost type × funder. Shapes only; the rules are the service's."""

    status = forms.ChoiceField(label=gettext_lazy("How is the project going?"), required=False, choices=[
        ("", "–"), *[(light.value, format_lazy("{} {}", TRAFFIC_LIGHT_ICONS[light], light.label))
                     for light in TrafficLight]])
    narrative = forms.CharField(label=gettext_lazy("What happened in the month"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    obstacles = forms.CharField(label=gettext_lazy("Obstacles"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    escalation = forms.BooleanField(label=gettext_lazy("Escalate to the programme office"), required=False)
    forecast_total_eur = MoneyField(
        label=gettext_lazy("Forecast of the total cost at completion"),
        help_text=gettext_lazy('Only if you expect the project to cost more or less than planned. In euros; '
                               '"1,4 M€" is also understood.'))
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, milestones=(), funders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = list(milestones)
        self.funders = list(funders)
        self.conflict = None
        status_choices = [("", gettext_lazy("– not reported")), *MilestoneStatus.choices]
        for milestone in self.milestones:
            name = f"{milestone.code} {milestone.name}"
            self.fields[f"ms{milestone.pk}_status"] = forms.ChoiceField(
                label=format_lazy("{}: {}", name, gettext_lazy("status")), required=False, choices=status_choices)
            self.fields[f"ms{milestone.pk}_done_on"] = _day_field(
                format_lazy("{}: {}", name, gettext_lazy("date done")))
            self.fields[f"ms{milestone.pk}_note"] = forms.CharField(
                label=format_lazy("{}: {}", name, gettext_lazy("reason or note")), required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
        for cost_type in CostType:
            for funder in self.funders:
                self.fields[f"sp_{cost_type.value}_{funder.pk}"] = MoneyField(
                    label=format_lazy("{}, {}", cost_type.label, funder.name), help_text="")

    def milestone_fields(self, milestone):
        return [self[f"ms{milestone.pk}_{part}"] for part in ("status", "done_on", "note")]

    def spending_field(self, cost_type: str, funder):
        return self[f"sp_{cost_type}_{funder.pk}"]

    def payload(self) -> dict:
        data = self.cleaned_data
        return dict(
            status=data["status"], narrative=data["narrative"], obstacles=data["obstacles"],
            escalation=data["escalation"], forecast_total_eur=data["forecast_total_eur"],
            milestones={m: (data.get(f"ms{m.pk}_status") or "", data.get(f"ms{m.pk}_done_on"),
                            data.get(f"ms{m.pk}_note") or "") for m in self.milestones},
            spending={(c.value, f): data.get(f"sp_{c.value}_{f.pk}") for c in CostType for f in self.funders},
            expected_revision=NOT_YET_SAVED if data.get("revision") is None else data["revision"],
        )


def _programme_period(project, key: str) -> Period:
    if project.programme_id is None:
        raise Http404
    return get_period(project.programme, key)


def _context(request, project, **extra) -> dict:
    return {"project": project, "programme": project.programme, "nav": "programmes", "icons": TRAFFIC_LIGHT_ICONS,
            "can_report": perms.can_report_project(request.user, project),
            "can_review": perms.can_review_project_reports(request.user, project), **extra}


@login_required
def follow_up(request, slug: str, code: str):
    """The project's follow-up by period of its programme, open periods first."""
    project = get_project_for_user(request, slug, code)
    rows, open_period = [], None
    if project.programme_id is not None:
        periods = [p for p in Period.objects.filter(programme_id=project.programme_id).order_by("-year", "-month")
                   if (p.year, p.month) >= (project.start_date.year, project.start_date.month)
                   and (p.year, p.month) <= (project.end_date.year, project.end_date.month)]
        periods.sort(key=lambda p: (not p.is_open, -p.ordinal))
        reports = {r.period_id: r for r in ProjectReport.objects.filter(project=project)
                   .annotate(spent=Sum("spending__amount_eur"))}
        rows = [(p, reports.get(p.pk)) for p in periods]
        open_period = next((p for p in periods if p.is_open), None)
    return render(request, "projects/follow_up.html", _context(
        request, project, rows=rows, open_period=open_period,
        open_report=next((r for p, r in rows if open_period is not None and p.pk == open_period.pk), None)))


def _earlier(project, period):
    """The latest reported status of each milestone before `period`."""
    latest: dict[int, MilestoneUpdate] = {}
    for update in (MilestoneUpdate.objects.filter(report__project=project)
                   .filter(reading._upto(period, "report__")).exclude(report__period=period)
                   .order_by("report__period__year", "report__period__month")):
        latest[update.milestone_id] = update
    return latest


def _period_page(request, project, period, *, form=None, review_form=None, status=200):
    report = (ProjectReport.objects.filter(project=project, period=period)
              .select_related("submitted_by", "reviewed_by").first())
    can_report = perms.can_report_project(request.user, project)
    editable = can_report and period.is_open and (report is None or report.state != ReviewState.ACCEPTED)
    planned = reading.plan(project)
    funders = planned.funders
    earlier = _earlier(project, period)
    on = min(reading._period_end(period), dates.today())
    current = {u.milestone_id: u for u in report.milestone_updates.all()} if report else {}
    standings = []
    for milestone in project.milestones.order_by("due_date", "order", "code"):
        before = earlier.get(milestone.pk)
        if before is not None and before.status == MilestoneStatus.DONE:
            continue  # done in an earlier month: no longer followed
        standing = reading.standing_of(milestone, current.get(milestone.pk) or before, on)
        standings.append((milestone, standing, current.get(milestone.pk), before))
    if form is None and editable:
        initial = {"revision": report.revision if report else NOT_YET_SAVED}
        if report is not None:
            initial.update(status=report.status, narrative=report.narrative, obstacles=report.obstacles,
                           escalation=report.escalation, forecast_total_eur=report.forecast_total_eur)
            initial.update({f"sp_{s.cost_type}_{s.funder_id}": s.amount_eur for s in report.spending.all()})
        for milestone, _standing, now, before in standings:
            source = now or before
            if source is not None:
                initial[f"ms{milestone.pk}_status"] = source.status
                initial[f"ms{milestone.pk}_done_on"] = source.done_on
                initial[f"ms{milestone.pk}_note"] = source.note
        form = FollowUpForm(initial=initial, milestones=[m for m, *_rest in standings], funders=funders)
    money = reading.money(project, period, planned)
    month = {(s.cost_type, s.funder_id): s.amount_eur for s in report.spending.all()} if report else {}
    shown = form if editable else None
    grid = []
    for c in CostType:
        plan_c, spent_c = planned.by_cost_type.get(c.value, ZERO), money.spent_by_cost_type.get(c.value, ZERO)
        grid.append({"cost_type": c, "amounts": [month.get((c.value, f.pk)) for f in funders],
                     "total": sum((month.get((c.value, f.pk)) or ZERO for f in funders), ZERO),
                     "planned": plan_c, "spent": spent_c, "remaining": plan_c - spent_c,
                     "fields": [shown.spending_field(c.value, f) for f in funders] if shown else []})
    by_funder = []
    for f in funders:
        plan_f, spent_f = planned.by_funder.get(f.pk, ZERO), money.spent_by_funder.get(f.pk, ZERO)
        by_funder.append({"funder": f, "planned": plan_f, "spent": spent_f, "remaining": plan_f - spent_f,
                          "month": sum((month.get((c.value, f.pk)) or ZERO for c in CostType), ZERO)})
    standings = [{"milestone": m, "standing": st, "now": now, "before": before,
                  "fields": shown.milestone_fields(m) if shown else []} for m, st, now, before in standings]
    if review_form is None and report is not None and report.state == ReviewState.SUBMITTED:
        review_form = ReviewForm(initial={"revision": report.revision})
    return render(request, "projects/follow_up_period.html", _context(
        request, project, period=period, report=report, form=form if editable else None, editable=editable,
        standings=standings, funders=funders, money=money, grid=grid, by_funder=by_funder,
        month_total=sum(month.values(), ZERO), review_form=review_form,
        conflict=getattr(form, "conflict", None) if form is not None else None,
        has_errors=bool(form is not None and form.is_bound and form.errors)), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_period(request, slug: str, code: str, period: str):
    project = get_project_for_user(request, slug, code, report=request.method == "POST")
    period_obj = _programme_period(project, period)
    if request.method == "GET":
        return _period_page(request, project, period_obj)
    earlier = _earlier(project, period_obj)
    milestones = [m for m in project.milestones.order_by("due_date", "order", "code")
                  if not (m.pk in earlier and earlier[m.pk].status == MilestoneStatus.DONE)]
    form = FollowUpForm(request.POST, milestones=milestones, funders=list(project.funders.order_by("order", "code")))
    if form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.save_project_report(project=project, period=period_obj, by=request.user,
                                         language=(get_language() or "fi")[:2], submit=submit, **form.payload())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if submit:
                messages.success(request, _("The follow-up of %(month)s/%(year)s was submitted to the programme "
                                            "office.") % {"month": period_obj.month, "year": period_obj.year})
            else:
                messages.success(request, _("The follow-up of %(month)s/%(year)s was saved as a draft.")
                                 % {"month": period_obj.month, "year": period_obj.year})
            return redirect("projects:follow-up", slug=slug, code=project.code)
    return _period_page(request, project, period_obj, form=form, status=400)


@login_required
@require_POST
def follow_up_review(request, slug: str, code: str, period: str):
    """The programme office accepts a submitted follow-up or returns it with a comment."""
    project = get_project_for_user(request, slug, code, review=True)
    period_obj = _programme_period(project, period)
    report = get_object_or_404(ProjectReport, project=project, period=period_obj)
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = request.POST.get("action") == "accept"
        try:
            services.review_project_report(report=report, by=request.user, accept=accept,
                                           comment=form.cleaned_data["review_comment"],
                                           expected_revision=form.cleaned_data.get("revision"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if accept:
                messages.success(request, _("The follow-up of %(code)s for %(month)s/%(year)s was accepted.")
                                 % {"code": project.code, "month": period_obj.month, "year": period_obj.year})
            else:
                messages.success(request, _("The follow-up of %(code)s for %(month)s/%(year)s was returned to "
                                            "the project's owner.")
                                 % {"code": project.code, "month": period_obj.month, "year": period_obj.year})
            return redirect("monitoring:period-reports", slug=project.programme.slug, period=period_obj.key)
    return _period_page(request, project, period_obj, review_form=form, status=400)

