"""Background work as a person sees it: start it, watch it, download the result, read why it failed."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from karki.jobs import registry, services
from karki.jobs.models import Job
from karki.lib import dates

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
RUNS: list = []


@registry.register("tests.echo", label="Echo")
def _echo(job, progress):
    RUNS.append(job.pk)
    progress(50, "Halfway")
    if job.params.get("fail"):
        raise registry.JobFailed(pgettext("background work", "Failed"), summary={"rows": 3})
    if job.params.get("crash"):
        raise RuntimeError("boom")
    text = (bytes(job.input_data) if job.input_data else b"") + job.language.encode()
    return registry.Outcome(file=text, filename="tulos ä.txt", content_type="text/plain", summary={"rows": 7})


def _start(user, org, **params):
    return services.start_job(kind="tests.echo", by=user, organisation=org, params=params,
                              upload=("input.txt", b"hello "))


@pytest.fixture
def org(ita):
    return ita.organisation


def test_job__finished__page_offers_the_file_and_summary(client_for, pmo, org):
    job = _start(pmo, org)
    page = client_for(pmo).get(reverse("jobs:job-detail", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Valmis" in html and "tulos ä.txt" in html
    assert "hx-trigger" not in html  # finished: the page stops asking
    download = client_for(pmo).get(reverse("jobs:job-download", args=[job.pk]))
    assert download.content == b"hello fi"  # written in the language of the person who started it
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''tulos%20%C3%A4.txt" in download["Content-Disposition"]
    assert download["Cache-Control"] == "no-store"


def test_job__started_in_swedish__runs_in_swedish(client_for, pmo, org):
    with translation.override("sv"):
        job = _start(pmo, org)
    assert client_for(pmo).get(reverse("jobs:job-download", args=[job.pk])).content == b"hello sv"


def test_job__refused_by_the_work__shows_its_message_in_the_persons_language(client_for, pmo, org):
    with translation.override("sv"):
        job = _start(pmo, org, fail=True)
    job.refresh_from_db()
    assert job.state == "failed" and job.summary == {"rows": 3}
    assert job.error == "Misslyckades"
    assert job.input_data is None  # the upload is not kept after the work is done
    response = client_for(pmo).get(reverse("jobs:job-download", args=[job.pk]))
    assert response.status_code == 404


def test_job__unexpected_error__says_so_without_details(client_for, pmo, org, caplog):
    job = _start(pmo, org, crash=True)
    html = client_for(pmo).get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert "odottamattoman virheen" in html and "boom" not in html
    assert "boom" in caplog.text  # but the operator's log has it


@override_settings(TASKS=NO_WORKER)
def test_job__waiting__page_polls_and_shows_progress(client_for, pmo, org):
    job = _start(pmo, org)
    client = client_for(pmo)
    page = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert "Odottaa" in page and 'hx-trigger="every 2s"' in page and "<progress" in page
    fragment = client.get(reverse("jobs:job-detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section id="job-status"') and "<html" not in fragment
    assert str(job.pk) in client.get(reverse("jobs:job-list")).content.decode()


def test_job__someone_else__is_not_found(client_for, pmo, viewer, org):
    job = _start(pmo, org)
    assert client_for(viewer).get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
    assert client_for(viewer).get(reverse("jobs:job-download", args=[job.pk])).status_code == 404


def test_job__starter_who_left_the_organisation__no_longer_reads_it(client_for, pmo, org):
    job = _start(pmo, org)
    pmo.memberships.all().delete()
    pmo._karki_roles = None
    del pmo._karki_roles
    assert client_for(pmo).get(reverse("jobs:job-download", args=[job.pk])).status_code == 404


def test_job__file_too_large__refused_with_the_limit(pmo, org, settings):
    settings.JOB_INPUT_MAX_BYTES = 1_500_000
    with pytest.raises(ValidationError) as caught:
        services.start_job(kind="tests.echo", by=pmo, organisation=org, upload=("big.xlsx", b"x" * 2_600_000))
    assert caught.value.messages == ["Tiedosto on liian suuri (2,6 Mt). Suurin sallittu koko on 1,5 Mt."]
    assert not Job.objects.filter(input_name="big.xlsx").exists()


@override_settings(TASKS=NO_WORKER)
def test_run_job__twice__does_the_work_once(pmo, org):
    job = _start(pmo, org)
    services.run_job(str(job.pk))
    services.run_job(str(job.pk))
    assert RUNS.count(job.pk) == 1
    job.refresh_from_db()
    assert job.state == "succeeded" and job.finished_at is not None


@override_settings(TASKS=DB_QUEUE)
def test_job__database_queue__waits_for_a_worker_which_then_does_it(pmo, org, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        job = _start(pmo, org)
    job.refresh_from_db()
    assert job.state == "queued"
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    # The worker calls close_old_connections(), which would end the test's transaction.
    with mock.patch("karki.jobs.worker.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.state == "succeeded" and bytes(job.result_data) == b"hello fi"
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_prune_jobs__removes_old_finished_work_only(pmo, org):
    old = _start(pmo, org)
    Job.objects.filter(pk=old.pk).update(created_at=dates.now() - timedelta(days=40))
    recent = _start(pmo, org)
    call_command("prune_jobs", days=30, stdout=mock.Mock())
    assert not Job.objects.filter(pk=old.pk).exists()
    assert Job.objects.filter(pk=recent.pk).exists()


STOPPED_FI = "Työ keskeytyi ennen kuin se valmistui. Aloita se uudelleen."


@override_settings(TASKS=NO_WORKER, JOB_TIMEOUT_MINUTES=30)
def test_job__worker_died__page_shows_it_failed_and_stops_polling(client_for, pmo, org):
    job = _start(pmo, org)
    Job.objects.filter(pk=job.pk).update(state="running", started_at=dates.now() - timedelta(minutes=31))
    html = client_for(pmo).get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert STOPPED_FI in html and "Epäonnistui" in html
    assert "hx-trigger" not in html  # the page no longer spins
    job.refresh_from_db()
    assert job.state == "failed" and job.finished_at is not None and job.error == STOPPED_FI


@override_settings(TASKS=NO_WORKER, JOB_TIMEOUT_MINUTES=30)
def test_job__waiting_within_the_timeout__still_waits(client_for, pmo, org):
    job = _start(pmo, org)
    Job.objects.filter(pk=job.pk).update(created_at=dates.now() - timedelta(minutes=29))
    html = client_for(pmo).get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert "Odottaa" in html and 'hx-trigger="every 2s"' in html
    job.refresh_from_db()
    assert job.state == "queued"


@override_settings(TASKS=NO_WORKER, JOB_TIMEOUT_MINUTES=30)
def test_job_list__work_nobody_took_up__listed_as_failed(client_for, pmo, org):
    job = _start(pmo, org)
    Job.objects.filter(pk=job.pk).update(created_at=dates.now() - timedelta(minutes=45))
    html = client_for(pmo).get(reverse("jobs:job-list")).content.decode()
    assert "Epäonnistui" in html and "Odottaa" not in html
    assert Job.objects.get(pk=job.pk).state == "failed"


@override_settings(TASKS=NO_WORKER, JOB_TIMEOUT_MINUTES=30)
def test_fail_stuck_jobs__command__fails_only_overdue_unfinished_work_once(pmo, org):
    long_ago = dates.now() - timedelta(minutes=40)
    with translation.override("sv"):
        waiting = _start(pmo, org)
    running = _start(pmo, org)
    taken_up_lately = _start(pmo, org)
    recent = _start(pmo, org)
    done = _start(pmo, org)
    services.run_job(str(done.pk))
    Job.objects.filter(pk__in=[waiting.pk, running.pk, taken_up_lately.pk, done.pk]).update(created_at=long_ago)
    Job.objects.filter(pk=running.pk).update(state="running", started_at=long_ago)
    Job.objects.filter(pk=taken_up_lately.pk).update(state="running", started_at=dates.now() - timedelta(minutes=5))
    out = mock.Mock()
    call_command("fail_stuck_jobs", stdout=out)
    assert "2 job(s)" in out.write.call_args.args[0]
    states = dict(Job.objects.values_list("pk", "state"))
    assert states[waiting.pk] == states[running.pk] == "failed"
    assert states[taken_up_lately.pk] == "running" and states[recent.pk] == "queued"
    assert states[done.pk] == "succeeded"
    assert Job.objects.get(pk=waiting.pk).error == "Arbetet avbröts innan det blev klart. Starta det på nytt."
    assert Job.objects.get(pk=running.pk).error == STOPPED_FI
    assert services.fail_stuck_jobs() == 0  # idempotent
    services.run_job(str(waiting.pk))  # a worker that comes back late does not start failed work
    assert waiting.pk not in RUNS


@override_settings(TASKS=DB_QUEUE)
def test_start_job__puts_the_work_on_the_queue_only_when_the_job_is_committed(
        pmo, org, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _start(pmo, org)
        # A worker would find no task for a job row it cannot see yet.
        assert not DBTaskResult.objects.exists() and job.task_id == ""
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()


@override_settings(TASKS=DB_QUEUE)
def test_start_job__queue_unavailable__job_says_it_failed(pmo, org, django_capture_on_commit_callbacks, caplog):
    from karki.jobs.tasks import perform_job

    with mock.patch.object(type(perform_job), "enqueue", side_effect=ConnectionError("queue down")):
        with django_capture_on_commit_callbacks(execute=True):
            job = _start(pmo, org)
    job.refresh_from_db()
    assert job.state == "failed" and "odottamattoman virheen" in job.error
    assert "queue down" in caplog.text
