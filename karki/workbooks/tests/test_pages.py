"""The pages: upload → the check's page shows the preview → confirm → the import's page; the template;
the Excel export; the buttons on the programme and organisation pages. (Background work runs at once in tests.)"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from karki.jobs.models import Job
from karki.organisations.enums import OrgUnitLevel
from karki.organisations.models import OrgUnit
from karki.programmes import models as m
from karki.programmes import services
from karki.workbooks import jobs as kinds
from karki.workbooks.export import CONTENT_TYPE

from .conftest import cell as cell_at
from .conftest import edit, exported, find_row, minimal, sheet


def _upload(data: bytes, name: str = "ohjelma.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=CONTENT_TYPE)


def _renamed(draft) -> bytes:
    def change(workbook):
        worksheet = sheet(workbook, "measures")
        cell_at(worksheet, find_row(worksheet, "Koodi", "3.1.a"), "Nimi (fi)").value = "Etähoiva kaikille"
    return edit(exported(draft), change)


def _latest_job(kind: str) -> Job:
    return Job.objects.filter(kind=kind).order_by("-created_at").first()


def test_import_pages__upload_preview_confirm__measure_renamed(client_for, pmo, draft):
    client = client_for(pmo)
    url = reverse("workbooks:programme-import", args=[draft.programme.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("workbooks:template", args=[draft.programme.organisation.slug]) in page.content.decode()

    response = client.post(url, {"file": _upload(_renamed(draft), "muutos.xlsx")})
    check = _latest_job(kinds.CHECK)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job-detail", args=[check.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "Esikatselu" in preview and "3.1.a: Nimi (fi)" in preview
    assert reverse("workbooks:import-confirm", args=[check.pk]) in preview
    assert m.Measure.objects.get(version=draft, code="3.1.a").name_fi != "Etähoiva kaikille"  # not yet

    response = client.post(reverse("workbooks:import-confirm", args=[check.pk]))
    applied = _latest_job(kinds.APPLY)
    assert response["Location"] == reverse("jobs:job-detail", args=[applied.pk])
    report = client.get(response["Location"]).content.decode()
    applied.refresh_from_db()
    assert applied.state == "succeeded"
    assert "0 riviä luotiin, 1 muutettiin" in report
    assert m.Measure.objects.get(version=draft, code="3.1.a").name_fi == "Etähoiva kaikille"


def test_import_pages__broken_workbook__problems_listed_nothing_written(client_for, pmo, draft):
    def break_it(workbook):
        worksheet = sheet(workbook, "ramp")
        worksheet.cell(row=2, column=2, value="paljon")
        worksheet.cell(row=3, column=2, value="=B2*2")

    client = client_for(pmo)
    before = m.YearlyRampStep.history.count()
    response = client.post(reverse("workbooks:programme-import", args=[draft.programme.slug]),
                           {"file": _upload(edit(exported(draft), break_it))})
    page = client.get(response["Location"]).content.decode()
    assert "Työkirjassa on 2 ongelmaa" in page
    assert "Vuosittaiset säästöt" in page and "B3" in page and "=B2*2" in page
    assert reverse("workbooks:import-confirm", args=[_latest_job(kinds.CHECK).pk]) not in page
    assert m.YearlyRampStep.history.count() == before


def test_import_pages__not_a_workbook__clear_message(client_for, pmo, draft):
    client = client_for(pmo)
    response = client.post(reverse("workbooks:programme-import", args=[draft.programme.slug]),
                           {"file": _upload(b"%PDF-1.4 ...", "ohjelma.xlsx")})
    page = client.get(response["Location"]).content.decode()
    assert "PDF-tiedosto" in page and "Epäonnistui" in page


def test_import_pages__draft_changed_before_confirming__checked_again(client_for, pmo, draft):
    client = client_for(pmo)
    client.post(reverse("workbooks:programme-import", args=[draft.programme.slug]), {"file": _upload(_renamed(draft))})
    check = _latest_job(kinds.CHECK)
    theme = m.Theme.objects.get(version=draft, code="1")
    services.update_theme(theme=theme, code="1", name={"fi": "Muutettu välissä"}, by=pmo)
    response = client.post(reverse("workbooks:import-confirm", args=[check.pk]), follow=True)
    again = _latest_job(kinds.CHECK)
    assert again.pk != check.pk and not Job.objects.filter(kind=kinds.APPLY).exists()
    assert "tarkistettiin uudelleen" in response.content.decode()


def test_import_page__approved_latest_version__asks_for_a_new_draft(client_for, pmo, ita):
    client = client_for(pmo)
    url = reverse("workbooks:programme-import", args=[ita.slug])
    response = client.post(url, {"file": _upload(exported(ita.versions.get(number=2)))})
    assert response.status_code == 400
    assert "Aloita uusi luonnosversio ja tuo siihen" in response.content.decode()
    response = client.post(url, {"file": _upload(exported(ita.versions.get(number=2))), "new_draft": "on"})
    assert response.status_code == 302
    assert _latest_job(kinds.CHECK).summary["new_draft"] is True


def test_new_programme_pages__organisation_page_offers_it_to_the_programme_office(client_for, pmo, viewer, org):
    page = client_for(pmo).get(reverse("organisations:organisation-detail", args=[org.slug])).content.decode()
    assert reverse("workbooks:programme-create", args=[org.slug]) in page
    page = client_for(viewer).get(reverse("organisations:organisation-detail", args=[org.slug])).content.decode()
    assert reverse("workbooks:programme-create", args=[org.slug]) not in page


def test_new_programme_pages__upload_confirm__programme_created(client_for, pmo, org):
    client = client_for(pmo)
    response = client.post(reverse("workbooks:programme-create", args=[org.slug]),
                           {"file": _upload(minimal(identifier="")), "identifier": "ita-uusimaa-2027-2030"})
    check = _latest_job(kinds.CHECK)
    assert check.summary["ok"], check.summary["errors"]
    assert "uuden ohjelman" in client.get(response["Location"]).content.decode()
    client.post(reverse("workbooks:import-confirm", args=[check.pk]))
    programme = m.Programme.objects.get(slug="ita-uusimaa-2027-2030")
    assert programme.organisation == org and programme.versions.get().is_draft


def test_programme_page__buttons_by_role(client_for, pmo, viewer, draft):
    url = reverse("programmes:version-detail", args=[draft.programme.slug, draft.number])
    page = client_for(pmo).get(url).content.decode()
    assert reverse("workbooks:programme-import", args=[draft.programme.slug]) in page
    assert reverse("workbooks:version-export", args=[draft.programme.slug, draft.number]) in page
    page = client_for(viewer).get(url).content.decode()
    assert reverse("workbooks:programme-import", args=[draft.programme.slug]) not in page
    assert reverse("workbooks:version-export", args=[draft.programme.slug, draft.number]) in page


def test_export__member__background_job_offers_the_workbook_in_their_language(client_for, viewer, ita):
    client = client_for(viewer)
    with translation.override("sv"):
        client.cookies["karki_language"] = "sv"
        response = client.post(reverse("workbooks:version-export", args=[ita.slug, 2]), HTTP_ACCEPT_LANGUAGE="sv")
    job = _latest_job(kinds.EXPORT)
    assert response["Location"] == reverse("jobs:job-detail", args=[job.pk])
    download = client.get(reverse("jobs:job-download", args=[job.pk]))
    assert download["Content-Disposition"].endswith('filename="ita-uusimaa-2023-2026-v2.xlsx"')
    workbook = load_workbook(io.BytesIO(download.content), read_only=True)
    assert workbook.sheetnames[:3] == ["Läs mig", "Program", "Teman"]
    measures = workbook["Åtgärder"]
    header = next(measures.iter_rows(min_row=1, max_row=1, values_only=True))
    assert header[:3] == ("Kod", "Korg", "Produktivitetsobjekt")


def test_export__money_cells_are_numbers_with_a_finnish_friendly_format(client_for, pmo, ita):
    workbook = load_workbook(io.BytesIO(exported(ita.versions.get(number=2))))
    ramp = workbook["Vuosittaiset säästöt"]
    amount = ramp.cell(row=2, column=2)
    assert isinstance(amount.value, int | float) and amount.number_format == "#,##0"
    assert all(c.data_type != "f" for row in workbook["Toimenpiteet"].iter_rows() for c in row)


def test_export__reader_from_another_organisation__file_at_once_without_usernames(client_for, pmo, outsider, ita):
    services.publish_version(version=ita.versions.get(number=2), by=pmo)
    response = client_for(outsider).post(reverse("workbooks:version-export", args=[ita.slug, 2]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    themes = list(workbook["Teemat"].iter_rows(min_row=2, values_only=True))
    header = next(workbook["Teemat"].iter_rows(min_row=1, max_row=1, values_only=True))
    owner = header.index("Omistaja (käyttäjätunnus)")
    assert themes and all(row[owner] is None for row in themes)
    assert not Job.objects.filter(kind=kinds.EXPORT).exists()


def test_export__reader_from_another_organisation__read_me_lists_only_the_org_units_the_version_names(
        client_for, pmo, viewer, outsider, ita, org):
    """The org-unit tree is for members; a reader of a published version learns only the units it names."""
    services.publish_version(version=ita.versions.get(number=2), by=pmo)
    OrgUnit.objects.create(organisation=org, code="SALAINEN", name_fi="Salainen yksikkö",
                           level=OrgUnitLevel.SERVICE_AREA)
    version = ita.versions.get(number=2)
    used = {code for model in (m.Target, m.Measure, m.TopDownTarget)
            for code in model.objects.filter(version=version).values_list("org_unit__code", flat=True) if code}

    def readme(response) -> set:
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return {c for row in workbook[workbook.sheetnames[0]].iter_rows(values_only=True) for c in row if c}

    outside = readme(client_for(outsider).post(reverse("workbooks:version-export", args=[ita.slug, 2])))
    api = readme(client_for(outsider).get(f"/api/v1/programmes/{ita.slug}/workbook/?version=2"))
    member = readme(client_for(viewer).get(reverse("workbooks:template", args=[org.slug])))
    units = set(OrgUnit.objects.filter(organisation=org).values_list("code", flat=True))
    assert "SALAINEN" in member and "Salainen yksikkö" in member
    assert outside & units == used and api & units == used
    assert "Salainen yksikkö" not in outside | api


def test_template__in_the_persons_language_with_the_org_units(client_for, viewer, org):
    client = client_for(viewer)
    client.cookies["karki_language"] = "sv"
    response = client.get(reverse("workbooks:template", args=[org.slug]), HTTP_ACCEPT_LANGUAGE="sv")
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Läs mig" and "Åtgärder" in workbook.sheetnames
    readme = [c for row in workbook["Läs mig"].iter_rows(values_only=True) for c in row if c]
    assert "IKA-KOTI" in readme
    assert any("Euro" in str(text) or "euro" in str(text) for text in readme)
