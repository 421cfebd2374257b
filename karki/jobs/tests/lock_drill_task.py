"""Tasks of the locking drill (`lock_drill.py`) and the two-host test, in a module a worker can import."""

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


@task()
def record_run(tag: str, organisation_id: int, user_id: int) -> None:
    """Leaves one row for each time it runs (the two-host test counts them: exactly one per task)."""
    from karki.jobs.models import Job

    Job.objects.create(kind="two-hosts", organisation_id=organisation_id, created_by_id=user_id,
                       created_at=dates.now(), language="fi", params={"tag": tag}, state="succeeded",
                       finished_at=dates.now())
