import json
from datetime import date

from django.urls import reverse

from karki.monitoring.models import StatusReport
from karki.okr.status import key_results_at_risk

P = "ita-uusimaa-2023-2026"


def test_status_api__figures_of_the_period(client_for, viewer, open_period):
    data = client_for(viewer).get(reverse("api-programme-status", args=[P]) + "?period=2024-12").json()
    assert data["period"] == "2024-12"
    expected_at_risk = key_results_at_risk(open_period.programme.organisation, on=date(2024, 12, 31))
    assert data["key_results_at_risk"] == len(expected_at_risk)
    assert data["reports_received"] == StatusReport.objects.filter(period=open_period).received().count()
    assert data["reports_received"] < data["reports_expected"]
    assert sum(data["status_counts"].values()) == data["reports_received"]
    assert [row["year"] for row in data["realised_by_year"]][-1] == 2024
    escalated = set(StatusReport.objects.filter(period=open_period, escalation=True).received()
                    .values_list("measure_code", flat=True))
    assert set(data["escalations"]) == escalated


def test_status_api__unknown_period__404(client_for, viewer):
    assert client_for(viewer).get(reverse("api-programme-status", args=[P]) + "?period=1999-01").status_code == 404


def test_report_api__owner_submits(client_for, measure_owner, open_period):
    url = reverse("api-measure-report", args=[P, "3.1.a"])
    existing = StatusReport.objects.filter(period=open_period, measure_code="3.1.a").first()
    body = {"period": "2024-12", "phase": "implemented", "status": "amber", "escalation": True,
            "savings": [{"category": "rents", "amount_eur": "2500.00"}],
            "revision": existing.revision if existing else None}
    response = client_for(measure_owner).post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert response.json()["savings"] == [{"category": "rents", "amount_eur": "2500.00"}]


def test_report_api__finance__403(client_for, finance):
    url = reverse("api-measure-report", args=[P, "3.1.a"])
    body = {"period": "2024-12", "phase": "implemented", "status": "amber"}
    assert client_for(finance).post(url, json.dumps(body), content_type="application/json").status_code == 403


def test_status_picture__lists_key_results_at_risk(client_for, viewer, open_period, monkeypatch):
    """The organisation's key results at risk (OKR) appear in the status picture and count in the API."""
    from karki.lib import dates
    from karki.okr.models import KeyResult

    at_risk_today = key_results_at_risk(open_period.programme.organisation)
    assert at_risk_today, "the demo data has a key result behind its path"
    monkeypatch.setattr(dates, "today", lambda: date.today())
    # Judge the key results as of today, as if the period were the current one.
    open_period.year, open_period.month = date.today().year, date.today().month
    from karki.monitoring.status import status_picture

    picture = status_picture(open_period.programme, open_period)
    assert {kr.pk for kr in picture.key_results_at_risk} == {kr.pk for kr in at_risk_today}
    assert KeyResult.objects.filter(pk__in=[kr.pk for kr in at_risk_today]).exists()
