from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from karki.accounts import permissions as perms
from karki.accounts.enums import Role
from karki.core.forms import apply_errors
from karki.figures import read as figures
from karki.forecasts.inputs import ForecastUnavailable
from karki.forecasts.permissions import forecast_period
from karki.monitoring.enums import TRAFFIC_LIGHT_ICONS
from karki.organisations.models import OrgUnit

from . import measure_table, risk_register, services
from .comparison import compare
from .forms import DependencyForm, EstimateForm, MeasureForm, RiskForm, TargetForm, ThemeForm
from .models import (
    Funding,
    FundingAllocation,
    Goal,
    ImpactAssessment,
    Indicator,
    Measure,
    MeasureDependency,
    Programme,
    ProgrammeVersion,
    ProjectMeasure,
    Risk,
    Target,
    Theme,
)
from .permissions import (
    get_measure_for_user,
    get_programme_for_user,
    get_risk_for_user,
    get_target_for_user,
    get_theme_for_user,
    get_version,
    get_version_for_user,
)


@login_required
def programme_list(request):
    programmes = list(Programme.objects.visible_to(request.user).with_versions())
    for programme in programmes:
        # Another organisation's programme shows only its published versions.
        programme.visible_versions = list(ProgrammeVersion.objects.visible_to(request.user, programme)
                                          .order_by("number"))
        programme.is_own = perms.is_member(request.user, programme.organisation_id)
    return render(request, "programmes/programme_list.html", {"programmes": programmes, "nav": "programmes"})


def _verdict(request, programme, version) -> dict:
    """Are we on track? The forecast page's own answer for the version shown, at the latest period, for
    those who may read the forecast (it rests on the status reports, which stay inside the organisation)."""
    if not perms.can_view_forecast(request.user, programme):
        return {}
    period = forecast_period(programme, None)
    try:
        forecast = figures.forecast(version, period=period)
    except ForecastUnavailable as problem:
        return {"forecast_problem": problem.message}
    return {"forecast": forecast, "forecast_period": period}


def _can_add_risk(user, version, themes) -> bool:
    """A risk may be added to the version as a whole, or to one of its themes by that theme's owner."""
    return perms.can_add_risk(user, version) or any(perms.can_add_risk(user, version, t) for t in themes)


OVERVIEW_RISKS = 5


def _top_risks(version) -> dict:
    """The overview's short risk section: the highest scores first; the register has them all."""
    risks = sorted(Risk.objects.filter(version=version).select_related("theme", "version__programme"),
                   key=lambda r: (-(r.score or 0), r.code.casefold()))
    return {"risks": risks[:OVERVIEW_RISKS], "risk_total": len(risks)}


@login_required
def programme_detail(request, slug: str, number: int | None = None):
    programme = get_programme_for_user(request, slug)
    version = get_version(programme, number, request.user, landing=True)
    summary = figures.summary(version)
    versions = list(ProgrammeVersion.objects.visible_to(request.user, programme).order_by("number"))
    context = {
        "programme": programme,
        "version": version,
        "versions": versions,
        "summary": summary,
        **_verdict(request, programme, version),
        **_top_risks(version),
        "can_add_risk": _can_add_risk(request.user, version, (row.theme for row in summary.themes)),
        "is_member": perms.is_member(request.user, programme.organisation_id),
        "publication": version.publications.filter(withdrawn_at__isnull=True).select_related("published_by").first(),
        "can_publish": perms.can_publish_version(request.user, version),
        "indicators": Indicator.objects.filter(version=version),
        "funding": Funding.objects.filter(version=version),
        "allocations": FundingAllocation.objects.filter(version=version).select_related("theme", "funding", "project"),
        # The organisation's projects with a plan in Kärki (by code), for the allocations' links to them.
        "planned_codes": _planned_codes(request.user, programme),
        "impacts": ImpactAssessment.objects.filter(version=version, measure__isnull=True),
        "goals": Goal.objects.filter(version=version),
        "can_edit": perms.can_edit_version(request.user, version),
        "can_start_version": perms.can_edit_programme(request.user, programme)
        and not any(v.is_draft for v in versions),
        "can_approve": perms.can_approve_version(request.user, version),
        "nav": "programmes",
    }
    return render(request, "programmes/programme_detail.html", context)


