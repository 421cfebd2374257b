"""The OKR table import, with messy tables written in the tests as real tables are."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from karki.okr import importer
from karki.okr.importer import AS_CONFIDENCE, AS_VALUE, CONTINUATION, FLAGGED, IGNORE, OK, REJECTED
from karki.okr.models import CheckIn, KeyResult, Objective
from karki.organisations.models import OrgUnit

FI_HEADER = ["Toimiala", "Tulosalue", "Tavoite", "Avaintulos", "Luottavaisuusarvio"]
MESSY = [
    ["Ikäihmisten palvelut", "Asumispalvelut", "Kotona asumisen tuki vahvistuu", "Kotihoidon kattavuus 6 %", "6,76"],
    ["", "", "", "Ympärivuorokautisen hoivan hinta < 190 €/vrk", "180"],
    ["", "", "", "Ostopalvelujen kustannukset laskevat", "−51"],
    ["", "", "", "Kotihoidon käyntejä kuukaudessa", "1827"],
    ["", "Kotihoito", "Asiakkaat saavat palvelun ajoissa", "Hoitotakuu toteutuu", "80 %"],
    ["", "", "", "Digitaalisten palvelujen käyttö", ""],
    ["", "", "", "Asiakaspalautteen keskiarvo nousee", "70"],
    ["", "", "", "tasolle 4,2 (asteikko 1–5)", ""],
    ["", "", "", "Hinta", "190 €/vrk"],
]


def _xlsx(tmp_path, rows, header=FI_HEADER, merge=None):
    wb = Workbook()
    ws = wb.active
    ws.append(["Kymenlaakson OKR 2025"])  # a title row above the header, as tables have
    ws.append(header)
    for row in rows:
        ws.append(row)
    for cells in merge or []:
        ws.merge_cells(cells)
    path = tmp_path / "okr.xlsx"
    wb.save(path)
    return path.read_bytes()


def _csv(rows, header=FI_HEADER, delimiter=";", encoding="utf-8-sig"):
    def quote(cell):
        return '"' + str(cell).replace('"', '""') + '"' if any(ch in str(cell) for ch in ';,"\n') else str(cell)

    lines = [delimiter.join(quote(c) for c in header)] + [delimiter.join(quote(c) for c in row) for row in rows]
    return "\r\n".join(lines).encode(encoding)


def _by_number(preview):
    return {row.number: row for row in preview.rows}


def test_read__messy_last_column__flags_measured_values_row_by_row(tmp_path):
    with translation.override("en"):
        preview = importer.read_table(_xlsx(tmp_path, MESSY), "okr.xlsx")
    rows = _by_number(preview)
    # Row numbers as the spreadsheet shows them: title row 1, header row 2, data from row 3.
    assert rows[3].status == FLAGGED and rows[3].number_value == "6.76" and "decimal" in rows[3].message
    assert rows[4].status == FLAGGED and rows[4].number_value == "180"
    assert rows[5].status == FLAGGED and rows[5].number_value == "-51"
    assert rows[6].status == FLAGGED and rows[6].number_value == "1827"
    assert rows[7].status == OK and rows[7].confidence == 80
    assert rows[8].status == OK and rows[8].confidence is None  # empty: no check-in
    assert rows[9].status == OK and rows[9].confidence == 70
    assert rows[11].status == FLAGGED and rows[11].number_value == "190" and "unit" in rows[11].message
    assert preview.flagged_rows == [3, 4, 5, 6, 11]


def test_read__continuation_row__appends_to_previous_key_result(tmp_path):
    rows = _by_number(importer.read_table(_xlsx(tmp_path, MESSY), "okr.xlsx"))
    assert rows[9].key_result == "Asiakaspalautteen keskiarvo nousee\ntasolle 4,2 (asteikko 1–5)"
    assert rows[10].status == CONTINUATION and "9" in rows[10].message


def test_read__key_result_over_two_rows_with_its_value_on_the_second__one_key_result(tmp_path):
    rows = [
        ["Sosiaalipalvelut", "Aikuissosiaalityö", "Asiakkaat saavat palvelun ajoissa", "Käsittelyaika lyhenee", ""],
        ["", "", "", "alle 7 vuorokauteen", "65"],
        ["", "", "", "Jonotusaika puolittuu", ""],
        ["", "", "", "", "1827"],  # only the value, on its own row
        ["", "", "", "eNPS nousee +20:een", "60"],  # an abbreviation, not the rest of a sentence
    ]
    with translation.override("en"):
        found = _by_number(importer.read_table(_xlsx(tmp_path, rows), "okr.xlsx"))
    assert found[3].key_result == "Käsittelyaika lyhenee\nalle 7 vuorokauteen" and found[3].confidence == 65
    assert found[4].status == CONTINUATION and "its last column belongs to it" in found[4].message
    assert found[5].status == FLAGGED and found[5].number_value == "1827"  # a measured value, for a person
    assert found[6].status == CONTINUATION
    assert found[7].status == OK and found[7].key_result == "eNPS nousee +20:een" and found[7].confidence == 60


def test_read__merged_key_result_cell_over_two_rows__one_key_result_with_the_value(tmp_path):
    rows = [
        ["Pelastustoimi", "", "Valmius pysyy", "Vasteaika alle 10 min", ""],
        [None, None, None, None, "80"],
    ]
    data = _xlsx(tmp_path, rows, merge=["A3:A4", "C3:C4", "D3:D4"])
    preview = importer.read_table(data, "okr.xlsx")
    found = _by_number(preview)
    assert found[3].key_result == "Vasteaika alle 10 min" and found[3].confidence == 80
    assert found[4].status == CONTINUATION
    assert preview.key_result_rows == [found[3]]


def test_read__two_values_under_one_objective__two_key_results(tmp_path):
    rows = [["Pelastustoimi", "", "Valmius", "Vasteaika lyhenee", "70"], ["", "", "", "ja pysyy", "60"]]
    found = _by_number(importer.read_table(_xlsx(tmp_path, rows), "okr.xlsx"))
    assert found[4].status == OK and found[4].confidence == 60  # never two values on one key result


def test_read__blank_cells_take_the_value_above(tmp_path):
    rows = _by_number(importer.read_table(_xlsx(tmp_path, MESSY), "okr.xlsx"))
    assert (rows[6].service_area, rows[6].result_area, rows[6].objective) == (
        "Ikäihmisten palvelut", "Asumispalvelut", "Kotona asumisen tuki vahvistuu")
    assert (rows[8].service_area, rows[8].result_area) == ("Ikäihmisten palvelut", "Kotihoito")


def test_read__merged_cells_fill_their_range(tmp_path):
    rows = [
        ["Sosiaalipalvelut", "Lastensuojelu", "Sijoitukset kodinomaisiin", "Perhehoidon osuus 50 %", "60"],
        [None, None, None, "Laitoshoidon vuorokaudet -10 %", "40"],
        [None, None, "Toinen tavoite", "Avaintulos", "55"],
    ]
    data = _xlsx(tmp_path, rows, merge=["A3:A5", "B3:B5", "C3:C4"])
    found = _by_number(importer.read_table(data, "okr.xlsx"))
    assert found[4].status == OK and found[4].objective == "Sijoitukset kodinomaisiin" and found[4].confidence == 40
    assert found[5].service_area == "Sosiaalipalvelut" and found[5].objective == "Toinen tavoite"


def test_read__multi_line_text_in_one_cell_is_kept(tmp_path):
    rows = [["Pelastus", "", "Valmius", "Vasteajat\nalle 10 min\n\n", "90"]]
    found = importer.read_table(_xlsx(tmp_path, rows), "okr.xlsx").rows[0]
    assert found.key_result == "Vasteajat\nalle 10 min" and found.confidence == 90


@pytest.mark.parametrize(("header", "language"), [
    (["Verksamhetsområde", "Resultatområde", "Mål", "Nyckelresultat", "Konfidensbedömning"], "sv"),
    (["Service area", "Result area", "Objective", "Key result", "Confidence (0-100)"], "en"),
])
def test_read__swedish_and_english_headers(header, language):
    preview = importer.read_table(_csv([["Äldreomsorg", "Boende", "Mål 1", "Resultat 1", "75"]], header=header),
                                  "okr.csv")
    assert preview.language == language
    assert preview.rows[0].confidence == 75 and preview.rows[0].service_area == "Äldreomsorg"


@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1252")])
def test_read__csv_delimiters_and_encodings(delimiter, encoding):
    data = _csv([["Ikäihmisten palvelut", "Kotihoito", "Tavoite", "Käynnit, kuukausittain", "6,76"]],
                delimiter=delimiter, encoding=encoding)
    row = importer.read_table(data, "okr.csv").rows[0]
    assert row.service_area == "Ikäihmisten palvelut" and row.key_result == "Käynnit, kuukausittain"
    assert row.status == FLAGGED and row.number_value == "6.76"


def test_read__row_without_objective_or_service_area__rejected():
    data = _csv([["", "", "", "", "50"], ["", "", "Tavoite ilman toimialaa", "Avaintulos", "50"],
                 ["Toimiala", "", "Tavoite", "Hyvä", "50"]])
    preview = importer.read_table(data, "okr.csv")
    assert preview.rejected_rows == [2, 3]
    assert preview.ok_rows == [4]


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"PK\x03\x04 this is not a workbook", "okr.xlsx", "xlsx"),
    (b"", "okr.csv", "empty"),
    (b"a;b;c\n1;2;3\n", "okr.csv", "header"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "okr.xls", ".xls"),
    (b"Tavoite;Avaintulos\nx;y\n", "okr.csv", "Toimiala"),
])
def test_read__unreadable_file__clear_message(data, name, words):
    with pytest.raises(importer.UnreadableFile) as error, translation.override("en"):
        importer.read_table(data, name)
    assert words in str(error.value)


def test_apply__creates_units_objectives_key_results_and_first_check_ins(tmp_path, pmo, org):
    preview = importer.read_table(_xlsx(tmp_path, MESSY), "okr.xlsx")
    decisions = {3: AS_VALUE, 4: AS_VALUE, 5: IGNORE, 6: AS_VALUE, 11: AS_VALUE}
    report = importer.apply_preview(preview, organisation=org, decisions=decisions, on=date(2025, 3, 1), by=pmo)
    assert report.created == [3, 4, 5, 6, 7, 8, 9, 11]
    assert report.flagged == [(3, AS_VALUE), (4, AS_VALUE), (5, IGNORE), (6, AS_VALUE), (11, AS_VALUE)]
    assert report.check_ins == 6  # 80 %, 70, and four values; −51 ignored and the empty row has none
    area = OrgUnit.objects.get(organisation=org, name_fi="Ikäihmisten palvelut", parent=None)
    assert set(area.children.values_list("name_fi", flat=True)) == {"Asumispalvelut", "Kotihoito"}
    coverage = KeyResult.objects.get(objective__organisation=org, text="Kotihoidon kattavuus 6 %")
    entry = coverage.check_ins.get()
    assert entry.value == Decimal("6.76") and entry.confidence is None and entry.created_by == pmo
    assert not CheckIn.objects.filter(key_result__text="Ostopalvelujen kustannukset laskevat").exists()
    assert KeyResult.objects.get(text__startswith="Asiakaspalautteen").check_ins.get().confidence == 70


def test_apply__flagged_row_without_decision__writes_nothing(tmp_path, pmo, org):
    preview = importer.read_table(_xlsx(tmp_path, MESSY), "okr.xlsx")
    before = Objective.objects.count()
    with pytest.raises(ValidationError) as error, translation.override("en"):
        importer.apply_preview(preview, organisation=org, decisions={3: AS_VALUE}, on=date(2025, 3, 1), by=pmo)
    assert any("Row 4" in message for message in error.value.messages)
    assert Objective.objects.count() == before


def test_apply__decimal_cannot_be_taken_as_confidence_above_100(tmp_path, pmo, org):
    preview = importer.read_table(_xlsx(tmp_path, MESSY), "okr.xlsx")
    errors = importer.check_decisions(preview, {3: AS_CONFIDENCE, 4: AS_CONFIDENCE, 5: IGNORE, 6: IGNORE,
                                                11: IGNORE})
    assert list(errors) == [4]  # 6,76 may be taken as a confidence of 7 if a person says so; 180 never


def test_apply__second_import_reuses_units_objectives_and_key_results(pmo, org):
    data = _csv([["Ikäihmisten palvelut", "Kotihoito", "Tavoite", "Avaintulos", "60"]])
    for _round in range(2):
        report = importer.apply_preview(importer.read_table(data, "okr.csv"), organisation=org, decisions={},
                                        on=date(2025, 3, 1), by=pmo)
    assert report.matched == [2] and report.created == [] and not report.org_units
    assert report.already == [2] and report.check_ins == 0  # the same file again adds nothing
    assert KeyResult.objects.get(objective__organisation=org, text="Avaintulos").check_ins.count() == 1


def test_preview__survives_a_round_trip_through_data(tmp_path):
    preview = importer.read_table(_xlsx(tmp_path, MESSY), "okr.xlsx")
    again = importer.ImportPreview.from_data(preview.to_data())
    assert again.flagged_rows == preview.flagged_rows and again.rows[0].key_result == preview.rows[0].key_result
    assert REJECTED not in {row.status for row in again.rows}
