"""Writing the programme workbook: a version's rows (or none, for the template) in the person's language.

Every cell holds a value, never a formula: money is a number in euros with a number format ("#,##0", shown
as 1 400 000 by Finnish and Swedish Excel, which put their own thousands separator in), dates are dates
shown as 5.10.2023, codes are text so that Excel does not turn "1.2" into a date, and a choice is its
label in the workbook's language. The first sheet explains every column and lists the allowed values;
choice columns offer those values in a drop-down list.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from karki.core.content import translated
from karki.organisations.models import OrgUnit

from . import format as fmt
from .snapshot import Snapshot

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def response(data: bytes, name: str) -> HttpResponse:
    """A workbook to download (the page and the API send it alike); never kept by a cache."""
    result = HttpResponse(data, content_type=CONTENT_TYPE)
    result["Content-Disposition"] = content_disposition_header(True, name)
    result["Cache-Control"] = "no-store"
    return result
ROWS_WITH_LISTS = 5000  # how far down a choice column offers its drop-down list
MONEY_FORMAT = "#,##0"
MONEY_CENTS_FORMAT = "#,##0.00"
DATE_FORMAT = "d.m.yyyy"
TEXT_FORMAT = "@"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_TITLE_FONT = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_TEXT_KINDS = (fmt.CODE, fmt.REF, fmt.REFS, fmt.ORG_UNIT, fmt.PERSON, fmt.SLUG)


def write_workbook(snapshot: Snapshot | None, *, organisation, language: str, progress=None,
                   every_org_unit: bool = True) -> bytes:
    """The workbook of `snapshot`, or the empty template when it is None, in `language` (fi, sv or en).

    The read-me lists the organisation's org units; with `every_org_unit=False` (a reader of a published
    version from another organisation, who never sees the org-unit tree) only those the version names."""
    units = OrgUnit.objects.filter(organisation=organisation)
    if not every_org_unit:
        units = units.filter(code__in=_org_unit_codes(snapshot))
    with translation.override(language):
        workbook = Workbook()
        readme = workbook.active
        readme.title = fmt.README_TITLES.get(language, fmt.README_TITLES["en"])
        lists = _write_readme(readme, organisation, language, units)
        for index, sheet in enumerate(fmt.SHEETS):
            if progress:
                progress(10 + 80 * index / len(fmt.SHEETS), _("Writing the sheet %(sheet)s") % {
                    "sheet": sheet.title(language)})
            worksheet = workbook.create_sheet(sheet.title(language))
            items = snapshot.sheets.get(sheet.key, []) if snapshot is not None else []
            _write_sheet(worksheet, sheet, [item.values for item in items], language, lists, readme.title)
        stream = io.BytesIO()
        workbook.save(stream)
    return stream.getvalue()


def _org_unit_codes(snapshot: Snapshot | None) -> set[str]:
    if snapshot is None:
        return set()
    return {item.values.get(column.key) for sheet in fmt.SHEETS for column in sheet.columns
            if column.kind == fmt.ORG_UNIT for item in snapshot.sheets.get(sheet.key, [])} - {None, ""}


def _width(column: fmt.Column) -> float:
    if column.kind in (fmt.MONEY,):
        return 18
    if column.kind in (fmt.INTEGER, fmt.DECIMAL, fmt.PERCENT, fmt.DATE, fmt.CODE, fmt.REF):
        return 13
    if column.kind == fmt.CHOICE:
        return 26
    if column.max_length and column.max_length <= 300:
        return 36
    return 50


def _write_sheet(worksheet, sheet: fmt.Sheet, rows: list[dict], language: str, lists: dict[str, str],
                 readme_title: str) -> None:
    labels = {c.key: _choice_labels(c) for c in sheet.columns if c.kind == fmt.CHOICE}
    for position, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(row=1, column=position, value=column.header(language))
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        letter = get_column_letter(position)
        dimension = worksheet.column_dimensions[letter]
        dimension.width = _width(column)
        if column.kind in _TEXT_KINDS:
            dimension.number_format = TEXT_FORMAT  # typed codes stay text: "1.2" is not the 1st of February
        elif column.kind == fmt.MONEY:
            dimension.number_format = MONEY_FORMAT
        elif column.kind == fmt.DATE:
            dimension.number_format = DATE_FORMAT
        if column.kind == fmt.CHOICE and column.choices.__name__ in lists:
            validation = DataValidation(type="list", formula1=f"'{readme_title}'!{lists[column.choices.__name__]}",
                                        allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                        errorTitle=_("Not in the list"),
                                        error=_("Choose a value from the list; the read-me sheet lists them."))
            validation.add(f"{letter}2:{letter}{ROWS_WITH_LISTS}")
            worksheet.add_data_validation(validation)
    worksheet.freeze_panes = "A2"
    for row_number, values in enumerate(rows, start=2):
        for position, column in enumerate(sheet.columns, start=1):
            value = values.get(column.key)
            if value in (None, "", ()):
                continue
            _write_cell(worksheet.cell(row=row_number, column=position), column, value, labels.get(column.key))


def _choice_labels(column: fmt.Column) -> dict[str, str]:
    return {value: str(label) for value, label in column.choices.choices}


def _write_cell(cell, column: fmt.Column, value, labels: dict[str, str] | None) -> None:
    if column.kind == fmt.CHOICE:
        value = labels.get(value, value)
    elif column.kind == fmt.REFS:
        value = ", ".join(value)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # never a formula or an error code, whatever the text starts with
        if column.kind in _TEXT_KINDS:
            cell.number_format = TEXT_FORMAT
        elif "\n" in value or len(value) > 60:
            cell.alignment = _WRAP
        return
    cell.value = value
    if isinstance(value, Decimal) and column.kind == fmt.MONEY:
        cell.number_format = MONEY_FORMAT if value == value.to_integral_value() else MONEY_CENTS_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT


# -- The read-me sheet -------------------------------------------------------------------------------


def _kind_text(column: fmt.Column) -> str:
    kind = column.kind
    if kind == fmt.TEXT:
        return _("Text, at most %(count)s characters") % {"count": column.max_length or fmt.TEXT_MAX_LENGTH}
    if kind == fmt.CODE:
        return _("Code: letters, digits, dots, hyphens and underscores, unique on the sheet")
    if kind == fmt.SLUG:
        return _("Identifier: lower-case letters a–z, digits and hyphens")
    if kind == fmt.MONEY:
        text = _("Euros: a number (1400000) or text such as 1,4 M€ or 1 400 000 €")
        if column.range_high:
            text += " · " + _("a range such as −28…−89 M€ is also understood")
        return text
    if kind == fmt.INTEGER:
        if column.minimum is not None and column.maximum is not None:
            return _("Whole number from %(low)s to %(high)s") % {"low": column.minimum, "high": column.maximum}
        return _("Whole number")
    if kind == fmt.DECIMAL:
        return _("Number, for example 6,76")
    if kind == fmt.PERCENT:
        return _("Percentage as a number, for example 30")
    if kind == fmt.DATE:
        return _("Date, for example 5.10.2023")
    if kind == fmt.CHOICE:
        return _("One of: %(values)s") % {"values": "; ".join(str(label) for label in column.choices.labels)}
    if kind == fmt.REF:
        return _("The code of a row on the sheet “%(sheet)s”") % {
            "sheet": fmt.SHEETS_BY_KEY[column.ref].title(translation.get_language() or "fi")}
    if kind == fmt.REFS:
        return _("Codes of rows on the sheet “%(sheet)s”, separated by commas") % {
            "sheet": fmt.SHEETS_BY_KEY[column.ref].title(translation.get_language() or "fi")}
    if kind == fmt.ORG_UNIT:
        return _("The code of an org unit of the organisation")
    if kind == fmt.PERSON:
        return _("The Kärki username of a person of the organisation")
    return ""  # pragma: no cover


def _intro() -> list[str]:
    return [
        _("This workbook holds one version of a productivity programme in the format Kärki imports and exports "
          "(format version %(version)s). Each sheet is a list: the first row names the columns and each row below "
          "it is one item.") % {"version": fmt.FORMAT_VERSION},
        _("Keep every sheet and every column, even when empty. Columns and sheets of your own are allowed: the "
          "import ignores them and says so. The headers may be in Finnish, Swedish or English."),
        _("The import checks the whole workbook before saving anything and lists every problem by sheet, row and "
          "column. It matches rows by their code (on sheets without codes, by their columns and their place in "
          "the list) and saves only what differs, so importing the same workbook again changes nothing. Rows "
          "that are in Kärki but not in the workbook are kept, unless you choose to remove them."),
        _("Values, not formulas: a cell with a formula is refused. Copy the cells and paste them back as values. "
          "Do not merge cells or hide sheets."),
        _("Money is in euros. A number is euros (1400000); text such as 1,4 M€ or 1 400 000 € is also understood. "
          "Savings estimates are positive when costs fall; cost changes are negative when costs fall and positive "
          "for an investment."),
        _("Texts are written in three languages, in the columns that end in (fi), (sv) and (en). Dates are written "
          "like 5.10.2023. Codes are text: 1.2 stays 1.2 (the template's code columns are formatted as Text)."),
    ]


def _write_readme(worksheet, organisation, language: str, units) -> dict[str, str]:
    """The explanations, the allowed values and the org units; returns where each list of values is."""
    worksheet.column_dimensions["A"].width = 28
    worksheet.column_dimensions["B"].width = 36
    worksheet.column_dimensions["C"].width = 14
    worksheet.column_dimensions["D"].width = 44
    worksheet.column_dimensions["E"].width = 70
    worksheet.cell(row=1, column=1, value=_("Kärki programme workbook")).font = _TITLE_FONT
    row = 3
    for paragraph in _intro():
        cell = worksheet.cell(row=row, column=1, value=paragraph)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        worksheet.row_dimensions[row].height = 48
        row += 1
    row += 1
    for position, header in enumerate([_("Sheet"), _("Column"), _("Required"), _("Format and allowed values"),
                                       _("Explanation")], start=1):
        cell = worksheet.cell(row=row, column=position, value=header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    row += 1
    for sheet in fmt.SHEETS:
        cell = worksheet.cell(row=row, column=1, value=sheet.title(language))
        cell.font = _HEADER_FONT
        worksheet.cell(row=row, column=5, value=str(sheet.help)).alignment = _WRAP
        row += 1
        for column in sheet.columns:
            required = ""
            if column.required:
                required = _("yes")
            elif column.group in sheet.required_groups:
                required = _("in one language at least")
            values = [sheet.title(language), column.header(language), required, _kind_text(column), str(column.help)]
            for position, value in enumerate(values, start=1):
                cell = worksheet.cell(row=row, column=position, value=value)
                cell.data_type = "s"
                if position >= 4:
                    cell.alignment = _WRAP
            row += 1
    row += 1
    worksheet.cell(row=row, column=1, value=_("Allowed values")).font = _TITLE_FONT
    row += 1
    lists: dict[str, str] = {}
    seen = []
    for sheet in fmt.SHEETS:
        for column in sheet.columns:
            if column.kind == fmt.CHOICE and column.choices not in seen:
                seen.append(column.choices)
                worksheet.cell(row=row, column=1, value=column.header(language)).font = _HEADER_FONT
                first = row
                for value, label in column.choices.choices:
                    worksheet.cell(row=row, column=2, value=str(label)).data_type = "s"
                    worksheet.cell(row=row, column=3, value=value).data_type = "s"
                    row += 1
                lists[column.choices.__name__] = f"$B${first}:$B${row - 1}"
                row += 1
    worksheet.cell(row=row, column=1, value=_("Org units of %(organisation)s") % {
        "organisation": organisation}).font = _TITLE_FONT
    row += 1
    units = list(units.order_by("order", "code"))
    if not units:
        worksheet.cell(row=row, column=1, value=_("The organisation has no org units yet."))
    for unit in units:
        worksheet.cell(row=row, column=1, value=unit.code).data_type = "s"
        worksheet.cell(row=row, column=2, value=translated(unit, "name", language).text).data_type = "s"
        row += 1
    return lists


def file_name(version) -> str:
    return f"{version.programme.slug}-v{version.number}.xlsx"


def template_file_name() -> str:
    return _("programme-workbook-template") + ".xlsx"
