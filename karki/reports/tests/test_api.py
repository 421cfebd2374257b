"""Exports for BI tools: stable columns, Finnish-Excel-friendly CSV, token authentication."""

import json
from decimal import Decimal

import pytest
from django.db.models import QuerySet
from django.urls import reverse

from karki.accounts.models import ApiToken
from karki.lib import dates
from karki.monitoring.models import StatusReport
from karki.monitoring.services import running_version
from karki.monitoring.status import status_picture
from karki.programmes.summary import summarise

SLUG = "ita-uusimaa-2023-2026"


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return [line.split(";") for line in text[1:].splitlines()]


def test_export_savings_by_year__csv__header_and_a_known_row(client_for, viewer, ita, december):
    picture = status_picture(ita, december)
    response = client_for(viewer).get(reverse("api-export-savings-by-year", args=[SLUG]) + "?format=csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(response)
    assert rows[0] == ["programme", "period", "year", "planned_eur", "planned_cumulative_eur", "realised_eur",
                       "realised_cumulative_eur", "verified_eur", "verified_cumulative_eur", "one_off_eur"]
    last = picture.by_year[-1]
    assert rows[-1] == [SLUG, "2024-12", "2024", f"{last.planned_eur:.2f}", f"{last.planned_cumulative_eur:.2f}",
                        f"{last.realised_eur:.2f}", f"{last.realised_cumulative_eur:.2f}", f"{last.verified_eur:.2f}",
                        f"{last.verified_cumulative_eur:.2f}", f"{last.one_off_eur:.2f}"]


def test_export_savings_by_theme__json__same_columns_whatever_the_language(client_for, viewer, ita, december):
    url = reverse("api-export-savings-by-theme", args=[SLUG])
    finnish = client_for(viewer).get(url).json()
    swedish = client_for(viewer).get(url, HTTP_ACCEPT_LANGUAGE="sv").json()
    assert finnish == swedish
    picture = status_picture(ita, december)
    assert list(finnish[0]) == ["programme", "period", "theme_code", "name_fi", "name_sv", "name_en",
                                "planned_yearly_eur", "realised_to_date_eur", "verified_to_date_eur"]
    assert [(r["theme_code"], Decimal(r["realised_to_date_eur"])) for r in finnish] == [
        (r.key, r.realised_eur) for r in picture.by_theme]
    assert isinstance(finnish[0]["realised_to_date_eur"], str)  # a decimal string with a dot, never a float


def test_export_measures__rows_that_count__add_up_to_the_version_total(client_for, viewer, ita):
    rows = client_for(viewer).get(reverse("api-export-measures", args=[SLUG])).json()
    total = summarise(running_version(ita)).total
    counted = [r for r in rows if r["counts_in_totals"]]
    assert sum(Decimal(r["savings_expected_eur"]) for r in counted) == total.expected
    assert sum(Decimal(r["savings_min_eur"]) for r in counted) == total.minimum
    assert {r["level"] for r in rows} == {"target", "measure"}


def test_export_status_reports__csv__realised_by_category_and_formula_safe(client_for, viewer, december):
    report = StatusReport.objects.filter(period=december, savings__isnull=False).order_by("measure_code").first()
    StatusReport.objects.filter(pk=report.pk).update(narrative="=1+2", obstacles="-pelkkää tekstiä")
    response = client_for(viewer).get(reverse("api-export-status-reports", args=[SLUG]) + "?period=2024-12&format=csv")
    rows = _csv(response)
    header = rows[0]
    assert header[:5] == ["programme", "period", "year", "month", "measure_code"]
    assert "realised_personnel_eur" in header and header[-3:] == [
        "realised_total_eur", "verified_total_eur", "waiting_verification_eur"]
    row = dict(zip(header, next(r for r in rows[1:] if r[4] == report.measure_code), strict=True))
    saving = report.savings.get()
    assert row[f"realised_{saving.category}_eur"] == f"{saving.amount_eur:.2f}"
    assert row["realised_total_eur"] == f"{saving.amount_eur:.2f}"
    # Finance has not decided on the claim: nothing verified yet, all of it waiting.
    assert row["verified_total_eur"] == "" and row["waiting_verification_eur"] == f"{saving.amount_eur:.2f}"
    assert row["narrative"] == "'=1+2" and row["obstacles"] == "'-pelkkää tekstiä"
    assert row["period"] == "2024-12" and row["submitted_at"].startswith("20")


def test_export__with_a_personal_token__works_without_a_session(client, viewer):
    _token, key = ApiToken.objects.create(user=viewer)
    url = reverse("api-export-savings-by-cost-category", args=[SLUG]) + "?format=csv"
    assert client.get(url).status_code in (401, 403)
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert _csv(response)[0] == ["programme", "period", "cost_category", "planned_yearly_eur", "realised_to_date_eur",
                                 "verified_to_date_eur"]


def test_export__another_organisation__not_found(client_for, outsider):
    response = client_for(outsider).get(reverse("api-export-measures", args=[SLUG]))
    assert response.status_code == 404
    assert "detail" in json.loads(response.content)


def test_schema__documents_the_exports(client_for, viewer):
    schema = client_for(viewer).get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/programmes/{slug}/export/status-reports/" in schema
    assert "counts_in_totals" in schema and "text/csv" in schema


@pytest.mark.parametrize("name", ["api-export-measures", "api-export-status-reports", "api-export-savings-by-year",
                                  "api-export-savings-by-theme", "api-export-savings-by-org-unit",
                                  "api-export-savings-by-cost-category"])
def test_export__another_county_reading_a_published_version__not_found_in_any_format(client_for, pmo, outsider, ita,
                                                                                      name):
    from karki.programmes import services as programme_services

    programme_services.publish_version(version=ita.versions.get(number=2), by=pmo)
    client = client_for(outsider)
    for suffix in ("", "?format=csv", "?version=2", "?period=2024-12&format=csv"):
        response = client.get(reverse(name, args=[SLUG]) + suffix)
        assert response.status_code == 404, suffix
        assert b"IKA" not in response.content and b"ita-uusimaa" not in response.content


@pytest.mark.parametrize("value", ["%C2%B2", "1%0A", "abc", "0", ""])  # "²" passes isdigit() but not int()
def test_export_measures__malformed_version__400_naming_it(client_for, viewer, value):
    response = client_for(viewer).get(reverse("api-export-measures", args=[SLUG]) + f"?version={value}")
    assert response.status_code == 400 and list(json.loads(response.content)["errors"]) == ["version"]


def test_export_measures__unknown_version__404(client_for, viewer):
    response = client_for(viewer).get(reverse("api-export-measures", args=[SLUG]) + "?version=99")
    assert response.status_code == 404 and json.loads(response.content)["code"] == "not_found"


def test_export__file_name__encoded_for_any_programme_identifier(viewer, ita, december):
    """URLs take ASCII identifiers only, but the header must stay correct whatever the name holds: the view is
    called directly with an identifier like a Swedish-speaking county's."""
    from rest_framework.test import APIRequestFactory, force_authenticate

    from karki.programmes.models import Programme
    from karki.reports.api import views

    Programme.objects.filter(pk=ita.pk).update(slug="österbotten-2023-2026")
    request = APIRequestFactory().get("/export/?format=csv&period=2024-12")
    force_authenticate(request, user=viewer)
    response = views.export_savings_by_year(request, slug="österbotten-2023-2026")
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("inline; ")
    assert "filename*=utf-8''%C3%B6sterbotten-2023-2026-savings-by-year-2024-12.csv" in header


def test_export__file_name__plain_identifier_as_a_plain_quoted_name(client_for, viewer, december):
    response = client_for(viewer).get(reverse("api-export-savings-by-year", args=[SLUG]) + "?period=2024-12")
    assert response["Content-Disposition"] == f'inline; filename="{SLUG}-savings-by-year-2024-12.json"'


def test_export_status_reports__adjusted_claim__verified_amount_and_nothing_waiting(client_for, viewer, december):
    report = StatusReport.objects.filter(period=december, savings__isnull=False).order_by("measure_code").first()
    saving = report.savings.get()
    QuerySet.update(report.savings.all(), verification="adjusted", verified_amount_eur=Decimal("1234.50"),
                    verification_reason="Osa ei toteutunut.", verified_at=dates.now())
    rows = client_for(viewer).get(reverse("api-export-status-reports", args=[SLUG]) + "?period=2024-12").json()
    row = next(r for r in rows if r["measure_code"] == report.measure_code)
    assert (row["realised_total_eur"], row["verified_total_eur"], row["waiting_verification_eur"]) == (
        f"{saving.amount_eur:.2f}", "1234.50", "0.00")
