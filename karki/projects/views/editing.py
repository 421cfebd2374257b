"""Keeping the plan: the project's facts, its structure, funders, budget, schedule, risks, indicators and
their measured values. Every write goes through `karki.projects.services`; a refused save shows the
service's message on the same form with everything the person typed still in it (status 400).

The lists (structure, funders, schedule, risks, indicators) are edited on one page each: the list with
edit and remove links, and one form that adds a row or changes the chosen one (`?<what>=<pk>`). Removing
asks first (`?remove=<what>-<pk>`) and says what goes with it. After a save of one row the page opens again
to add the next; the project's facts, the budget grid and a measured value lead to their reading page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from karki.accounts import permissions as perms
from karki.lib.formatting import format_date, format_eur, format_number, format_percent
from karki.organisations.models import OrgUnit
from karki.programmes.models import Indicator, Programme
from karki.programmes.permissions import get_programme_for_user

from .. import reading, services
from ..enums import ItemKind
from ..forms import (
    BudgetGridForm,
    FunderForm,
    IndicatorForm,
    IndicatorValueForm,
    ItemForm,
    MilestoneForm,
    PhaseForm,
    ProjectForm,
    RiskForm,
    apply_errors,
)
from ..models import BudgetLine, Funder, IndicatorValue, Milestone, Phase, ProjectIndicator, ProjectRisk, WorkItem
from ..permissions import get_organisation_for_user, get_project_for_user

NAV_TEMPLATE = "projects/_nav.html"


def _nav_template() -> str | None:
    """The project's sub-navigation, once the reading pages provide it."""
    try:
        get_template(NAV_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return NAV_TEMPLATE


def _render(request, template: str, context: dict, *, refused: bool = False):
    project = context.get("project")
    context.setdefault("nav", "programmes")
    if project is not None:
        context.setdefault("organisation", project.organisation)
        context.setdefault("project_url", reverse("projects:project", args=[project.organisation.slug,
                                                                             project.code]))
        context.setdefault("nav_template", _nav_template())
    # A refused form answers 400 so that scripts notice, as the other forms do.
    return render(request, template, context, status=400 if refused else 200)


def _people(organisation, *also):
    """The organisation's users to choose an owner from (and whoever owns the thing now)."""
    keep = [person.pk for person in also if person is not None]
    return (get_user_model().objects.filter(Q(memberships__organisation=organisation, is_active=True) | Q(pk__in=keep))
            .distinct().order_by("first_name", "last_name", "username"))


def _lang() -> str:
    return get_language() or "fi"


# -- the project's facts ---------------------------------------------------------------------------------

TRANSLATED_TEXTS = ("description", "goals", "expected_results", "impacts", "dependencies")


def _project_form(request, organisation, project=None):
    return ProjectForm(
        request.POST or None, instance=project,
        owners=_people(organisation, project.owner if project else None),
        org_units=OrgUnit.objects.for_organisation(organisation).select_related("parent"),
        programmes=Programme.objects.filter(organisation=organisation).order_by("period_start", "slug"),
        initial={} if project else {"status": "planned"},
    )


def _project_fields(form) -> dict:
    data = form.cleaned_data
    return {"code": data["code"], "name": form.translated_values("name"), "start_date": data["start_date"],
            "end_date": data["end_date"], "programme": data["programme"], "owner": data["owner"],
            "owner_name": data["owner_name"], "org_unit": data["org_unit"], "status": data["status"],
            "translated": {name: form.translated_values(name) for name in TRANSLATED_TEXTS}}


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request, slug: str):
    organisation = get_organisation_for_user(request, slug, add=True)
    form = _project_form(request, organisation)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(organisation=organisation, by=request.user, **_project_fields(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Project added. Next, enter its structure and funders."))
            return redirect("projects:project", slug=organisation.slug, code=project.code)
    return _render(request, "projects/edit_project.html", {
        "organisation": organisation, "form": form, "title": _("New project"),
        "cancel_url": reverse("projects:organisation-projects", args=[organisation.slug]),
    }, refused=form.is_bound and bool(form.errors))


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, slug: str, code: str):
    """The project's facts. A save based on an older revision is refused, showing what changed meanwhile
    and keeping what was typed."""
    project = get_project_for_user(request, slug, code, write=True)
    form = _project_form(request, project.organisation, project)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.update_project(project=project, by=request.user,
                                              expected_revision=form.cleaned_data["revision"],
                                              **_project_fields(form))
        except ValidationError as error:
            project.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:project", slug=slug, code=project.code)
    return _render(request, "projects/edit_project.html", {
        "project": project, "form": form, "title": _("Edit the project"), "active": "project",
        "cancel_url": reverse("projects:project", args=[slug, project.code]),
    }, refused=form.is_bound and bool(form.errors))


# -- lists edited row by row: structure, funders, schedule, risks, indicators -----------------------------


@dataclass
class Editor:
    """One kind of row on a list page: how to list, find, show in a form, save and remove it."""

    what: str                                   # the address word: ?item=<pk>, remove=item-<pk>
    heading: str
    add_label: str
    columns: list[str]
    rows: Callable                              # project -> [(obj, depth, [cells])]
    form: Callable                              # (project, data, instance) -> form
    save: Callable                              # (project, form, instance, by) -> obj
    delete: Callable                            # (obj, by)
    consequence: Callable                       # obj -> str said before removing
    model: type
    empty: str = ""
    edit_label: Callable = field(default=lambda obj: str(obj))


def _cells_date(day) -> str:
    return format_date(day, _lang()) if day else "–"


def _number(value) -> str:
    if value is None:
        return "–"
    places = max(-value.normalize().as_tuple().exponent, 0)
    return format_number(value, _lang(), places)


def _person(person, name: str) -> str:
    if person is not None:
        return person.get_full_name() or person.get_username()
    return name or "–"


def _item_rows(project):
    return [(row.item, row.depth, [row.item.code, row.item.name, row.item.get_kind_display(),
                                   format_eur(row.planned_eur, _lang()) if row.planned_eur else "–"])
            for row in reading.plan(project).rows]


def _item_form(project, data, instance):
    rows = [row for row in reading.plan(project).rows]
    if instance is not None:  # an item cannot be part of itself or of its own parts
        skip, depth = False, None
        kept = []
        for row in rows:
            if row.item.pk == instance.pk:
                skip, depth = True, row.depth
                continue
            if skip and row.depth > depth:
                continue
            skip = False
            kept.append(row)
        rows = kept
    return ItemForm(data, instance=instance, prefix="item", items=rows,
                    queryset=WorkItem.objects.filter(project=project))


def _item_save(project, form, instance, by):
    data = form.cleaned_data
    return services.save_item(project=project, by=by, code=data["code"], kind=data["kind"], parent=data["parent"],
                              name=form.translated_values("name"), item=instance,
                              description=({c: getattr(instance, f"description_{c}", "") for c in ("fi", "sv", "en")}
                                           if instance else None))


def _parts(item) -> list[WorkItem]:
    found, level = [], [item]
    while level:
        level = list(WorkItem.objects.filter(parent__in=level))
        found.extend(level)
    return found


def _item_consequence(item) -> str:
    parts = _parts(item)
    lines = BudgetLine.objects.filter(item__in=[item, *parts]).count()
    return _("%(item)s is removed with its %(parts)s parts and their %(lines)s budget lines. Milestones linked "
             "to them stay, without the link. Everything removed keeps its last values in the history.") % {
        "item": f"{item.code} {item.name}", "parts": len(parts), "lines": lines}


STRUCTURE = Editor(
    what="item", model=WorkItem,
    heading=gettext_lazy("Structure of the plan"), add_label=gettext_lazy("Add an item"),
    columns=[gettext_lazy("Code"), gettext_lazy("Name"), gettext_lazy("Level"), gettext_lazy("Planned (€)")],
    rows=_item_rows, form=_item_form, save=_item_save,
    delete=lambda obj, by: services.delete_item(item=obj, by=by),
    consequence=_item_consequence,
    empty=gettext_lazy("No items yet. Start with the sub-areas, then their development areas and work packages."),
    edit_label=lambda obj: _("Edit %(item)s") % {"item": f"{obj.code} {obj.name}"},
)


def _funder_rows(project):
    plan = reading.plan(project)
    rows = []
    for funder in plan.funders:
        share = plan.funder_share_pct(funder)
        rows.append((funder, 0, [funder.code, funder.name, funder.get_kind_display(),
                                 format_percent(funder.max_share_pct, _lang(), places=0)
                                 if funder.max_share_pct is not None else "–",
                                 format_eur(plan.by_funder.get(funder.pk, 0), _lang())
                                 + (f" ({format_percent(share, _lang(), places=1)})" if share is not None else ""),
                                 funder.funding_code or "–"]))
    return rows


FUNDERS = Editor(
    what="funder", model=Funder,
    heading=gettext_lazy("Funders"), add_label=gettext_lazy("Add a funder"),
    columns=[gettext_lazy("Code"), gettext_lazy("Name"), gettext_lazy("Kind"), gettext_lazy("Allowed share"),
             gettext_lazy("Pays in the budget"), gettext_lazy("Programme funding")],
    rows=_funder_rows,
    form=lambda project, data, instance: FunderForm(data, instance=instance, prefix="funder"),
    save=lambda project, form, instance, by: services.save_funder(
        project=project, by=by, funder=instance, code=form.cleaned_data["code"], kind=form.cleaned_data["kind"],
        name=form.translated_values("name"), max_share_pct=form.cleaned_data["max_share_pct"],
        funding_code=form.cleaned_data["funding_code"]),
    delete=lambda obj, by: services.delete_funder(funder=obj, by=by),
    consequence=lambda obj: _("%(funder)s is removed. A funder that pays a share of the budget cannot be "
                              "removed before its shares are moved to another funder.") % {"funder": obj.name},
    empty=gettext_lazy("No funders yet. Add the grant and the own funding before the budget."),
    edit_label=lambda obj: _("Edit %(item)s") % {"item": obj.name},
)


PHASES = Editor(
    what="phase", model=Phase,
    heading=gettext_lazy("Phases"), add_label=gettext_lazy("Add a phase"),
    columns=[gettext_lazy("Code"), gettext_lazy("Name"), gettext_lazy("Start date"), gettext_lazy("End date")],
    rows=lambda project: [(p, 0, [p.code, p.name, _cells_date(p.start_date), _cells_date(p.end_date)])
                          for p in Phase.objects.filter(project=project)],
    form=lambda project, data, instance: PhaseForm(data, instance=instance, prefix="phase"),
    save=lambda project, form, instance, by: services.save_phase(
        project=project, by=by, phase=instance, code=form.cleaned_data["code"], name=form.translated_values("name"),
        start_date=form.cleaned_data["start_date"], end_date=form.cleaned_data["end_date"]),
    delete=lambda obj, by: services.delete_phase(phase=obj, by=by),
    consequence=lambda obj: _("The phase %(phase)s is removed; its milestones stay, without a phase.")
    % {"phase": obj.name},
    empty=gettext_lazy("No phases yet."),
    edit_label=lambda obj: _("Edit %(item)s") % {"item": f"{obj.code} {obj.name}"},
)


def _milestone_form(project, data, instance):
    rows = reading.plan(project).rows
    return MilestoneForm(data, instance=instance, prefix="milestone", phases=Phase.objects.filter(project=project),
                         items=(rows, WorkItem.objects.filter(project=project)),
                         owners=_people(project.organisation, instance.owner if instance else None))


MILESTONES = Editor(
    what="milestone", model=Milestone,
    heading=gettext_lazy("Milestones"), add_label=gettext_lazy("Add a milestone"),
    columns=[gettext_lazy("Code"), gettext_lazy("Milestone"), gettext_lazy("Due date"), gettext_lazy("Phase"),
             gettext_lazy("Item of the plan"), gettext_lazy("Owner"), gettext_lazy("Deliverable")],
    rows=lambda project: [
        (m, 0, [m.code, m.name, _cells_date(m.due_date), m.phase.name if m.phase else "–",
                f"{m.item.code} {m.item.name}" if m.item else "–", _person(m.owner, m.owner_name),
                m.deliverable or "–"])
        for m in Milestone.objects.filter(project=project).select_related("phase", "item", "owner")],
    form=_milestone_form,
    save=lambda project, form, instance, by: services.save_milestone(
        project=project, by=by, milestone=instance, code=form.cleaned_data["code"],
        name=form.translated_values("name"), due_date=form.cleaned_data["due_date"],
        phase=form.cleaned_data["phase"], item=form.cleaned_data["item"], owner=form.cleaned_data["owner"],
        owner_name=form.cleaned_data["owner_name"], deliverable=form.translated_values("deliverable")),
    delete=lambda obj, by: services.delete_milestone(milestone=obj, by=by),
    consequence=lambda obj: _("The milestone %(milestone)s is removed. A milestone that has been followed up "
                              "cannot be removed.") % {"milestone": f"{obj.code} {obj.name}"},
    empty=gettext_lazy("No milestones yet."),
    edit_label=lambda obj: _("Edit %(item)s") % {"item": f"{obj.code} {obj.name}"},
)


RISKS = Editor(
    what="risk", model=ProjectRisk,
    heading=gettext_lazy("Risks"), add_label=gettext_lazy("Add a risk"),
    columns=[gettext_lazy("Code"), gettext_lazy("Risk"), gettext_lazy("Category"), gettext_lazy("Likelihood (1–5)"),
             gettext_lazy("Impact (1–5)"), gettext_lazy("Owner"), gettext_lazy("Mitigation")],
    rows=lambda project: [
        (r, 0, [r.code, r.title, r.get_category_display(), str(r.likelihood or "–"), str(r.impact or "–"),
                _person(r.owner, r.owner_name), r.mitigation or "–"])
        for r in ProjectRisk.objects.filter(project=project).select_related("owner")],
    form=lambda project, data, instance: RiskForm(
        data, instance=instance, prefix="risk",
        owners=_people(project.organisation, instance.owner if instance else None)),
    save=lambda project, form, instance, by: services.save_risk(
        project=project, by=by, risk=instance, code=form.cleaned_data["code"], title=form.translated_values("title"),
        category=form.cleaned_data["category"], likelihood=form.cleaned_data["likelihood"],
        impact=form.cleaned_data["impact"], owner=form.cleaned_data["owner"],
        owner_name=form.cleaned_data["owner_name"], description=form.translated_values("description"),
        mitigation=form.translated_values("mitigation")),
    delete=lambda obj, by: services.delete_risk(risk=obj, by=by),
    consequence=lambda obj: _("The risk %(risk)s is removed; its last values stay in the history.")
    % {"risk": f"{obj.code} {obj.title}"},
    empty=gettext_lazy("No risks yet."),
    edit_label=lambda obj: _("Edit %(item)s") % {"item": f"{obj.code} {obj.title}"},
)


def _indicator_rows(project):
    rows = []
    for i in ProjectIndicator.objects.filter(project=project).prefetch_related("values"):
        values = list(i.values.all())
        latest = values[-1] if values else None
        rows.append((i, 0, [i.code, i.name, i.unit or "–", _number(i.baseline_value), _number(i.target_value),
                            _cells_date(i.deadline),
                            f"{_number(latest.value)} ({_cells_date(latest.measured_on)})" if latest else "–"]))
    return rows


INDICATORS = Editor(
    what="indicator", model=ProjectIndicator,
    heading=gettext_lazy("Indicators"), add_label=gettext_lazy("Add an indicator"),
    columns=[gettext_lazy("Code"), gettext_lazy("Name"), gettext_lazy("Unit"), gettext_lazy("Baseline"),
             gettext_lazy("Target value"), gettext_lazy("Deadline"), gettext_lazy("Latest value")],
    rows=_indicator_rows,
    form=lambda project, data, instance: IndicatorForm(data, instance=instance, prefix="indicator"),
    save=lambda project, form, instance, by: services.save_indicator(
        project=project, by=by, indicator=instance, code=form.cleaned_data["code"],
        name=form.translated_values("name"), unit=form.cleaned_data["unit"],
        direction=form.cleaned_data["direction"], baseline_value=form.cleaned_data["baseline_value"],
        baseline_date=form.cleaned_data["baseline_date"], target_value=form.cleaned_data["target_value"],
        deadline=form.cleaned_data["deadline"]),
    delete=lambda obj, by: services.delete_indicator(indicator=obj, by=by),
    consequence=lambda obj: _("The indicator %(indicator)s is removed with its %(values)s measured values.")
    % {"indicator": f"{obj.code} {obj.name}", "values": obj.values.count()},
    empty=gettext_lazy("No indicators yet."),
    edit_label=lambda obj: _("Edit %(item)s") % {"item": f"{obj.code} {obj.name}"},
)


def _row_fingerprint(obj) -> str:
    """The row's stored values when its form was opened: a save based on other values is refused rather than
    silently overwriting what someone else saved meanwhile (the list rows carry no revision counter)."""
    stored = type(obj)._base_manager.filter(pk=obj.pk).values().first() or {}
    text = "|".join(f"{key}={stored[key]}" for key in sorted(stored))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _find(editor: Editor, project, pk):
    if pk in (None, ""):
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    return get_object_or_404(editor.model, project=project, pk=pk)


def _list_page(request, project, editors: list[Editor], *, title: str, url_name: str, active: str,
               intro: str = "", done_url: str = "", extra: dict | None = None):
    """The list page of one or more kinds of rows (the schedule has phases and milestones)."""
    here = reverse(f"projects:{url_name}", args=[project.organisation.slug, project.code])
    posted = request.method == "POST"
    what = request.POST.get("what") if posted else None
    remove = None  # {editor, obj, error, consequence}: the confirmation asked before removing
    if not posted and request.GET.get("remove"):
        kind, _sep, pk = request.GET["remove"].partition("-")
        editor = next((e for e in editors if e.what == kind), None)
        if editor is None:
            raise Http404
        obj = _find(editor, project, pk)
        if obj is None:
            raise Http404
        remove = {"editor": editor, "obj": obj, "error": None, "consequence": editor.consequence(obj)}
    sections, refused = [], False
    for editor in editors:
        stale_fingerprint = ""
        source = request.POST if posted and what == editor.what else request.GET
        instance = _find(editor, project, source.get(editor.what)) if (not posted or what == editor.what) else None
        if posted and what == editor.what and request.POST.get("action") == "remove":
            if instance is None:
                raise Http404
            try:
                with transaction.atomic():
                    editor.delete(instance, request.user)
            except ValidationError as error:
                remove = {"editor": editor, "obj": instance, "error": error,
                          "consequence": editor.consequence(instance)}
                refused = True
            else:
                messages.success(request, _("Removed. Its last values remain in the history."))
                return redirect(here + f"#{editor.what}-list")
            form = editor.form(project, None, None)
        elif posted and what == editor.what:
            form = editor.form(project, request.POST, instance)
            opened_on = request.POST.get("row_fingerprint")
            if instance is not None and opened_on and opened_on != _row_fingerprint(instance):
                # Someone saved this row after the form was opened: keep what was typed, save nothing.
                form.is_valid()
                form.add_error(None, _("Someone else saved this row after you opened it. Nothing was saved: "
                                       "check its current values in the list above and save your changes again."))
                stale_fingerprint = _row_fingerprint(instance)
            elif form.is_valid():
                try:
                    obj = editor.save(project, form, instance, request.user)
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("Saved: %(item)s.") % {"item": obj})
                    return redirect(here + f"#{editor.what}-list")
            refused = True
        else:
            form = editor.form(project, None, instance)
        sections.append({
            "editor": editor, "form": form, "instance": instance,
            # After a refusal the form keeps the fingerprint it was opened on, except after a stale edit:
            # then it carries the current one, so that saving again replaces the row on purpose.
            "fingerprint": "" if instance is None else stale_fingerprint or (
                request.POST.get("row_fingerprint") if posted and what == editor.what else None
            ) or _row_fingerprint(instance),
            "rows": [{"obj": obj, "depth": depth, "cells": cells, "edit_label": editor.edit_label(obj)}
                     for obj, depth, cells in editor.rows(project)],
            "form_title": editor.edit_label(instance) if instance is not None else editor.add_label,
            "form_id": f"{editor.what}-form",
        })
    return _render(request, "projects/edit_list.html", {
        "project": project, "title": title, "sections": sections, "remove": remove, "here": here,
        "intro": intro, "active": active, "done_url": done_url or reverse(
            "projects:project", args=[project.organisation.slug, project.code]), **(extra or {}),
    }, refused=refused)


