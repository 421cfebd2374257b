"""OKR pages: objectives by org unit, a key result with its check-ins, the table import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from karki.accounts import permissions as perms
from karki.core.forms import apply_errors
from karki.lib import dates

from . import importer, services, status
from .forms import CheckInForm, ImportConfirmForm, ImportUploadForm
from .models import KeyResult, Objective
from .permissions import get_key_result_for_user, get_okr_organisation_for_user

PREVIEW_MAX_AGE = 60 * 60  # an hour to decide the flagged rows


def _salt(organisation, user) -> str:
    return f"karki.okr.import:{organisation.pk}:{user.pk}"


@login_required
def okr_overview(request, slug: str):
    organisation = get_okr_organisation_for_user(request, slug)
    objectives = list(Objective.objects.for_organisation(organisation))
    key_results = list(KeyResult.objects.for_organisation(organisation).prefetch_related("measure_links"))
    found = status.statuses(key_results)
    groups: dict[int, dict] = {}
    for objective in objectives:
        group = groups.setdefault(objective.org_unit_id, {"unit": objective.org_unit, "objectives": []})
        objective.rows = [found[kr.pk] for kr in key_results if kr.objective_id == objective.pk]
        group["objectives"].append(objective)
    return render(request, "okr/overview.html", {
        "organisation": organisation, "groups": list(groups.values()),
        "at_risk_count": sum(1 for s in found.values() if s.at_risk),
        "can_manage": perms.can_manage_okr(request.user, organisation),
        "has_sample_data": any(o.is_sample_data for o in objectives), "nav": "organisations",
    })


@login_required
@require_http_methods(["GET", "POST"])
def key_result_detail(request, slug: str, pk: int):
    """The key result with its check-in history; the check-in form for those who may check in.
    Check-ins are appended, never edited, so no stale-edit check is needed."""
    organisation = get_okr_organisation_for_user(request, slug)
    key_result = get_key_result_for_user(request, organisation, pk, check_in=request.method == "POST")
    can_check_in = perms.can_check_in(request.user, key_result)
    form = CheckInForm(request.POST or None) if can_check_in else None
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in(key_result=key_result, on=form.cleaned_data["date"], value=form.cleaned_data["value"],
                              confidence=form.cleaned_data["confidence"], comment=form.cleaned_data["comment"],
                              by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Check-in saved."))
            return redirect("okr:key-result", slug=organisation.slug, pk=key_result.pk)
    return render(request, "okr/key_result.html", {
        "organisation": organisation, "key_result": key_result, "status": status.assess(key_result),
        "check_ins": key_result.check_ins.select_related("created_by"), "form": form,
        "measures": perms.linked_measures(key_result), "nav": "organisations",
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug: str):
    organisation = get_okr_organisation_for_user(request, slug, manage=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = importer.read_table(upload.read(), upload.name)
        except importer.UnreadableFile as error:
            form.add_error("file", _("Nothing was imported. %(reason)s") % {"reason": error})
        else:
            payload = signing.dumps(preview.to_data(), salt=_salt(organisation, request.user), compress=True)
            confirm = ImportConfirmForm(initial={"payload": payload}, flagged=preview.flagged)
            return _preview_page(request, organisation, preview, confirm)
    return render(request, "okr/import.html", {"organisation": organisation, "form": form, "nav": "organisations"})


def _preview_page(request, organisation, preview, confirm):
    return render(request, "okr/import_preview.html", {
        "organisation": organisation, "preview": preview, "form": confirm, "nav": "organisations",
    })


@login_required
@require_POST
def import_confirm(request, slug: str):
    organisation = get_okr_organisation_for_user(request, slug, manage=True)
    try:
        data = signing.loads(request.POST.get("payload", ""), salt=_salt(organisation, request.user),
                             max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was changed. Upload the table again."))
        return redirect("okr:import", slug=organisation.slug)
    preview = importer.ImportPreview.from_data(data)
    form = ImportConfirmForm(request.POST, flagged=preview.flagged)
    if form.is_valid():
        if form.cleaned_data["on"] > dates.today():
            form.add_error("on", _("A check-in cannot be dated in the future."))
        else:
            try:
                report = importer.apply_preview(preview, organisation=organisation, decisions=form.decisions(),
                                                on=form.cleaned_data["on"], by=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return render(request, "okr/import_report.html", {
                    "organisation": organisation, "report": report, "preview": preview, "nav": "organisations",
                })
    return _preview_page(request, organisation, preview, form)
