"""Changing a programme through the API: the browser's rules, revisions and messages."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from karki.programmes.models import Measure

P = "/api/v1/programmes/ita-uusimaa-2023-2026"


def _user(username):
    return get_user_model().objects.get(username=username)


def _send(client, method, url, data, **headers):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json", **headers)


@pytest.fixture
def api(client, draft):
    def as_user(username):
        client.force_login(_user(username))
        return client

    return as_user


def test_measure__read_one_with_revision_and_rights(api):
    data = api("measure-owner.ita-uusimaa").get(f"{P}/measures/3.1.a/").json()
    assert data["version"] == 3 and data["revision"] >= 1
    assert data["can_edit"] is True and data["can_edit_estimate"] is True
    other = api("measure-owner.ita-uusimaa").get(f"{P}/measures/2.1.a/").json()
    assert other["can_edit"] is False


def test_measure__owner_changes_fields__saved_with_author_in_history(api, draft):
    client = api("measure-owner.ita-uusimaa")
    revision = client.get(f"{P}/measures/3.1.a/").json()["revision"]
    response = _send(client, "patch", f"{P}/measures/3.1.a/",
                     {"horizon": "long", "name": {"fi": "Uusi nimi", "sv": "Nytt namn", "en": "New name"},
                      "revision": revision})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["horizon"] == "long" and data["name"]["sv"] == "Nytt namn" and data["revision"] == revision + 1
    measure = Measure.objects.get(version=draft, code="3.1.a")
    assert measure.history.first().history_user.username == "measure-owner.ita-uusimaa"
    # Fields left out keep their values: the estimate is untouched.
    assert data["estimate"] == client.get(f"{P}/measures/3.1.a/?version=2").json()["estimate"]


def test_measure__stale_revision__409_with_what_changed(api, draft):
    finance = api("finance.ita-uusimaa")
    revision = finance.get(f"{P}/measures/3.1.a/").json()["revision"]
    first = _send(finance, "put", f"{P}/measures/3.1.a/estimate/",
                  {"estimate": {"kind": "point", "amount_eur": "250000"}, "revision": revision})
    assert first.status_code == 200
    owner = api("measure-owner.ita-uusimaa")
    second = _send(owner, "patch", f"{P}/measures/3.1.a/",
                   {"estimate": {"kind": "point", "amount_eur": "999999"}, "revision": revision})
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "stale_edit" and body["current_revision"] == revision + 1
    assert any("250" in change["now"] for change in body["changes"])
    measure = Measure.objects.get(version=draft, code="3.1.a")
    assert measure.estimate_amount_eur == Decimal("250000")  # the first save is kept


def test_measure__change_without_revision__refused(api):
    response = _send(api("pmo.ita-uusimaa"), "patch", f"{P}/measures/3.1.a/", {"horizon": "long"})
    assert response.status_code == 400
    assert "revision" in response.json()["errors"]


def test_finance__money_only(api):
    client = api("finance.ita-uusimaa")
    revision = client.get(f"{P}/measures/2.1.a/").json()["revision"]
    refused = _send(client, "patch", f"{P}/measures/2.1.a/", {"horizon": "long", "revision": revision})
    assert refused.status_code == 403
    money = _send(client, "patch", f"{P}/measures/2.1.a/",
                  {"estimate": {"kind": "range", "min_eur": "100000", "max_eur": "300000"}, "revision": revision})
    assert money.status_code == 200
    assert Decimal(money.json()["estimate"]["savings_expected_eur"]) == Decimal("200000")


def test_owner__only_programme_office_assigns(api):
    client = api("measure-owner.ita-uusimaa")
    revision = client.get(f"{P}/measures/3.1.a/").json()["revision"]
    response = _send(client, "patch", f"{P}/measures/3.1.a/", {"owner": "viewer.ita-uusimaa", "revision": revision})
    assert response.status_code == 403
    pmo = api("pmo.ita-uusimaa")
    outsider_owner = _send(pmo, "patch", f"{P}/measures/3.1.a/", {"owner": "pmo.kymenlaakso", "revision": revision})
    assert outsider_owner.status_code == 400
    assert "owner" in outsider_owner.json()["errors"]


def test_invalid_estimate__message_in_the_language_asked(api):
    client = api("pmo.ita-uusimaa")
    revision = client.get(f"{P}/measures/3.1.a/").json()["revision"]
    payload = {"estimate": {"kind": "range", "min_eur": "300000", "max_eur": "100000"}, "revision": revision}
    finnish = _send(client, "patch", f"{P}/measures/3.1.a/", payload)
    swedish = _send(client, "patch", f"{P}/measures/3.1.a/", payload, HTTP_ACCEPT_LANGUAGE="sv")
    assert finnish.status_code == swedish.status_code == 400
    assert "vaihteluvälin" in json.dumps(finnish.json(), ensure_ascii=False).lower()
    assert "intervall" in json.dumps(swedish.json(), ensure_ascii=False).lower()


def test_theme_owner__adds_measures_only_under_own_theme(api, draft):
    client = api("theme-owner.ita-uusimaa")
    mine = _send(client, "post", f"{P}/measures/", {"code": "1.1.x", "target": "1.1", "name": {"fi": "Uusi"},
                                                    "estimate": {"kind": "point", "amount_eur": "50000"}})
    assert mine.status_code == 201, mine.content
    assert Measure.objects.filter(version=draft, code="1.1.x").exists()
    other = _send(client, "post", f"{P}/measures/", {"code": "2.1.x", "target": "2.1", "name": {"fi": "Uusi"}})
    assert other.status_code == 403
    assert not Measure.objects.filter(version=draft, code="2.1.x").exists()


def test_approved_version__refused(api):
    client = api("pmo.ita-uusimaa")
    response = _send(client, "patch", f"{P}/measures/3.1.a/?version=2", {"horizon": "long", "revision": 1})
    assert response.status_code == 403


def test_delete__needs_current_revision_and_is_in_history(api, draft):
    client = api("pmo.ita-uusimaa")
    measure = Measure.objects.get(version=draft, code="1.1.a")
    assert client.delete(f"{P}/measures/1.1.a/?revision={measure.revision + 5}").status_code == 409
    assert client.delete(f"{P}/measures/1.1.a/?revision={measure.revision}").status_code == 204
    assert not Measure.objects.filter(pk=measure.pk).exists()
    last = Measure.history.filter(id=measure.pk).first()
    assert last.history_type == "-" and last.history_user.username == "pmo.ita-uusimaa"


def test_risk__theme_owner_manages_own_theme_risks(api, draft):
    client = api("theme-owner.ita-uusimaa")
    created = _send(client, "post", f"{P}/risks/", {"code": "T1", "theme": "1", "category": "schedule",
                                                    "title": {"fi": "Aikataulu venyy"}, "likelihood": 3})
    assert created.status_code == 201, created.content
    changed = _send(client, "patch", f"{P}/risks/T1/", {"impact": 4, "revision": created.json()["revision"]})
    assert changed.status_code == 200 and changed.json()["impact"] == 4
    whole = _send(client, "post", f"{P}/risks/", {"code": "T2", "category": "schedule", "title": {"fi": "X"}})
    assert whole.status_code == 403


def test_outsider__cannot_write_or_learn(api):
    client = api("pmo.kymenlaakso")
    response = _send(client, "patch", f"{P}/measures/3.1.a/", {"horizon": "long", "revision": 1})
    assert response.status_code == 404


def test_target__theme_owner_changes_own_target_finance_only_money(api, draft):
    owner = api("theme-owner.ita-uusimaa")
    target = owner.get(f"{P}/targets/1.1/").json()
    changed = _send(owner, "patch", f"{P}/targets/1.1/", {"difficulty": "demanding", "revision": target["revision"]})
    assert changed.status_code == 200 and changed.json()["difficulty"] == "demanding"
    assert changed.json()["estimate"] == target["estimate"]  # left out, kept
    finance = api("finance.ita-uusimaa")
    revision = changed.json()["revision"]
    fields = _send(finance, "patch", f"{P}/targets/1.1/", {"difficulty": "not_demanding", "revision": revision})
    assert fields.status_code == 403
    money = _send(finance, "patch", f"{P}/targets/1.1/",
                  {"estimate": {"kind": "point", "amount_eur": "4000000"}, "revision": revision})
    assert money.status_code == 200
    assert Decimal(money.json()["estimate"]["savings_expected_eur"]) == Decimal("4000000")


def test_theme__owner_renames_but_cannot_reassign(api):
    client = api("theme-owner.ita-uusimaa")
    theme = client.get(f"{P}/themes/1/").json()
    renamed = _send(client, "patch", f"{P}/themes/1/", {"name": {"fi": "Uusi nimi"}, "revision": theme["revision"]})
    assert renamed.status_code == 200 and renamed.json()["name"]["fi"] == "Uusi nimi"
    reassign = _send(client, "patch", f"{P}/themes/1/", {"owner": None, "revision": renamed.json()["revision"]})
    assert reassign.status_code == 403


def test_dependency__cycle_refused_with_the_chain(api):
    client = api("pmo.ita-uusimaa")
    assert _send(client, "post", f"{P}/measures/1.1.a/dependencies/", {"depends_on": "1.1.b"}).status_code == 201
    cycle = _send(client, "post", f"{P}/measures/1.1.b/dependencies/", {"depends_on": "1.1.a"})
    assert cycle.status_code == 400
    assert "1.1.b → 1.1.a → 1.1.b" in json.dumps(cycle.json(), ensure_ascii=False)
    assert client.delete(f"{P}/measures/1.1.a/dependencies/1.1.b/").status_code == 204
    assert client.delete(f"{P}/measures/1.1.a/dependencies/1.1.b/").status_code == 404


def test_versions__approve_and_publish_through_the_api(api, draft):
    client = api("pmo.ita-uusimaa")
    approved = client.post(f"{P}/versions/3/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == "pmo.ita-uusimaa"
    published = client.post(f"{P}/versions/3/publication/")
    assert published.status_code == 200 and published.json()["published"] is True
    outsider = api("viewer.kymenlaakso")
    assert [v["number"] for v in outsider.get(f"{P}/").json()["versions"]] == [3]
    withdrawn = api("pmo.ita-uusimaa").delete(f"{P}/versions/3/publication/")
    assert withdrawn.json()["published"] is False


def test_code_with_a_slash__refused_everywhere(api, client_for, pmo, draft):
    client = api("pmo.ita-uusimaa")
    response = _send(client, "post", f"{P}/measures/", {"code": "9/9", "basket": "B", "name": {"fi": "X"}})
    assert response.status_code == 400 and "code" in response.json()["errors"]
    risk = _send(client, "post", f"{P}/risks/", {"code": "R/9", "category": "other", "title": {"fi": "X"}})
    assert risk.status_code == 400
    page = client_for(pmo).post("/programmes/ita-uusimaa-2023-2026/v/3/themes/new/", {"code": "a/b", "name_fi": "X"})
    assert page.status_code == 400
    assert client.get("/programmes/ita-uusimaa-2023-2026/v/3/").status_code == 200


def test_owner__unknown_and_other_county_answered_alike(api):
    client = api("pmo.ita-uusimaa")
    revision = client.get(f"{P}/measures/3.1.a/").json()["revision"]
    messages = []
    for username in ("nobody.at.all", "pmo.kymenlaakso"):
        response = _send(client, "patch", f"{P}/measures/3.1.a/", {"owner": username, "revision": revision})
        assert response.status_code == 400
        messages.append(response.json()["errors"]["owner"])
    assert messages[0] == messages[1]


def test_delete_form__nonsense_revision__refused_not_crashed(client_for, pmo, draft):
    response = client_for(pmo).post("/programmes/ita-uusimaa-2023-2026/v/3/measures/1.1.a/delete/",
                                    {"revision": "abc"})
    assert response.status_code == 409
    assert Measure.objects.filter(version=draft, code="1.1.a").exists()
