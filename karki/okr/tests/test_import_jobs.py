"""The OKR import as a person does it: upload → check (background work) → preview with what was read →
decide and correct → import (background work); re-imports, at-risk after import, the check-ins API."""

import json
from datetime import date
from decimal import Decimal

from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from karki.jobs.models import Job
from karki.okr import importer, jobs, services, status
from karki.okr.enums import Direction, RiskReason
from karki.okr.importer import AS_COMMENT, AS_CONFIDENCE, AS_VALUE
from karki.okr.models import CheckIn, KeyResult, Objective

ORG = "ita-uusimaa"
HEADER = ["Toimiala", "Tulosalue", "Tavoite", "Avaintulos", "Luottavaisuusarvio"]
ROWS = [
    ["Talouspalvelut", "Laskutus", "Laskutus toimii", "Maksumuistutusten määrä vähenee", "57"],
    ["", "", "", "Hoitotakuu toteutuu", "70"],
    ["", "", "", "Sähköinen laskutus käytössä", "Kyllä"],
    ["Talouspalvelut", "Hankinnat", "Hankinnat edullisemmiksi",
     "Ateriakustannus enintään 90 euroa\nvuoden 2025 loppuun mennessä", "6,75"],
]


def _xlsx(tmp_path, rows, name="okr.xlsx"):
    wb = Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def _csv(rows):
    def quote(cell):
        return '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ';"\n') else cell

    return "\r\n".join(";".join(quote(c) for c in row) for row in [HEADER, *rows]).encode("utf-8")


def _latest(kind):
    return Job.objects.filter(kind=kind).order_by("-created_at").first()


def _check(client, path, on="1.3.2025"):
    with path.open("rb") as handle:
        response = client.post(reverse("okr:import", args=[ORG]), {"file": handle, "on": on})
    check = _latest(jobs.CHECK)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:job-detail", args=[check.pk])
    return check


def test_import_pages__upload_check_preview_decide_import(pmo, client_for, tmp_path):
    client = client_for(pmo)
    check = _check(client, _xlsx(tmp_path, ROWS))
    assert check.state == "succeeded" and check.summary["flagged"] == 3
    job_page = client.get(reverse("jobs:job-detail", args=[check.pk])).content.decode()
    confirm_url = reverse("okr:import-confirm", args=[ORG, check.pk])
    assert confirm_url in job_page
    assert not Objective.objects.filter(title="Laskutus toimii").exists()  # nothing written by the check

    with translation.override("fi"):
        page = client.get(confirm_url, HTTP_ACCEPT_LANGUAGE="fi")
    html = page.content.decode()
    assert page.status_code == 200
    assert "6,75" in html and "6.75" not in html  # the .xlsx figure in the page's language
    assert 'value="value" checked' in html.replace("\n", " ") or page.context["form"]["row_2"].initial == AS_VALUE
    form = page.context["form"]
    assert form["row_2"].initial == AS_VALUE and form["row_4"].initial == AS_COMMENT
    assert form["kr_5_target"].initial == Decimal("90") and form["kr_5_direction"].initial == Direction.DOWN
    assert form["kr_5_deadline"].initial == "31.12.2025"

    response = client.post(confirm_url, {
        "row_2": AS_VALUE, "row_4": AS_COMMENT, "row_5": AS_VALUE,
        "kr_2_direction": "down", "kr_3_direction": "up", "kr_4_direction": "up",
        "kr_5_direction": "down", "kr_5_target": "85", "kr_5_unit": "€", "kr_5_deadline": "31.12.2025",
    })
    applied = _latest(jobs.APPLY)
    assert response["Location"] == reverse("jobs:job-detail", args=[applied.pk])
    applied.refresh_from_db()
    assert applied.state == "succeeded", applied.error
    assert applied.summary["created"] == [2, 3, 4, 5] and applied.summary["check_ins"] == 4
    meal = KeyResult.objects.get(text__startswith="Ateriakustannus")
    assert meal.text == "Ateriakustannus enintään 90 euroa\nvuoden 2025 loppuun mennessä"  # original kept
    assert (meal.target, meal.direction, meal.deadline) == (Decimal("85"), Direction.DOWN, date(2025, 12, 31))
    assert meal.check_ins.get().value == Decimal("6.75") and meal.check_ins.get().source_row == 5
    reminders = KeyResult.objects.get(text="Maksumuistutusten määrä vähenee")
    assert reminders.direction == Direction.DOWN and reminders.check_ins.get().value == Decimal("57")
    assert CheckIn.objects.get(key_result__text="Sähköinen laskutus käytössä").comment == "Kyllä"
    assert CheckIn.objects.get(key_result__text="Hoitotakuu toteutuu").confidence == 70


