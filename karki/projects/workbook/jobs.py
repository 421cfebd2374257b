"""The background work of project workbooks: checking an upload, importing it, as the programme workbook's
(`karki.workbooks.jobs`). The check keeps the uploaded bytes, so the import the person confirms is made
from exactly the file they saw previewed, and only if the plan is still the one it was compared with."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from karki.accounts import permissions as perms
from karki.jobs.registry import JobFailed, Outcome, register
from karki.workbooks.safety import WorkbookProblem

from ..models import Project
from . import export, importing

CHECK = "projects.workbook-check"
APPLY = "projects.workbook-apply"


def target_for(job) -> importing.Target:
    pk = (job.params or {}).get("project")
    project = Project.objects.select_related("organisation").filter(pk=pk, organisation=job.organisation).first() \
        if pk else None
    return importing.Target(organisation=job.organisation, project=project, file_name=job.input_name)


def may_import(user, target: importing.Target) -> bool:
    if target.project is None:
        return perms.can_add_project(user, target.organisation)
    return perms.can_edit_project(user, target.project)


@register(CHECK, label=_("Project workbook check"), summary_template="projects/workbook_check_summary.html")
def check_workbook(job, progress) -> Outcome:
    target = target_for(job)
    if job.params.get("project") and target.project is None:
        raise JobFailed(_("The project no longer exists."))
    progress(2, _("Opening the workbook"))
    data = bytes(job.input_data or b"")
    try:
        check = importing.check_workbook(data, target, progress=progress)
    except WorkbookProblem as error:
        raise JobFailed(error.message) from error
    summary = importing.summary(check, target)
    if not check.ok:
        count = check.problems.error_count
        raise JobFailed(ngettext(
            "The workbook has %(count)s problem. Nothing was imported: correct it in the workbook and upload it again.",
            "The workbook has %(count)s problems. Nothing was imported: correct them in the workbook and upload it "
            "again.", count) % {"count": count}, summary=summary)
    progress(100, _("Checked"))
    return Outcome(file=data, filename=job.input_name, content_type=export.CONTENT_TYPE, summary=summary)


@register(APPLY, label=_("Project workbook import"), summary_template="projects/workbook_apply_summary.html")
def apply_workbook(job, progress) -> Outcome:
    target = target_for(job)
    if not may_import(job.created_by, target):
        raise JobFailed(_("You may no longer import into this project."))
    try:
        report = importing.apply_workbook(bytes(job.input_data or b""), target, by=job.created_by,
                                          expected_fingerprint=job.params.get("fingerprint", ""), progress=progress)
    except WorkbookProblem as error:
        raise JobFailed(error.message) from error
    return Outcome(summary=report)
