"""OKR pages: objectives by org unit, a key result with its check-ins, the forms of the programme office
for objectives and key results, the table import."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from karki.accounts import permissions as perms
from karki.core.forms import apply_errors
from karki.jobs.enums import JobState
from karki.jobs.permissions import get_job_for_user
from karki.jobs.services import start_job
from karki.lib.params import whole_number
from karki.organisations.models import OrgUnit
from karki.programmes.models import Programme

from . import importer, services, status
from . import jobs as okr_jobs
from .forms import CheckInForm, ImportConfirmForm, ImportUploadForm, KeyResultForm, ObjectiveForm
from .models import CheckIn, KeyResult, Objective
from .permissions import get_key_result_for_user, get_objective_for_user, get_okr_organisation_for_user


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
        # One role for the whole organisation: whoever manages OKR edits every objective and key result.
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
        "can_edit": perms.can_edit_key_result(request.user, key_result), "can_check_in": can_check_in,
    })


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(60)


def _form_page(request, organisation, form, title: str, cancel_url: str, **extra):
    # A refused form answers 400 so that scripts notice, as the programme pages do.
    status_code = 400 if form.is_bound and form.errors else 200
    return render(request, "okr/form.html", {
        "organisation": organisation, "form": form, "title": title, "cancel_url": cancel_url,
        "nav": "organisations", **extra,
    }, status=status_code)


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request, slug: str, pk: int | None = None):
    """Add or change an objective (the programme office). A save based on an older revision than the
    stored one is refused, showing what changed and keeping what was typed."""
    organisation = get_okr_organisation_for_user(request, slug, manage=True)
    objective = get_objective_for_user(request, organisation, pk, write=True) if pk is not None else None
    org_units = OrgUnit.objects.for_organisation(organisation).select_related("parent")
    initial = {}
    if objective is None:
        initial["language"] = request.LANGUAGE_CODE
        unit = whole_number(request.GET.get("unit"))
        if unit is not None:
            initial["org_unit"] = org_units.filter(pk=unit).values_list("pk", flat=True).first()
    form = ObjectiveForm(request.POST or None, org_units=org_units, instance=objective, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"org_unit": data["org_unit"], "title": data["title"], "language": data["language"],
                  "start_date": data["start_date"], "by": request.user}
        try:
            if objective is None:
                objective = services.create_objective(organisation=organisation, **fields)
                messages.success(request, _("Objective added."))
            else:
                objective = services.update_objective(objective=objective, expected_revision=data["revision"],
                                                      **fields)
                messages.success(request, _("Objective saved."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(reverse("okr:overview", args=[organisation.slug]) + f"#objective-{objective.pk}")
    if not org_units.exists():
        messages.info(request, _("Add the org units first: an objective belongs to a service area or a result "
                                 "area."))
    title = _("New objective") if objective is None else _("Edit objective")
    return _form_page(request, organisation, form, title, reverse("okr:overview", args=[organisation.slug]),
                      objective=objective)


@login_required
@require_http_methods(["GET", "POST"])
def key_result_edit(request, slug: str, pk: int | None = None, objective_pk: int | None = None):
    """Add a key result under an objective, or change one, with its linked measures."""
    organisation = get_okr_organisation_for_user(request, slug, manage=True)
    if pk is not None:
        key_result = get_key_result_for_user(request, organisation, pk, write=True)
        objective = key_result.objective
    else:
        key_result = None
        objective = get_objective_for_user(request, organisation, objective_pk, write=True)
    owners = get_user_model().objects.filter(
        Q(memberships__organisation=organisation, is_active=True)
        | Q(pk=key_result.owner_id if key_result and key_result.owner_id else None)
    ).distinct().order_by("first_name", "last_name", "username")
    programmes = Programme.objects.filter(organisation=organisation).order_by("period_start", "slug")
    links = key_result.measure_links.values_list("programme_id", "measure_code") if key_result else ()
    form = KeyResultForm(request.POST or None, instance=key_result, links=list(links), owners=owners,
                         programmes=programmes, initial={"objective": objective.pk},
                         objectives=Objective.objects.for_organisation(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            if key_result is None:
                payload = form.fields_payload()
                key_result = services.create_key_result(objective=payload.pop("objective"), by=request.user,
                                                        measures=form.measures(), **payload)
                messages.success(request, _("Key result added."))
            else:
                key_result = services.update_key_result(
                    key_result=key_result, by=request.user, expected_revision=form.cleaned_data["revision"],
                    measures=form.measures(), **form.fields_payload())
                messages.success(request, _("Key result saved."))
        except ValidationError as error:
            form.apply_errors(error)
        else:
            return redirect("okr:key-result", slug=organisation.slug, pk=key_result.pk)
    if key_result is None:
        title = _("New key result")
        cancel_url = reverse("okr:overview", args=[organisation.slug]) + f"#objective-{objective.pk}"
    else:
        title = _("Edit key result")
        cancel_url = reverse("okr:key-result", args=[organisation.slug, key_result.pk])
    return _form_page(request, organisation, form, title, cancel_url, key_result=key_result)


def _confirm_delete(request, organisation, obj, *, title: str, cancel_url: str, remove, check_ins: int,
                    key_results: int | None = None):
    """GET asks for confirmation; POST removes the row. What is removed keeps its last values in the
    history with the person who removed it."""
    error = None
    if request.method == "POST":
        try:
            revision = int(request.POST["revision"]) if request.POST.get("revision") else None
        except ValueError:
            revision = -1  # not a revision anybody saw: refused as a stale form
        try:
            remove(expected_revision=revision)
        except ValidationError as exc:
            error = exc
        else:
            messages.success(request, _("Removed. Its last values and check-ins remain in the history."))
            return redirect("okr:overview", slug=organisation.slug)
    return render(request, "okr/confirm_delete.html", {
        "organisation": organisation, "object": obj, "title": title, "cancel_url": cancel_url, "error": error,
        "check_ins": check_ins, "key_results": key_results, "nav": "organisations",
    }, status=409 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def objective_delete(request, slug: str, pk: int):
    organisation = get_okr_organisation_for_user(request, slug, manage=True)
    objective = get_objective_for_user(request, organisation, pk, write=True)

    def remove(expected_revision):
        services.delete_objective(objective=objective, by=request.user, expected_revision=expected_revision)

    return _confirm_delete(
        request, organisation, objective, remove=remove,
        title=_("Remove the objective “%(objective)s”") % {"objective": _short(objective.title)},
        cancel_url=reverse("okr:overview", args=[organisation.slug]) + f"#objective-{objective.pk}",
        check_ins=CheckIn.objects.filter(key_result__objective=objective).count(),
        key_results=objective.key_results.count())


@login_required
@require_http_methods(["GET", "POST"])
def key_result_delete(request, slug: str, pk: int):
    organisation = get_okr_organisation_for_user(request, slug, manage=True)
    key_result = get_key_result_for_user(request, organisation, pk, write=True)

    def remove(expected_revision):
        services.delete_key_result(key_result=key_result, by=request.user, expected_revision=expected_revision)

    return _confirm_delete(
        request, organisation, key_result, remove=remove,
        title=_("Remove the key result “%(key_result)s”") % {"key_result": _short(key_result.text)},
        cancel_url=reverse("okr:key-result", args=[organisation.slug, key_result.pk]),
        check_ins=key_result.check_ins.count())


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug: str):
    """Upload a table: its check runs as background work, whose page leads to the preview."""
    organisation = get_okr_organisation_for_user(request, slug, manage=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = start_job(kind=okr_jobs.CHECK, by=request.user, organisation=organisation,
                            params={"on": form.cleaned_data["on"].isoformat()}, upload=(upload.name, upload.read()))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("jobs:job-detail", job_id=job.pk)
    return render(request, "okr/import.html", {"organisation": organisation, "form": form, "nav": "organisations"},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_confirm(request, slug: str, job_id):
    """The preview of a checked table: what was read, what importing would do row by row, the decisions
    of the flagged rows and corrections of the readings. Confirming starts the import."""
    check = get_job_for_user(request, job_id, with_result=True)  # only its starter reaches a check
    organisation = get_okr_organisation_for_user(request, slug, manage=True)
    if check.kind != okr_jobs.CHECK or check.organisation_id != organisation.pk:
        raise Http404
    if check.state != JobState.SUCCEEDED or check.result_data is None or "preview" not in (check.summary or {}):
        messages.error(request, _("This table cannot be imported: its check did not finish. Upload it again."))
        return redirect("jobs:job-detail", job_id=check.pk)
    preview = importer.ImportPreview.from_data(check.summary["preview"])
    form = ImportConfirmForm(request.POST or None, rows=preview.rows)
    if request.method == "POST" and form.is_valid():
        job = start_job(kind=okr_jobs.APPLY, by=request.user, organisation=organisation,
                        params={"on": check.params["on"], "check": str(check.pk), "decisions": {
                            str(number): decision for number, decision in form.decisions().items()},
                            "corrections": form.corrections()},
                        upload=(check.input_name, bytes(check.result_data)))
        return redirect("jobs:job-detail", job_id=job.pk)
    return render(request, "okr/import_preview.html", {
        "organisation": organisation, "preview": preview, "form": form, "check": check,
        "on": date.fromisoformat(check.params["on"]), "corrections": form.correction_fields(),
        "nav": "organisations",
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def check_in_confidence(request, slug: str, pk: int, entry_pk: int):
    """Mark a check-in's confidence as wrong (or right again): kept in the history, not used for at-risk."""
    organisation = get_okr_organisation_for_user(request, slug)
    key_result = get_key_result_for_user(request, organisation, pk, check_in=True)
    entry = get_object_or_404(CheckIn, pk=entry_pk, key_result=key_result)
    try:
        services.mark_confidence_wrong(entry=entry, by=request.user, wrong=request.POST.get("wrong") != "0")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The confidence is marked as wrong: it stays in the history and no longer "
                                    "counts.") if request.POST.get("wrong") != "0"
                         else _("The confidence counts again."))
    return redirect("okr:key-result", slug=organisation.slug, pk=key_result.pk)
