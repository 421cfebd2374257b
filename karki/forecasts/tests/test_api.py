"""GET /api/v1/programmes/{slug}/forecast/?version=N&draws=D&seed=S"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

P = "ita-uusimaa-2023-2026"


def _get(client, query="", **headers):
    return client.get(reverse("api-programme-forecast", args=[P]) + query, **headers)


def test_forecast_api__the_specified_fields(client_for, viewer):
    data = _get(client_for(viewer), "?version=2&draws=2000&seed=5").json()
    assert {"target_eur", "target_year", "probability_reaching_target", "by_year", "cumulative",
            "top_uncertainty"} <= data.keys()
    assert (data["target_eur"], data["target_year"], data["version"], data["draws"], data["seed"]) == (
        "27600000.00", 2026, 2, 2000, 5)
    assert 0 <= Decimal(data["probability_reaching_target"]) <= 1  # a decimal string, as every figure
    assert [row["year"] for row in data["by_year"]] == [2023, 2024, 2025, 2026]
    assert set(data["by_year"][0]) == {"year", "p10_eur", "p50_eur", "p90_eur", "one_off_eur", "realised_eur",
                                       "realised_one_off_eur"}
    assert {"deficit_eur", "deficit_year", "probability_covering_deficit", "verification_rate",
            "recurring_run_rate_eur"} <= data.keys()
    assert Decimal(data["recurring_run_rate_eur"]) > 0  # the demo's measures have realised recurring savings
    assert set(data["cumulative"][0]) == {"year", "p10_eur", "p50_eur", "p90_eur"}
    row = data["by_year"][3]
    assert float(row["p10_eur"]) <= float(row["p50_eur"]) <= float(row["p90_eur"])
    assert data["top_uncertainty"][0] == "5.2"


def test_forecast_api__same_seed_same_answer_and_version_1(client_for, viewer):
    client = client_for(viewer)
    assert _get(client, "?draws=1000&seed=9").json() == _get(client, "?draws=1000&seed=9").json()
    assert _get(client, "?version=1&draws=1000").json()["version"] == 1


def test_forecast_api__absurd_draws_or_seed__400_in_the_users_language(client_for, viewer):
    client = client_for(viewer)
    response = _get(client, "?draws=100000000", HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 400
    assert response.json()["errors"]["draws"] == ["Pyydä 1\u202f000–100\u202f000 arvontaa."]
    response = _get(client, "?draws=kaksi&seed=-1", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"draws", "seed"}
    assert response.json()["detail"].startswith("Prognosen")


def test_forecast_api__unknown_version_or_period__404(client_for, viewer):
    client = client_for(viewer)
    assert _get(client, "?version=99").status_code == 404
    assert _get(client, "?period=2031-01").status_code == 404


def test_forecast_api__token_of_an_outsider__404(client, outsider):
    client.force_login(outsider)
    assert _get(client).status_code == 404


def test_forecast_api__in_the_schema(client_for, viewer):
    schema = client_for(viewer).get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/programmes/{slug}/forecast/" in schema and "probability_reaching_target" in schema


def test_forecast_api__stored_target_year_outside_the_programmes_years__400_that_says_why(client_for, viewer, ita):
    type(ita).objects.filter(pk=ita.pk).update(target_year=2022)  # stored before the check existed
    response = _get(client_for(viewer), "?draws=1000", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    assert response.json()["code"] == "target_year_outside"
    assert "2022" in response.json()["detail"] and "2023–2026" in response.json()["detail"]
    assert response.json()["detail"].startswith("Prognosen")


@pytest.mark.parametrize(("query", "parameter", "message"), [
    ("draws=10abc", "draws", "Pyydä 1\u202f000–100\u202f000 arvontaa."),
    ("draws=%C2%B2", "draws", "Pyydä 1\u202f000–100\u202f000 arvontaa."),  # ², which isdigit() takes
    ("draws=%D9%A3%D9%A0%D9%A0%D9%A0", "draws", "Pyydä 1\u202f000–100\u202f000 arvontaa."),  # ٣٠٠٠, which int() takes
    ("draws=1_000", "draws", "Pyydä 1\u202f000–100\u202f000 arvontaa."),
    ("draws=1e9", "draws", "Pyydä 1\u202f000–100\u202f000 arvontaa."),
    ("draws=%205000", "draws", "Pyydä 1\u202f000–100\u202f000 arvontaa."),
    ("seed=%2B5", "seed", "Siemenluku on kokonaisluku väliltä 0–4294967295."),
    ("period=2025-13", "period", "Kausi on kuukausi muodossa VVVV-KK (kuukausi 01–12), esimerkiksi 2025-03."),
    ("period=2025-01x", "period", "Kausi on kuukausi muodossa VVVV-KK (kuukausi 01–12), esimerkiksi 2025-03."),
    ("period=2024-12%0A", "period", "Kausi on kuukausi muodossa VVVV-KK (kuukausi 01–12), esimerkiksi 2025-03."),
    ("version=-1", "version", "Versio on versionumero: kokonaisluku 1:stä ylöspäin."),
    ("version=2.0", "version", "Versio on versionumero: kokonaisluku 1:stä ylöspäin."),
])
def test_forecast_api__malformed_parameter__400_naming_it_and_the_allowed_range(client_for, viewer, query, parameter,
                                                                              message):
    response = _get(client_for(viewer), "?" + query, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 400
    assert response.json()["errors"] == {parameter: [message]}


def test_forecast_api__well_formed_parameters__accepted(client_for, viewer):
    data = _get(client_for(viewer), "?version=2&period=2024-12&draws=1000&seed=0").json()
    assert (data["version"], data["period"], data["draws"], data["seed"]) == (2, "2024-12", 1000, 0)


def test_forecast_api__bounds_in_the_schema(client_for, viewer):
    schema = client_for(viewer).get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/programmes/{slug}/forecast/"]["get"]
                  ["parameters"] if p["in"] == "query"}
    assert (parameters["draws"]["minimum"], parameters["draws"]["maximum"]) == (1000, 100_000)
    assert (parameters["seed"]["minimum"], parameters["seed"]["maximum"]) == (0, 2**32 - 1)
    assert parameters["version"]["minimum"] == 1
    assert parameters["period"]["pattern"] == "^[0-9]{4}-(0[1-9]|1[0-2])$"
