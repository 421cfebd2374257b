"""The Reports page: who may start what, and what they see."""

from django.urls import reverse

from karki.jobs.models import Job

SLUG = "ita-uusimaa-2023-2026"


def test_reports_page__member__offers_deck_excel_and_the_council_list(client_for, viewer):
    html = client_for(viewer).get(reverse("reports:reports", args=[SLUG])).content.decode()
    assert "<title>Raportit – " in html
    assert 'value="deck"' in html and 'value="status_xlsx"' in html
    assert 'name="languages"' not in html  # issuing is the programme office's
    assert "Ohjelmatoimisto julkaisee osavuosikatsaukset" in html
    assert "/api/v1/programmes/ita-uusimaa-2023-2026/export/measures/?format=csv" in html


def test_reports_page__programme_office__can_issue(client_for, pmo):
    html = client_for(pmo).get(reverse("reports:reports", args=[SLUG])).content.decode()
    assert 'name="languages"' in html and "<legend>Kielet" in html


def test_reports_page__linked_from_the_status_picture_and_the_programme(client_for, viewer):
    client = client_for(viewer)
    url = reverse("reports:reports", args=[SLUG])
    assert url in client.get(reverse("monitoring:status", args=[SLUG])).content.decode()
    assert url in client.get(reverse("programmes:programme-detail", args=[SLUG])).content.decode()


def test_start_report__viewer__makes_a_deck_in_the_background_for_themselves(produce, viewer):
    page, download = produce(viewer, "deck")
    job = Job.objects.get(created_by=viewer)
    assert job.kind == "reports.deck" and job.params == {"period": "2024-12", "language": "fi"}
    assert job.state == "succeeded" and download.status_code == 200
    assert "Diaesitys johtoryhmälle" in page.content.decode()


def test_start_report__unknown_period__refused_with_a_message(client_for, viewer):
    response = client_for(viewer).post(reverse("reports:start", args=[SLUG]),
                                       {"kind": "deck", "period": "2019-01", "language": "fi"})
    assert response.status_code == 400
    assert "Valitse jokin luettelon raportointijaksoista." in response.content.decode()
    assert not Job.objects.filter(created_by__username="viewer.ita-uusimaa").exists()


def test_start_report__period_removed_before_the_work_runs__job_says_so(client_for, viewer, ita, settings):
    from karki.jobs import services
    from karki.monitoring.models import Period

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = services.start_job(kind="reports.deck", by=viewer, organisation=ita.organisation, programme=ita,
                             params={"period": "2030-01", "language": "fi"})
    assert not Period.objects.filter(programme=ita, year=2030).exists()
    services.run_job(str(job.pk))
    job.refresh_from_db()
    assert job.state == "failed" and job.error == "Raportointijaksoa ei enää ole."
