"""Writing the project workbook: a plan's rows (or none, for the template) in the person's language, in the
programme workbook's style (`karki.workbooks.export`): values only, money as euros with a number format,
dates as dates, codes as text, choices as their labels with a drop-down list, a read-me sheet first."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from karki.core.content import translated
from karki.organisations.models import OrgUnit
from karki.workbooks import export as wx

from . import format as fmt
from .snapshot import Snapshot

CONTENT_TYPE = wx.CONTENT_TYPE
response = wx.response


def write_workbook(snapshot: Snapshot | None, *, organisation, language: str) -> bytes:
    """The workbook of a plan, or the empty template when `snapshot` is None."""
    codes = snapshot.funder_codes if snapshot is not None else []
    with translation.override(language):
        workbook = Workbook()
        readme = workbook.active
        readme.title = fmt.README_TITLES.get(language, fmt.README_TITLES["en"])
        lists = _write_readme(readme, organisation, language)
        for sheet in fmt.SHEETS:
            if sheet.key == "budget":
                sheet = fmt.budget_sheet(codes)
            worksheet = workbook.create_sheet(sheet.title(language))
            items = snapshot.sheets.get(sheet.key, []) if snapshot is not None else []
            wx._write_sheet(worksheet, sheet, [item.values for item in items], language, lists, readme.title)
        stream = io.BytesIO()
        workbook.save(stream)
    return stream.getvalue()


def file_name(project) -> str:
    return f"{project.organisation.slug}-{project.code}.xlsx"


def template_file_name() -> str:
    return _("project-workbook-template") + ".xlsx"


def _kind_text(column, language: str) -> str:
    if column.kind == fmt.REF:
        return _("The code of a row on the sheet “%(sheet)s”") % {
            "sheet": fmt.SHEETS_BY_KEY[column.ref].title(language)}
    return wx._kind_text(column)


def _intro() -> list[str]:
    return [
        _("This workbook holds one project plan in the format Kärki imports and exports (format version "
          "%(version)s). Each sheet is a list: the first row names the columns and each row below it is one "
          "item.") % {"version": fmt.FORMAT_VERSION},
        _("The workbook is the whole plan: importing it makes the project's plan what the workbook says. Rows "
          "that are in Kärki but not in the workbook are removed; the preview lists them before anything is "
          "saved."),
        _("Budget: one row per item, year and cost type, with the total and, in the columns headed by the "
          "funders' codes (from the Funders sheet), each funder's share in euros. The shares must add up to the "
          "total, and no funder may pay more than its allowed share of the project's total cost."),
        _("Values, not formulas: a cell with a formula is refused. Do not merge cells or hide sheets. Texts are "
          "written in the columns that end in (fi), (sv) and (en); dates like 5.10.2023; money in euros."),
    ]


def _write_readme(worksheet, organisation, language: str) -> dict[str, str]:
    for letter, width in zip("ABCDE", (28, 36, 14, 44, 70), strict=True):
        worksheet.column_dimensions[letter].width = width
    worksheet.cell(row=1, column=1, value=_("Kärki project workbook")).font = wx._TITLE_FONT
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
        cell.font, cell.fill = wx._HEADER_FONT, wx._HEADER_FILL
    row += 1
    for sheet in fmt.SHEETS:
        worksheet.cell(row=row, column=1, value=sheet.title(language)).font = wx._HEADER_FONT
        worksheet.cell(row=row, column=5, value=str(sheet.help)).alignment = wx._WRAP
        row += 1
        columns = list(sheet.columns)
        if sheet.key == "budget":
            columns.append(fmt.share_column(_("(funder's code)")))
        for column in columns:
            required = _("yes") if column.required else (
                _("in one language at least") if column.group in sheet.required_groups else "")
            values = [sheet.title(language), column.header(language), required, _kind_text(column, language),
                      str(column.help)]
            for position, value in enumerate(values, start=1):
                cell = worksheet.cell(row=row, column=position, value=value)
                cell.data_type = "s"
                if position >= 4:
                    cell.alignment = wx._WRAP
            row += 1
    row += 1
    worksheet.cell(row=row, column=1, value=_("Allowed values")).font = wx._TITLE_FONT
    row += 1
    lists: dict[str, str] = {}
    for sheet in fmt.SHEETS:
        for column in sheet.columns:
            if column.kind == fmt.CHOICE and column.choices.__name__ not in lists:
                worksheet.cell(row=row, column=1, value=column.header(language)).font = wx._HEADER_FONT
                first = row
                for value, label in column.choices.choices:
                    worksheet.cell(row=row, column=2, value=str(label)).data_type = "s"
                    worksheet.cell(row=row, column=3, value=value).data_type = "s"
                    row += 1
                lists[column.choices.__name__] = f"$B${first}:$B${row - 1}"
                row += 1
    worksheet.cell(row=row, column=1, value=_("Org units of %(organisation)s") % {
        "organisation": organisation}).font = wx._TITLE_FONT
    row += 1
    for unit in OrgUnit.objects.filter(organisation=organisation).order_by("order", "code"):
        worksheet.cell(row=row, column=1, value=unit.code).data_type = "s"
        worksheet.cell(row=row, column=2, value=translated(unit, "name", language).text).data_type = "s"
        row += 1
    return lists