@login_required
@require_http_methods(["GET", "POST"])
def structure_edit(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, write=True)
    return _list_page(request, project, [STRUCTURE], title=_("Structure of the plan"), url_name="structure-edit",
                      active="project", intro=_(
                          "Sub-areas, their development areas and work packages, to any depth. The budget is "
                          "planned per item, usually per work package."))


@login_required
@require_http_methods(["GET", "POST"])
def funders_edit(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, write=True)
    return _list_page(request, project, [FUNDERS], title=_("Funders"), url_name="funders-edit", active="budget",
                      done_url=reverse("projects:budget", args=[slug, project.code]), intro=_(
                          "Who pays the project: a state grant, EU or RRP funding, own funding. A grant's allowed "
                          "share is checked against the whole budget."))


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, write=True)
    return _list_page(request, project, [PHASES, MILESTONES], title=_("Schedule"), url_name="schedule-edit",
                      active="schedule", done_url=reverse("projects:schedule", args=[slug, project.code]),
                      intro=_("Phases and milestones with their due dates, owners and deliverables. Dates fall "
                              "within the project, %(start)s–%(end)s.")
                      % {"start": _cells_date(project.start_date), "end": _cells_date(project.end_date)})


@login_required
@require_http_methods(["GET", "POST"])
def risks_edit(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, write=True)
    return _list_page(request, project, [RISKS], title=_("Risks of the project"), url_name="risks-edit",
                      active="project")


