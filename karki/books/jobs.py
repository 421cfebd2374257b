"""The import of a file of the books as background work: every row is checked first; a file with any
problem is refused with the problems listed by row and column and nothing written; otherwise all of it is
written in one transaction. The same file a second time writes nothing and says when it was imported."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from karki.accounts import permissions as perms
from karki.jobs.registry import JobFailed, Outcome, register
from karki.lib.formatting import format_datetime

from . import services

IMPORT = "books.import"


@register(IMPORT, label=gettext_lazy("Import of the books"), summary_template="books/_import_summary.html")
def import_books(job, progress) -> Outcome:
    if not perms.can_edit_books(job.created_by, job.organisation):
        raise JobFailed(_("You may no longer import the books of this organisation."))
    progress(2, _("Checking the rows"))
    try:
        result = services.import_file(organisation=job.organisation, kind=job.params["kind"],
                                      data=bytes(job.input_data or b""), file_name=job.input_name,
                                      by=job.created_by, label=job.params.get("label", ""), progress=progress)
    except services.BooksImportError as error:
        raise JobFailed(error.message, summary={
            "errors": [e.to_data() for e in error.errors], "error_count": error.error_count,
            "programme": job.programme.slug if job.programme else ""}) from error
    except ValidationError as error:
        raise JobFailed(_("Nothing was imported. %(reason)s") % {"reason": " ".join(error.messages)}) from error
    batch = result.batch
    return Outcome(summary={
        "already": result.already, "rows": batch.row_count, "total": str(batch.total_eur), "kind": batch.kind,
        "slices": batch.slices, "label": batch.label,
        "imported_at": format_datetime(timezone.localtime(batch.imported_at), job.language),
        "imported_by": batch.imported_by.get_full_name() or batch.imported_by.get_username(),
        "replaced": [{"file": b.file_name, "at": format_datetime(timezone.localtime(b.imported_at), job.language)}
                     for b in result.replaced],
        "new_keys": result.new_keys, "unmapped_keys": result.unmapped_keys,
        "programme": job.programme.slug if job.programme else "",
    })
