"""The project API: projects, the plan, a budget line, milestones and the follow-up, with the money rules
refused as 400 in the same words as the forms and the workbook, and the same permissions."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

ORG = "ita-uusimaa"


def _url(name, **kwargs):
    return reverse(name, kwargs={"slug": ORG, **kwargs})


def _put(client, url, data):
    return client.put(url, data=json.dumps(data), content_type="application/json")


def _said(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False).replace("\\u202f", " ").replace("\u202f", " ") \
        .replace("\xa0", " ")


def test_plan__structure_rolled_up_funders_and_lines(plan, client_for, viewer):
    response = client_for(viewer).get(_url("api-project-plan", code="H-TEST"))
    assert response.status_code == 200
    body = response.json()
    assert body["planned_eur"] == "200000.00"
    top = {row["code"]: row for row in body["structure"]}
    assert top["1"]["planned_eur"] == "180000.00" and top["1"]["by_funder"]["VA"] == "144000.00"
    assert top["1"]["name"] == {"fi": "Digitaaliset palvelut", "sv": None, "en": None}
    assert [f["code"] for f in body["funders"]] == ["VA", "OMA"] and body["funders"][0]["share_pct"] == "80.00"
    assert len(body["budget"]) == 4


def test_budget_line__shares_not_adding_up__400_with_the_rule_in_words(plan, client_for, measure_owner):
    response = _put(client_for(measure_owner), _url("api-project-budget-line", code="H-TEST"), {
        "item": "1.1.2", "year": 2025, "cost_type": "services", "total_eur": "2870000",
        "shares": [{"funder": "VA", "amount_eur": "2300000"}, {"funder": "OMA", "amount_eur": "600000"}]})
    assert response.status_code == 400
    assert "2 900 000 €" in _said(response) and "2 870 000 €" in _said(response)
    assert not plan["project"].budget_lines.filter(year=2025, cost_type="services").exists()


def test_budget_line__grant_above_allowed_share__400(plan, client_for, pmo):
    response = _put(client_for(pmo), _url("api-project-budget-line", code="H-TEST"), {
        "item": "2.1", "year": 2025, "cost_type": "other", "total_eur": "100000",
        "shares": [{"funder": "VA", "amount_eur": "100000"}]})
    assert response.status_code == 400
    assert "Valtionavustus" in _said(response) and "80 %" in _said(response)


def test_budget_line__valid__saved_and_the_plan_answered(plan, client_for, pmo):
    response = _put(client_for(pmo), _url("api-project-budget-line", code="H-TEST"), {
        "item": "2.1", "year": 2025, "cost_type": "other", "total_eur": "10000",
        "shares": [{"funder": "VA", "amount_eur": "8000"}, {"funder": "OMA", "amount_eur": "2000"}]})
    assert response.status_code == 200, response.json()
    assert response.json()["planned_eur"] == "210000.00"


@pytest.mark.parametrize(("username", "expected"), [
    ("measure-owner.ita-uusimaa", 200),  # the project's owner
    ("pmo.ita-uusimaa", 200),
    ("theme-owner.ita-uusimaa", 403),  # a member who does not own the project
    ("viewer.ita-uusimaa", 403),
    ("pmo.kymenlaakso", 404),  # another county: not even told the project exists
])
def test_budget_line__permissions(plan, client, username, expected):
    client.force_login(get_user_model().objects.get(username=username))
    response = _put(client, _url("api-project-budget-line", code="H-TEST"), {
        "item": "2.1", "year": 2025, "cost_type": "other", "total_eur": "100",
        "shares": [{"funder": "OMA", "amount_eur": "100"}]})
    assert response.status_code == expected


def test_projects__list_create_and_patch_with_revision(plan, client_for, pmo):
    client = client_for(pmo)
    listed = client.get(_url("api-project-list")).json()
    assert "H-TEST" in [p["code"] for p in listed]
    created = client.post(_url("api-project-list"), data=json.dumps({
        "code": "H-API", "name": {"fi": "Rajapintahanke"}, "start_date": "2025-01-01", "end_date": "2025-12-31",
        "programme": "ita-uusimaa-2023-2026"}), content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["revision"] == 1
    url = _url("api-project-detail", code="H-API")
    changed = client.patch(url, data=json.dumps({"status": "running", "revision": 1}),
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["status"] == "running"
    stale = client.patch(url, data=json.dumps({"status": "suspended", "revision": 1}),
                         content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_edit"


def test_projects__create__measure_owner_refused(plan, client_for, measure_owner):
    response = client_for(measure_owner).post(_url("api-project-list"), data=json.dumps({
        "code": "H-X", "name": {"fi": "X"}, "start_date": "2025-01-01", "end_date": "2025-12-31"}),
        content_type="application/json")
    assert response.status_code == 403


def test_milestones__listed_with_standing_and_added(plan, client_for, measure_owner):
    client = client_for(measure_owner)
    url = _url("api-project-milestones", code="H-TEST")
    assert [m["code"] for m in client.get(url).json()] == ["M1", "M2", "M3"]
    response = client.post(url, data=json.dumps({"code": "M4", "name": {"fi": "Loppuraportti"},
                                                 "due_date": "2025-12-15", "phase": "V2"}),
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    late = client.post(url, data=json.dumps({"code": "M5", "name": {"fi": "Liian myöhään"},
                                             "due_date": "2026-02-01"}), content_type="application/json")
    assert late.status_code == 400 and "31.12.2025" in _said(late)


def test_follow_up__written_through_the_service(plan, client_for, measure_owner):
    from karki.monitoring.models import Period

    period = Period.objects.filter(programme=plan["project"].programme).order_by("-year", "-month").first()
    if period is None or not period.is_open:
        pytest.skip("the demo programme has no open period")
    client = client_for(measure_owner)
    url = _url("api-project-follow-up", code="H-TEST", period=period.key)
    assert client.get(url).json()["exists"] is False
    response = _put(client, url, {
        "status": "green", "narrative": "Etenee.",
        "milestones": [{"milestone": "M1", "status": "done", "done_on": str(date(2024, 3, 30))}],
        "spending": [{"cost_type": "personnel", "funder": "VA", "amount_eur": "1200.50"}]})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["revision"] == 1 and body["spending"][0]["amount_eur"] == "1200.50"
    assert plan["project"].reports.get().spending.get().amount_eur == Decimal("1200.50")