@login_required
def measure_list(request, slug: str, number: int | None = None):
    """Every measure of the version as one table, filtered and sorted by the address; CSV or Excel of the same.
    Without a number: the version the programme's overview shows first."""
    version = get_version_for_user(request, slug, number, landing=True)
    people = perms.is_member(request.user, version.programme.organisation_id)
    table = measure_table.build(version, request.GET, people=people)
    kind = request.GET.get("format")
    if kind in ("csv", "xlsx"):
        return _measure_export(version, table, kind)
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("format", None)
    return render(request, "programmes/measure_list.html", {
        "programme": version.programme, "version": version, "table": table, "nav": "programmes",
        "query": query.urlencode(), "filtered": any(table.filters.values()), "icons": TRAFFIC_LIGHT_ICONS,
        "filter_labels": measure_table.FILTER_LABELS, "columns": measure_table.COLUMNS,
    })


@login_required
def risk_list(request, slug: str, number: int | None = None):
    """The risk register: a likelihood × impact matrix and the same risks as a table, filtered by category
    and sorted by the address (score, highest first). Without a number: the version the overview shows first."""
    version = get_version_for_user(request, slug, number, landing=True)
    register = risk_register.build(version, request.GET, user=request.user)
    query = request.GET.copy()
    query.pop("sort", None)
    return render(request, "programmes/risk_list.html", {
        "programme": version.programme, "version": version, "register": register, "nav": "programmes",
        "query": query.urlencode(), "columns": risk_register.COLUMNS,
        "project_risks": _project_risks(request.user, version.programme, register.category),
        "can_add_risk": _can_add_risk(request.user, version,
                                      Theme.objects.filter(version=version).select_related("version__programme")),
    })


def _project_risks(user, programme, category: str) -> list:
    """The risks of the projects followed in the programme, as they stand now (the projects' plans are
    not part of a version), for members of its organisation only: the plans are internal."""
    if not perms.is_member(user, programme.organisation_id):
        return []
    from karki.projects.reading import programme_project_risks

    risks = [r for r in programme_project_risks(programme) if not category or r.category == category]
    for risk in risks:
        risk.level = risk_register.level(risk.score)
        owner = risk.owner
        name = (owner.get_full_name() or owner.get_username()) if owner is not None else ""
        risk.owner_label = f"{name} ({risk.owner_name})" if name and risk.owner_name else (name or risk.owner_name)
    return risks