def test_import__same_table_again_as_csv__nothing_added_row_by_row(pmo, org, tmp_path):
    with translation.override("en"):
        first = importer.read_table(_xlsx(tmp_path, ROWS).read_bytes(), "okr.xlsx", year=2025)
        importer.apply_preview(first, organisation=org, decisions={2: AS_VALUE, 4: AS_COMMENT, 5: AS_VALUE},
                               on=date(2025, 3, 1), by=pmo)
        before = (KeyResult.objects.count(), CheckIn.objects.count())
        # The .csv of the same table: the key result over two rows, extra spaces.
        rows = [list(r) for r in ROWS[:3]] + [
            ["Talouspalvelut", "Hankinnat", "Hankinnat  edullisemmiksi", "Ateriakustannus enintään 90 euroa", ""],
            ["", "", "", "vuoden 2025 loppuun mennessä", "6,75"]]
        again = importer.read_table(_csv(rows), "okr.csv", year=2025)
        importer.compare_with_stored(again, org)
        assert {row.number: row.stored for row in again.key_result_rows} == {
            2: importer.ALREADY_IMPORTED, 3: importer.ALREADY_IMPORTED, 4: importer.ALREADY_IMPORTED,
            5: importer.ALREADY_IMPORTED}
        report = importer.apply_preview(again, organisation=org, decisions={2: AS_VALUE, 4: AS_COMMENT, 5: AS_VALUE},
                                        on=date(2025, 4, 1), by=pmo)
    assert report.already == [2, 3, 4, 5] and report.check_ins == 0 and report.created == []
    assert (KeyResult.objects.count(), CheckIn.objects.count()) == before


def test_import__changed_value__a_new_check_in(pmo, org, tmp_path):
    importer.apply_preview(importer.read_table(_csv(ROWS[:2]), "okr.csv"), organisation=org,
                           decisions={2: AS_VALUE}, on=date(2025, 3, 1), by=pmo)
    changed = [ROWS[0][:4] + ["52"], ROWS[1][:4] + ["70"]]
    report = importer.apply_preview(importer.read_table(_csv(changed), "okr.csv"), organisation=org,
                                    decisions={2: AS_VALUE}, on=date(2025, 4, 1), by=pmo)
    assert report.check_ins == 1 and report.already == [3]
    values = KeyResult.objects.get(text="Maksumuistutusten määrä vähenee").check_ins.values_list("value", flat=True)
    assert sorted(values) == [Decimal("52"), Decimal("57")]


def test_at_risk__read_target_and_direction__price_above_its_ceiling_is_at_risk(pmo, org):
    rows = [["Talouspalvelut", "", "Hankinnat edullisemmiksi", "Ateriakustannus enintään 90 euroa", "110"]]
    importer.apply_preview(importer.read_table(_csv(rows), "okr.csv"), organisation=org, decisions={2: AS_VALUE},
                           on=date(2025, 3, 1), by=pmo)
    kr = KeyResult.objects.get(text="Ateriakustannus enintään 90 euroa")
    found = status.assess(kr, on=date(2025, 3, 2))
    assert found.at_risk and found.reasons == [RiskReason.OFF_TARGET]
    services.check_in(key_result=kr, on=date(2025, 3, 2), value=Decimal("88"), by=pmo)
    assert not status.assess(kr, on=date(2025, 3, 2)).at_risk


