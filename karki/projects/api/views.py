"""Project API: projects, their plan (structure rolled up, funders, budget lines with shares), a budget line,
milestones and the monthly follow-up, with the same permission loaders and services as the pages. A refused
money rule answers 400 with the same message the form and the workbook give."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.accounts import permissions as perms
from karki.core.conflicts import NOT_YET_SAVED
from karki.core.content import CONTENT_LANGUAGES, translations
from karki.monitoring.models import Period
from karki.monitoring.permissions import get_period
from karki.organisations.models import OrgUnit
from karki.programmes.api.edits import PROBLEMS, problem
from karki.programmes.models import Programme

from .. import reading, services
from ..models import Funder, Milestone, Phase, Project, ProjectReport, WorkItem
from ..permissions import get_organisation_for_user, get_project_for_user
from . import serializers as s

ZERO = Decimal("0")


def _text(value: dict | None) -> dict:
    return {code: (value or {}).get(code, "") for code in CONTENT_LANGUAGES}


def _stored_text(obj, field: str) -> dict:
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in CONTENT_LANGUAGES}


def project_data(request, project: Project, planned: Decimal | None = None, *, detail: bool = False) -> dict:
    if planned is None:
        planned = reading.plan(project).planned_eur
    data = {
        "code": project.code, "name": translations(project, "name"),
        "programme": project.programme.slug if project.programme_id else None, "status": project.status,
        "start_date": project.start_date, "end_date": project.end_date,
        "owner": project.owner.get_username() if project.owner_id else None, "owner_name": project.owner_name,
        "org_unit": project.org_unit.code if project.org_unit_id else None, "planned_eur": planned,
        "revision": project.revision,
    }
    if detail:
        for name in ("description", "goals", "expected_results", "impacts", "dependencies"):
            data[name] = translations(project, name)
        data["can_edit"] = perms.can_edit_project(request.user, project)
    return data


def _fields(organisation, data: dict, project: Project | None) -> dict:
    """The service's arguments: given values, the stored ones for what a PATCH leaves out."""
    def pick(key, stored):
        return data[key] if key in data else stored

    programme = project.programme if project else None
    if "programme" in data:
        programme = None
        if data["programme"]:
            programme = Programme.objects.filter(slug=data["programme"], organisation=organisation).first()
            if programme is None:
                raise ValidationError({"programme": [_("Choose a programme of this organisation.")]})
    owner = project.owner if project else None
    if "owner" in data:
        owner = None
        if data["owner"]:
            owner = get_user_model().objects.filter(username=data["owner"], is_active=True,
                                                    memberships__organisation=organisation).first()
            if owner is None:
                raise ValidationError({"owner": [_("The owner must be a Kärki user of %(organisation)s.")
                                                 % {"organisation": organisation}]})
    org_unit = project.org_unit if project else None
    if "org_unit" in data:
        org_unit = None
        if data["org_unit"]:
            org_unit = OrgUnit.objects.filter(organisation=organisation, code=data["org_unit"]).first()
            if org_unit is None:
                raise ValidationError({"org_unit": [_("%(code)s is not an org unit of this organisation.")
                                                    % {"code": data["org_unit"]}]})
    translated = {name: _text(data[name]) if name in data else (_stored_text(project, name) if project else {})
                  for name in ("description", "goals", "expected_results", "impacts", "dependencies")}
    return {
        "code": pick("code", project.code if project else ""),
        "name": _text(data["name"]) if "name" in data else (_stored_text(project, "name") if project else {}),
        "start_date": pick("start_date", project.start_date if project else None),
        "end_date": pick("end_date", project.end_date if project else None),
        "status": pick("status", project.status if project else "planned"),
        "programme": programme, "owner": owner, "org_unit": org_unit,
        "owner_name": pick("owner_name", project.owner_name if project else "") or "",
        "translated": translated,
    }


@extend_schema(methods=["GET"], responses=s.ProjectSerializer(many=True), summary="Projects of an organisation")
@extend_schema(methods=["POST"], request=s.ProjectWriteSerializer, responses={201: s.ProjectDetailSerializer,
                                                                            **PROBLEMS},
               summary="Add a project (the programme office)")
@api_view(["GET", "POST"])
def projects(request, slug: str):
    organisation = get_organisation_for_user(request, slug, add=request.method == "POST")
    if request.method == "GET":
        found = list(Project.objects.for_organisation(organisation).visible_to(request.user)
                     .select_related("programme", "owner", "org_unit"))
        return Response(s.ProjectSerializer([project_data(request, p) for p in found], many=True).data)
    serializer = s.ProjectWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        for key in ("code", "name", "start_date", "end_date"):
            if not data.get(key):
                raise ValidationError({key: [_("This field is required.")]})
        project = services.create_project(organisation=organisation, by=request.user,
                                          **_fields(organisation, data, None))
    except ValidationError as error:
        return problem(error)
    return Response(s.ProjectDetailSerializer(project_data(request, project, ZERO, detail=True)).data,
                    status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], responses=s.ProjectDetailSerializer, summary="One project, with its revision")