def _measure_export(version, table, kind: str):
    import csv
    import io

    from django.http import HttpResponse
    from openpyxl import Workbook

    from karki.audit.export import BOM, safe_cell

    headers, body = measure_table.export_rows(table, get_language())
    name = f"{version.programme.slug}-v{version.number}-{_('measures')}"
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for row in body:
            writer.writerow(["" if v is None else safe_cell(str(v).replace(".", ",") if isinstance(v, Decimal)
                                                             else v) for v in row])
        response = HttpResponse((BOM + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Measures"))[:31]
    sheet.append(headers)
    for row in body:
        sheet.append([safe_cell(v) if isinstance(v, str) else v for v in row])
    for column in ("H", "I", "J"):
        for cell in sheet[column][1:]:
            cell.number_format = "# ##0"
    sheet.freeze_panes = "C2"
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.xlsx"'
    return response


@login_required
def measure_detail(request, slug: str, number: int, code: str):
    version = get_version_for_user(request, slug, number)
    measure = get_measure_for_user(request, version, code)
    context = {
        "programme": version.programme,
        "version": version,
        "measure": measure,
        "dependencies": MeasureDependency.objects.filter(measure=measure).select_related("depends_on"),
        "dependents": MeasureDependency.objects.filter(depends_on=measure).select_related("measure"),
        "impacts": ImpactAssessment.objects.filter(measure=measure),
        "projects": _carried_in(measure, request.user),
        "is_member": perms.is_member(request.user, version.programme.organisation_id),
        "can_edit": perms.can_edit_measure(request.user, measure),
        "can_edit_estimate": perms.can_edit_estimate(request.user, measure),
        "can_delete": perms.can_edit_measure(request.user, measure)
        and perms.can_add_measure(request.user, version, measure.target),
        "nav": "programmes",
    }
    return render(request, "programmes/measure_detail.html", context)


def _planned_codes(user, programme) -> set[str]:
    if not perms.is_member(user, programme.organisation_id):
        return set()
    from karki.projects.models import Project as PlannedProject

    return {code.lower() for code in PlannedProject.objects.filter(
        organisation_id=programme.organisation_id).values_list("code", flat=True)}


def _carried_in(measure, user) -> list[dict]:
    """The projects of the version's project list that carry the measure; for members of the organisation,
    each with the organisation's project of the same code (its plan and follow-up), if there is one."""
    from karki.projects.models import Project as PlannedProject

    listed = [link.project for link in ProjectMeasure.objects.filter(measure=measure).select_related("project")
              .order_by("project__code")]
    plans = {}
    if listed and perms.is_member(user, measure.version.programme.organisation_id):
        plans = {p.code.lower(): p for p in PlannedProject.objects.filter(
            organisation_id=measure.version.programme.organisation_id,
            code__in=[project.code for project in listed])}
    return [{"listed": project, "plan": plans.get(project.code.lower())} for project in listed]


@login_required
def compare_versions(request, slug: str):
    programme = get_programme_for_user(request, slug)
    versions = list(ProgrammeVersion.objects.visible_to(request.user, programme).order_by("number"))
    if len(versions) < 2:
        messages.info(request, _("This programme has only one version so far."))
        return redirect("programmes:programme-detail", slug=slug)
    old = get_version(programme, request.GET.get("a") or versions[-2].number, request.user)
    new = get_version(programme, request.GET.get("b") or versions[-1].number, request.user)
    comparison = compare(old, new)
    return render(request, "programmes/compare.html", {
        "programme": programme, "versions": versions, "comparison": comparison, "old": old, "new": new,
        "nav": "programmes",
    })


@login_required
@require_POST
def version_start(request, slug: str):
    programme = get_programme_for_user(request, slug)
    if not perms.can_edit_programme(request.user, programme):
        raise PermissionDenied
    try:
        version = services.start_new_version(programme=programme, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("programmes:programme-detail", slug=slug)
    messages.success(request, _("Version %(number)s started as a copy of the latest version.") % {
        "number": version.number})
    return redirect("programmes:version-detail", slug=slug, number=version.number)


@login_required
@require_http_methods(["GET", "POST"])
def version_approve(request, slug: str, number: int):
    """Approving cannot be undone: the page says so and what follows, and acts only on the confirming POST."""
    version = get_version_for_user(request, slug, number)
    if not perms.can_approve_version(request.user, version):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.approve_version(version=version, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Version %(number)s is approved and frozen.") % {"number": version.number})
        return redirect("programmes:version-detail", slug=slug, number=number)
    return render(request, "programmes/confirm_version.html", {
        "programme": version.programme, "version": version, "action": "approve", "summary": figures.summary(version),
        "running": ProgrammeVersion.objects.filter(programme=version.programme).approved().order_by("-number").first(),
        "nav": "programmes",
    })


def _owners(request, version, roles):
    """People who may be named owners, offered only to those who assign owners (the programme office)."""
    if not perms.can_edit_programme(request.user, version.programme):
        return None
    return (get_user_model().objects.filter(
        memberships__organisation_id=version.programme.organisation_id, memberships__role__in=roles,
        is_active=True).distinct().order_by("last_name", "first_name", "username"))


def _org_units(version):
    return OrgUnit.objects.filter(organisation_id=version.programme.organisation_id)


def _form_page(request, template: str, context: dict, form, title: str):
    # A refused form answers 400 so that scripts notice; htmx swaps only 2xx answers.
    status = 400 if form.is_bound and form.errors and not request.htmx else 200
    return render(request, template, {**context, "form": form, "title": title, "nav": "programmes"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, slug: str, number: int, code: str | None = None):
    version = get_version_for_user(request, slug, number, write=code is None)
    theme = get_theme_for_user(request, version, code, write=True) if code else None
    form = ThemeForm(request.POST or None, instance=theme,
                     owners=_owners(request, version, [Role.THEME_OWNER, Role.PMO]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data["owner"] if "owner" in form.fields else (theme.owner if theme else None)
        try:
            if theme is None:
                theme = services.create_theme(version=version, code=data["code"], name=form.translated_values("name"),
                                              description=form.translated_values("description"), owner=owner,
                                              owner_name=data["owner_name"], by=request.user)
            else:
                theme = services.update_theme(
                    theme=theme, code=data["code"], name=form.translated_values("name"),
                    description=form.translated_values("description"), owner=owner,
                    owner_name=data["owner_name"], expected_revision=data.get("revision"), by=request.user,
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Theme %(code)s saved.") % {"code": theme.code})
            return redirect(reverse("programmes:version-detail", args=[slug, number]) + f"#theme-{theme.code}")
    title = _("Edit theme %(code)s") % {"code": theme.code} if theme else _("New theme")
    return _form_page(request, "programmes/form.html", {"programme": version.programme, "version": version},
                      form, title)


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, slug: str, number: int, code: str | None = None, theme_code: str | None = None):
    version = get_version_for_user(request, slug, number)
    target = get_target_for_user(request, version, code, write=True) if code else None
    theme = target.theme if target else get_theme_for_user(request, version, theme_code, write=True)
    form = TargetForm(request.POST or None, instance=target, org_units=_org_units(version))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = dict(
            code=data["code"], name=form.translated_values("name"),
            description=form.translated_values("description"), estimate=form.estimate_payload(),
            org_unit=data["org_unit"], potential_class_stated=data["potential_class_stated"],
            difficulty=data["difficulty"], by=request.user,
        )
        try:
            if target is None:
                target = services.create_target(theme=theme, **fields)
            else:
                target = services.update_target(target=target, expected_revision=data.get("revision"), **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Productivity target %(code)s saved.") % {"code": target.code})
            return redirect(reverse("programmes:version-detail", args=[slug, number]) + f"#target-{target.code}")
    title = (_("Edit productivity target %(code)s") % {"code": target.code} if target
             else _("New productivity target in theme %(code)s") % {"code": theme.code})
    return _form_page(request, "programmes/form.html", {"programme": version.programme, "version": version},
                      form, title)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, slug: str, number: int, code: str | None = None):
    version = get_version_for_user(request, slug, number)
    measure = get_measure_for_user(request, version, code, write=True) if code else None
    # A theme owner adds and moves measures only under the targets of their own themes.
    targets = [t for t in Target.objects.filter(version=version).select_related("theme", "version__programme")
               .order_by("order", "code") if perms.can_add_measure(request.user, version, t)]
    if measure is None and not perms.can_add_measure(request.user, version) and not targets:
        raise PermissionDenied
    target_choices = Target.objects.filter(pk__in=[t.pk for t in targets] + ([measure.target_id] if measure and
                                                                              measure.target_id else []))
    initial = {}
    if measure is None and request.GET.get("target"):
        initial["target"] = target_choices.filter(code=request.GET["target"]).values_list("pk", flat=True).first()
    form = MeasureForm(request.POST or None, instance=measure, targets=target_choices.order_by("order", "code"),
                       org_units=_org_units(version), initial=initial,
                       owners=_owners(request, version, [Role.MEASURE_OWNER, Role.THEME_OWNER, Role.PMO]))
    if not perms.can_add_measure(request.user, version) and (measure is None or measure.target_id):
        form.fields["target"].required = True
        form.fields["target"].empty_label = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = data["owner"] if "owner" in form.fields else (measure.owner if measure else None)
        fields = dict(
            code=data["code"], name=form.translated_values("name"),
            description=form.translated_values("description"), horizon=data["horizon"],
            difficulty=data["difficulty"], estimate=form.estimate_payload(), org_unit=data["org_unit"],
            owner=owner, owner_name=data["owner_name"], target=data["target"], by=request.user,
            contingency_rank=data["contingency_rank"], service_level_impact=data["service_level_impact"],
            service_level_effect=form.translated_values("service_level_effect"),
        )
        try:
            if measure is None:
                measure = services.create_measure(version=version, basket=data["basket"], **fields)
            else:
                measure = services.update_measure(measure=measure, expected_revision=data.get("revision"), **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Measure %(code)s saved.") % {"code": measure.code})
            return redirect("programmes:measure-detail", slug=slug, number=number, code=measure.code)
    title = _("Edit measure %(code)s") % {"code": measure.code} if measure else _("New measure")
    return _form_page(request, "programmes/form.html", {"programme": version.programme, "version": version},
                      form, title)


@login_required
@require_http_methods(["GET", "POST"])
def measure_delete(request, slug: str, number: int, code: str):
    version = get_version_for_user(request, slug, number)
    measure = get_measure_for_user(request, version, code, write=True)
    if not perms.can_add_measure(request.user, version, measure.target):
        raise PermissionDenied
    return _confirm_delete(request, version, measure, _("Remove measure %(code)s") % {"code": measure.code},
                           reverse("programmes:measure-detail", args=[slug, number, code]))


def _confirm_delete(request, version, obj, title: str, cancel_url: str):
    """GET asks for confirmation; POST removes the row (its last values stay in the history)."""
    error = None
    if request.method == "POST":
        try:
            revision = int(request.POST["revision"]) if request.POST.get("revision") else None
        except ValueError:
            revision = -1  # not a revision anybody saw: refused below as a stale form
        try:
            services.delete_content(obj=obj, by=request.user, expected_revision=revision)
        except ValidationError as exc:
            error = exc
        else:
            messages.success(request, _("%(item)s removed. Its last values remain in the history.")
                             % {"item": obj})
            return redirect("programmes:version-detail", slug=version.programme.slug, number=version.number)
    return render(request, "programmes/confirm_delete.html", {
        "programme": version.programme, "version": version, "object": obj, "title": title,
        "cancel_url": cancel_url, "error": error, "nav": "programmes",
    }, status=409 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request, slug: str, number: int, code: str | None = None):
    version = get_version_for_user(request, slug, number)
    risk = get_risk_for_user(request, version, code, write=True) if code else None
    themes = [t for t in Theme.objects.filter(version=version).select_related("version__programme")
              if perms.can_add_risk(request.user, version, t)]
    if risk is None and not themes and not perms.can_add_risk(request.user, version):
        raise PermissionDenied
    form = RiskForm(request.POST or None, instance=risk, themes=Theme.objects.filter(pk__in=[t.pk for t in themes]))
    whole_programme = perms.can_add_risk(request.user, version)
    if not whole_programme:
        form.fields["theme"].required = True
        form.fields["theme"].empty_label = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = dict(
            code=data["code"], title=form.translated_values("title"), category=data["category"],
            theme=data["theme"], description=form.translated_values("description"),
            likelihood=data["likelihood"], impact=data["impact"], mitigation=form.translated_values("mitigation"),
            owner_name=data["owner_name"], by=request.user,
        )
        try:
            if risk is None:
                risk = services.create_risk(version=version, **fields)
            else:
                risk = services.update_risk(risk=risk, expected_revision=data.get("revision"), **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Risk %(code)s saved.") % {"code": risk.code})
            return redirect(reverse("programmes:risk-list", args=[slug, number]) + f"#risk-{risk.code}")
    title = _("Edit risk %(code)s") % {"code": risk.code} if risk else _("New risk")
    return _form_page(request, "programmes/form.html", {"programme": version.programme, "version": version},
                      form, title)


@login_required
@require_http_methods(["GET", "POST"])
def risk_delete(request, slug: str, number: int, code: str):
    version = get_version_for_user(request, slug, number)
    risk = get_risk_for_user(request, version, code, write=True)
    return _confirm_delete(request, version, risk, _("Remove risk %(code)s") % {"code": risk.code},
                           reverse("programmes:risk-list", args=[slug, number]))


@login_required
@require_http_methods(["GET", "POST"])
def version_publish(request, slug: str, number: int):
    """Publishing (or withdrawing) says first who will read what, and acts only on the confirming POST."""
    version = get_version_for_user(request, slug, number)
    if not perms.can_publish_version(request.user, version):
        raise PermissionDenied
    withdraw = (request.POST.get("action") or request.GET.get("action")) == "withdraw"
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            if withdraw:
                services.withdraw_publication(version=version, by=request.user)
                messages.success(request, _("Version %(number)s is no longer published.") % {"number": version.number})
            else:
                services.publish_version(version=version, by=request.user)
                messages.success(request, _("Version %(number)s is published: signed-in users of other "
                                            "organisations can now read it.") % {"number": version.number})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("programmes:version-detail", slug=slug, number=number)
    return render(request, "programmes/confirm_version.html", {
        "programme": version.programme, "version": version, "action": "withdraw" if withdraw else "publish",
        "nav": "programmes",
    })


@login_required
@require_http_methods(["GET", "POST"])
def measure_estimate_edit(request, slug: str, number: int, code: str):
    version = get_version_for_user(request, slug, number)
    measure = get_measure_for_user(request, version, code, write=True, money_only=True)
    form = EstimateForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_estimate(item=measure, estimate=form.estimate_payload(), by=request.user,
                                  expected_revision=form.cleaned_data.get("revision"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The estimate of measure %(code)s was saved.") % {"code": measure.code})
            url = reverse("programmes:measure-detail", args=[slug, number, measure.code])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = {"programme": version.programme, "version": version, "measure": measure}
    template = "programmes/estimate_form.html"
    if request.htmx:
        template = "programmes/estimate_form.html#estimate-form"
    title = _("Estimate of measure %(code)s") % {"code": measure.code}
    return _form_page(request, template, context, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def dependency_add(request, slug: str, number: int, code: str):
    version = get_version_for_user(request, slug, number)
    measure = get_measure_for_user(request, version, code, write=True)
    form = DependencyForm(request.POST or None,
                          measures=Measure.objects.filter(version=version).exclude(pk=measure.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_dependency(measure=measure, depends_on=form.cleaned_data["depends_on"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Dependency added."))
            return redirect("programmes:measure-detail", slug=slug, number=number, code=measure.code)
    title = _("Add a dependency to measure %(code)s") % {"code": measure.code}
    return _form_page(request, "programmes/form.html", {"programme": version.programme, "version": version,
                                                        "measure": measure}, form, title)


@login_required
@require_POST
def dependency_remove(request, slug: str, number: int, code: str, other: str):
    version = get_version_for_user(request, slug, number)
    measure = get_measure_for_user(request, version, code, write=True)
    dependency = get_object_or_404(MeasureDependency, measure=measure, depends_on__code=other)
    try:
        services.delete_content(obj=dependency, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(measure)s no longer depends on %(other)s.") % {"measure": measure.code,
                                                                                       "other": other})
    return redirect("programmes:measure-detail", slug=slug, number=number, code=measure.code)
