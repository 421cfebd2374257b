"""The one task on the queue: run a recorded job. Everything else about the work lives in `Job`.

The queue is django-tasks (the backport of Django 6's tasks framework) with its database backend by
default: `manage.py db_worker` processes run the work, as many as wanted, beside stateless app processes.
Another backend (for example RQ on Redis) is a setting (`TASKS_BACKEND`), not a code change.
"""

from django_tasks import task

from . import services


@task()
def perform_job(job_id: str) -> None:
    services.run_job(job_id)
