"""Loading a job for a request: only the person who started it sees it, and only while they still
belong to its organisation (a report holds the organisation's figures). Anyone else gets 404.
Work whose worker is gone is stored as failed on the way (`services.fail_stuck_jobs`)."""

from __future__ import annotations

from django.http import Http404

from karki.accounts import permissions as perms

from . import services
from .models import Job


def get_job_for_user(request, job_id, *, with_result: bool = False) -> Job:
    jobs = Job.objects.select_related("programme", "organisation")
    if not with_result:
        jobs = jobs.without_payloads()
    job = jobs.filter(pk=job_id).first()
    if job is None or not perms.can_view_job(request.user, job):
        raise Http404
    if not job.is_finished and services.fail_stuck_jobs(jobs=Job.objects.filter(pk=job.pk)):
        job = jobs.get(pk=job.pk)  # its worker is gone: show it failed, not waiting for ever
    return job
