"""Several app hosts and workers on one PostgreSQL: two gunicorn processes and two worker processes
(as separate hosts would run them). Work put on the queue runs exactly once, and a person signed in on
one host is signed in on the other. On PostgreSQL only (CI's second run); bounded by timeouts, and only
the processes started here are stopped."""

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
TASKS = 12
PASSWORD = "two hosts share one database"

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several hosts share a PostgreSQL database"),
]

SETUP = f"""
from django.contrib.auth import get_user_model
from karki.organisations.models import Organisation
organisation = Organisation.objects.create(name="Two hosts", slug="two-hosts")
user = get_user_model().objects.create_superuser("two.hosts", "two@example.fi", {PASSWORD!r})
print(organisation.pk, user.pk)
"""

ENQUEUE = """
import sys
from karki.jobs.tests.lock_drill_task import record_run
for n in range({tasks}):
    record_run.enqueue(f"task-{{n}}", {organisation}, {user})
"""

COUNT = """
from collections import Counter
from django_tasks_db.models import DBTaskResult
from karki.jobs.models import Job
runs = Counter(Job.objects.filter(kind="two-hosts").values_list("params__tag", flat=True))
workers = {w for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for w in ids}
print(sum(runs.values()), max(runs.values(), default=0), len(runs), len(workers))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True) as db:
        db.execute(statement)


def _manage(env, *args, timeout=300) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return (result.stdout.strip().splitlines() or [""])[-1]  # the answer: the last line printed


def _wait_until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"Timed out waiting for {what}")


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def hosts(tmp_path):
    base_url = os.environ["DATABASE_URL"]
    name = f"{connection.settings_dict['NAME']}_two_hosts"
    _admin_sql(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_sql(base_url, f'CREATE DATABASE "{name}"')
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KARKI_", "DEBUG", "SECRET_KEY"))}
    env |= {"DATABASE_URL": urlunsplit(urlsplit(base_url)._replace(path=f"/{name}")), "KARKI_ENV": "development",
            "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "KARKI_VAR_DIR": str(tmp_path),
            "LOG_LEVEL": "WARNING", "WORKER_HEARTBEAT_SECONDS": "1", "HEALTHZ_REQUIRE_WORKER": "false",
            "DATABASE_CONN_MAX_AGE": "0"}
    processes: list[subprocess.Popen] = []
    logs = []
    try:
        _manage(env, "migrate", "--no-input", "-v0")
        organisation, user = _manage(env, "shell", "-c", SETUP).split()
        urls = []
        for number in range(2):
            port = _free_port()
            log = (tmp_path / f"host{number}.log").open("w")
            logs.append(log)
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                 "--threads", "2", "--no-control-socket", "--timeout", "60"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
            processes.append(subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1",
                 "--worker-id", f"worker-{number}", "-v0"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            _wait_until(lambda url=url: _up(url), 60, f"gunicorn at {url}")
        yield {"env": env, "urls": urls, "organisation": organisation, "user": user}
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        for log in logs:
            log.close()
        _admin_sql(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_hosts__work_runs_once_and_a_session_works_on_both(hosts):
    env, (first, second) = hosts["env"], hosts["urls"]

    _manage(env, "shell", "-c", ENQUEUE.format(tasks=TASKS, organisation=hosts["organisation"], user=hosts["user"]))

    def counted():
        total, most, tags, workers = map(int, _manage(env, "shell", "-c", COUNT).split())
        return (total, most, tags, workers) if tags == TASKS else None

    total, most, tags, workers = _wait_until(counted, 90, "the workers to run the tasks")
    time.sleep(1)  # a second run, if there were one, would show now
    total, most, tags, workers = counted()
    assert (total, most, tags) == (TASKS, 1, TASKS)  # every task ran, none twice
    assert workers >= 1

    cookies = http.cookiejar.CookieJar()  # one browser: cookies of 127.0.0.1 go to both ports
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    page = browser.open(f"{first}/accounts/login/", timeout=20).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "two.hosts", "password": PASSWORD})
    request = urllib.request.Request(f"{first}/accounts/login/", data=form.encode(),
                                     headers={"Referer": f"{first}/accounts/login/"})
    browser.open(request, timeout=20).read()
    assert any(cookie.name == "sessionid" for cookie in cookies)

    for url in (first, second):
        with browser.open(f"{url}/accounts/tokens/", timeout=20) as response:
            assert response.url == f"{url}/accounts/tokens/"  # not sent to the sign-in page
            assert "two.hosts" in response.read().decode()
