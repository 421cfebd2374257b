"""The public API contract."""

from decimal import Decimal


def test_programmes__list_with_versions(client_for, viewer):
    data = client_for(viewer).get("/api/v1/programmes/").json()
    assert [p["slug"] for p in data] == ["ita-uusimaa-2023-2026"]
    programme = data[0]
    assert programme["name"]["fi"].startswith("Itä-Uudenmaan") and programme["name"]["sv"].startswith("Östra Nylands")
    assert (programme["period_start"], programme["period_end"]) == (2023, 2026)
    assert Decimal(programme["target_eur"]) == Decimal("27600000")
    assert [(v["number"], v["status"]) for v in programme["versions"]] == [(1, "approved"), (2, "approved")]
    assert programme["versions"][0]["date"] == "2023-10-05"


def test_programmes__anonymous__challenged_401(client):
    response = client.get("/api/v1/programmes/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_summary__version_1__theme_sums(client_for, viewer):
    data = client_for(viewer).get("/api/v1/programmes/ita-uusimaa-2023-2026/summary/?version=1").json()
    assert data["version"] == 1
    assert [Decimal(t["savings_expected_eur"]) for t in data["themes"]] == [
        Decimal(x) * 1000000 for x in ("10.6", "3.4", "4.9", "3.0", "3.2", "1.5", "1.0")]
    assert Decimal(data["total"]["savings_expected_eur"]) == Decimal("27600000")
    assert data["total"]["uncertainty"]["upper_bounds"] == 1
    assert data["total"]["uncertainty"]["enabling"] == 4
    assert data["warnings"] == []


def test_summary__default_is_latest_version_with_stated_totals_and_ramp(client_for, viewer):
    data = client_for(viewer).get("/api/v1/programmes/ita-uusimaa-2023-2026/summary/").json()
    assert data["version"] == 2
    assert [Decimal(t["stated_savings_eur"]) for t in data["themes"]] == [
        Decimal(x) * 1000000 for x in ("8.3", "3.4", "4.9", "2.3", "6.3", "1.5", "0.9")]
    assert [(y["year"], Decimal(y["savings_expected_eur"])) for y in data["by_year"]] == [
        (2024, Decimal("7200000")), (2025, Decimal("17500000")), (2026, Decimal("27600000"))]
    assert len(data["warnings"]) == 2
    assert data["contingency"]["B"] and data["contingency"]["C"]


def test_summary__kymenlaakso_cost_categories_signed_as_cost_change(client_for, db):
    from django.contrib.auth import get_user_model

    client = client_for(get_user_model().objects.get(username="viewer.kymenlaakso"))
    data = client.get("/api/v1/programmes/kymenlaakso-2023-2025/summary/").json()
    rows = {r["category"]: r for r in data["by_cost_category"]}
    assert Decimal(rows["personnel"]["cost_change_min_eur"]) == Decimal("12000000")
    assert Decimal(rows["purchased_services"]["cost_change_min_eur"]) == Decimal("-89000000")
    assert Decimal(rows["purchased_services"]["cost_change_max_eur"]) == Decimal("-28000000")
    assert Decimal(data["target_eur"]) == Decimal("78000000")


def test_measures__estimates_and_horizons(client_for, viewer):
    data = client_for(viewer).get("/api/v1/programmes/ita-uusimaa-2023-2026/measures/?version=1").json()
    assert len(data) == 88
    first = next(m for m in data if m["code"] == "1.1.a")
    assert first["horizon"] == "medium" and first["theme"] == "1" and first["target"] == "1.1"
    targets = client_for(viewer).get("/api/v1/programmes/ita-uusimaa-2023-2026/targets/?version=1").json()
    target = next(t for t in targets if t["code"] == "7.5")
    assert target["estimate"]["kind"] == "upper_bound" and Decimal(target["estimate"]["amount_eur"]) == 100000


def test_risks_themes_indicators__readable(client_for, viewer, kym):
    client = client_for(viewer)
    assert len(client.get("/api/v1/programmes/ita-uusimaa-2023-2026/risks/").json()) >= 5
    assert len(client.get("/api/v1/programmes/ita-uusimaa-2023-2026/themes/").json()) == 7
    assert client.get("/api/v1/programmes/ita-uusimaa-2023-2026/indicators/").json() == []


def test_other_county__not_found(client_for, outsider):
    assert client_for(outsider).get("/api/v1/programmes/ita-uusimaa-2023-2026/summary/").status_code == 404


def test_unknown_version__not_found(client_for, viewer):
    assert client_for(viewer).get("/api/v1/programmes/ita-uusimaa-2023-2026/summary/?version=9").status_code == 404


def test_schema__served_as_openapi(client_for, viewer):
    response = client_for(viewer).get("/api/v1/schema/")
    assert response.status_code == 200 and b"openapi" in response.content


def test_published_version__other_county__owners_not_given_by_user_account(
        client_for, pmo, viewer, measure_owner, outsider, ita):
    from karki.programmes import services

    services.publish_version(version=ita.versions.get(number=2), by=pmo)
    base = f"/api/v1/programmes/{ita.slug}"
    # Theme 1 belongs to theme-owner.ita-uusimaa, measure 3.1.a to measure-owner.ita-uusimaa.
    paths = [f"{base}/themes/?version=2", f"{base}/themes/1/?version=2", f"{base}/measures/?version=2",
             f"{base}/measures/3.1.a/?version=2"]
    client = client_for(outsider)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert ".ita-uusimaa" not in response.content.decode(), path
    assert {t["code"]: t["owner"] for t in client.get(paths[0]).json()}["1"] is None
    assert client.get(paths[3]).json()["owner"] is None
    # The organisation's own people still get the username, which they write back.
    assert client_for(viewer).get(paths[3]).json()["owner"] == measure_owner.get_username()
    assert client_for(viewer).get(paths[1]).json()["owner"] == "theme-owner.ita-uusimaa"
