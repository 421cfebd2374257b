"""The status picture as an Excel workbook: values a reader can compute with, headers in their language."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from karki.monitoring.models import StatusReport
from karki.monitoring.status import status_picture
from karki.reports.excel import EUR_FORMAT, PCT_FORMAT, XLSX


def _book(content: bytes):
    return load_workbook(BytesIO(content))


def test_status_workbook__finnish__sheets_headers_and_numbers(produce, pmo, ita, december):
    picture = status_picture(ita, december)
    page, download = produce(pmo, "status_xlsx")
    assert download["Content-Type"] == XLSX
    book = _book(download.content)
    assert book.sheetnames[:4] == ["Tiedot", "Yhteenveto", "Vuosittain", "Teemoittain"]
    info = book["Tiedot"]
    assert info["A1"].value == f"Tilannekuva 12/2024 – {ita.name}"
    assert [row[0].value for row in info.iter_rows(min_row=3, max_row=8)] == [
        "Ohjelma", "Organisaatio", "Raportointijakso", "Versio", "Tuotettu", "Tuottaja"]
    themes = book["Teemoittain"]
    assert [c.value for c in themes[1]] == ["Tunnus", "Teema", "Suunniteltu vuosivaikutus", "Toteutunut tähän mennessä"]
    first = picture.by_theme[0]
    assert themes["B2"].value == str(first.label)
    assert themes["D2"].value == float(first.realised_eur) or themes["D2"].value == int(first.realised_eur)
    assert themes["D2"].number_format == EUR_FORMAT and themes["D2"].data_type == "n"
    years = book["Vuosittain"]
    assert years.cell(row=len(picture.by_year) + 1, column=7).value == int(picture.realised_total_eur)


def test_status_workbook__text_that_looks_like_a_formula__stays_text(produce, pmo, ita, december):
    report = StatusReport.objects.filter(period=december, state="submitted").first()
    StatusReport.objects.filter(pk=report.pk).update(escalation=True, obstacles='=HYPERLINK("http://x","y")')
    book = _book(produce(pmo, "status_xlsx")[1].content)
    cells = [c for row in book["Eskaloinnit"].iter_rows() for c in row if c.value and str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for ws in book for row in ws.iter_rows() for c in row)


def test_status_workbook__swedish__headers_in_swedish(produce, pmo):
    book = _book(produce(pmo, "status_xlsx", language="sv")[1].content)
    assert book.sheetnames[:4] == ["Information", "Sammanfattning", "Per år", "Per tema"]
    assert book["Per tema"]["B1"].value == "Tema"


def test_status_workbook__forecast_sheet__the_forecast_pages_figures_as_numbers(produce, pmo, page_forecast):
    book = _book(produce(pmo, "status_xlsx")[1].content)
    sheet = book["Ennuste"]
    assert [c.value for c in sheet[1]] == ["Vuosi", "P10", "P50 (mediaani)", "P90", "Suunnitelma",
                                           "Toteutunut tähän mennessä", "Todennäköisyys yltää tavoitetasolle"]
    for row, band in zip(sheet.iter_rows(min_row=2, max_row=len(page_forecast.by_year) + 1), page_forecast.by_year,
                         strict=True):
        assert [c.value for c in row[:4]] == [band.year, float(band.p10_eur), float(band.p50_eur), float(band.p90_eur)]
        assert row[6].value == band.probability and row[6].number_format == PCT_FORMAT
    values = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
    assert values["Vaje tavoitteeseen vuonna 2026 80 %:n varmuudella"] == float(page_forecast.gap_at(80))
    assert values["Vaje tavoitteeseen vuonna 2026 50 %:n varmuudella"] == float(page_forecast.gap_at(50))
    summary = {row[0].value: row[1].value for row in book["Yhteenveto"].iter_rows(min_row=2) if row[0].value}
    assert summary["Ennuste vuoden 2026 säästöistä, P50 (mediaani)"] == float(page_forecast.target_band.p50_eur)
    assert summary["Tavoite: vuosisäästö, joka on saavutettava vuonna 2026"] == 27_600_000


def test_status_workbook__by_year__each_years_savings_as_a_share_of_the_yearly_target_level(
        produce, pmo, ita, december):
    picture = status_picture(ita, december)
    years = _book(produce(pmo, "status_xlsx")[1].content)["Vuosittain"]
    assert [c.value for c in years[1]] == [
        "Vuosi", "Suunniteltu vuonna", "Suunniteltu, osuus tavoitteen vuositasosta", "Toteutunut vuonna",
        "Toteutunut pysyvä, osuus tavoitteen vuositasosta", "Suunniteltu, kertymä", "Toteutunut, kertymä",
        "Josta kertaluonteista"]
    row = years[len(picture.by_year) + 1]
    assert row[0].value == 2024
    # The demo's 2024 has one-off savings: the share counts the recurring ones (7,6 of 7,7 M€) against 27,6 M€.
    one_off = picture.year_row.one_off_eur
    assert row[7].value == pytest.approx(float(one_off)) and one_off > 0
    assert row[4].value == pytest.approx(float((picture.realised_year_eur - one_off) / picture.target_eur))
    assert row[4].number_format == PCT_FORMAT
