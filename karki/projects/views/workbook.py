"""The project workbook: upload → check (a background job whose page shows the preview) → confirm → import
(another job), as the programme workbook does; the plan's export and the empty template."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from karki.jobs.enums import JobState
from karki.jobs.permissions import get_job_for_user
from karki.jobs.services import start_job
from karki.workbooks.safety import megabytes

from ..permissions import get_organisation_for_user, get_project_for_user
from ..workbook import export, importing
from ..workbook import jobs as kinds
from ..workbook.snapshot import read_project


class ProjectWorkbookForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"), help_text=gettext_lazy(
        "A project workbook in the format of the template. Nothing is saved before you have seen the preview and "
        "confirmed it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.JOB_INPUT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is too large: the largest workbook accepted is %(limit)s MB.")
                                        % {"limit": megabytes(limit)})
        return upload


def _language() -> str:
    return (get_language() or "fi")[:2]


def _upload_page(request, *, organisation, project):
    form = ProjectWorkbookForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = start_job(kind=kinds.CHECK, by=request.user, organisation=organisation,
                            programme=project.programme if project else None,
                            params={"project": project.pk if project else None}, upload=(upload.name, upload.read()))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("jobs:job-detail", job_id=job.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "projects/workbook_import.html", {
        "organisation": organisation, "project": project, "form": form, "nav": "organisations"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_import(request, slug: str):
    """A new project of the organisation from a workbook (the programme office)."""
    organisation = get_organisation_for_user(request, slug, add=True)
    return _upload_page(request, organisation=organisation, project=None)


@login_required
@require_http_methods(["GET", "POST"])
def workbook_import(request, slug: str, code: str):
    """The plan of a project from a workbook (the programme office, the project's owner)."""
    project = get_project_for_user(request, slug, code, write=True)
    return _upload_page(request, organisation=project.organisation, project=project)


@login_required
@require_GET
def workbook_export(request, slug: str, code: str):
    """The plan as it is now, in the person's language: the workbook the import reads back."""
    project = get_project_for_user(request, slug, code)
    data = export.write_workbook(read_project(project), organisation=project.organisation, language=_language())
    return export.response(data, export.file_name(project))


@login_required
@require_GET
def workbook_template(request, slug: str):
    organisation = get_organisation_for_user(request, slug)
    data = export.write_workbook(None, organisation=organisation, language=_language())
    return export.response(data, export.template_file_name())


@login_required
@require_POST
def import_confirm(request, job_id):
    """Import the workbook of a finished check, if the plan is still as the preview saw it."""
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
    current = importing.fingerprint(target.project, read_project(target.project))
    if current != summary.get("fingerprint"):
        again = start_job(kind=kinds.CHECK, by=request.user, organisation=check.organisation,
                          programme=check.programme, params={**check.params}, upload=(check.input_name, data))
        messages.warning(request, _("The project has changed since the workbook was checked, so it was checked "
                                    "again. Look at the new preview before importing."))
        return redirect("jobs:job-detail", job_id=again.pk)
    job = start_job(kind=kinds.APPLY, by=request.user, organisation=check.organisation, programme=check.programme,
                    params={**check.params, "fingerprint": summary["fingerprint"], "check": str(check.pk)},
                    upload=(check.input_name, data))
    return redirect("jobs:job-detail", job_id=job.pk)
