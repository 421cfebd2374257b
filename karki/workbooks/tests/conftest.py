"""Workbooks for the tests are built in the tests: exported from the demo programmes and edited with openpyxl,
or written cell by cell."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from karki.workbooks import export
from karki.workbooks import format as fmt
from karki.workbooks.snapshot import read_version


def exported(version, language: str = "fi", *, with_people: bool = True) -> bytes:
    return export.write_workbook(read_version(version, with_people=with_people),
                                 organisation=version.programme.organisation, language=language)


def edit(data: bytes, change) -> bytes:
    """The workbook after `change(workbook)`, saved again."""
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def sheet(workbook, key: str, language: str = "fi"):
    return workbook[fmt.SHEETS_BY_KEY[key].title(language)]


def cell(worksheet, row: int, header: str):
    """The cell of `row` under the column headed `header` (as written on row 1)."""
    for position, head in enumerate(next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True)), start=1):
        if head == header:
            return worksheet.cell(row=row, column=position)
    raise KeyError(header)


def find_row(worksheet, header: str, value) -> int:
    column = cell(worksheet, 1, header).column
    for row in range(2, worksheet.max_row + 1):
        if worksheet.cell(row=row, column=column).value == value:
            return row
    raise KeyError(value)


def template(language: str = "fi", organisation=None) -> bytes:
    return export.write_workbook(None, organisation=organisation, language=language)


def minimal(language: str = "fi", *, identifier: str = "uusi-ohjelma", extra=None) -> bytes:
    """A small programme written cell by cell: one theme, one target, two measures."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = {
        "programme": [{"identifier": identifier, "name_fi": "Uusi ohjelma", "period_start": 2026, "period_end": 2028,
                       "target_eur": "1,4 M€"}],
        "themes": [{"code": "1", "name_fi": "Palvelurakenne"}],
        "targets": [{"code": "1.1", "theme": "1", "name_fi": "Kotihoito", "estimate_amount_eur": "0,5–1,5 M€"}],
        "measures": [{"code": "1.1.a", "target": "1.1", "name_fi": "Etähoiva"},
                     {"code": "B.1", "basket": "B", "name_fi": "Palvelusetelin rajaus"}],
    }
    for key, values in (extra or {}).items():
        rows[key] = values
    for item in fmt.SHEETS:
        worksheet = workbook.create_sheet(item.title(language))
        worksheet.append([c.header(language) for c in item.columns])
        for values in rows.get(item.key, []):
            worksheet.append([values.get(c.key) for c in item.columns])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


@pytest.fixture
def org(ita):
    return ita.organisation
