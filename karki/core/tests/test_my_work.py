"""My work: what the signed-in person must do now, and a verdict card per programme."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from karki.core.work import my_work, report_deadline
from karki.lib import dates
from karki.monitoring import services as monitoring
from karki.monitoring.models import Period, StatusReport
from karki.okr.models import CheckIn, KeyResult
from karki.programmes.models import Measure

P = "ita-uusimaa-2023-2026"


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def period(ita):
    return Period.objects.filter(programme=ita, status="open").order_by("-year", "-month").first()


def test_deadline__the_due_day_of_the_next_month(period):
    with override_settings(REPORTS_DUE_DAY=5):
        assert report_deadline(Period(year=2024, month=12)) == date(2025, 1, 5)
        assert report_deadline(Period(year=2025, month=3)) == date(2025, 4, 5)


def test_measure_owner__reports_to_write_with_deadline_and_link(client_for, measure_owner, period):
    owed = sorted(m.code for m in Measure.objects.filter(version__programme__slug=P, version__status="approved",
                                                          version__number=2, owner=measure_owner, basket="A")
                  if not StatusReport.objects.filter(period=period, measure_code=m.code,
                                                     state__in=("submitted", "accepted")).exists())
    assert owed, "the demo leaves the measure owner reports to write"
    page = client_for(measure_owner).get("/")
    html = page.content.decode()
    assert page.status_code == 200 and "Omat tehtävät" in html
    assert f"/programmes/{P}/periods/{period.key}/report/" in html
    assert ", ".join(owed) in html
    assert "määräpäivä" in html  # the deadline, late or not


def test_returned_report__shown_to_its_owner_first(client_for, pmo, measure_owner, period):
    report = StatusReport.objects.filter(period=period, state="submitted",
                                         measure__owner=measure_owner).first()
    if report is None:
        measure = Measure.objects.filter(version__programme__slug=P, version__number=2, owner=measure_owner).first()
        report = monitoring.record_status_report(measure, period=period, by=measure_owner, phase="doing",
                                                 status="green", narrative="Etenee.", submit=True)
    monitoring.review_report(report, by=pmo, accept=False, comment="Lisää luvut.")
    tasks = my_work(measure_owner).tasks
    assert tasks[0].kind == "returned" and report.measure_code in tasks[0].text


def test_programme_office__reports_waiting_for_review_and_the_verdict_card(pmo, period):
    work = my_work(pmo)
    waiting = StatusReport.objects.filter(period=period, state="submitted").count()
    review = [t for t in work.tasks if t.kind == "review"]
    assert waiting and review and str(waiting) in review[0].text
    card = next(c for c in work.cards if c.programme.slug == P)
    assert card.forecast is not None and card.verdict in ("on_track", "at_risk", "off_track")
    assert card.picture.reports_expected >= card.picture.reports_received


def test_key_result_owner__check_in_asked_until_checked_in_this_month(pmo, measure_owner):
    key_result = KeyResult.objects.filter(objective__organisation__slug="ita-uusimaa").first()
    KeyResult.objects.filter(pk=key_result.pk).update(owner=measure_owner)
    tasks = my_work(measure_owner).tasks
    assert any(t.kind == "check_in" and f"/key-results/{key_result.pk}/" in t.href for t in tasks)

    CheckIn.objects.create(key_result=key_result, date=dates.today(), value=1, created_by=measure_owner)
    assert not any(f"/key-results/{key_result.pk}/" in t.href for t in my_work(measure_owner).tasks)


def test_outsider__sees_only_published_programmes_without_their_figures(client_for, outsider):
    work = my_work(outsider)
    assert all(c.programme.organisation.slug == "kymenlaakso" or not c.is_own for c in work.cards)
    assert all(c.forecast is None for c in work.cards if not c.is_own)


def test_anonymous__sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sign_in__lands_on_my_work(client, measure_owner):
    measure_owner.set_password("Pitkä-salasana-2026")
    measure_owner.save()
    response = client.post("/accounts/login/", {"username": measure_owner.username, "password": "Pitkä-salasana-2026"})
    assert response.status_code == 302 and response["Location"] == "/"
