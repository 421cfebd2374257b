"""Starting, running and pruning background work. Views start it; the task queue runs it."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from karki.lib import dates
from karki.lib.formatting import format_number

from .enums import JobState
from .models import Job
from .registry import JobFailed, Outcome, get_kind

logger = logging.getLogger(__name__)


class Progress:
    """Reports how far the work is, for the job page to show. Writes at most a few times a second.

    The write goes through the ORM's own connection: work that holds a transaction open should report
    before and after it, since other processes see the figure only when it commits.
    """

    MIN_INTERVAL = 0.3

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0
        self._last_percent = -1

    def __call__(self, percent: float, note: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        moment = time.monotonic()
        if percent == self._last_percent and moment - self._last < self.MIN_INTERVAL:
            return
        self._last, self._last_percent = moment, percent
        self.job.progress, self.job.progress_note = percent, str(note)[:300]
        Job.objects.filter(pk=self.job.pk).update(progress=percent, progress_note=self.job.progress_note)


@transaction.atomic
def start_job(*, kind: str, by, organisation, programme=None, params: dict | None = None,
              upload: tuple[str, bytes] | None = None, language: str | None = None) -> Job:
    """Record the work and put it on the task queue, in one transaction: a job is never left without its
    task, nor a task without its job. With the immediate backend (tests) the work is done before this returns."""
    from .tasks import perform_job

    if get_kind(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    if upload is not None and len(upload[1]) > settings.JOB_INPUT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The largest file accepted is %(limit)s MB."),
            code="file_too_large",
            params={"size": _megabytes(len(upload[1])), "limit": _megabytes(settings.JOB_INPUT_MAX_BYTES)},
        )
    job = Job.objects.create(
        kind=kind, organisation=organisation, programme=programme, created_by=by, created_at=dates.now(),
        language=language or translation.get_language() or settings.LANGUAGE_CODE, params=params or {},
        input_name=upload[0][:255] if upload else "", input_data=upload[1] if upload else None,
    )
    result = perform_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def _megabytes(size: int) -> str:
    return format_number(Decimal(size) / 1_000_000, translation.get_language(), 1)


def run_job(job_id: str) -> None:
    """Run one job. Safe to call twice: only the first call finds it waiting and claims it."""
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=dates.now(), progress=0)
    if not claimed:
        return
    job = Job.objects.select_related("organisation", "programme", "created_by").get(pk=job_id)
    kind = get_kind(job.kind)
    with translation.override(job.language):
        try:
            if kind is None:
                raise JobFailed(_("This kind of work is no longer offered."))
            outcome = kind.run(job, Progress(job)) or Outcome()
        except JobFailed as failure:
            _finish(job, JobState.FAILED, error=failure.message, summary=failure.summary)
        except Exception:
            logger.exception("Background job %s (%s) failed", job.pk, job.kind)
            _finish(job, JobState.FAILED, error=_(
                "The work stopped because of an unexpected error. The error has been logged for the "
                "service's administrators. Please try again later."))
        else:
            _finish(job, JobState.SUCCEEDED, summary=outcome.summary, result_name=outcome.filename,
                    result_content_type=outcome.content_type if outcome.file is not None else "",
                    result_data=outcome.file)


def _finish(job: Job, state: str, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=state, finished_at=dates.now(), progress=100 if state == JobState.SUCCEEDED else job.progress,
        input_data=None, **fields)


def prune_jobs(*, older_than: timedelta) -> int:
    """Remove finished jobs (and their files) started more than `older_than` ago; returns how many."""
    cutoff = dates.now() - older_than
    removed, _counts = Job.objects.filter(created_at__lt=cutoff, state__in=[JobState.SUCCEEDED, JobState.FAILED]
                                          ).delete()
    return removed
