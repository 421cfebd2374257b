import json
from datetime import date
from decimal import Decimal

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


def test_status_api__the_fields_of_the_issue(client_for, viewer, open_period):
    data = client_for(viewer).get(reverse("api-programme-status", args=[P]) + "?period=2024-12").json()
    assert {"period", "target_eur", "realised_savings_eur", "realised_by_year", "reports_expected",
            "reports_received", "status_counts", "escalations", "key_results_at_risk"} <= set(data)
    assert set(data["status_counts"]) == {"green", "amber", "red"}
    assert all(set(row) == {"year", "savings_eur", "verified_eur", "waiting_verification_eur", "one_off_eur"}
               for row in data["realised_by_year"])
    # 12/2024: the run-rate carries into 2025 and 2026, twelve months each
    assert [(row["year"], row["months"]) for row in data["carried_by_year"]] == [(2025, 12), (2026, 12)]
    assert data["carried_by_year"][0]["claimed_eur"] == data["recurring_run_rate_eur"]
    assert sum(Decimal(row["savings_eur"]) for row in data["realised_by_year"]) == Decimal(data["realised_savings_eur"])
    assert data["key_results_at_risk"] > 0  # the demo's key results behind their path in 2024
    november = client_for(viewer).get(reverse("api-programme-status", args=[P]) + "?period=2024-11").json()
    assert Decimal(november["realised_savings_eur"]) < Decimal(data["realised_savings_eur"])  # cumulative


def test_status_api__unknown_period__404(client_for, viewer):
    assert client_for(viewer).get(reverse("api-programme-status", args=[P]) + "?period=1999-01").status_code == 404


