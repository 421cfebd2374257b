import json
from datetime import date

from django.urls import reverse
from django.utils import translation

from karki.okr.models import KeyResult, Objective
from karki.okr.status import key_results_at_risk

ORG = "ita-uusimaa"


def _linked_kr():
    return KeyResult.objects.filter(objective__organisation__slug=ORG, measure_links__isnull=False).first()


def test_demo__a_year_of_sample_check_ins(db):
    kr = _linked_kr()
    assert kr.objective.is_sample_data
    assert kr.check_ins.count() == 12
    assert all("sample data" in c.comment for c in kr.check_ins.all())


def test_overview__shows_key_results_with_at_risk_word(viewer, client_for):
    response = client_for(viewer).get(reverse("okr:overview", args=[ORG]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ympärivuorokautisen palveluasumisen hinta alle 190 €/vrk" in text
    risky = key_results_at_risk(Objective.objects.get(title="Yhä useampi ikäihminen asuu kotona").organisation)
    assert any("190" in kr.text for kr in risky)
    with translation.override("en"):
        text = client_for(viewer).get(reverse("okr:overview", args=[ORG]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "⚠" in text


def test_check_in_page__measure_owner_of_linked_measure_checks_in(measure_owner, client_for):
    kr = _linked_kr()
    url = reverse("okr:key-result", args=[ORG, kr.pk])
    client = client_for(measure_owner)
    assert 'name="confidence"' in client.get(url).content.decode()
    response = client.post(url, {"date": date.today().strftime("%d.%m.%Y"), "value": "5,8", "confidence": "65",
                                 "comment": "Hyvä kuukausi"})
    assert response.status_code == 302
    entry = kr.check_ins.first()
    assert (str(entry.value), entry.confidence, entry.created_by) == ("5.8000", 65, measure_owner)


def test_check_in_page__invalid_confidence__error_summary_and_nothing_saved(pmo, client_for):
    kr = _linked_kr()
    before = kr.check_ins.count()
    response = client_for(pmo).post(reverse("okr:key-result", args=[ORG, kr.pk]),
                                    {"date": "1.1.2025", "confidence": "180"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert kr.check_ins.count() == before


def test_check_in_page__viewer_sees_history_without_form(viewer, client_for):
    response = client_for(viewer).get(reverse("okr:key-result", args=[ORG, _linked_kr().pk]))
    assert response.status_code == 200 and 'name="confidence"' not in response.content.decode()


def test_api__key_results_with_at_risk_flags(viewer, client_for):
    data = client_for(viewer).get(reverse("api-key-result-list", args=[ORG])).json()
    assert any(item["at_risk"] and "behind_path" in item["risk_reasons"] for item in data)
    assert all(item["can_check_in"] is False for item in data)


def test_api__check_in(measure_owner, client_for):
    kr = _linked_kr()
    response = client_for(measure_owner).post(reverse("api-check-in", args=[ORG, kr.pk]), data=json.dumps(
        {"date": "2025-06-01", "confidence": 40, "comment": "API"}), content_type="application/json")
    assert response.status_code == 201
    assert kr.check_ins.filter(comment="API", confidence=40).exists()
    bad = client_for(measure_owner).post(reverse("api-check-in", args=[ORG, kr.pk]), data=json.dumps(
        {"date": "2025-06-01", "confidence": 140}), content_type="application/json")
    assert bad.status_code == 400
