"""Background work a person started: an import, a report, an export.

The task queue (django-tasks, see `tasks.py`) only runs the work; what a person sees — the state, the
progress, the file to download, the errors — is kept here, in the database every app process shares,
so the page survives a reload and any process can answer for it. Inputs and results are stored in the
row itself: they are a few megabytes at most (uploads are limited by `JOB_INPUT_MAX_BYTES`), and a
stateless app process needs no shared disk.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import JobState
from .querysets import JobQuerySet


class Job(models.Model):
    # A random identifier: job addresses are not guessable or countable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("organisation"))
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+", verbose_name=_("programme"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("started by"))
    created_at = models.DateTimeField(_("started at"))
    # The interface language of the person who started the work: messages and files are written in it.
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_name = models.CharField(_("uploaded file"), max_length=255, blank=True)
    input_data = models.BinaryField(null=True, blank=True, editable=False)

    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("doing now"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("work started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    result_content_type = models.CharField(max_length=120, blank=True)
    result_data = models.BinaryField(null=True, blank=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="jobs_job_progress_0_100"),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running"], finished_at__isnull=True)
                | Q(state__in=["succeeded", "failed"], finished_at__isnull=False),
                name="jobs_job_finished_has_time",
            ),
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="jobs_job_by_person_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)

    @property
    def has_result_file(self) -> bool:
        return self.state == JobState.SUCCEEDED and bool(self.result_name)


class WorkerHeartbeat(models.Model):
    """A background worker that is alive, and when it last said so: `/healthz/` reads it.

    Each `manage.py db_worker` process keeps one row, written every few seconds (never on every poll:
    on SQLite each write takes the database's single write lock), and removes it when it stops."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
