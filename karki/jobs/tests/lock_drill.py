"""The locking drill run by `test_sqlite_locking.py` in a process of its own, on a file-based SQLite
database (the embedded default), with a real `manage.py db_worker` process beside it.

The drill is the app server's side: threads add people through `accounts.services.add_person` (real
password hashing) and put work on the database queue while the worker polls, claims and runs it. It
prints one JSON line: how many people were added, how many jobs finished, and every error met.

Usage: python karki/jobs/tests/lock_drill.py PEOPLE JOBS  (with KARKI_VAR_DIR set, migrations applied)
"""

import json
import os
import subprocess
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402

from karki.jobs.tests.lock_drill_task import drill_task  # noqa: E402
from karki.lib import dates  # noqa: E402


def main(people: int, jobs: int) -> dict:
    from django.contrib.auth import get_user_model

    from karki.accounts import services
    from karki.accounts.enums import Role
    from karki.accounts.models import Membership
    from karki.jobs.models import Job, WorkerHeartbeat
    from karki.organisations.models import Organisation

    organisation = Organisation.objects.create(name="Drill county", slug="drill")
    admin = get_user_model().objects.create_user("drill.admin", password="x" * 20)
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    connections.close_all()

    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.05", "-v0"],
        cwd=ROOT, env={**os.environ, "WORKER_HEARTBEAT_SECONDS": "1"},
    )
    errors: list[str] = []

    def add(number: int) -> None:
        try:
            services.add_person(organisation=organisation, username=f"drill.person{number}", first_name="Drill",
                                last_name=str(number), email=f"p{number}@example.fi", roles=[Role.VIEWER],
                                password=f"A long enough drill password {number}", by=admin)
        except Exception:
            errors.append(traceback.format_exc(limit=3))
        finally:
            connections.close_all()

    def enqueue(number: int) -> None:
        try:
            job = Job.objects.create(kind="drill", organisation=organisation, created_by=admin,
                                     created_at=dates.now(), language="fi")
            drill_task.using(backend="default").enqueue(str(job.pk))
        except Exception:
            errors.append(traceback.format_exc(limit=3))
        finally:
            connections.close_all()

    try:
        time.sleep(1)  # the worker is up and polling
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=6) as pool:
            futures = [pool.submit(add, n) for n in range(people)]
            futures += [pool.submit(enqueue, n) for n in range(jobs)]
            for future in futures:
                future.result()
        writes_seconds = time.monotonic() - started
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Job.objects.filter(kind="drill", state="succeeded").count() < jobs:
            time.sleep(0.2)
        heartbeats = WorkerHeartbeat.objects.count()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return {
        "people_added": get_user_model().objects.filter(username__startswith="drill.person").count(),
        "jobs_succeeded": Job.objects.filter(kind="drill", state="succeeded").count(),
        "heartbeats_seen": heartbeats,
        "heartbeats_left": WorkerHeartbeat.objects.count(),
        "worker_exit": worker.returncode,
        "writes_seconds": round(writes_seconds, 2),
        "errors": errors,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