@login_required
@require_http_methods(["GET", "POST"])
def indicators_edit(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, write=True)
    return _list_page(request, project, [INDICATORS], title=_("Indicators of the project"),
                      url_name="indicators-edit", active="indicators",
                      done_url=reverse("projects:indicators", args=[slug, project.code]),
                      intro=_("Each indicator with its baseline, target and deadline. Measured values are "
                              "recorded from the indicator's own link."))


# -- the budget grid -------------------------------------------------------------------------------------


def _fingerprint(lines) -> str:
    """What the item's budget was when the form was opened: a save based on another state is refused."""
    text = ";".join(f"{line.year}|{line.cost_type}|{line.total_eur}|"
                    + ",".join(f"{s.funder_id}:{s.amount_eur}" for s in sorted(line.shares.all(),
                                                                               key=lambda s: s.funder_id))
                    for line in lines)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _default_item(rows):
    with_lines = set(BudgetLine.objects.filter(item__in=[r.item for r in rows]).values_list("item_id", flat=True))
    packages = [r.item for r in rows if r.item.kind == ItemKind.WORK_PACKAGE]
    return (next((i for i in packages if i.pk not in with_lines), None) or (packages[0] if packages else None)
            or (rows[0].item if rows else None))


def _write_grid(project, item, changes, by) -> dict:
    """Each row through the services, in one transaction: any refused row saves nothing. A row refused only
    by a funder's allowed share is tried again after the others (a grid may raise a total on a later row)."""
    errors: dict = {}
    with transaction.atomic():
        pending = changes
        for attempt in range(2):
            retry = []
            for row, op, total, shares in pending:
                try:
                    if op == "remove":
                        services.delete_budget_line(line=row["line"], by=by)
                    else:
                        services.set_budget_line(project=project, by=by, item=item, year=row["year"],
                                                 cost_type=row["cost_type"].value, total_eur=total, shares=shares)
                except ValidationError as error:
                    if attempt == 0 and not hasattr(error, "error_dict"):
                        retry.append((row, op, total, shares))
                    else:
                        errors[row["key"]] = list(dict.fromkeys(error.messages))
                else:
                    errors.pop(row["key"], None)
            pending = retry
            if not retry:
                break
        if errors:
            transaction.set_rollback(True)
    return errors


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, slug: str, code: str):
    """One item's budget as a grid (year × cost type, the total and each funder's share)."""
    project = get_project_for_user(request, slug, code, write=True)
    plan = reading.plan(project)
    source = request.POST if request.method == "POST" else request.GET
    items = {str(row.item.pk): row.item for row in plan.rows}
    chosen = source.get("item")
    if chosen and chosen not in items:
        raise Http404
    item = items[chosen] if chosen else _default_item(plan.rows)
    context = {"project": project, "title": _("Edit the budget"), "plan": plan, "item": item, "active": "budget",
               "done_url": reverse("projects:budget", args=[slug, project.code])}
    if item is None or not plan.funders:
        return _render(request, "projects/edit_budget.html", context)
    lines = list(BudgetLine.objects.filter(item=item).prefetch_related("shares"))
    form = BudgetGridForm(request.POST or None, project=project, item=item, funders=plan.funders, lines=lines)
    form.fingerprint = _fingerprint(lines)
    conflict = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("fingerprint") != form.fingerprint:
            conflict = True  # the boxes keep what was typed; the current budget is shown beside them
        else:
            errors = _write_grid(project, item, form.changes(), request.user)
            for key, row_messages in errors.items():
                form.add_row_error(key, row_messages)
            if not errors:
                messages.success(request, _("The budget of %(item)s is saved.") % {"item": f"{item.code} {item.name}"})
                return redirect(reverse("projects:budget", args=[slug, project.code]) + f"#item-{item.pk}")
    context.update({"form": form, "conflict": conflict, "rows": form.bound_rows(), "lines": lines,
                    "error_list": form.error_list() if (form.is_bound and form.has_errors) else [],
                    "item_choices": [(row.item.pk, "\u2003" * row.depth + f"{row.item.code} {row.item.name}"
                                      + (f" – {format_eur(row.planned_eur, _lang())}" if row.planned_eur else ""),
                                      row.item.pk == item.pk) for row in plan.rows]})
    return _render(request, "projects/edit_budget.html", context, refused=conflict or (form.is_bound
                                                                                      and form.has_errors))


