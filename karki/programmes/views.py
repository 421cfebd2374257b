from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from karki.accounts import permissions as perms
from karki.organisations.models import OrgUnit

from . import services
from .comparison import compare
from .forms import DependencyForm, EstimateForm, MeasureForm, TargetForm, ThemeForm
from .models import (
    Funding,
    FundingAllocation,
    Goal,
    ImpactAssessment,
    Indicator,
    Measure,
    MeasureDependency,
    Programme,
    Risk,
    Target,
)
from .permissions import (
    get_measure_for_user,
    get_programme_for_user,
    get_target_for_user,
    get_theme_for_user,
    get_version,
    get_version_for_user,
)
from .summary import summarise


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def programme_list(request):
    programmes = Programme.objects.visible_to(request.user).with_versions()
    return render(request, "programmes/programme_list.html", {"programmes": programmes, "nav": "programmes"})


@login_required
def programme_detail(request, slug: str, number: int | None = None):
    programme = get_programme_for_user(request, slug)
    version = get_version(programme, number)
    summary = summarise(version)
    versions = list(programme.versions.order_by("number"))
    context = {
        "programme": programme,
        "version": version,
        "versions": versions,
        "summary": summary,
        "risks": Risk.objects.filter(version=version),
        "indicators": Indicator.objects.filter(version=version),
        "funding": Funding.objects.filter(version=version),
        "allocations": FundingAllocation.objects.filter(version=version).select_related("theme", "funding"),
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
        "can_edit": perms.can_edit_measure(request.user, measure),
        "can_edit_estimate": perms.can_edit_estimate(request.user, measure),
        "nav": "programmes",
    }
    return render(request, "programmes/measure_detail.html", context)


@login_required
def compare_versions(request, slug: str):
    programme = get_programme_for_user(request, slug)
    versions = list(programme.versions.order_by("number"))
    if len(versions) < 2:
        messages.info(request, _("This programme has only one version so far."))
        return redirect("programmes:programme-detail", slug=slug)
    old = get_version(programme, request.GET.get("a") or versions[-2].number)
    new = get_version(programme, request.GET.get("b") or versions[-1].number)
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
@require_POST
def version_approve(request, slug: str, number: int):
    version = get_version_for_user(request, slug, number)
    if not perms.can_approve_version(request.user, version):
        raise PermissionDenied
    try:
        services.approve_version(version=version, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(number)s is approved and frozen.") % {"number": version.number})
    return redirect("programmes:version-detail", slug=slug, number=number)


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
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if theme is None:
                theme = services.create_theme(version=version, code=data["code"], name=form.translated_values("name"),
                                              description=form.translated_values("description"),
                                              owner_name=data["owner_name"], by=request.user)
            else:
                theme = services.update_theme(
                    theme=theme, code=data["code"], name=form.translated_values("name"),
                    description=form.translated_values("description"), owner=theme.owner,
                    owner_name=data["owner_name"], expected_revision=data.get("revision"), by=request.user,
                )
        except ValidationError as error:
            _apply_errors(form, error)
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
            _apply_errors(form, error)
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
    version = get_version_for_user(request, slug, number, write=code is None)
    measure = get_measure_for_user(request, version, code, write=True) if code else None
    targets = Target.objects.filter(version=version).order_by("order", "code")
    initial = {}
    if measure is None and request.GET.get("target"):
        initial["target"] = targets.filter(code=request.GET["target"]).values_list("pk", flat=True).first()
    form = MeasureForm(request.POST or None, instance=measure, targets=targets, org_units=_org_units(version),
                       initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = dict(
            code=data["code"], name=form.translated_values("name"),
            description=form.translated_values("description"), horizon=data["horizon"],
            difficulty=data["difficulty"], estimate=form.estimate_payload(), org_unit=data["org_unit"],
            owner_name=data["owner_name"], target=data["target"], by=request.user,
        )
        try:
            if measure is None:
                measure = services.create_measure(version=version, basket=data["basket"], **fields)
            else:
                measure = services.update_measure(measure=measure, owner=measure.owner,
                                                  expected_revision=data.get("revision"), **fields)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Measure %(code)s saved.") % {"code": measure.code})
            return redirect("programmes:measure-detail", slug=slug, number=number, code=measure.code)
    title = _("Edit measure %(code)s") % {"code": measure.code} if measure else _("New measure")
    return _form_page(request, "programmes/form.html", {"programme": version.programme, "version": version},
                      form, title)


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
            _apply_errors(form, error)
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
            _apply_errors(form, error)
        else:
            messages.success(request, _("Dependency added."))
            return redirect("programmes:measure-detail", slug=slug, number=number, code=measure.code)
    title = _("Add a dependency to measure %(code)s") % {"code": measure.code}
    return _form_page(request, "programmes/form.html", {"programme": version.programme, "version": version,
                                                        "measure": measure}, form, title)
