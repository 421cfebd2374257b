"""The forecast, what-if, scenarios, baskets and help pages, in the browser's terms (Django test client)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from karki.forecasts.models import BasketDecision, Scenario

P = "ita-uusimaa-2023-2026"
K = "kymenlaakso-2023-2025"


def _whatif(rows: list[dict], **extra) -> dict:
    data = {"change-TOTAL_FORMS": "5", "change-INITIAL_FORMS": "0", "change-MIN_NUM_FORMS": "0",
            "change-MAX_NUM_FORMS": "5", "version": "2", "period": "2024-12", **extra}
    for index, row in enumerate(rows):
        data.update({f"change-{index}-{key}": value for key, value in row.items()})
    return data


def test_forecast_page__answers_in_finnish_and_swedish(client_for, viewer):
    client = client_for(viewer)
    url = reverse("forecasts:forecast", args=[P])
    with translation.override("fi"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Saavutetaanko tavoite?" in page and "Todennäköisyys saavuttaa tavoite vuonna 2026" in page
    assert "27,6\u00a0M€" in page and 'role="img"' in page and "<caption>" in page
    client.get(reverse("core:set-language", args=["sv"]))
    page = client.get(url).content.decode()
    assert "Når vi målet?" in page and "Sannolikheten att nå målet år 2026" in page and "27,6\u00a0mn\u00a0€" in page


def test_forecast_page__programme_without_estimates_says_why(client_for, outsider):
    page = client_for(outsider).get(reverse("forecasts:forecast", args=[K])).content.decode()
    assert "Yhdelläkään" in page  # no target or measure of this version has a savings estimate


def test_what_if__htmx_swaps_the_results_and_announces_the_change(client_for, viewer):
    response = client_for(viewer).post(reverse("forecasts:forecast", args=[P]),
                                       _whatif([{"code": "5.2", "drop": "on"}]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and not body.lstrip().startswith("<!DOCTYPE")
    assert 'id="whatif-summary" hx-swap-oob="innerHTML"' in body
    assert response.context["whatif"].target_band.p50_eur < response.context["baseline"].target_band.p50_eur
    assert Scenario.objects.count() == 0  # nothing saved


def test_what_if__without_javascript_the_whole_page_with_the_form_as_sent(client_for, viewer):
    response = client_for(viewer).post(reverse("forecasts:forecast", args=[P]),
                                       _whatif([{"code": "1.2", "delay_months": "12"}]))
    body = response.content.decode()
    assert response.status_code == 200 and "<!DOCTYPE html>" in body
    assert 'name="change-0-delay_months" value="12"' in body and response.context["whatif"] is not None


def test_what_if__bad_row__error_summary_and_the_form_swapped_in_place(client_for, viewer):
    client = client_for(viewer)
    data = _whatif([{"code": "1.2", "estimate_kind": "range", "estimate_min_eur": "2 M€"}])
    response = client.post(reverse("forecasts:forecast", args=[P]), data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response["HX-Retarget"] == "#whatif" and "data-error-summary" in body and 'aria-invalid="true"' in body
    assert client.post(reverse("forecasts:forecast", args=[P]), data).status_code == 400


def test_save_scenario__finance_saves_and_compares_later(client_for, finance):
    client = client_for(finance)
    data = _whatif([{"code": "5.2", "drop": "on"}], name="Ilman 5.2:ta")
    response = client.post(reverse("forecasts:scenarios", args=[P]), data)
    scenario = Scenario.objects.get(name="Ilman 5.2:ta")
    assert response.status_code == 302 and response["Location"].endswith(f"?compare={scenario.pk}")
    assert scenario.created_by == finance and scenario.changes[0]["drop"] is True
    page = client.get(response["Location"]).content.decode()
    assert "Ilman 5.2:ta" in page and "5.2: jätetty pois" in page and 'id="comparison"' in page
    # Opening it puts its changes back into the what-if.
    again = client.get(reverse("forecasts:forecast", args=[P]) + f"?scenario={scenario.pk}").content.decode()
    assert 'name="change-0-drop" aria-describedby="id_change-0-drop_helptext" id="id_change-0-drop" checked' in again


def test_save_scenario__name_taken_or_missing__refused_with_the_changes_kept(client_for, pmo, finance):
    client = client_for(pmo)
    client.post(reverse("forecasts:scenarios", args=[P]), _whatif([{"code": "5.2", "drop": "on"}], name="A"))
    response = client.post(reverse("forecasts:scenarios", args=[P]), _whatif([{"code": "1.1", "drop": "on"}], name="A"))
    body = response.content.decode()
    assert response.status_code == 400 and "on jo olemassa" in body and "data-error-summary" in body
    response = client.post(reverse("forecasts:scenarios", args=[P]), _whatif([], name="B"))
    assert response.status_code == 400 and Scenario.objects.filter(name="B").count() == 0


def test_save_scenario__htmx__redirects_the_browser(client_for, pmo):
    response = client_for(pmo).post(reverse("forecasts:scenarios", args=[P]),
                                    _whatif([{"code": "5.2", "drop": "on"}], name="C"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "/forecast/scenarios/?compare=" in response["HX-Redirect"]


def test_save_scenario__viewer__forbidden(client_for, viewer):
    response = client_for(viewer).post(reverse("forecasts:scenarios", args=[P]),
                                       _whatif([{"code": "5.2", "drop": "on"}], name="X"))
    assert response.status_code == 403 and not Scenario.objects.exists()


def test_baskets_page__what_closes_the_gap_with_service_level_costs(client_for, viewer):
    response = client_for(viewer).get(reverse("forecasts:baskets", args=[P]) + "?certainty=50")
    body = response.content.decode()
    assert response.status_code == 200 and response.context["plan"].certainty == 50
    assert "kattaa vajeen" in body  # the row with which the gap closes says so in words, not colour only
    assert "päivätoimintaa kolme päivää viikossa" in body and "Kohtalainen" in body  # what B.2 costs residents
    assert "Record the decision" not in body and "Kirjaa päätös" not in body  # viewers do not record decisions


def test_baskets_page__kymenlaakso_has_nothing_prepared(client_for, outsider):
    body = client_for(outsider).get(reverse("forecasts:baskets", args=[K])).content.decode()
    assert "ei ole valmisteltuja korin B tai C toimenpiteitä" in body


def test_basket_decision__recorded_and_shown_in_the_programme_history(client_for, pmo):
    client = client_for(pmo)
    response = client.post(reverse("forecasts:basket-decision", args=[P]), {
        "basket": "C", "decision": "activate", "decided_on": "15.1.2025", "measure_codes": ["C.1"],
        "reasoning": "Kuilu on liian suuri.", "certainty": "80", "version": "2", "period": "2024-12"})
    assert response.status_code == 302
    decision = BasketDecision.objects.get(basket="C")
    assert decision.gap_eur > 0 and decision.certainty == 80 and decision.measure_codes == "C.1"
    history = client.get(reverse("audit:programme-history", args=[P])).content.decode()
    assert "Koripäätös C" in history and "Kuilu on liian suuri." in history


def test_basket_decision__missing_reasoning__form_with_errors(client_for, pmo):
    response = client_for(pmo).post(reverse("forecasts:basket-decision", args=[P]), {
        "basket": "B", "decision": "activate", "decided_on": "15.1.2025", "reasoning": ""})
    assert response.status_code == 400 and "data-error-summary" in response.content.decode()


def test_help_page__assumptions_with_the_models_own_numbers(client_for, viewer):
    body = client_for(viewer).get(reverse("forecasts:help", args=[P])).content.decode()
    assert "Miten ennuste toimii" in body and "75\u00a0%" in body and "0,40" in body
    assert "27,6\u00a0M€" in body  # the programme's own target in the definition


def test_status_picture__shows_the_forecast(client_for, viewer):
    body = client_for(viewer).get(reverse("monitoring:status", args=[P]) + "?period=2024-12").content.decode()
    assert 'id="forecast-title"' in body and "P50" in body and reverse("forecasts:forecast", args=[P]) in body


def test_what_if__unknown_code__refused_with_a_message(client_for, viewer):
    response = client_for(viewer).post(reverse("forecasts:forecast", args=[P]),
                                       _whatif([{"code": "9.9.z", "drop": "on"}]))
    assert response.status_code == 400
    assert "Tässä versiossa ei ole toimenpidettä tai tuottavuuskohdetta tunnuksella 9.9.z." in response.content.decode()


def test_what_if__codes_suggested_once_for_all_rows(client_for, viewer):
    body = client_for(viewer).get(reverse("forecasts:forecast", args=[P])).content.decode()
    assert body.count('<datalist id="whatif-codes">') == 1 and body.count('list="whatif-codes"') == 5
    assert '<option value="1.2">' in body and '<option value="1.2.b">' in body


@pytest.mark.parametrize("page", ["forecasts:forecast", "forecasts:baskets"])
def test_forecast_pages__stored_target_year_outside_the_programmes_years__say_what_to_correct(client_for, viewer, ita,
                                                                                           page):
    type(ita).objects.filter(pk=ita.pk).update(target_year=2030)  # stored before the check existed
    response = client_for(viewer).get(reverse(page, args=[ita.slug]))
    assert response.status_code == 200
    assert "tavoitevuosi 2030 ei ole mikään sen vuosista 2023–2026" in response.content.decode()


def test_status_picture__stored_target_year_outside__shown_without_the_forecast(client_for, viewer, ita):
    type(ita).objects.filter(pk=ita.pk).update(target_year=2022)
    response = client_for(viewer).get(reverse("monitoring:status", args=[ita.slug]))
    assert response.status_code == 200


TOO_LARGE, NOT_AN_AMOUNT = "Anna enintään 10\u202f000\xa0M€.", "Anna summa euroina"
ABSURD = [("99999999999999999999", TOO_LARGE, TOO_LARGE), ("1" * 60 + " M€", TOO_LARGE, TOO_LARGE),
          ("1e30", NOT_AN_AMOUNT, NOT_AN_AMOUNT), ("1,5e400", NOT_AN_AMOUNT, NOT_AN_AMOUNT),
          ("NaN", NOT_AN_AMOUNT, NOT_AN_AMOUNT),
          ("-5", "Kustannushyötyarvio ei voi olla negatiivinen", "yläraja ei voi olla alarajaa pienempi")]


@pytest.mark.parametrize(("value", "as_point", "as_range_end"), ABSURD)
def test_what_if_and_scenario__absurd_estimate__form_error_in_the_users_language(client_for, pmo, value, as_point,
                                                                                 as_range_end):
    client = client_for(pmo)
    point = {"code": "1.2", "estimate_kind": "point", "estimate_amount_eur": value}
    range_ = {"code": "1.2", "estimate_kind": "range", "estimate_min_eur": "0", "estimate_max_eur": value}
    for row, message in ((point, as_point), (range_, as_range_end)):
        for url, extra in ((reverse("forecasts:forecast", args=[P]), {}),
                           (reverse("forecasts:scenarios", args=[P]), {"name": "Mahdoton"})):
            response = client.post(url, _whatif([row], **extra))
            body = response.content.decode().replace("&quot;", '"')
            assert response.status_code == 400 and "data-error-summary" in body and message in body
    assert not Scenario.objects.filter(name="Mahdoton").exists()


def test_what_if__code_of_both_a_target_and_a_measure__asks_which_then_changes_only_that(client_for, pmo, draft):
    from karki.programmes.models import Measure

    Measure.objects.filter(version=draft, code="3.1.a").update(code="1.2")  # a measure of target 3.1
    client = client_for(pmo)
    url = reverse("forecasts:forecast", args=[P])
    response = client.post(url, _whatif([{"code": "1.2", "drop": "on"}], version=draft.number))
    assert response.status_code == 400
    assert "1.2 on sekä tuottavuuskohteen että toimenpiteen koodi" in response.content.decode()
    response = client.post(url, _whatif([{"code": "1.2", "applies_to": "measure", "drop": "on"},
                                         {"code": "1.2", "applies_to": "target", "delay_months": "6"}],
                                        version=draft.number))
    assert response.status_code == 200
    changes = response.context["whatif"].changes
    assert [(c.kind, c.drop, c.delay_months) for c in changes] == [("measure", True, 0), ("target", False, 6)]
    parts = response.context["whatif"].inputs.parts
    assert [p.code for p in parts if p.dropped] == ["1.2"]
    assert {p.delay_months for p in parts if p.target.code == "1.2"} == {6}
    assert next(p for p in parts if p.code == "1.2").delay_months == 0