# -- measured values of indicators -----------------------------------------------------------------------


def _values(queryset) -> list[tuple]:
    return [(v.measured_on, _number(v.value), v.source) for v in queryset.order_by("-measured_on")]


def _facts(indicator) -> dict:
    return {"baseline": _number(indicator.baseline_value) if indicator.baseline_value is not None else "",
            "target": _number(indicator.target_value) if indicator.target_value is not None else ""}


@login_required
@require_http_methods(["GET", "POST"])
def indicator_value_create(request, slug: str, code: str, indicator: str):
    project = get_project_for_user(request, slug, code, write=True)
    found = get_object_or_404(ProjectIndicator, project=project, code__iexact=indicator)
    form = IndicatorValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_indicator_value(by=request.user, project_indicator=found, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Value recorded for %(indicator)s.") % {"indicator": found})
            return redirect("projects:indicators", slug=slug, code=project.code)
    return _render(request, "projects/edit_indicator_value.html", {
        "project": project, "indicator": found, "form": form, "values": _values(found.values.all()), **_facts(found),
        "title": _("Record a measured value"), "active": "indicators",
        "cancel_url": reverse("projects:indicators", args=[slug, project.code]),
    }, refused=form.is_bound and bool(form.errors))


@login_required
@require_http_methods(["GET", "POST"])
def programme_indicator_value_create(request, slug: str, indicator: str):
    """A measured value of a programme indicator, found by its code in the latest approved version."""
    programme = get_programme_for_user(request, slug)
    if not perms.is_member(request.user, programme.organisation_id):
        raise Http404  # measured values are the organisation's follow-up, like the monitoring
    version = programme.versions.filter(status="approved").order_by("-number").first()
    found = Indicator.objects.filter(version=version, code__iexact=indicator).first() if version else None
    if found is None:
        raise Http404
    if not perms.can_record_programme_indicators(request.user, programme):
        raise PermissionDenied
    form = IndicatorValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_indicator_value(by=request.user, programme=programme, indicator_code=found.code,
                                            **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Value recorded for %(indicator)s.") % {"indicator": f"{found.code} "
                                                                                              f"{found.name}"})
            return redirect("projects:programme-indicators", slug=programme.slug)
    return _render(request, "projects/edit_indicator_value.html", {
        "programme": programme, "organisation": programme.organisation, "indicator": found, "form": form,
        "values": _values(IndicatorValue.objects.filter(programme=programme, indicator_code=found.code)),
        **_facts(found),
        "title": _("Record a measured value"),
        "cancel_url": reverse("projects:programme-indicators", args=[programme.slug]),
    }, refused=form.is_bound and bool(form.errors))
