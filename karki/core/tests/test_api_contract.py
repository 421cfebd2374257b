"""The API's one contract (karki/core/api/): refusals as {"detail", "code", "errors"}, decimals as strings,
401 with a challenge, strict query parameters, JSON 404 and 500 on /api/ paths."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from karki.core.api import contains_float, field_errors
from karki.okr.models import KeyResult

P = "/api/v1/programmes/ita-uusimaa-2023-2026"
ORG = "/api/v1/organisations/ita-uusimaa"


def _post(client, url, data, **headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def _refusal(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"detail", "code", "errors"} <= set(body), body
    assert isinstance(body["detail"], str) and isinstance(body["code"], str) and isinstance(body["errors"], dict)
    assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages)
               for messages in body["errors"].values()), body
    return body


# -- Refusals ------------------------------------------------------------------------------------


def test_field_errors__nested_lists_and_dicts_dotted():
    assert field_errors({"savings": [{}, {"amount_eur": ["A number."]}], "non_field_errors": ["Whole."],
                         "estimate": {"non_field_errors": ["Range."], "kind": ["Bad."]}, "tags": {0: ["No."]}}) == {
        "savings.1.amount_eur": ["A number."], "non_field_errors": ["Whole."], "estimate": ["Range."],
        "estimate.kind": ["Bad."], "tags.0": ["No."]}
    assert field_errors(["Alone."]) == {"non_field_errors": ["Alone."]}


def test_invalid_choice_and_too_long_code__contract_shape_in_the_users_language(client_for, pmo, draft):
    client = client_for(pmo)
    body = _refusal(_post(client, f"{P}/measures/", {"code": "9.9.z", "difficulty": "bogus"},
                          HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert body["code"] == "invalid" and list(body["errors"]) == ["difficulty"]
    assert "bogus" in body["errors"]["difficulty"][0]
    body = _refusal(_post(client, f"{P}/measures/", {"code": "X" * 21}), 400)
    assert list(body["errors"]) == ["code"]


def test_nested_errors__dotted_field_names(client_for, measure_owner):
    url = f"{P}/measures/3.1.a/reports/"
    body = _refusal(_post(client_for(measure_owner), url, {
        "period": "2024-12", "phase": "started", "status": "green",
        "savings": [{"category": "rents", "amount_eur": "1.00"}, {"category": "nonsense", "amount_eur": "x"}]}), 400)
    assert set(body["errors"]) == {"savings.1.category", "savings.1.amount_eur"}


def test_malformed_json__400_in_the_shape(client_for, pmo, draft):
    response = client_for(pmo).post(f"{P}/measures/", data="{", content_type="application/json")
    assert _refusal(response, 400)["code"] == "parse_error"


def test_permission_denied__message_of_the_view_kept(client_for, measure_owner, draft):
    response = client_for(measure_owner).patch(f"{P}/measures/3.1.a/", data=json.dumps(
        {"owner": "pmo.ita-uusimaa", "revision": 1}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    body = _refusal(response, 403)
    assert body["code"] == "permission_denied" and "programme office" in body["detail"]


# -- 401 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Token " + "0" * 64},
                                     {"HTTP_AUTHORIZATION": "Bearer x"}])
def test_missing_or_bad_credentials__401_with_the_challenge(db, headers):
    response = Client().get(f"{P}/summary/", **headers)
    body = _refusal(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert body["code"] in ("not_authenticated", "authentication_failed")


# -- 404 and 500 on API paths ----------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"{P}/versions/null,null/approve/", "/api/v1/nothing-here/", f"{P}/x/y/z/",
                                  "/api/v1/programmes/no-such-programme/"])
def test_not_found__json_in_the_users_language(client_for, pmo, path):
    response = client_for(pmo).get(path, HTTP_ACCEPT_LANGUAGE="sv")
    body = _refusal(response, 404)
    assert body["code"] == "not_found" and body["detail"] == "Hittades inte."


def test_server_error__json_not_html(client_for, viewer, monkeypatch):
    from karki.figures import read

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(read, "summary", broken)
    client = client_for(viewer)
    client.raise_request_exception = False
    body = _refusal(client.get(f"{P}/summary/", HTTP_ACCEPT_LANGUAGE="en"), 500)
    assert body["code"] == "server_error" and "boom" not in body["detail"]


def test_pages_outside_the_api__404_stays_html(client_for, viewer):
    response = client_for(viewer).get("/programmes/no-such-programme/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# -- Query parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "parameter"), [
    (f"{P}/summary/?version=abc", "version"),
    (f"{P}/summary/?version=", "version"),
    (f"{P}/measures/?version=0", "version"),
    (f"{P}/summary/?format=xml", "format"),
    (f"{P}/export/measures/?format=xlsx", "format"),
    (f"{P}/workbook/?lang=AAA", "lang"),
    ("/api/v1/organisations/ita-uusimaa/workbook-template/?lang=", "lang"),
    (f"{P}/status/?period=2024-13", "period"),
    (f"{P}/export/status-reports/?period=24-12", "period"),
    (f"{P}/history/?page=0", "page"),
    (f"{P}/history/?date_from=yesterday", "date_from"),
    (f"{P}/forecast/?draws=lots", "draws"),
])
def test_malformed_query_parameter__400_naming_it(client_for, viewer, url, parameter):
    body = _refusal(client_for(viewer).get(url), 400)
    assert list(body["errors"]) == [parameter] and body["code"] == "invalid"


def test_refusal_of_a_csv_request__json(client_for, viewer):
    response = client_for(viewer).get(f"{P}/export/measures/?format=csv&version=null")
    assert list(_refusal(response, 400)["errors"]) == ["version"]
    response = client_for(viewer).get(f"{P}/export/status-reports/?period=x", HTTP_ACCEPT="text/csv")
    assert list(_refusal(response, 400)["errors"]) == ["period"]


def test_well_formed_query_parameters__accepted(client_for, viewer):
    client = client_for(viewer)
    for url in (f"{P}/summary/?version=1&format=json", f"{P}/export/measures/?format=csv",
                f"{P}/workbook/?lang=sv", f"{P}/history/?page=999"):
        assert client.get(url).status_code == 200, url


# -- Decimals as strings -------------------------------------------------------------------------


def _main_get_urls() -> list[str]:
    key_result = KeyResult.objects.filter(objective__org_unit__organisation__slug="ita-uusimaa").first()
    return [
        "/api/v1/programmes/", f"{P}/", f"{P}/summary/", f"{P}/summary/?version=1", f"{P}/themes/",
        f"{P}/targets/", f"{P}/measures/", f"{P}/measures/3.1.a/", f"{P}/risks/", f"{P}/indicators/",
        f"{P}/history/", f"{P}/forecast/?draws=1000", f"{P}/status/", f"{P}/export/measures/",
        f"{P}/export/status-reports/", f"{P}/export/savings-by-year/", f"{P}/export/savings-by-theme/",
        f"{P}/export/savings-by-org-unit/", f"{P}/export/savings-by-cost-category/", f"{ORG}/key-results/",
        f"{ORG}/key-results/{key_result.pk}/check-ins/",
    ]


def test_contains_float():
    assert contains_float('{"a": [1, {"b": 5.830588235294118}]}')
    assert not contains_float('{"a": [1, {"b": "5.8306"}], "c": true, "d": null}')


def test_main_get_endpoints__no_json_float_anywhere(client_for, pmo):
    """The schema declares every figure a decimal string; a JSON float (5.830588235294118) is the drift
    the contract forbids, wherever it would come from (a computed dict, a Decimal past a serializer)."""
    client = client_for(pmo)
    for url in _main_get_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert not contains_float(response.content), url


def test_key_results__figures_as_decimal_strings(client_for, viewer):
    data = client_for(viewer).get(f"{ORG}/key-results/").json()
    with_expected = [item for item in data if item["expected_value"] is not None]
    assert with_expected and all(isinstance(item["expected_value"], str) for item in with_expected)
    assert all("." in item["expected_value"] and len(item["expected_value"].split(".")[1]) == 4
               for item in with_expected)


# -- The API reference page -------------------------------------------------------------------------


def test_api_reference__served_locally_under_the_sites_csp(client_for, viewer):
    client = client_for(viewer)
    page = client.get("/docs/api/")
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="fi">' in html
    assert "swagger-ui-bundle.js" in html and "cdn" not in html.lower() and "<style" not in html
    assert "<script>" not in html  # the init script is a file of its own (the split view)
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = client.get("/docs/api/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_api_reference__anonymous__sent_to_sign_in(client):
    response = client.get("/docs/api/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]
