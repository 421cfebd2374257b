"""Starting, running and pruning background work. Views start it; the task queue runs it."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks.backends.immediate import ImmediateBackend

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
    """Record the work and put it on the task queue once the record is committed: a worker (another
    process) never takes up a job it cannot yet see. If the queue cannot take it, the job says so.
    With the immediate backend (tests) the work is done here, before this returns."""
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
    if isinstance(perform_job.get_backend(), ImmediateBackend):
        # No other process: the work runs in this one, inside this transaction, and sees the row already.
        _enqueue(job.pk)
    else:
        transaction.on_commit(partial(_enqueue, job.pk))
    job.refresh_from_db()
    return job


def _enqueue(job_id) -> None:
    from .tasks import perform_job

    try:
        result = perform_job.enqueue(str(job_id))
    except Exception:
        logger.exception("Background job %s could not be put on the task queue", job_id)
        job = Job.objects.get(pk=job_id)
        with translation.override(job.language):
            _finish(job, JobState.FAILED, error=_(
                "The work stopped because of an unexpected error. The error has been logged for the "
                "service's administrators. Please try again later."))
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


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


def fail_stuck_jobs(*, jobs=None) -> int:
    """Store as failed the work (of `jobs`, by default all) still waiting or running `JOB_TIMEOUT_MINUTES`
    after it was started or taken up: its worker died, or none runs. Returns how many. Idempotent, and
    safe beside workers: a worker takes up only waiting work, so work failed here is never started later.
    Should the lost worker still finish it after all, its real outcome replaces this one."""
    cutoff = dates.now() - timedelta(minutes=settings.JOB_TIMEOUT_MINUTES)
    stuck = (Job.objects.all() if jobs is None else jobs).unfinished_since(cutoff)
    failed = 0
    # The message is written in the language of the person who started the work, as its other messages.
    for language in stuck.order_by().values_list("language", flat=True).distinct():
        with translation.override(language):
            failed += stuck.filter(language=language).update(
                state=JobState.FAILED, finished_at=dates.now(), input_data=None,
                error=_("The work stopped without finishing. Please start it again."))
    if failed:
        logger.warning("%s background job(s) stopped without finishing were marked failed", failed)
    return failed


def prune_jobs(*, older_than: timedelta) -> int:
    """Remove finished jobs (and their files) started more than `older_than` ago; returns how many."""
    cutoff = dates.now() - older_than
    removed, _counts = Job.objects.filter(created_at__lt=cutoff, state__in=[JobState.SUCCEEDED, JobState.FAILED]
                                          ).delete()
    return removed