@extend_schema(methods=["PATCH"], request=s.ProjectWriteSerializer, responses={200: s.ProjectDetailSerializer,
                                                                             **PROBLEMS},
               summary="Change a project's facts (fields left out are kept; `revision` required)")
@api_view(["GET", "PATCH"])
def project_detail(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, write=request.method == "PATCH")
    if request.method == "GET":
        return Response(s.ProjectDetailSerializer(project_data(request, project, detail=True)).data)
    serializer = s.ProjectWriteSerializer(data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        if data.get("revision") is None:
            raise ValidationError({"revision": [_("Give the revision you read, so that nobody's change is "
                                                  "overwritten unseen.")]})
        if ("programme" in data or "owner" in data) and not perms.can_add_project(request.user,
                                                                                   project.organisation):
            raise PermissionDenied(_("Only the programme office changes a project's programme or owner."))
        project = services.update_project(project=project, by=request.user, expected_revision=data["revision"],
                                          **_fields(project.organisation, data, project))
    except ValidationError as error:
        return problem(error)
    return Response(s.ProjectDetailSerializer(project_data(request, project, detail=True)).data)


def plan_data(project: Project) -> dict:
    rolled = reading.plan(project)
    code_of = {f.pk: f.code for f in rolled.funders}
    items = {row.item.pk: row.item for row in rolled.rows}
    lines = []
    for line in project.budget_lines.select_related("item").prefetch_related("shares"):
        lines.append({"item": line.item.code, "year": line.year, "cost_type": line.cost_type,
                      "total_eur": line.total_eur, "note": line.note,
                      "shares": [{"funder": code_of[x.funder_id], "amount_eur": x.amount_eur}
                                 for x in line.shares.all()]})
    return {
        "project": project.code, "years": rolled.years, "planned_eur": rolled.planned_eur,
        "structure": [{
            "code": row.item.code, "kind": row.item.kind, "depth": row.depth,
            "parent": items[row.item.parent_id].code if row.item.parent_id else None,
            "name": translations(row.item, "name"), "planned_eur": row.planned_eur,
            "by_funder": {code_of[pk]: amount for pk, amount in row.by_funder.items()},
            "by_year": {str(year): amount for year, amount in row.by_year.items()}} for row in rolled.rows],
        "funders": [{
            "code": f.code, "kind": f.kind, "name": translations(f, "name"), "max_share_pct": f.max_share_pct,
            "funding_code": f.funding_code, "planned_eur": rolled.by_funder.get(f.pk, ZERO),
            "share_pct": rolled.funder_share_pct(f)} for f in rolled.funders],
        "budget": lines,
    }


@extend_schema(responses=s.PlanSerializer, summary="The plan: structure rolled up, funders, budget lines")
@api_view(["GET"])
def project_plan(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code)
    return Response(s.PlanSerializer(plan_data(project)).data)


@extend_schema(request=s.BudgetLineWriteSerializer, responses={200: s.PlanSerializer, **PROBLEMS},
               summary="Plan the cost of an item in a year and cost type, with each funder's share",
               description="Replaces the line of the item, year and cost type (or adds it). The shares must add "
                           "up to the total and no funder may end up above its allowed share of the project: "
                           "otherwise 400 with the same message as the form and the workbook.")
@api_view(["PUT"])
def budget_line(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, write=True)
    serializer = s.BudgetLineWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        item = WorkItem.objects.filter(project=project, code=data["item"]).first()
        if item is None:
            raise ValidationError({"item": [_("%(code)s is not an item of this project.") % {"code": data["item"]}]})
        funders = {f.code: f for f in Funder.objects.filter(project=project)}
        shares = {funder: None for funder in funders.values()}
        for share in data["shares"]:
            if share["funder"] not in funders:
                raise ValidationError({"shares": [_("%(code)s is not a funder of this project.")
                                                  % {"code": share["funder"]}]})
            shares[funders[share["funder"]]] = share["amount_eur"]
        services.set_budget_line(project=project, by=request.user, item=item, year=data["year"],
                                 cost_type=data["cost_type"], total_eur=data["total_eur"], shares=shares,
                                 note=data["note"])
    except ValidationError as error:
        return problem(error)
    return Response(s.PlanSerializer(plan_data(project)).data)


def milestone_list(project: Project) -> list[dict]:
    return [{"code": x.milestone.code, "name": translations(x.milestone, "name"), "due_date": x.milestone.due_date,
             "phase": x.milestone.phase.code if x.milestone.phase_id else None,
             "item": x.milestone.item.code if x.milestone.item_id else None, "owner_name": x.milestone.owner_name,
             "status": x.status, "reported": x.reported, "done_on": x.done_on}
            for x in sorted(reading.standings(project), key=lambda x: (x.milestone.due_date, x.milestone.code))]


@extend_schema(methods=["GET"], responses=s.MilestoneSerializer(many=True),
               summary="Milestones of a project with their standing")
@extend_schema(methods=["POST"], request=s.MilestoneWriteSerializer,
               responses={201: s.MilestoneSerializer(many=True), **PROBLEMS}, summary="Add a milestone")
@api_view(["GET", "POST"])
def milestones(request, slug: str, code: str):
    project = get_project_for_user(request, slug, code, write=request.method == "POST")
    if request.method == "GET":
        return Response(s.MilestoneSerializer(milestone_list(project), many=True).data)
    serializer = s.MilestoneWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        phase = Phase.objects.filter(project=project, code=data.get("phase")).first() if data.get("phase") else None
        item = WorkItem.objects.filter(project=project, code=data.get("item")).first() if data.get("item") else None
        for key, found in (("phase", phase), ("item", item)):
            if data.get(key) and found is None:
                raise ValidationError({key: [_("%(code)s is not in this project.") % {"code": data[key]}]})
        services.save_milestone(project=project, by=request.user, code=data["code"], name=_text(data["name"]),
                                due_date=data["due_date"], phase=phase, item=item, owner_name=data["owner_name"],
                                deliverable=_text(data.get("deliverable")))
    except ValidationError as error:
        return problem(error)
    return Response(s.MilestoneSerializer(milestone_list(project), many=True).data, status=status.HTTP_201_CREATED)


def follow_up_data(project: Project, period: Period) -> dict:
    report = ProjectReport.objects.filter(project=project, period=period).first()
    data = {"project": project.code, "period": period.key, "exists": report is not None, "status": "", "state": "",
            "narrative": "", "obstacles": "", "escalation": False, "forecast_total_eur": None, "milestones": [],
            "spending": [], "revision": 0}
    if report is not None:
        data.update({
            "status": report.status, "state": report.state, "narrative": report.narrative,
            "obstacles": report.obstacles, "escalation": report.escalation,
            "forecast_total_eur": report.forecast_total_eur, "revision": report.revision,
            "milestones": [{"milestone": u.milestone.code, "status": u.status, "done_on": u.done_on, "note": u.note}
                           for u in report.milestone_updates.select_related("milestone")],
            "spending": [{"cost_type": x.cost_type, "funder": x.funder.code, "amount_eur": x.amount_eur}
                         for x in report.spending.select_related("funder")]})
    return data


def _project_period(project: Project, key: str) -> Period:
    from django.http import Http404

    if project.programme_id is None:
        raise Http404
    return get_period(project.programme, key)


@extend_schema(methods=["GET"], responses=s.FollowUpSerializer, summary="The follow-up of a reporting period")
@extend_schema(methods=["PUT"], request=s.FollowUpWriteSerializer, responses={200: s.FollowUpSerializer, **PROBLEMS},
               summary="Write (and optionally submit) the follow-up of a period: status, milestones, spending")
@api_view(["GET", "PUT"])
def follow_up(request, slug: str, code: str, period: str):
    project = get_project_for_user(request, slug, code, report=request.method == "PUT")
    found = _project_period(project, period)
    if request.method == "GET":
        return Response(s.FollowUpSerializer(follow_up_data(project, found)).data)
    serializer = s.FollowUpWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        by_code = {m.code: m for m in Milestone.objects.filter(project=project)}
        funders = {f.code: f for f in Funder.objects.filter(project=project)}
        updates = {}
        for row in data["milestones"]:
            if row["milestone"] not in by_code:
                raise ValidationError({"milestones": [_("%(code)s is not in this project.")
                                                      % {"code": row["milestone"]}]})
            updates[by_code[row["milestone"]]] = (row["status"], row["done_on"], row["note"])
        spending = {(cost_type, funder): None for cost_type in reading.CostType.values for funder in funders.values()}
        for row in data["spending"]:
            if row["funder"] not in funders:
                raise ValidationError({"spending": [_("%(code)s is not a funder of this project.")
                                                    % {"code": row["funder"]}]})
            spending[(row["cost_type"], funders[row["funder"]])] = row["amount_eur"]
        services.save_project_report(
            project=project, period=found, by=request.user, status=data["status"], narrative=data["narrative"],
            obstacles=data["obstacles"], language=data["language"], escalation=data["escalation"],
            forecast_total_eur=data["forecast_total_eur"], milestones=updates, spending=spending,
            submit=data["submit"], expected_revision=NOT_YET_SAVED if data["revision"] is None else data["revision"])
    except ValidationError as error:
        return problem(error)
    return Response(s.FollowUpSerializer(follow_up_data(project, found)).data)