def test_status_api__malformed_period__400_with_a_message(client_for, viewer):
    response = client_for(viewer).get(reverse("api-programme-status", args=[P]) + "?period=12/2024",
                                      HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400 and "period" in response.json()["errors"]


def test_report_api__bad_input__400_in_the_usual_shape(client_for, measure_owner):
    url = reverse("api-measure-report", args=[P, "3.1.a"])
    response = client_for(measure_owner).post(url, json.dumps({"period": "2024-12", "phase": "dreaming"}),
                                              content_type="application/json")
    assert response.status_code == 400
    assert {"detail", "code", "errors"} <= set(response.json()) and "phase" in response.json()["errors"]
    not_opened = client_for(measure_owner).post(url, json.dumps({"period": "2031-01", "phase": "started",
                                                                 "status": "green"}),
                                                content_type="application/json")
    assert not_opened.status_code == 400 and "2031-01" in not_opened.json()["errors"]["period"][0]


def test_report_api__owner_submits(client_for, measure_owner, open_period):
    url = reverse("api-measure-report", args=[P, "3.1.a"])
    existing = StatusReport.objects.filter(period=open_period, measure_code="3.1.a").first()
    body = {"period": "2024-12", "phase": "implemented", "status": "amber", "escalation": True,
            "savings": [{"category": "rents", "amount_eur": "2500.00"}],
            "revision": existing.revision if existing else None}
    response = client_for(measure_owner).post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert response.json()["savings"] == [{"category": "rents", "recurrence": "recurring", "amount_eur": "2500.00"}]


def test_report_api__finance__403(client_for, finance):
    url = reverse("api-measure-report", args=[P, "3.1.a"])
    body = {"period": "2024-12", "phase": "implemented", "status": "amber"}
    assert client_for(finance).post(url, json.dumps(body), content_type="application/json").status_code == 403


def test_status_picture__lists_key_results_at_risk(client_for, viewer, open_period):
    """The organisation's key results at risk (OKR) on the last day of the period appear in the status
    picture and count in the API."""
    at_risk = key_results_at_risk(open_period.programme.organisation, on=date(2024, 12, 31))
    assert at_risk, "the demo data has a key result behind its path"
    page = client_for(viewer).get(reverse("monitoring:status", args=[P]) + "?period=2024-12").content.decode()
    for kr in at_risk:
        assert reverse("okr:key-result", args=["ita-uusimaa", kr.pk]) in page


def _missing_code(period) -> str:
    from karki.monitoring import services

    version = services.running_version(period.programme)
    reported = set(StatusReport.objects.filter(period=period).values_list("measure_code", flat=True))
    return next(m.code for m in services.reporting_measures(version) if m.code not in reported
                and m.owner and m.owner.username == "measure-owner.ita-uusimaa")


def test_report_api__report_created_meanwhile__409_not_overwritten(client_for, measure_owner, pmo, open_period):
    """A client that does not know of a report (revision left out, null or 0) must not replace it."""
    code = _missing_code(open_period)
    url = reverse("api-measure-report", args=[P, code])
    office = {"period": "2024-12", "phase": "implemented", "status": "amber", "narrative": "Toimiston raportti",
              "savings": [{"category": "rents", "amount_eur": "1500.00"}]}
    created = client_for(pmo).post(url, json.dumps(office), content_type="application/json")
    assert created.status_code == 200, created.content
    revision = created.json()["revision"]

    for expectation in ({}, {"revision": None}, {"revision": 0}):
        body = {"period": "2024-12", "phase": "started", "status": "green", "narrative": "Skriptin raportti",
                **expectation}
        response = client_for(measure_owner).post(url, json.dumps(body), content_type="application/json",
                                                  HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 409, (expectation, response.content)
        problem = response.json()
        assert problem["code"] == "stale_edit" and problem["current_revision"] == revision
        assert problem["detail"].startswith("Someone else saved this")
        now = {row["field"]: row["now"] for row in problem["changes"]}
        assert now["what happened"] == "Toimiston raportti"
        assert any(row["then"] == "–" for row in problem["changes"])
    report = StatusReport.objects.get(period=open_period, measure_code=code)
    assert report.narrative == "Toimiston raportti" and report.submitted_by == pmo

    # With the revision it read, the client changes the report on purpose.
    body = {"period": "2024-12", "phase": "started", "status": "green", "revision": revision}
    response = client_for(measure_owner).post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json()["revision"] == revision + 1


def test_report_api__schema_says_how_to_expect_no_report(client_for, viewer):
    schema = client_for(viewer).get(reverse("api-schema") + "?format=json").json()
    revision = schema["components"]["schemas"]["ReportInputRequest"]["properties"]["revision"]
    assert "no report" in revision["description"] and revision.get("minimum") == 0


def test_status_api__period_with_a_trailing_newline_or_other_digits__400(client_for, viewer):
    client = client_for(viewer)
    for value in ("2024-12%0A", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94-12"):  # "2024-12\n", "２０２４-12"
        response = client.get(reverse("api-programme-status", args=[P]) + f"?period={value}")
        assert response.status_code == 400 and "period" in response.json()["errors"], value


def test_status_page__period_with_a_trailing_newline__not_found(client_for, viewer):
    response = client_for(viewer).get(reverse("monitoring:status", args=[P]) + "?period=2024-12%0A")
    assert response.status_code == 404


def test_status_api__claimed_and_verified_as_decimal_strings(client_for, kym):
    """Kymenlaakso's finance has verified part of the 2024 claims: both figures, as strings with cents."""
    from django.contrib.auth import get_user_model

    from karki.monitoring.models import RealisedSaving

    user = get_user_model().objects.get(username="viewer.kymenlaakso")
    data = client_for(user).get(reverse("api-programme-status", args=["kymenlaakso-2023-2025"])).json()
    received = RealisedSaving.objects.filter(report__period__programme__slug="kymenlaakso-2023-2025").received()
    verified = sum(s.verified_amount_eur for s in received.exclude(verification="claimed"))
    waiting = sum(s.amount_eur for s in received.filter(verification="claimed"))
    assert data["realised_verified_eur"] == f"{verified:.2f}"
    assert data["waiting_verification_eur"] == f"{waiting:.2f}"
    year = data["realised_by_year"][-1]
    assert isinstance(year["verified_eur"], str) and Decimal(year["verified_eur"]) < Decimal(year["savings_eur"])
