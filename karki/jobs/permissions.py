"""Loading a job for a request: only the person who started it sees it, and only while they still
belong to its organisation (a report holds the organisation's figures). Anyone else gets 404."""

from __future__ import annotations

from django.http import Http404

from karki.accounts import permissions as perms

from .models import Job


def get_job_for_user(request, job_id, *, with_result: bool = False) -> Job:
    jobs = Job.objects.select_related("programme", "organisation")
    if not with_result:
        jobs = jobs.without_payloads()
    job = jobs.filter(pk=job_id).first()
    if job is None or not perms.can_view_job(request.user, job):
        raise Http404
    return job
