"""The OKR table import as background work, like the workbook import: a check (reads the table and the
key results' texts, compares them with what Kärki holds, writes nothing) whose page leads to the preview
where the person decides the flagged rows and corrects what was read; then the import, from exactly the
file that was checked, all or nothing. Limits on the file (`JOB_INPUT_MAX_BYTES`) and on its rows
(`importer.MAX_ROWS`) are refused with a message; any other failure is logged and shown as a failed job,
never a server error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from karki.accounts import permissions as perms
from karki.jobs.registry import JobFailed, Outcome, register

from . import importer

CHECK = "okr.check"
APPLY = "okr.apply"


def _may_import(job) -> None:
    if not perms.can_manage_okr(job.created_by, job.organisation):
        raise JobFailed(_("You may no longer import key results into this organisation."))


def _on(job) -> date:
    return date.fromisoformat(job.params["on"])


def read(job, data: bytes, progress=None) -> importer.ImportPreview:
    try:
        return importer.read_table(data, job.input_name, year=_on(job).year, progress=progress)
    except importer.UnreadableFile as error:
        raise JobFailed(_("Nothing was imported. %(reason)s") % {"reason": error}) from error


def counts(preview: importer.ImportPreview) -> dict:
    rows = preview.key_result_rows
    return {
        "key_results": len(rows), "flagged": len(preview.flagged), "rejected": len(preview.rejected_rows),
        "new_key_results": sum(1 for r in rows if r.stored == importer.NEW_KEY_RESULT),
        "already": sum(1 for r in rows if r.stored == importer.ALREADY_IMPORTED),
        "new_check_ins": sum(1 for r in rows if r.stored == importer.NEW_CHECK_IN),
    }


@register(CHECK, label=gettext_lazy("OKR table check"), summary_template="okr/_check_summary.html")
def check_table(job, progress) -> Outcome:
    _may_import(job)
    data = bytes(job.input_data or b"")
    progress(2, _("Reading the table"))
    preview = read(job, data, progress)
    progress(75, _("Comparing with the key results in Kärki"))
    importer.compare_with_stored(preview, job.organisation)
    progress(100, _("Checked"))
    return Outcome(file=data, filename=job.input_name, content_type="application/octet-stream",
                   summary={"preview": preview.to_data(), "on": job.params["on"], **counts(preview)})


def _corrections(params: dict) -> dict[int, dict]:
    """The corrections as the confirm form sent them (JSON: numbers and dates as text)."""
    found = {}
    for number, fields in (params.get("corrections") or {}).items():
        row = {}
        for name, value in fields.items():
            if name in ("target", "target_low", "target_high", "baseline"):
                row[name] = Decimal(value) if value not in (None, "") else None
            elif name == "deadline":
                row[name] = date.fromisoformat(value) if value else None
            elif name in ("unit", "direction"):
                row[name] = value or ""
        found[int(number)] = row
    return found


@register(APPLY, label=gettext_lazy("OKR table import"), summary_template="okr/_apply_summary.html")
def apply_table(job, progress) -> Outcome:
    _may_import(job)
    progress(2, _("Reading the table"))
    preview = read(job, bytes(job.input_data or b""))
    decisions = {int(number): decision for number, decision in (job.params.get("decisions") or {}).items()}
    try:
        report = importer.apply_preview(preview, organisation=job.organisation, decisions=decisions, on=_on(job),
                                        by=job.created_by, corrections=_corrections(job.params), progress=progress)
    except ValidationError as error:
        raise JobFailed(_("Nothing was imported. %(reason)s") % {"reason": " ".join(error.messages)}) from error
    return Outcome(summary={**report.to_data(), "organisation": job.organisation.slug})