def test_at_risk__value_only_check_in_supersedes_a_misread_confidence__and_one_marked_wrong_is_not_used(pmo, kr):
    low = services.check_in(key_result=kr, on=date(2025, 2, 1), confidence=7, by=pmo)
    assert RiskReason.LOW_CONFIDENCE in status.assess(kr, on=date(2025, 2, 2)).reasons
    services.mark_confidence_wrong(entry=low, by=pmo)
    assert RiskReason.LOW_CONFIDENCE not in status.assess(kr, on=date(2025, 2, 2)).reasons
    low.refresh_from_db()
    assert low.confidence == 7 and low.history.first().history_user == pmo  # kept, with who marked it
    services.mark_confidence_wrong(entry=low, by=pmo, wrong=False)
    services.check_in(key_result=kr, on=date(2025, 2, 3), value=Decimal("70"), by=pmo)
    assert RiskReason.LOW_CONFIDENCE not in status.assess(kr, on=date(2025, 2, 4)).reasons


def test_key_result_page__mark_confidence_wrong(pmo, client_for, kr):
    entry = services.check_in(key_result=kr, on=date(2025, 2, 1), confidence=7, by=pmo)
    client = client_for(pmo)
    url = reverse("okr:check-in-confidence", args=[ORG, kr.pk, entry.pk])
    assert url in client.get(reverse("okr:key-result", args=[ORG, kr.pk])).content.decode()
    response = client.post(url, {"wrong": "1"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.confidence_wrong and entry.confidence == 7


def test_check_ins_api__lists_with_confidence_used_and_source_row(pmo, viewer, client_for, org, kr):
    services.check_in(key_result=kr, on=date(2025, 2, 1), confidence=7, by=pmo, source_file="okr.xlsx",
                      source_row=4)
    services.mark_confidence_wrong(entry=kr.check_ins.get(), by=pmo)
    services.check_in(key_result=kr, on=date(2025, 3, 1), value=Decimal("6.75"), comment="arvio", by=pmo)
    data = client_for(viewer).get(reverse("api-check-in", args=[ORG, kr.pk])).json()
    assert [row["date"] for row in data] == ["2025-03-01", "2025-02-01"]
    assert data[0]["value"] == "6.7500" and data[0]["confidence_used"] is False and data[0]["comment"] == "arvio"
    assert data[1]["confidence"] == 7 and data[1]["confidence_used"] is False and data[1]["source_row"] == 4
    schema = client_for(viewer).get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/organisations/{slug}/key-results/{id}/check-ins/" in schema and "confidence_used" in schema


def test_limits__too_many_rows__refused_with_a_message_nothing_written(pmo, client_for, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    client = client_for(pmo)
    check = _check(client, _xlsx(tmp_path, ROWS * 2))
    # The job speaks the language of the person who started it (Finnish here).
    assert check.state == "failed" and "yli 3 riviä" in check.error and "Mitään ei tuotu" in check.error
    assert not Objective.objects.filter(title="Laskutus toimii").exists()


@override_settings(JOB_INPUT_MAX_BYTES=1000)
def test_limits__too_large_file__refused_on_the_upload_page(pmo, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("okr.csv", _csv(ROWS * 20), content_type="text/csv")
    response = client_for(pmo).post(reverse("okr:import", args=[ORG]), {"file": upload, "on": "1.3.2025"})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert not Job.objects.filter(kind=jobs.CHECK).exists()


def test_apply_job__broken_decision__failed_job_with_message_not_a_server_error(pmo, client_for, tmp_path):
    client = client_for(pmo)
    check = _check(client, _xlsx(tmp_path, ROWS))
    from karki.jobs.services import start_job

    job = start_job(kind=jobs.APPLY, by=pmo, organisation=check.organisation,
                    params={"on": "2025-03-01", "decisions": {"5": AS_CONFIDENCE}},
                    upload=(check.input_name, bytes(check.result_data)))
    job.refresh_from_db()
    assert job.state == "failed" and "Mitään ei tuotu" in job.error and "Rivi 2" in job.error
    assert not Objective.objects.filter(title="Laskutus toimii").exists()
    assert json.dumps(job.summary) is not None
