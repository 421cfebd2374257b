"""The task of the locking drill (`lock_drill.py`), in a module the worker process can import."""

import time

from django_tasks import task

from karki.lib import dates


@task()
def drill_task(job_id: str) -> None:
    """Work as a real job does it: many short writes of its progress, then its outcome."""
    from karki.jobs.models import Job

    for step in range(1, 21):
        Job.objects.filter(pk=job_id).update(state="running", progress=step * 5, progress_note=f"step {step}")
        time.sleep(0.01)
    Job.objects.filter(pk=job_id).update(state="succeeded", finished_at=dates.now())
