"""The project workbook: a whole plan out to Excel and back unchanged; the money rules refused row by row with
nothing written; the preview's counts; the pages that upload, confirm and download."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from karki.projects.models import BudgetLine, Project
from karki.projects.workbook import export, importing
from karki.projects.workbook import format as fmt
from karki.projects.workbook.sample import make_plan
from karki.projects.workbook.snapshot import read_project


def _exported(project, language="fi") -> bytes:
    return export.write_workbook(read_project(project), organisation=project.organisation, language=language)


def _edit(data: bytes, change) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _cell(worksheet, row: int, header: str):
    for position, head in enumerate(next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True)), start=1):
        if head == header:
            return worksheet.cell(row=row, column=position)
    raise KeyError(header)


def _said(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _apply(data: bytes, target: importing.Target, by) -> dict:
    check = importing.check_workbook(data, target)
    assert check.ok, [p.as_dict() for p in check.problems.errors]
    return importing.apply_workbook(data, target, by=by, expected_fingerprint=check.fingerprint)


@pytest.fixture
def big(ita, pmo):
    return make_plan(organisation=ita.organisation, by=pmo, programme=ita)


def _plan_values(project) -> dict:
    return {key: [item.values for item in items] for key, items in read_project(project).sheets.items()}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_round_trip__4_sub_areas_11_development_areas_40_packages__the_same_plan(big, pmo, language):
    data = _exported(big, language)
    before = _plan_values(big)
    assert len(before["structure"]) == 4 + 11 + 40
    assert len(before["budget"]) == 100

    # Into the same project: nothing to change.
    target = importing.Target(organisation=big.organisation, project=big, file_name="hanke.xlsx")
    check = importing.check_workbook(data, target)
    assert check.ok, [p.as_dict() for p in check.problems.errors]
    result = importing.summary(check, target)
    assert result["changes"] == 0
    assert Decimal(result["money"]["total_eur"]) == sum(line.total_eur for line in BudgetLine.objects.filter(
        project=big))

    # Into a new project of the organisation: the same plan under another code.
    copy = _edit(data, lambda wb: setattr(_cell(wb[fmt.PROJECT.title(language)], 2,
                                                fmt.PROJECT.by_key["code"].header(language)), "value", "H-KOPIO"))
    report = _apply(copy, importing.Target(organisation=big.organisation, file_name="kopio.xlsx"), pmo)
    new = Project.objects.get(organisation=big.organisation, code="H-KOPIO")
    after = _plan_values(new)
    after["project"][0]["code"] = big.code
    assert after == before
    assert report["created"] == 1 + 55 + 2 + 100 + 2 + 5 + 1 + 1 + 1
    line = BudgetLine.objects.filter(project=new).first()
    assert line.history.first().history_user == pmo
    assert line.history.first().history_change_reason == "workbook import: kopio.xlsx"


def test_import__shares_not_adding_up__the_row_named_and_nothing_written(plan, pmo):
    project = plan["project"]
    data = _exported(project)

    def change(workbook):
        sheet = workbook[fmt.BUDGET.title("fi")]
        _cell(sheet, 2, "Yhteensä (€)").value = 2870000
        _cell(sheet, 2, "VA").value = 2300000
        _cell(sheet, 2, "OMA").value = 600000

    target = importing.Target(organisation=project.organisation, project=project, file_name="hanke.xlsx")
    check = importing.check_workbook(_edit(data, change), target)
    assert not check.ok
    errors = [p.as_dict() for p in check.problems.errors]
    budget = [e for e in errors if e["sheet"] == "Budjetti" and e["row"] == 2]
    assert budget and budget[0]["column"] == "Yhteensä (€)" and budget[0]["cell"].endswith("2")
    said = _said(budget[0]["message"])
    assert "2 900 000 €" in said and "2 870 000 €" in said
    with pytest.raises(importing.ImportRefused):
        importing.apply_workbook(_edit(data, change), target, by=pmo, expected_fingerprint=check.fingerprint)
    assert not BudgetLine.objects.filter(project=project, total_eur=Decimal("2870000")).exists()


def test_import__grant_above_its_allowed_share__refused_on_the_funder(plan, pmo):
    project = plan["project"]

    def change(workbook):
        sheet = workbook[fmt.BUDGET.title("fi")]
        for row in range(2, sheet.max_row + 1):
            total = _cell(sheet, row, "Yhteensä (€)").value
            _cell(sheet, row, "VA").value = total
            _cell(sheet, row, "OMA").value = None

    target = importing.Target(organisation=project.organisation, project=project)
    check = importing.check_workbook(_edit(_exported(project), change), target)
    errors = [p.as_dict() for p in check.problems.errors]
    assert [(e["sheet"], e["row"], e["column"]) for e in errors] == [("Rahoittajat", 2, "Sallittu osuus (%)")]
    assert "Valtionavustus" in errors[0]["message"] and "80 %" in _said(errors[0]["message"])


def test_import__funder_column_without_a_funder__the_header_named(plan):
    project = plan["project"]

    def change(workbook):
        sheet = workbook[fmt.BUDGET.title("fi")]
        _cell(sheet, 1, "OMA").value = "EU"

    check = importing.check_workbook(_edit(_exported(project), change),
                                     importing.Target(organisation=project.organisation, project=project))
    errors = [p.as_dict() for p in check.problems.errors]
    assert any(e["row"] == 1 and e["column"] == "EU" and "Rahoittajat" in e["message"] for e in errors)


def test_import__changes_and_removals__previewed_then_written(plan, pmo):
    project = plan["project"]

    def change(workbook):
        sheet = workbook[fmt.BUDGET.title("fi")]
        _cell(sheet, 2, "Yhteensä (€)").value = 110000
        _cell(sheet, 2, "VA").value = 88000
        _cell(sheet, 2, "OMA").value = 22000
        sheet.delete_rows(5)  # the last line: 2.1, 2024
        workbook[fmt.MILESTONES.title("fi")].delete_rows(4)  # M3

    data = _edit(_exported(project), change)
    target = importing.Target(organisation=project.organisation, project=project, file_name="muutos.xlsx")
    check = importing.check_workbook(data, target)
    result = importing.summary(check, target)
    sheets = {s["key"]: s for s in result["sheets"]}
    assert (sheets["budget"]["updated"], sheets["budget"]["missing"], sheets["budget"]["unchanged"]) == (1, 1, 2)
    assert sheets["milestones"]["missing_labels"] == ["M3"]
    assert result["money"]["total_eur"] == "190000.00"
    importing.apply_workbook(data, target, by=pmo, expected_fingerprint=check.fingerprint)
    assert BudgetLine.objects.filter(project=project).count() == 3
    assert not project.milestones.filter(code="M3").exists()
    assert project.budget_lines.get(item__code="1.1.1", year=2024).total_eur == Decimal("110000")


def test_import__plan_changed_after_the_check__refused(plan, pmo):
    from karki.projects import services

    project = plan["project"]
    target = importing.Target(organisation=project.organisation, project=project)
    data = _exported(project)
    check = importing.check_workbook(data, target)
    services.save_risk(project=project, by=pmo, code="R9", title={"fi": "Uusi"}, category="schedule")
    with pytest.raises(importing.ImportRefused, match="muuttunut"):
        importing.apply_workbook(data, target, by=pmo, expected_fingerprint=check.fingerprint)


def test_pages__upload_check_confirm_and_export(plan, pmo, client_for):
    project = plan["project"]
    client = client_for(pmo)
    slug = project.organisation.slug
    response = client.get(reverse("projects:workbook-export", args=[slug, project.code]))
    assert response.status_code == 200 and response["Content-Type"] == export.CONTENT_TYPE
    data = _edit(response.content, lambda wb: setattr(_cell(wb[fmt.RISKS.title("fi")], 1, "Koodi"), "value",
                                                      "Koodi"))
    page = client.get(reverse("projects:workbook-import", args=[slug, project.code]))
    assert page.status_code == 200
    upload = io.BytesIO(data)
    upload.name = "hanke.xlsx"
    response = client.post(reverse("projects:workbook-import", args=[slug, project.code]), {"file": upload})
    assert response.status_code == 302
    job_page = client.get(response["Location"])
    assert "Tuonti tekee nämä muutokset hankkeen H-TEST suunnitelmaan" in job_page.content.decode()
    assert "Budjetti rahoittajittain" in job_page.content.decode()
    template = client.get(reverse("projects:workbook-template", args=[slug]))
    assert template.status_code == 200
