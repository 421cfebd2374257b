"""Pages of the programme workbook: upload → check (a background job whose page shows the preview) →
confirm → import (another job); the template; the Excel export of a version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from karki.accounts import permissions as perms
from karki.jobs.enums import JobState
from karki.jobs.permissions import get_job_for_user
from karki.jobs.services import start_job
from karki.organisations.permissions import get_organisation_for_user
from karki.programmes.permissions import get_programme_for_user, get_version_for_user

from . import export, importing
from . import jobs as kinds
from .forms import WorkbookUploadForm
from .snapshot import read_version


@login_required
@require_GET
def template_download(request, slug: str):
    """The empty workbook in the person's language, with the organisation's org units listed."""
    organisation = get_organisation_for_user(request, slug)
    data = export.write_workbook(None, organisation=organisation, language=(get_language() or "fi")[:2])
    return export.response(data, export.template_file_name())


def _start_check(request, form, *, organisation, programme, params: dict):
    upload = form.cleaned_data["file"]
    try:
        job = start_job(kind=kinds.CHECK, by=request.user, organisation=organisation, programme=programme,
                        params=params, upload=(upload.name, upload.read()))
    except ValidationError as error:
        form.add_error("file", error)
        return None
    return redirect("jobs:job-detail", job_id=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def programme_import(request, slug: str):
    programme = get_programme_for_user(request, slug)
    if not perms.can_edit_programme(request.user, programme):
        raise PermissionDenied
    latest = programme.versions.order_by("-number").first()
    offer_new_draft = latest is not None and not latest.is_draft
    form = WorkbookUploadForm(request.POST or None, request.FILES or None, offer_new_draft=offer_new_draft)
    if request.method == "POST" and form.is_valid():
        if offer_new_draft and not form.cleaned_data.get("new_draft"):
            form.add_error("new_draft", _(
                "Version %(label)s is approved and can no longer be changed. Tick this to import into a new draft "
                "version.") % {"label": latest.display_label})
        else:
            response = _start_check(request, form, organisation=programme.organisation, programme=programme, params={
                "new_draft": offer_new_draft, "remove_missing": form.cleaned_data["remove_missing"]})
            if response is not None:
                return response
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "workbooks/import.html", {
        "programme": programme, "organisation": programme.organisation, "latest": latest, "form": form,
        "nav": "programmes",
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request, slug: str):
    """A new programme, and its draft version 1, from a workbook."""
    organisation = get_organisation_for_user(request, slug)
    if not perms.can_import_programme(request.user, organisation):
        raise PermissionDenied
    form = WorkbookUploadForm(request.POST or None, request.FILES or None, new_programme=True)
    if request.method == "POST" and form.is_valid():
        response = _start_check(request, form, organisation=organisation, programme=None,
                                params={"identifier": form.cleaned_data["identifier"]})
        if response is not None:
            return response
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "workbooks/import.html", {
        "programme": None, "organisation": organisation, "form": form, "nav": "organisations",
    }, status=status)


@login_required
@require_POST
def import_confirm(request, job_id):
    """Import the workbook of a finished check, if the programme is still as the preview saw it."""
    check = get_job_for_user(request, job_id, with_result=True)
    if check.kind != kinds.CHECK:
        raise Http404
    target = kinds.target_for(check)
    if not kinds.may_import(request.user, target):
        raise PermissionDenied
    summary = check.summary or {}
    if check.state != JobState.SUCCEEDED or not summary.get("ok") or check.result_data is None:
        messages.error(request, _("This workbook cannot be imported: its check did not pass. Upload it again."))
        return redirect("jobs:job-detail", job_id=check.pk)
    data = bytes(check.result_data)
    params = {**check.params}
    try:
        base = target.base_version()
        current = importing.fingerprint(base, read_version(base) if base is not None else importing.empty_snapshot())
    except importing.ImportRefused:
        current = ""
    if current != summary.get("fingerprint"):
        again = start_job(kind=kinds.CHECK, by=request.user, organisation=check.organisation,
                          programme=check.programme, params=params, upload=(check.input_name, data))
        messages.warning(request, _("The programme has changed since the workbook was checked, so it was checked "
                                    "again. Look at the new preview before importing."))
        return redirect("jobs:job-detail", job_id=again.pk)
    job = start_job(kind=kinds.APPLY, by=request.user, organisation=check.organisation, programme=check.programme,
                    params={**params, "fingerprint": summary["fingerprint"], "check": str(check.pk)},
                    upload=(check.input_name, data))
    return redirect("jobs:job-detail", job_id=job.pk)


@login_required
@require_POST
def version_export(request, slug: str, number: int):
    """Members get a background job (its page offers the file); readers of a published version from another
    organisation get the file at once, without the usernames of the owners."""
    version = get_version_for_user(request, slug, number)
    programme = version.programme
    if perms.is_member(request.user, programme.organisation_id):
        job = start_job(kind=kinds.EXPORT, by=request.user, organisation=programme.organisation, programme=programme,
                        params={"version": version.pk})
        return redirect("jobs:job-detail", job_id=job.pk)
    data = export.write_workbook(read_version(version, with_people=False), organisation=programme.organisation,
                                 language=(get_language() or "fi")[:2], every_org_unit=False)
    return export.response(data, export.file_name(version))

