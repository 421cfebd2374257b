"""Reading a workbook: what a person may write in a cell, and what they are told when it cannot be read."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from karki.workbooks import format as fmt
from karki.workbooks.reading import read_workbook

from .conftest import cell, edit, exported, minimal, sheet, template


def _read(data: bytes):
    book, problems = read_workbook(data, "ohjelma.xlsx")
    return book, problems


def _values(book, key: str, row: int = 0) -> dict:
    return book.rows(key)[row].values


def _messages(problems) -> list[str]:
    return [p.message for p in problems.errors]


@pytest.mark.parametrize(
    "written, euros",
    [
        (1400000, "1400000"),
        (1400000.5, "1400000.50"),
        ("1,4 M€", "1400000"),
        ("1 400 000", "1400000"),
        ("1\u00a0400\u00a0000\u00a0€", "1400000"),  # no-break spaces, as Excel and the web write them
        ("1\u202f400\u202f000", "1400000"),
        ("27,6 milj. €", "27600000"),
        ("0,75 M€", "750000"),
    ],
)
def test_money_cell__as_finnish_users_write_it__euros(written, euros, db):
    data = minimal(extra={"ramp": [{"year": 2027, "savings_eur": written}]})
    book, problems = _read(data)
    assert not problems.errors
    assert _values(book, "ramp")["savings_eur"] == Decimal(euros)


@pytest.mark.parametrize(
    "written, low, high",
    [
        ("−28…−89 M€", "-89000000", "-28000000"),  # true minus signs; ends written either way round
        ("+12…+16 M€", "12000000", "16000000"),
        ("-28 - -89", "-89", "-28"),
    ],
)
def test_cost_change_column__a_range__fills_both_ends(written, low, high, db):
    data = minimal(extra={"top_down": [{"dimension": "cost_category", "category": "personnel",
                                        "cost_change_min_eur": written}]})
    book, problems = _read(data)
    assert not problems.errors
    values = _values(book, "top_down")
    assert (values["cost_change_min_eur"], values["cost_change_max_eur"]) == (Decimal(low), Decimal(high))


def test_cost_change_column__one_figure__is_both_ends(db):
    data = minimal(extra={"top_down": [{"dimension": "cost_category", "category": "rents",
                                        "cost_change_min_eur": "−1,5 M€"}]})
    values = _values(_read(data)[0], "top_down")
    assert values["cost_change_min_eur"] == values["cost_change_max_eur"] == Decimal("-1500000")


@pytest.mark.parametrize(
    "cells, kind, amount, low, high",
    [
        ({"estimate_amount_eur": "1,4 M€"}, "point", "1400000", None, None),
        ({"estimate_amount_eur": "< 0,1 M€"}, "upper_bound", "100000", None, None),
        ({"estimate_amount_eur": "0,5–1,5 M€"}, "range", None, "500000", "1500000"),
        ({"estimate_min_eur": 500000, "estimate_max_eur": 1500000}, "range", None, "500000", "1500000"),
        ({"estimate_kind": "Mahdollistava toimi, ei suoria kustannussäästöjä"}, "enabling", None, None, None),
        ({"estimate_kind": "tarkennetaan"}, "to_be_specified", None, None, None),  # labels in any case
        ({"estimate_kind": "To be specified"}, "to_be_specified", None, None, None),
        ({"estimate_kind": "to_be_specified"}, "to_be_specified", None, None, None),  # the stored value
        ({"estimate_kind": "Punktuppskattning", "estimate_amount_eur": 250000}, "point", "250000", None, None),
        ({}, "", None, None, None),
    ],
)
def test_estimate__every_kind__read_from_the_kind_or_the_figures(cells, kind, amount, low, high, db):
    target = {"code": "1.1", "theme": "1", "name_fi": "Kotihoito", **cells}
    book, problems = _read(minimal(extra={"targets": [target]}))
    assert not problems.errors, _messages(problems)
    values = _values(book, "targets")
    expected = [Decimal(x) if x else None for x in (amount, low, high)]
    assert values["estimate_kind"] == kind
    assert [values["estimate_amount_eur"], values["estimate_min_eur"], values["estimate_max_eur"]] == expected


def test_choice__not_in_the_list__lists_the_allowed_values(db):
    target = {"code": "1.1", "theme": "1", "name_fi": "Kotihoito", "estimate_kind": "arvaus"}
    [problem] = _read(minimal(extra={"targets": [target]}))[1].errors
    assert problem.column == "Arvion laji" and "Pistearvio" in problem.message and "Tarkennetaan" in problem.message


def test_estimate__negative_or_upside_down__says_why_at_the_cell(db):
    targets = [{"code": "1.1", "theme": "1", "name_fi": "A", "estimate_amount_eur": -5},
               {"code": "1.2", "theme": "1", "name_fi": "B", "estimate_min_eur": 9, "estimate_max_eur": 3}]
    _book, problems = _read(minimal(extra={"targets": targets}))
    found = {(p.row, p.column): p.message for p in problems.errors}
    assert "ei voi olla negatiivinen" in found[(2, "Arvio (€)")]
    assert "yläraja ei voi olla alarajaa pienempi" in found[(3, "Arvio, yläraja (€)")]


def test_date_where_a_number_belongs__says_excel_made_it_a_date(db):
    data = minimal(extra={"ramp": [{"year": 2027, "savings_eur": datetime(2025, 4, 1)}]})
    _book, problems = _read(data)
    [problem] = problems.errors
    assert (problem.sheet, problem.row, problem.column, problem.cell) == (
        "Vuosittaiset säästöt", 2, "Säästö vuonna (€)", "B2")
    assert "1.4.2025" in problem.message and "päivämäärä" in problem.message


def test_code_turned_into_a_date_by_excel__explained(db):
    data = minimal(extra={"themes": [{"code": datetime(2025, 2, 1), "name_fi": "Teema"}]})
    [problem] = _read(data)[1].errors
    assert "1.2.2025" in problem.message and "Teksti" in problem.message
    assert problem.column == "Koodi" and problem.cell == "A2"


def test_text_where_a_number_belongs__refused_with_an_example(db):
    data = minimal(extra={"ramp": [{"year": "ensi vuonna", "savings_eur": "paljon"}]})
    messages = _messages(_read(data)[1])
    assert any("ei ole kokonaisluku" in m for m in messages)
    assert any("ei ole rahasumma" in m and "1,4 M€" in m for m in messages)


def test_small_amount__warned_that_millions_may_have_been_meant(db):
    data = minimal(extra={"ramp": [{"year": 2027, "savings_eur": "1,4"}]})
    book, problems = _read(data)
    assert not problems.errors
    assert _values(book, "ramp")["savings_eur"] == Decimal("1.40")
    assert "1,4 M€" in problems.warnings[0].message


def test_formula__refused_and_told_to_paste_values(ita, db):
    version = ita.versions.get(number=2)

    def formula(workbook):
        cell(sheet(workbook, "ramp"), 2, "Säästö vuonna (€)").value = "=B3+B4"

    [problem] = _read(edit(exported(version), formula))[1].errors
    assert "kaava" in problem.message and "=B3+B4" in problem.message and problem.cell == "B2"


def test_merged_cells__refused_with_the_ranges(ita, db):
    def merge(workbook):
        sheet(workbook, "measures").merge_cells("A2:A3")

    problems = _read(edit(exported(ita.versions.get(number=2)), merge))[1].errors
    assert "A2:A3" in problems[0].message and problems[0].sheet == "Toimenpiteet"
    assert (problems[1].cell, problems[1].message) == ("A3", "Solu on tyhjä, vaikka se on pakollinen.")


def test_hidden_sheet__refused(ita, db):
    def hide(workbook):
        sheet(workbook, "risks").sheet_state = "hidden"

    [problem] = _read(edit(exported(ita.versions.get(number=2)), hide))[1].errors
    assert problem.sheet == "Riskit" and "piilotettu" in problem.message


def test_missing_sheet__named_in_the_persons_language(ita, db):
    def remove(workbook):
        workbook.remove(sheet(workbook, "risks"))

    data = edit(exported(ita.versions.get(number=2)), remove)
    with translation.override("sv"):
        [problem] = _read(data)[1].errors
    assert problem.sheet == "Risker" and "saknas" in problem.message


def test_missing_column__named(ita, db):
    def remove(workbook):
        worksheet = sheet(workbook, "measures")
        worksheet.delete_cols(cell(worksheet, 1, "Kori").column)

    [problem] = _read(edit(exported(ita.versions.get(number=2)), remove))[1].errors
    assert problem.sheet == "Toimenpiteet" and "”Kori”" in problem.message


def test_too_long_text__refused_with_the_limit(db):
    data = minimal(extra={"themes": [{"code": "1", "name_fi": "x" * 301}]})
    [problem] = _read(data)[1].errors
    assert "301" in problem.message and "300" in problem.message


def test_extra_columns_and_sheets__ignored_with_a_note(ita, db):
    def add(workbook):
        sheet(workbook, "themes").cell(row=1, column=30, value="Kommentit")
        workbook.create_sheet("Muistiinpanot")

    book, problems = _read(edit(exported(ita.versions.get(number=2)), add))
    assert not problems.errors
    assert {p.column or p.sheet for p in problems.warnings} == {"Kommentit", "Muistiinpanot"}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_template__headers_in_each_language__read_in_a_finnish_session(language, db, org):
    data = minimal(language)
    book, problems = _read(data)
    assert not problems.errors
    assert book.language == language
    assert _values(book, "targets")["estimate_min_eur"] == Decimal("500000")
    with translation.override(language):
        empty = template(language, org)
    book, problems = _read(empty)
    assert book.sheets["themes"].rows == []
    assert _messages(problems) == ["Taulukossa täytyy olla täsmälleen yksi rivi otsikoiden alla, siinä on 0."]


def test_headers_mixed_and_written_loosely__understood(db):
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(minimal()))
    worksheet = sheet(workbook, "themes")
    worksheet.cell(row=1, column=1, value="  code ")
    worksheet.cell(row=1, column=2, value="NAMN_FI")
    stream = BytesIO()
    workbook.save(stream)
    book, problems = _read(stream.getvalue())
    assert not problems.errors
    assert _values(book, "themes")["name_fi"] == "Palvelurakenne"


def test_dates_and_choices__read_from_cells_or_text(db):
    indicator = {"code": "I1", "name_fi": "Digipalvelut", "direction": "Högre är bättre", "deadline": "31.12.2025",
                 "baseline_value": "6,76", "target_value": "−51", "baseline_year": 2023.0}
    book, problems = _read(minimal(extra={"indicators": [indicator]}))
    assert not problems.errors
    values = _values(book, "indicators")
    assert (values["direction"], values["deadline"]) == ("up", date(2025, 12, 31))
    assert (values["baseline_value"], values["target_value"], values["baseline_year"]) == (
        Decimal("6.7600"), Decimal("-51.0000"), 2023)


def test_every_sheet_and_header__one_meaning_in_all_languages():
    for item in fmt.SHEETS:
        for language in fmt.LANGUAGES:
            assert fmt.sheet_for_title(item.title(language)) is item
            assert len(item.title(language)) <= 31  # Excel's limit for a sheet name
            for column in item.columns:
                assert fmt.column_for_header(item, column.header(language)) is column


def test_format_document__reference_matches_the_code():
    from karki.workbooks.reference import DOCUMENT, document_with_reference

    text = DOCUMENT.read_text(encoding="utf-8")
    assert document_with_reference(text) == text, "run: manage.py workbook_reference --write"


def _numbers_in_sheet_xml(data: bytes, replace: dict[str, str]) -> bytes:
    """The workbook with number cells rewritten in the sheet XML, as another program could write them."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                for old, new in replace.items():
                    content = content.replace(f"<v>{old}</v>".encode(), f"<v>{new}</v>".encode())
            target.writestr(info.filename, content)
    return out.getvalue()


