"""The import of the books: every row checked before anything is written, errors by row and column in the
reader's language, the same file twice writes nothing, a corrected month replaces only that month."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from karki.books import reading, services
from karki.books.models import BaselineEntry, ImportBatch, LedgerEntry
from karki.organisations.models import Organisation

HEADER = "Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa\n"


@pytest.fixture
def organisation(db):
    return Organisation.objects.get(slug="ita-uusimaa")


def _import(organisation, finance, text: str, name: str = "kirjanpito.csv", kind: str = "actuals", **extra):
    return services.import_file(organisation=organisation, kind=kind, data=text.encode("utf-8"), file_name=name,
                                by=finance, **extra)


def test_import__errors_by_row_and_column__nothing_written(organisation, finance):
    text = HEADER + "2026;1;K100;4300;1 234,56\n2026;13;K100;4300;10\n2026;2;;4300;12,345\n2026;2;K1;4000;abc\n"
    with pytest.raises(services.BooksImportError) as caught:
        _import(organisation, finance, text)
    found = [(e.row, e.column) for e in caught.value.errors]
    assert found == [(3, str(reading.COLUMN_LABELS["month"])), (4, str(reading.COLUMN_LABELS["cost_centre"])),
                     (4, str(reading.COLUMN_LABELS["amount"])), (5, str(reading.COLUMN_LABELS["amount"]))]
    assert caught.value.error_count == 4
    assert not ImportBatch.objects.filter(organisation=organisation).exists()
    assert not LedgerEntry.objects.filter(organisation=organisation).exists()


def test_import__errors_in_swedish(organisation, finance):
    with translation.override("sv"), pytest.raises(services.BooksImportError) as caught:
        _import(organisation, finance, "År;Månad;Kostnadsställe;Konto;Belopp\n2026;0;K1;4000;5\n")
    error = caught.value.errors[0]
    assert (error.row, error.column) == (2, "Månad")
    assert "1" in error.message and "12" in error.message and "month" not in error.message


def test_import__missing_column_is_named(organisation, finance):
    with pytest.raises(services.BooksImportError) as caught:
        _import(organisation, finance, "Vuosi;Kustannuspaikka;Tili;Summa\n2026;K1;4000;5\n")
    assert str(reading.COLUMN_LABELS["month"]) in caught.value.message


def test_import__same_file_twice__written_once(organisation, finance):
    text = HEADER + "2026;1;K100;4300;1 234,56\n2026;1;K100;4300;-34,56\n"
    first = _import(organisation, finance, text)
    again = _import(organisation, finance, text, name="sama-tiedosto-uudelleen.csv")
    assert not first.already and again.already and again.batch == first.batch
    assert ImportBatch.objects.filter(organisation=organisation).count() == 1
    assert sum(LedgerEntry.objects.filter(organisation=organisation).values_list("amount_eur", flat=True)) == \
        Decimal("1200.00")


def test_import__a_corrected_month_replaces_that_month_only(organisation, finance):
    year = _import(organisation, finance, HEADER + "2026;1;K1;4000;100\n2026;2;K1;4000;200\n", name="vuosi.csv")
    corrected = _import(organisation, finance, HEADER + "2026;2;K1;4000;250\n", name="helmikuu.csv")
    amounts = dict(LedgerEntry.objects.filter(organisation=organisation).values_list("month", "amount_eur"))
    assert amounts == {1: Decimal("100.00"), 2: Decimal("250.00")}
    assert corrected.replaced == [year.batch]
    year.batch.refresh_from_db()
    assert year.batch.replaced_by == corrected.batch
    assert corrected.batch.imported_by == finance and corrected.batch.file_name == "helmikuu.csv"


def test_import__english_headers_commas_and_xlsx(organisation, finance):
    text = 'Year,Month,Cost centre,Account,Amount\n2026,3,K1,4000,"1 234,50"\n2026,3,K1,4100,1234.50\n'
    _import(organisation, finance, text, name="books.csv")
    book = Workbook()
    sheet = book.active
    sheet.append(["Kustannuspaikkaraportti 2026"])  # a title line above the header
    sheet.append(["Vuosi", "Kuukausi", "Kustannuspaikka", "Tili", "Summa"])
    sheet.append([2026, 4, 100200, 4300, 99.995])  # number cells, as Excel keeps them
    buffer = io.BytesIO()
    book.save(buffer)
    services.import_file(organisation=organisation, kind="actuals", data=buffer.getvalue(), file_name="huhti.xlsx",
                         by=finance)
    rows = set(LedgerEntry.objects.filter(organisation=organisation).values_list("month", "key__cost_centre",
                                                                                  "key__account", "amount_eur"))
    assert rows == {(3, "K1", "4000", Decimal("1234.50")), (3, "K1", "4100", Decimal("1234.50")),
                    (4, "100200", "4300", Decimal("100.00"))}


def test_import__baseline_with_unknown_org_unit__refused(organisation, finance):
    text = "Vuosi;Organisaatioyksikkö;Kustannuslaji;Summa\n2026;EI-OLE;Henkilöstökulut;100\n2026;IKA;rents;5\n"
    with pytest.raises(services.BooksImportError) as caught:
        _import(organisation, finance, text, kind="baseline", label="TA 2026")
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, str(reading.COLUMN_LABELS["org_unit"]))]
    assert not BaselineEntry.objects.filter(organisation=organisation).exists()
