"""The background work of programme workbooks: checking an upload, importing it, exporting a version.

A check keeps the uploaded bytes as its result, so that the import the person confirms is made from
exactly the file they saw previewed; the preview also records a fingerprint of the draft it was
compared with, and the import refuses if the draft is no longer the same.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from karki.accounts import permissions as perms
from karki.jobs.registry import JobFailed, Outcome, register
from karki.programmes.models import ProgrammeVersion

from . import export, importing
from .safety import WorkbookProblem
from .snapshot import read_version

CHECK = "workbooks.check"
APPLY = "workbooks.apply"
EXPORT = "workbooks.export"


def target_for(job) -> importing.Target:
    params = job.params or {}
    return importing.Target(
        organisation=job.organisation, programme=job.programme, new_draft=bool(params.get("new_draft")),
        remove_missing=bool(params.get("remove_missing")), identifier=params.get("identifier") or "",
        file_name=job.input_name,
    )


def may_import(user, target: importing.Target) -> bool:
    if target.programme is None:
        return perms.can_import_programme(user, target.organisation)
    return perms.can_edit_programme(user, target.programme)


@register(CHECK, label=_("Workbook check"), summary_template="workbooks/_check_summary.html")
def check_workbook(job, progress) -> Outcome:
    target = target_for(job)
    data = bytes(job.input_data or b"")
    progress(2, _("Opening the workbook"))
    try:
        check = importing.check_workbook(data, target, progress=progress)
    except WorkbookProblem as error:  # the file cannot be read, or the import cannot go ahead
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


@register(APPLY, label=_("Workbook import"), summary_template="workbooks/_apply_summary.html")
def apply_workbook(job, progress) -> Outcome:
    target = target_for(job)
    if not may_import(job.created_by, target):
        raise JobFailed(_("You may no longer import into this programme."))
    try:
        report = importing.apply_workbook(bytes(job.input_data or b""), target, by=job.created_by,
                                          expected_fingerprint=job.params.get("fingerprint", ""), progress=progress)
    except WorkbookProblem as error:  # the file cannot be read, or the import cannot go ahead
        raise JobFailed(error.message) from error
    return Outcome(summary=report)


@register(EXPORT, label=_("Excel export of a programme version"), summary_template="workbooks/_export_summary.html")
def export_version(job, progress) -> Outcome:
    version = ProgrammeVersion.objects.select_related("programme__organisation").get(
        pk=job.params["version"], programme=job.programme)
    progress(5, _("Reading the version"))
    data = export.write_workbook(read_version(version), organisation=version.programme.organisation,
                                 language=job.language, progress=progress)
    return Outcome(file=data, filename=export.file_name(version), content_type=export.CONTENT_TYPE,
                   summary={"version": version.number})