def test_whole_number_cells__thousands_of_digits_as_text__a_cell_error_not_a_damaged_file(db):
    data = minimal(extra={"risks": [
        {"code": "R1", "category": "financial", "title_fi": "Riski", "likelihood": "9" * 5000},
        {"code": "R2", "category": "financial", "title_fi": "Riski", "likelihood": "-" + "9" * 5000},
        {"code": "R3", "category": "financial", "title_fi": "Riski", "likelihood": "0" * 5000 + "3"},
    ]})
    book, problems = _read(data)
    found = {(p.sheet, p.row, p.column): p.message for p in problems.errors}
    assert found[("Riskit", 2, "Todennäköisyys (1–5)")].startswith("Luku on aivan liian suuri tai pieni")
    assert found[("Riskit", 3, "Todennäköisyys (1–5)")].startswith("Luku on aivan liian suuri tai pieni")
    assert ("Riskit", 4, "Todennäköisyys (1–5)") not in found  # leading zeros: just 3
    assert [row.values["likelihood"] for row in book.rows("risks")][2] == 3


def test_money_cells__huge_numbers__a_cell_error_each_and_the_rest_still_checked(db):
    data = _numbers_in_sheet_xml(minimal(extra={
        "ramp": [{"year": 2026, "savings_eur": 111111}, {"year": 2027, "savings_eur": 222222},
                 {"year": 2028, "savings_eur": "1 000 000 000 000"}],
        "risks": [{"code": "R1", "category": "financial", "title_fi": "Riski", "likelihood": 333333}],
        "indicators": [{"code": "I1", "name_fi": "Mittari", "baseline_value": 444444}],
        "goals": [{"code": "G1"}],  # no goal text: still reported
    }), {"111111": "1e400", "222222": "99999999999999999999999", "333333": "1E+308",
         "444444": "-1e400"})
    book, problems = _read(data)
    found = {(p.sheet, p.row, p.column): p.message for p in problems.errors}
    too_large = "Luku on liian suuri: suurin sallittu on 999\u202f999\u202f999\u202f999,99."
    assert found[("Vuosittaiset säästöt", 2, "Säästö vuonna (€)")] == too_large
    assert found[("Vuosittaiset säästöt", 3, "Säästö vuonna (€)")] == too_large
    assert found[("Vuosittaiset säästöt", 4, "Säästö vuonna (€)")] == too_large
    assert found[("Riskit", 2, "Todennäköisyys (1–5)")].startswith("Luku on aivan liian suuri tai pieni")
    assert found[("Mittarit", 2, "Lähtöarvo")].startswith("Luku on liian suuri")
    assert ("Tavoitteet", 2, "Tavoite (fi)") in found
    assert [row.values["year"] for row in book.rows("ramp")] == [2026, 2027, 2028]
