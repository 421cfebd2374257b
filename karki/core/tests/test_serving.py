"""Serving as production does: /healthz/, one log line per request, translated error pages, the favicon,
and the settings of the local mode (`make run`)."""

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.views import defaults

from karki.core import health
from karki.jobs.models import WorkerHeartbeat
from karki.lib import dates

ROOT = Path(settings.BASE_DIR)


def _beat(seconds_ago: int = 0):
    now = dates.now()
    WorkerHeartbeat.objects.create(worker_id="w1", host="worker-1", pid=1, started_at=now,
                                   last_seen=now - timedelta(seconds=seconds_ago))


# /healthz/ -------------------------------------------------------------------------------------------


def test_healthz__all_well__200_with_only_true_or_false(client, db):
    _beat()
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "migrations": True, "worker": True}
    assert response["Cache-Control"] == "no-store"


def test_healthz__no_worker_seen_recently__still_200_unless_required(client, db, settings):
    _beat(seconds_ago=settings.HEALTHZ_WORKER_SECONDS + 5)
    assert client.get("/healthz/").json()["worker"] is False
    assert client.get("/healthz/").status_code == 200
    settings.HEALTHZ_REQUIRE_WORKER = True
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_healthz__database_unreachable__503_without_details(client, db):
    with mock.patch.object(health, "database_reachable", return_value=False):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": False, "migrations": False, "worker": False}


def test_healthz__migrations_not_applied__503(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)
    with mock.patch("karki.core.health.MigrationExecutor") as executor:
        executor.return_value.migration_plan.return_value = [("jobs", "0003_new")]
        response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["migrations"] is False


@override_settings(ALLOWED_HOSTS=["karki.example.fi"])
def test_healthz__asked_by_address_without_signing_in__answers(client, db):
    """Load balancers ask by the host's address, which is not one of ALLOWED_HOSTS, and never sign in."""
    assert client.get("/healthz/", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


# One line per request --------------------------------------------------------------------------------


def test_request_log__one_line_with_method_path_status_and_time(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="karki.request"):
        client.get("/accounts/login/?next=/secret-words/")
        client.get("/no-such-page/")
    lines = [r.getMessage() for r in caplog.records if r.name == "karki.request"]
    assert len(lines) == 2
    method, path, status, took = lines[0].split()
    assert (method, path, status) == ("GET", "/accounts/login/", "200") and took.endswith("ms")
    assert float(took[:-2]) >= 0 and "secret-words" not in lines[0]
    assert lines[1].startswith("GET /no-such-page/ 404 ")


# Error pages -----------------------------------------------------------------------------------------


def test_not_found__another_countys_programme__styled_translated_page_without_url_patterns(client_for, outsider,
                                                                                         ita):
    response = client_for(outsider).get(f"/programmes/{ita.slug}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Sivua ei löydy</h1>" in page and 'class="site-header"' in page
    assert "URLconf" not in page and "programmes:" not in page


@pytest.mark.parametrize("language, words", [("fi", "Jokin meni vikaan"), ("sv", "Något gick fel"),
                                             ("en", "Something went wrong")])
def test_server_error__static_safe_and_translated(language, words):
    request = RequestFactory().get("/")
    with translation.override(language), mock.patch("django.templatetags.static.static",
                                                    side_effect=AssertionError("no static lookup")):
        response = defaults.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and words in page and f'lang="{language}"' in page
    assert 'href="/static/css/karki.css"' in page


def test_permission_denied_and_bad_request__styled_and_translated(db):
    request = RequestFactory().get("/")
    request.user = mock.Mock(is_authenticated=False)
    with translation.override("sv"):
        denied = defaults.permission_denied(request, exception=None).content.decode()
        bad = defaults.bad_request(request, exception=None).content.decode()
    assert "Ingen behörighet" in denied and 'class="site-header"' in denied
    assert "Felaktig begäran" in bad


def test_favicon__linked_from_pages_and_served_for_favicon_ico(client, db):
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")
    assert (ROOT / "static/favicon.svg").read_text().startswith("<svg")


# Settings of the modes -------------------------------------------------------------------------------

SHOW = ("import json; from django.conf import settings as s; print(json.dumps({'debug': s.DEBUG, "
        "'key': s.SECRET_KEY, 'site': s.SITE_URL, 'static': s.STORAGES['staticfiles']['BACKEND'], "
        "'files': s.STORAGES['default']['BACKEND'], 'secure': getattr(s, 'SESSION_COOKIE_SECURE', False)}))")


def _settings(tmp_path, **variables):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_", "DEBUG", "KARKI_", "SECRET_KEY", "SITE_URL", "PORT", "FILE_STORAGE",
                                  "AWS_"))}
    env |= {"KARKI_VAR_DIR": str(tmp_path), **variables}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", SHOW], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout.strip().splitlines()[-1] if result.returncode == 0 else result.stderr


def test_local_mode__debug_off_plain_http_and_a_key_made_once(tmp_path):
    code, out = _settings(tmp_path, KARKI_ENV="local", PORT="8123")
    assert code == 0, out
    first = json.loads(out)
    assert first["debug"] is False and first["secure"] is False
    assert first["site"] == "http://127.0.0.1:8123"
    assert first["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    key_file = tmp_path / "secret_key"
    assert len(first["key"]) >= 50 and key_file.read_text().strip() == first["key"]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert json.loads(_settings(tmp_path, KARKI_ENV="local")[1])["key"] == first["key"]


def test_site_url__set__wins_over_the_port(tmp_path):
    code, out = _settings(tmp_path, PORT="8123", SITE_URL="https://karki.example.fi")
    assert json.loads(out)["site"] == "https://karki.example.fi" and json.loads(out)["debug"] is True


def test_file_storage_s3__object_storage_for_files__needs_a_bucket(tmp_path):
    code, out = _settings(tmp_path, FILE_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="karki-files",
                          AWS_S3_ENDPOINT_URL="https://s3.example.fi")
    assert code == 0, out
    assert json.loads(out)["files"] == "storages.backends.s3.S3Storage"
    code, out = _settings(tmp_path, FILE_STORAGE="s3")
    assert code != 0 and "AWS_STORAGE_BUCKET_NAME" in out
