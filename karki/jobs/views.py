"""The pages of background work: my jobs, one job (with progress that updates itself), its file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import services
from .models import Job
from .permissions import get_job_for_user
from .registry import get_kind

LIST_LENGTH = 50


@login_required
@require_GET
def job_list(request):
    services.fail_stuck_jobs(jobs=Job.objects.started_by(request.user))
    jobs = list(Job.objects.started_by(request.user).without_payloads().select_related("programme")[:LIST_LENGTH])
    for job in jobs:
        job.kind_info = get_kind(job.kind)
    return render(request, "jobs/job_list.html", {"jobs": jobs, "nav": "jobs"})


@login_required
@require_GET
def job_detail(request, job_id):
    job = get_job_for_user(request, job_id)
    template = "jobs/job_detail.html#job-status" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job, "kind": get_kind(job.kind), "nav": "jobs"})


@login_required
@require_GET
def job_download(request, job_id):
    job = get_job_for_user(request, job_id, with_result=True)
    if not job.has_result_file or job.result_data is None:
        raise Http404
    response = HttpResponse(bytes(job.result_data), content_type=job.result_content_type)
    response["Content-Disposition"] = content_disposition_header(True, job.result_name)
    response["Cache-Control"] = "no-store"  # the file holds the organisation's figures
    return response

