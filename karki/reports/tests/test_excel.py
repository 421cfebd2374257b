"""The status picture as an Excel workbook: values a reader can compute with, headers in their language."""

from io import BytesIO

from openpyxl import load_workbook

from karki.monitoring.models import StatusReport
from karki.monitoring.status import status_picture
from karki.reports.excel import EUR_FORMAT, XLSX


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
    assert years.cell(row=len(picture.by_year) + 1, column=5).value == int(picture.realised_total_eur)


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
