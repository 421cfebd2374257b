"""The workbook in the API: a version as .xlsx and the template, for scripts."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from karki.programmes import services
from karki.workbooks.importing import Target, check_workbook


def test_api_version_workbook__in_the_language_asked__reads_back_without_changes(client_for, pmo, ita):
    response = client_for(pmo).get(f"/api/v1/programmes/{ita.slug}/workbook/?version=2&lang=sv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert load_workbook(io.BytesIO(response.content), read_only=True).sheetnames[1] == "Program"
    target = Target(organisation=ita.organisation, programme=ita, new_draft=True, file_name="api.xlsx")
    check = check_workbook(response.content, target)
    assert check.ok and not any(p.created or p.updated for p in check.plans.values())


def test_api_version_workbook__other_organisation_reads_a_published_version_without_usernames(
        client_for, pmo, outsider, ita):
    services.publish_version(version=ita.versions.get(number=2), by=pmo)
    response = client_for(outsider).get(f"/api/v1/programmes/{ita.slug}/workbook/?version=2")
    themes = load_workbook(io.BytesIO(response.content), read_only=True)["Teemat"]
    rows = list(themes.iter_rows(values_only=True))
    owner = rows[0].index("Omistaja (käyttäjätunnus)")
    assert response.status_code == 200 and all(row[owner] is None for row in rows[1:])


def test_api_version_workbook__unknown_version__json_404(client_for, pmo, ita):
    response = client_for(pmo).get(f"/api/v1/programmes/{ita.slug}/workbook/?version=99")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_api_template__member__empty_workbook(client_for, viewer, org):
    response = client_for(viewer).get(f"/api/v1/organisations/{org.slug}/workbook-template/?lang=en")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[:2] == ["Read me", "Programme"]
