"""The monthly follow-up of a project: the owner writes and submits it, the programme office reviews it,
and what it says reaches the status picture, the review place, reminders and "my work"."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from karki.monitoring import services as monitoring
from karki.projects import services
from karki.projects.models import ProjectReport

ORG = "ita-uusimaa"
P = "ita-uusimaa-2023-2026"


def _text(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def period(ita, pmo):
    return monitoring.open_period(programme=ita, year=2025, month=1, by=pmo)


@pytest.fixture
def milestones(plan):
    return {m.code: m for m in plan["project"].milestones.all()}


def _url(name, period_key=None, code="H-TEST"):
    args = [ORG, code] + ([period_key] if period_key else [])
    return reverse(f"projects:{name}", args=args)


def _form(plan, milestones, **extra):
    """What the owner types: M1 done, M2 late with a reason, personnel costs of the month by funder."""
    data = {"status": "amber", "narrative": "Pilotti viivästyi.", "obstacles": "", "forecast_total_eur": "",
            "revision": "0", "action": "submit",
            f"ms{milestones['M1'].pk}_status": "done", f"ms{milestones['M1'].pk}_done_on": "15.4.2024",
            f"ms{milestones['M2'].pk}_status": "late", f"ms{milestones['M2'].pk}_note": "Toimittaja myöhässä.",
            f"sp_personnel_{plan['grant'].pk}": "10 000", f"sp_personnel_{plan['own'].pk}": "2 500"}
    data.update(extra)
    return data


def _submit(client, plan, milestones, period, **extra):
    return client.post(_url("follow-up-period", period.key), _form(plan, milestones, **extra))


def test_owner__writes_and_submits_with_a_done_milestone_and_spending(client_for, pmo, measure_owner, plan,
                                                                      milestones, period):
    client = client_for(measure_owner)
    page = client.get(_url("follow-up"))
    assert page.status_code == 200
    assert _url("follow-up-period", "2025-01") in _text(page) and "Kirjoita seuranta 1/2025" in _text(page)

    response = _submit(client, plan, milestones, period)
    assert response.status_code == 302, _text(response)[:3000]
    report = ProjectReport.objects.get(project=plan["project"], period=period)
    assert report.state == "submitted" and report.submitted_by == measure_owner
    assert {u.milestone.code: (u.status, u.done_on) for u in report.milestone_updates.all()} == {
        "M1": ("done", date(2024, 4, 15)), "M2": ("late", None)}
    assert sum(s.amount_eur for s in report.spending.all()) == Decimal("12500")

    listing = _text(client.get(_url("follow-up")))
    assert "Lähetetty" in listing and "12 500 €" in listing
    # The month's page: spent to date and the remaining budget of the 200 000 € plan, the Finnish way; the
    # milestone done is no longer followed.
    html = _text(client.get(_url("follow-up-period", "2025-01")))
    assert "12 500 €" in html and "187 500 €" in html and "200 000 €" in html
    # Done this month, the milestone stays in this month's form; the next month no longer follows it.
    monitoring.open_period(programme=period.programme, year=2025, month=2, by=pmo)
    later = _text(client.get(_url("follow-up-period", "2025-02")))
    milestones_part = later.split('id="milestones"')[1].split("</fieldset>")[0]
    assert "Vaatimukset valmiit" not in milestones_part and "Pilotti käynnissä" in milestones_part


def test_late_milestone_without_a_reason__refused_and_nothing_lost(client_for, measure_owner, plan, milestones,
                                                                    period):
    response = _submit(client_for(measure_owner), plan, milestones, period,
                       **{f"ms{milestones['M2'].pk}_note": "", "narrative": "Kirjoitettu teksti jää talteen."})
    html = _text(response)
    assert response.status_code == 400
    assert "M2" in html and "myöhässä tai vaarassa" in html
    assert "Kirjoitettu teksti jää talteen." in html and 'value="10 000"' in html
    assert not ProjectReport.objects.filter(project=plan["project"]).exists()


def test_programme_office_returns_it__the_owner_sees_it_on_my_work(client_for, pmo, measure_owner, plan,
                                                                    milestones, period):
    _submit(client_for(measure_owner), plan, milestones, period)
    report = ProjectReport.objects.get(project=plan["project"], period=period)
    client = client_for(pmo)
    # The programme office's review place of the period lists the project's follow-up in its own section.
    place = _text(client.get(reverse("monitoring:period-reports", args=[P, "2025-01"])))
    assert "Hankkeiden seurannat" in place and "H-TEST" in place
    assert _url("follow-up-period", "2025-01") in place

    refused = client.post(_url("follow-up-review", "2025-01"), {"action": "return", "review_comment": "",
                                                                "revision": report.revision})
    assert refused.status_code == 400
    response = client.post(_url("follow-up-review", "2025-01"), {
        "action": "return", "review_comment": "Lisää M2:n uusi aikataulu.", "revision": report.revision})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "returned"

    home = _text(client_for(measure_owner).get("/"))
    assert "H-TEST" in home and _url("follow-up-period", "2025-01") in home
    assert "palautettiin" in home.lower()
    listing = _text(client_for(measure_owner).get(_url("follow-up")))
    assert "Lisää M2:n uusi aikataulu." in listing


def test_my_work__programme_office_has_follow_ups_to_review(client_for, pmo, measure_owner, plan, milestones,
                                                             period):
    _submit(client_for(measure_owner), plan, milestones, period)
    home = _text(client_for(pmo).get("/"))
    assert "hankkeen seuranta" in home.lower() and reverse("monitoring:period-reports", args=[P, "2025-01"]) in home


def test_my_work__owner_has_the_follow_up_to_write_and_late_milestones(client_for, measure_owner, plan, period):
    home = _text(client_for(measure_owner).get("/"))
    assert _url("follow-up-period", "2025-01") in home
    assert "M1" in home and "Vaatimukset valmiit" in home  # late since 31.3.2024


def test_status_picture__late_milestones_and_overspend(client_for, pmo, measure_owner, plan, milestones, period):
    _submit(client_for(measure_owner), plan, milestones, period, forecast_total_eur="260 000")
    html = _text(client_for(pmo).get(reverse("monitoring:status", args=[P]) + "?period=2025-01"))
    section = html.split('id="projects-title"')[1]
    assert "H-TEST" in section and "Pilotti käynnissä" in section  # M2, reported late
    assert "60 000 €" in section  # the forecast at completion above the plan of 200 000 €
    # It comes after the verdict: the answer stays on the first screen.
    assert html.index("Säästöt suhteessa tavoitteeseen") < html.index('id="projects-title"')


def test_status_picture__missing_follow_up_of_the_open_period(client_for, pmo, plan, period):
    html = _text(client_for(pmo).get(reverse("monitoring:status", args=[P]) + "?period=2025-01"))
    section = html.split('id="projects-title"')[1]
    assert "H-TEST" in section and "1/2025" in section


def test_reminders__name_the_project_owners_missing_follow_up(measure_owner, plan, period, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_report_reminders", "--programme", P)
    sent = [m for m in mail.outbox if m.to == [measure_owner.email] and "1/2025" in m.subject]
    assert len(sent) == 1  # one e-mail per person, period and day: measures and projects together
    assert "H-TEST" in sent[0].body and _url("follow-up-period", "2025-01") in sent[0].body


def test_readers_see_it_read_only(client_for, viewer, measure_owner, plan, milestones, period):
    _submit(client_for(measure_owner), plan, milestones, period)
    response = client_for(viewer).get(_url("follow-up-period", "2025-01"))
    html = _text(response)
    assert response.status_code == 200
    assert "Pilotti viivästyi." in html and 'name="status"' not in html and "Toimittaja myöhässä." in html
    assert client_for(viewer).post(_url("follow-up-period", "2025-01"), {}).status_code == 403


def test_permissions__another_owner_403_outsider_404(client_for, plan, milestones, period, outsider):
    other = get_user_model().objects.get(username="theme-owner.ita-uusimaa")
    assert _submit(client_for(other), plan, milestones, period).status_code == 403
    assert client_for(other).post(_url("follow-up-review", "2025-01"), {"action": "accept"}).status_code == 403
    client = client_for(outsider)
    assert client.get(_url("follow-up")).status_code == 404
    assert client.get(_url("follow-up-period", "2025-01")).status_code == 404


def test_accepted__final(client_for, pmo, measure_owner, plan, milestones, period):
    _submit(client_for(measure_owner), plan, milestones, period)
    report = ProjectReport.objects.get(project=plan["project"], period=period)
    services.review_project_report(report=report, by=pmo, accept=True)
    html = _text(client_for(measure_owner).get(_url("follow-up-period", "2025-01")))
    assert "hyväksynyt" in html and 'name="status"' not in html
