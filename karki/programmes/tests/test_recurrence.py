"""Recurring or one-off estimates in the edit forms, on the measure page and in the API; the accumulated
deficit of a programme."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from karki.programmes import services
from karki.programmes.models import Measure, Programme, Target

pytestmark = pytest.mark.django_db
API = "/api/v1/programmes/ita-uusimaa-2023-2026"


def _text(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\u00a0", " ")


def test_measure_estimate_form__one_off_saved_and_shown_beside_the_estimate(client_for, pmo, ita, draft):
    client = client_for(pmo)
    measure = Measure.objects.get(version=draft, code="3.1.a")
    url = f"/programmes/{ita.slug}/v/{draft.number}/measures/3.1.a/estimate/"
    form = _text(client.get(url))
    assert "Kertaluonteinen" in form and "Pysyvä" in form
    response = client.post(url, {"estimate_kind": "point", "estimate_amount_eur": "0,5 M€",
                                 "estimate_recurrence": "one_off", "revision": measure.revision})
    assert response.status_code == 302, response.content
    measure.refresh_from_db()
    assert measure.estimate_recurrence == "one_off" and measure.estimate_amount_eur == Decimal("500000")
    page = _text(client.get(f"/programmes/{ita.slug}/v/{draft.number}/measures/3.1.a/"))
    assert "0,5 M€ kertaluonteinen" in page


def test_measure_page__recurring_estimate_says_a_year(client_for, pmo, ita, draft):
    measure = Measure.objects.get(version=draft, code="3.1.a")
    services.set_estimate(item=measure, by=pmo, estimate={"kind": "point", "amount_eur": Decimal("1400000")})
    page = _text(client_for(pmo).get(f"/programmes/{ita.slug}/v/{draft.number}/measures/3.1.a/"))
    assert "1,4 M€ vuodessa, pysyvä" in page


def test_target_form__one_off_saved(client_for, pmo, ita, draft):
    client = client_for(pmo)
    url = f"/programmes/{ita.slug}/v/{draft.number}/themes/1/targets/new/"
    response = client.post(url, {"code": "1.9", "name_fi": "Kiinteistön myynti", "estimate_kind": "point",
                                 "estimate_amount_eur": "2 M€", "estimate_recurrence": "one_off"})
    assert response.status_code == 302
    assert Target.objects.get(version=draft, code="1.9").estimate_recurrence == "one_off"


def test_api__estimate_recurrence_read_and_written_and_kept_when_left_out(client, draft):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="finance.ita-uusimaa"))
    measure = client.get(f"{API}/measures/3.1.a/").json()
    response = client.put(f"{API}/measures/3.1.a/estimate/", content_type="application/json", data=json.dumps(
        {"estimate": {"kind": "point", "amount_eur": "300000", "recurrence": "one_off"},
         "revision": measure["revision"]}))
    assert response.status_code == 200, response.content
    assert response.json()["estimate"]["recurrence"] == "one_off"
    # A client that does not know of recurrence keeps what is stored.
    again = client.put(f"{API}/measures/3.1.a/estimate/", content_type="application/json", data=json.dumps(
        {"estimate": {"kind": "point", "amount_eur": "350000"}, "revision": response.json()["revision"]}))
    assert again.status_code == 200 and again.json()["estimate"]["recurrence"] == "one_off"
    refused = client.put(f"{API}/measures/3.1.a/estimate/", content_type="application/json", data=json.dumps(
        {"estimate": {"kind": "point", "amount_eur": "1", "recurrence": "yearly"},
         "revision": again.json()["revision"]}))
    assert refused.status_code == 400


def _kym_viewer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="viewer.kymenlaakso")


def test_api__programme_carries_its_deficit(client_for, kym):
    data = client_for(_kym_viewer()).get("/api/v1/programmes/kymenlaakso-2023-2025/").json()
    assert (data["deficit_eur"], data["deficit_year"]) == ("78000000.00", 2025)


def test_update_programme__deficit_year_outside_the_years__refused_in_finnish(ita, pmo):
    with translation.override("fi"), pytest.raises(ValidationError) as refused:
        services.update_programme(programme=ita, by=pmo, deficit_eur=Decimal("5000000"), deficit_year=2030)
    assert "2023–2026" in refused.value.message_dict["deficit_year"][0]
    assert "alijäämä" in refused.value.message_dict["deficit_year"][0]
    with translation.override("fi"), pytest.raises(ValidationError) as incomplete:
        services.update_programme(programme=ita, by=pmo, deficit_eur=Decimal("5000000"))
    assert "deficit_year" in incomplete.value.message_dict
    services.update_programme(programme=ita, by=pmo, deficit_eur=Decimal("5000000"), deficit_year=2026)
    assert Programme.objects.get(pk=ita.pk).deficit_year == 2026


def test_programme_page__shows_the_deficit(client_for, kym):
    page = _text(client_for(_kym_viewer()).get(f"/programmes/{kym.slug}/"))
    assert "Katettava kertynyt alijäämä" in page and "78,0 M€" in page


def test_compare_and_history__a_changed_recurrence_shown_in_words(ita, pmo, draft):
    from karki.audit.history import history_page, programme_sources
    from karki.programmes.comparison import compare
    from karki.programmes.models import ProgrammeVersion

    target = Target.objects.filter(version=draft).exclude(estimate_kind="").order_by("code").first()
    services.set_estimate(item=target, by=pmo, estimate={
        "kind": target.estimate_kind, "amount_eur": target.estimate_amount_eur, "min_eur": target.estimate_min_eur,
        "max_eur": target.estimate_max_eur, "recurrence": "one_off"})

    result = compare(ProgrammeVersion.objects.get(programme=ita, number=2), draft)
    [item] = [i for i in result.changed if i.code == target.code]
    assert [(c.label, c.old, c.new) for c in item.changes] == [
        ("pysyvä vai kertaluonteinen", "Pysyvä", "Kertaluonteinen")]

    sources = [s for s in programme_sources(ita) if s.model is Target]
    entry = history_page(sources).entries[0]
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["Pysyvä vai kertaluonteinen"] == ("Pysyvä", "Kertaluonteinen")
