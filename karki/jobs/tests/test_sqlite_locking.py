"""The embedded default never answers "database is locked": people are added from many threads of the
app's process while a real worker process polls, claims and runs work, all on one SQLite file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded SQLite database only")
def test_sqlite__people_added_while_the_worker_polls_and_runs_work__no_write_fails(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "KARKI_ENV", "DEBUG")}
    env |= {"KARKI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True,
                   timeout=300)

    drill = subprocess.run([sys.executable, "karki/jobs/tests/lock_drill.py", "24", "8"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)

    assert drill.returncode == 0, drill.stderr[-3000:]
    result = json.loads(drill.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["people_added"] == 24
    assert result["jobs_succeeded"] == 8
    assert result["heartbeats_seen"] == 1  # the worker said it was alive
    assert result["heartbeats_left"] == 0 and result["worker_exit"] == 0  # and stopped cleanly
