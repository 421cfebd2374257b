"""Basket B and C measures carry management's order of preference and what they cost in service level:
set through the services, the form and the API, copied into new versions and compared."""

import json

import pytest
from django.core.exceptions import ValidationError

from karki.programmes import services
from karki.programmes.comparison import compare
from karki.programmes.models import Measure, Target

API = "/api/v1/programmes/ita-uusimaa-2023-2026"


def test_create_measure__basket_b_with_preference_and_service_level(pmo, draft):
    measure = services.create_measure(
        version=draft, code="B.9", basket="B", name={"fi": "Aukioloaikojen lyhentäminen"}, by=pmo,
        contingency_rank=2, service_level_impact="moderate",
        service_level_effect={"fi": "Neuvola auki kolme päivää viikossa", "sv": "Rådgivningen öppen tre dagar"})
    measure.refresh_from_db()
    assert (measure.contingency_rank, measure.service_level_impact) == (2, "moderate")
    assert measure.service_level_effect_sv == "Rådgivningen öppen tre dagar"


def test_create_measure__basket_a_with_preference__refused(pmo, draft):
    with pytest.raises(ValidationError) as error:
        services.create_measure(version=draft, code="1.1.x", target=Target.objects.get(version=draft, code="1.1"),
                                name={"fi": "Uusi"}, contingency_rank=1, by=pmo)
    assert "contingency_rank" in error.value.message_dict


def test_update_measure__callers_that_do_not_mention_them__keep_preference_and_service_level(pmo, draft):
    measure = Measure.objects.get(version=draft, code="B.1")
    services.update_measure(measure=measure, code="B.1", name={"sv": measure.name_sv}, contingency_rank=3,
                            service_level_impact="minor", service_level_effect={"fi": "Vähäinen"}, by=pmo)
    services.update_measure(measure=measure, code="B.1", name={"sv": measure.name_sv, "fi": "Uusi nimi"}, by=pmo)
    measure.refresh_from_db()
    assert (measure.contingency_rank, measure.service_level_impact, measure.service_level_effect_fi) == (
        3, "minor", "Vähäinen")


def test_new_version__copies_and_compares_preference(pmo, ita, draft):
    measure = Measure.objects.get(version=draft, code="B.1")
    before = Measure.objects.get(version__number=2, version__programme=ita, code="B.1").contingency_rank
    services.update_measure(measure=measure, code="B.1", name={"sv": measure.name_sv}, contingency_rank=7, by=pmo)
    comparison = compare(draft.programme.versions.get(number=2), draft)
    change = next(item for item in comparison.changed if item.code == "B.1")
    assert [(c.field, c.old, c.new) for c in change.changes if c.field == "contingency_rank"] == [
        ("contingency_rank", before, 7)]


def test_measure_form__sets_preference_and_service_level(client_for, pmo, ita, draft):
    measure = Measure.objects.get(version=draft, code="C.2")
    response = client_for(pmo).post(f"/programmes/{ita.slug}/v/{draft.number}/measures/C.2/edit/", {
        "code": "C.2", "name_sv": measure.name_sv, "basket": "C", "revision": measure.revision,
        "contingency_rank": "1", "service_level_impact": "major", "service_level_effect_fi": "Yksiköitä suljetaan"})
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert (measure.contingency_rank, measure.service_level_impact, measure.service_level_effect_fi) == (
        1, "major", "Yksiköitä suljetaan")


def test_api__reads_and_changes_preference(client_for, pmo, draft):
    client = client_for(pmo)
    data = client.get(f"{API}/measures/B.2/").json()
    assert {"contingency_rank", "service_level_impact", "service_level_effect"} <= data.keys()
    response = client.patch(f"{API}/measures/B.2/", data=json.dumps(
        {"contingency_rank": 4, "service_level_effect": {"en": "Shorter opening hours"}, "revision": data["revision"]}),
        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["contingency_rank"] == 4
    assert response.json()["service_level_effect"]["en"] == "Shorter opening hours"
