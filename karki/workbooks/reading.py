"""Reading a programme workbook: every sheet, every header, every cell, into a `Book` of typed values.

Nothing is written. Whatever is wrong is collected as a `Problem` naming the sheet, the row and the column
as the person sees them in Excel, with what to do about it; the import writes only if there are none.

Values, not formulas: a formula cell is refused. A workbook's cached results may be missing (files
written by programs other than Excel have none) or stale, and the import must be exactly what the person
sees and what the audit trail records; the message says how to turn formulas into values.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from karki.lib.formatting import MINUS, MoneyParseError, format_date, format_number, parse_money, parse_money_range

from . import format as fmt
from .safety import UnreadableWorkbook, WorkbookProblem, check_file, merged_ranges

MAX_ROWS = 20000  # per sheet, the header included
MAX_COLUMNS = 120  # cells to the right of these are not read
MAX_CELLS = 1_000_000  # non-empty cells in the whole workbook
MAX_PROBLEMS = 500  # more are counted, not listed
SMALL_AMOUNT = Decimal("1000")  # a saving or total below this is probably M€ written as euros
# The columns that hold savings, by sheet: only these get the "very little for a sum of savings" note. A
# project's or a funding's stated total and an allocated amount are costs and money, not savings.
SAVINGS_COLUMNS = {"programme": ("target_eur", "version_stated_total_eur"), "targets": ("estimate_amount_eur",),
                   "measures": ("estimate_amount_eur",), "stated_totals": ("amount_eur",), "ramp": ("savings_eur",)}


@dataclass
class Problem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    cell: str = ""

    def as_dict(self) -> dict:
        return {"message": self.message, "sheet": self.sheet, "row": self.row, "column": self.column,
                "cell": self.cell}


@dataclass
class Row:
    number: int  # the row number Excel shows
    values: dict[str, Any]
    cells: dict[str, str] = field(default_factory=dict)  # column key → "D5"
    invalid: set[str] = field(default_factory=set)  # columns with a problem

    @property
    def valid(self) -> bool:
        return not self.invalid


@dataclass
class SheetData:
    sheet: fmt.Sheet
    title: str  # as written in the workbook
    headers: dict[str, str]  # column key → header as written
    rows: list[Row] = field(default_factory=list)
    absent: frozenset[str] = frozenset()  # optional columns the workbook does not have (an older workbook)

    def header(self, key: str) -> str:
        return self.headers.get(key) or self.sheet.by_key[key].header(translation.get_language() or "fi")


@dataclass
class Book:
    sheets: dict[str, SheetData] = field(default_factory=dict)
    language: str = "fi"  # the language most headers are written in

    def rows(self, key: str) -> list[Row]:
        data = self.sheets.get(key)
        return data.rows if data else []


class Problems:
    """Problems and warnings found so far, with a cap on how many are kept."""

    def __init__(self):
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.error_count = 0
        self.warning_count = 0

    def error(self, message: str, **where) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(Problem(str(message), **where))

    def warn(self, message: str, **where) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(str(message), **where))

    def __bool__(self) -> bool:
        return bool(self.error_count)


@dataclass(frozen=True)
class Range:
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Bound:
    amount: Decimal


class CellError(WorkbookProblem):
    """What is wrong with one cell; the row and column are added where it is caught."""


# -- The workbook ----------------------------------------------------------------------------------


def read_workbook(data: bytes, file_name: str = "", problems: Problems | None = None,
                  progress: Callable[[float, str], None] | None = None,
                  layout: fmt.Layout | None = None) -> tuple[Book, Problems]:
    """Read and check every cell. Raises `UnreadableWorkbook` when the file cannot be read at all.
    `layout` is the workbook's set of sheets: the programme workbook's unless another is given."""
    problems = problems or Problems()
    layout = layout or fmt.PROGRAMME_LAYOUT
    check_file(data, file_name)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False,
                                 rich_text=False)
    except Exception as exc:  # openpyxl and defusedxml raise many kinds for a broken or hostile file
        raise UnreadableWorkbook(_unreadable_message(exc)) from exc
    book = Book()
    languages: list[str] = []
    try:
        found: dict[str, object] = {}
        for worksheet in workbook.worksheets:
            title = worksheet.title
            if layout.is_readme(title):
                continue
            sheet = layout.sheet_for_title(title)
            if sheet is None:
                problems.warn(str(layout.foreign_sheet), sheet=title)
                continue
            if sheet.key in found:
                problems.error(_("Two sheets hold %(what)s: “%(first)s” and “%(second)s”. Keep one of them.")
                               % {"what": sheet.title(_language()), "first": found[sheet.key].title,
                                  "second": title}, sheet=title)
                continue
            found[sheet.key] = worksheet
            languages.extend(code for code, text in sheet.titles.items() if fmt.normalise(text) == fmt.normalise(title))
            if worksheet.sheet_state != "visible":
                problems.error(_("The sheet is hidden, so you cannot see what would be imported from it. Unhide it "
                                 "(right-click a sheet tab › Unhide) and check it, or delete it."), sheet=title)
        missing = [sheet for sheet in layout.sheets if sheet.key not in found]
        for sheet in missing:
            problems.error(_("The sheet “%(sheet)s” is missing. Every sheet of the template must be in the workbook, "
                             "even if empty: copy it from the template (Download the workbook template).")
                           % {"sheet": sheet.title(_language())}, sheet=sheet.title(_language()))
        cells = [0]
        for index, sheet in enumerate(layout.sheets):
            worksheet = found.get(sheet.key)
            if worksheet is None:
                continue
            if progress:
                progress(5 + 30 * index / len(layout.sheets),
                         _("Reading the sheet %(sheet)s") % {"sheet": worksheet.title})
            merged = merged_ranges(data, worksheet._worksheet_path)
            if merged:
                shown = ", ".join(merged[:10]) + (" …" if len(merged) > 10 else "")
                problems.error(_("The sheet has merged cells (%(ranges)s). Unmerge them (Home › Merge & Center › "
                                 "Unmerge Cells) and write the value in every cell of the row or column.")
                               % {"ranges": shown}, sheet=worksheet.title)
            data_sheet, header_languages = _read_sheet(worksheet, sheet, problems, cells, layout)
            languages.extend(header_languages)
            if data_sheet is not None:
                book.sheets[sheet.key] = data_sheet
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # a damaged sheet, shared strings out of range, …
        raise UnreadableWorkbook(_unreadable_message(exc)) from exc
    finally:
        workbook.close()
    if languages:
        book.language = max(set(languages), key=languages.count)
    return book, problems


def _language() -> str:
    return (translation.get_language() or "fi")[:2]


def _unreadable_message(exc: BaseException) -> str:
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:  # openpyxl wraps what the XML parser raised
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    if any(type(item).__module__.startswith("defusedxml") for item in chain):
        return _("The workbook contains XML declarations (DOCTYPE or ENTITY) that Excel never writes; they are "
                 "used in attacks, so the file was not opened. Save the workbook again in Excel.")
    return _("The workbook could not be read: it may be damaged or made by a program that writes it differently "
             "from Excel. Open it in Excel, save it as an Excel workbook (.xlsx) and try again.")


def _read_sheet(worksheet, sheet: fmt.Sheet, problems: Problems, cells: list[int],
                layout: fmt.Layout = fmt.PROGRAMME_LAYOUT) -> tuple[SheetData | None, list[str]]:
    title = worksheet.title
    worksheet.reset_dimensions()  # never trust the size a file declares: it may claim a million rows
    rows = worksheet.iter_rows(min_row=1, max_col=MAX_COLUMNS)
    header_cells = next(rows, ())
    sheet = layout.widen(sheet, [cell.value for cell in header_cells])
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    languages: list[str] = []
    for position, cell in enumerate(header_cells):
        text = cell.value
        if text is None or str(text).strip() == "":
            continue
        column = layout.column_for_header(sheet, text)
        if column is None:
            problems.warn(_("The column “%(header)s” is not part of the sheet and was not read.")
                          % {"header": text}, sheet=title, row=1, column=str(text),
                          cell=f"{get_column_letter(position + 1)}1")
            continue
        if column.key in positions:
            problems.error(_("The column “%(header)s” appears twice. Keep one of them.") % {"header": text},
                           sheet=title, row=1, column=str(text), cell=f"{get_column_letter(position + 1)}1")
            continue
        positions[column.key] = position
        headers[column.key] = str(text).strip()
        languages.extend(code for code, written in column.headers.items()
                         if fmt.normalise(written) == fmt.normalise(text))
    missing = [c for c in sheet.columns if c.key not in positions and not c.optional]
    if missing:
        names = ", ".join(_("“%(name)s”") % {"name": c.header(_language())} for c in missing)
        problems.error(_("Columns are missing: %(columns)s. Every column of the template must be on the sheet, even "
                         "if empty: copy the header row from the template.") % {"columns": names}, sheet=title, row=1)
        return None, languages
    data = SheetData(sheet=sheet, title=title, headers=headers,
                     absent=frozenset(c.key for c in sheet.columns if c.key not in positions))
    number = 1
    for number, row_cells in enumerate(rows, start=2):
        if number > MAX_ROWS:
            problems.error(_("The sheet has more than %(limit)s rows. A programme workbook has far fewer; remove the "
                             "extra rows (also empty rows with formatting) and try again.") % {"limit": MAX_ROWS},
                           sheet=title)
            break
        row = _read_row(row_cells, number, sheet, data, positions, problems)
        if row is None:
            continue
        cells[0] += sum(1 for value in row.values.values() if value not in ("", None, ()))
        if cells[0] > MAX_CELLS:
            problems.error(_("The workbook has more than %(limit)s filled cells, more than a programme workbook "
                             "can have.") % {"limit": MAX_CELLS}, sheet=title)
            break
        data.rows.append(row)
    if sheet.single_row and len(data.rows) != 1:
        problems.error(_("The sheet must have exactly one row under the headers, it has %(count)s.")
                       % {"count": len(data.rows)}, sheet=title)
    return data, languages


def _read_row(row_cells, number: int, sheet: fmt.Sheet, data: SheetData, positions: dict[str, int],
              problems: Problems) -> Row | None:
    raw: dict[str, object] = {}
    for key, position in positions.items():
        cell = row_cells[position] if position < len(row_cells) else None
        value = getattr(cell, "value", None)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        raw[key] = cell
    if not raw:
        return None  # an empty row is skipped
    row = Row(number=number, values={})
    for column in sheet.columns:
        if column.key not in positions:
            continue  # an optional column the workbook does not have: its row says nothing about it
        letter = get_column_letter(positions[column.key] + 1)
        row.cells[column.key] = f"{letter}{number}"
        cell = raw.get(column.key)
        try:
            row.values[column.key] = read_cell(cell, column) if cell is not None else _empty(column)
        except CellError as error:
            row.values[column.key] = _empty(column)
            row.invalid.add(column.key)
            problems.error(error.message, sheet=data.title, row=number, column=data.header(column.key),
                           cell=f"{letter}{number}")
    _finish_row(row, sheet, data, problems)
    return row


def _empty(column: fmt.Column):
    return "" if column.kind in (fmt.TEXT, fmt.CODE, fmt.SLUG, fmt.CHOICE, fmt.REF, fmt.ORG_UNIT, fmt.PERSON) else (
        () if column.kind == fmt.REFS else None)


# -- Cells -------------------------------------------------------------------------------------------


def read_cell(cell, column: fmt.Column):
    """The value of one cell for its column, or `CellError` saying what is wrong and how to fix it."""
    value = cell.value
    data_type = getattr(cell, "data_type", "")
    if data_type == "f" or (isinstance(value, str) and value.startswith("=") and data_type == "f") or \
            type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        formula = value if isinstance(value, str) else getattr(value, "text", "")
        raise CellError(_("The cell has a formula (%(formula)s). Kärki imports values only: copy the column and "
                          "paste it back as values (Paste Special › Values).") % {"formula": str(formula)[:60]})
    if data_type == "e":
        raise CellError(_("The cell shows an error (%(error)s). Correct it or empty the cell.") % {"error": value})
    kind = column.kind
    if kind in (fmt.TEXT,):
        return _text(value, column)
    if kind in (fmt.CODE, fmt.REF, fmt.ORG_UNIT, fmt.PERSON, fmt.SLUG):
        return _code_text(value, column)
    if kind == fmt.REFS:
        text = _code_text(value, column)
        return tuple(part for part in (p.strip() for p in re.split(r"[,;\n]", text)) if part)
    if isinstance(value, bool):
        raise CellError(_("The cell holds TRUE or FALSE where %(what)s belongs.") % {"what": _what(column)})
    if kind == fmt.MONEY:
        return _money(value, column)
    if kind == fmt.INTEGER:
        return _integer(value, column)
    if kind == fmt.DECIMAL:
        return _decimal(value, column)
    if kind == fmt.PERCENT:
        if isinstance(value, (int, float)) and "%" in (getattr(cell, "number_format", "") or ""):
            value = _float_decimal(value) * 100  # a cell formatted as a percentage stores 30 % as 0.3
        elif isinstance(value, str):
            value = value.strip().rstrip("%").strip()
        return _decimal(value, column)
    if kind == fmt.DATE:
        return _date(value)
    if kind == fmt.CHOICE:
        return _choice(value, column)
    raise AssertionError(kind)  # pragma: no cover


def _what(column: fmt.Column) -> str:
    return {
        fmt.MONEY: _("a sum of money"), fmt.INTEGER: _("a whole number"), fmt.DECIMAL: _("a number"),
        fmt.PERCENT: _("a percentage"), fmt.DATE: _("a date"), fmt.CHOICE: _("a value from the list"),
    }.get(column.kind, _("text"))


def _float_decimal(value: int | float) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _shown_date(value: date | datetime) -> str:
    """A date as the person's language writes it (Excel gives dates in cells as datetimes)."""
    return format_date(value.date() if isinstance(value, datetime) else value, _language())


def _date_in_cell(value) -> CellError:
    shown = _shown_date(value)
    return CellError(_("Excel has turned the value into a date (%(date)s). Format the column as Text (Format Cells › "
                       "Text) and type the value again.") % {"date": shown})


def _text(value, column: fmt.Column) -> str:
    if isinstance(value, datetime | date):
        value = _shown_date(value)
    elif isinstance(value, float):
        value = str(int(value)) if value.is_integer() else repr(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    limit = column.max_length or fmt.TEXT_MAX_LENGTH
    if len(text) > limit:
        raise CellError(_("The text is too long: %(length)s characters, at most %(limit)s are allowed. Shorten it.")
                        % {"length": len(text), "limit": limit})
    return text


def _code_text(value, column: fmt.Column) -> str:
    if isinstance(value, datetime | date):
        raise _date_in_cell(value)
    text = _text(value, column)
    if column.kind in (fmt.CODE, fmt.REF) and text and not re.fullmatch(r"[\w.\-]+", text):
        raise CellError(_("“%(code)s” is not a code: use only letters, digits, dots, hyphens and underscores, for "
                          "example 1.2.b.") % {"code": text[:40]})
    if column.kind == fmt.SLUG and text and not re.fullmatch(r"[-a-zA-Z0-9_]+", text):
        raise CellError(_("“%(code)s” is not an identifier: use only letters a–z, digits and hyphens, for example "
                          "ita-uusimaa-2023-2026.") % {"code": text[:80]})
    return text


def _quantize(value: Decimal, places: int, max_digits: int) -> Decimal:
    """The value with `places` decimals, if the database column (`max_digits` digits) can hold it."""
    if value.is_nan():
        raise CellError(_("The cell does not hold a number."))
    limit = Decimal(10) ** (max_digits - places)
    # Checked before quantizing: a huge number (1E+400, an infinity from Excel) has no quantized form.
    if value.is_infinite() or value.adjusted() >= max_digits - places:
        raise _too_large(limit, places)
    number = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if abs(number) >= limit:  # 999 999 999 999,995 rounds up to a digit too many
        raise _too_large(limit, places)
    return number


def _too_large(limit: Decimal, places: int) -> CellError:
    largest = format_number(limit - Decimal(1).scaleb(-places), _language(), places)
    return CellError(_("The number is too large: the largest allowed is %(largest)s.") % {"largest": largest})


def _money(value, column: fmt.Column):
    if isinstance(value, datetime | date):
        raise CellError(_("A date (%(date)s) is where a sum of money belongs. Excel may have turned a number into a "
                          "date: format the column as Number and type the sum again, for example 1400000 or "
                          "1,4 M€.") % {"date": _shown_date(value)})
    if isinstance(value, int | float):
        return _quantize(_float_decimal(value), 2, 14)
    text = str(value).strip()
    bound = re.match(r"^(?:<|≤|alle|under|below)\s*", text, flags=re.IGNORECASE)
    try:
        if bound:
            if column.key != "estimate_amount_eur":
                raise CellError(_("“%(text)s” is an upper bound; only an estimate can be one. Write a sum of money.")
                                % {"text": text[:60]})
            amount = parse_money(text[bound.end():])
            if amount is None:
                raise MoneyParseError(text)
            return Bound(_quantize(amount, 2, 14))
        ends = parse_money_range(text)
        if ends is not None:
            if not column.range_high:
                raise CellError(_("“%(text)s” is a range; this column takes one sum. Write the ends in their own "
                                  "columns.") % {"text": text[:60]})
            return Range(_quantize(ends[0], 2, 14), _quantize(ends[1], 2, 14))
        amount = parse_money(text)
    except MoneyParseError as exc:
        raise CellError(_("“%(text)s” is not a sum of money. Write euros as a number, for example 1400000, "
                          "1 400 000 or 1,4 M€.") % {"text": text[:60]}) from exc
    return _quantize(amount, 2, 14)


def _integer(value, column: fmt.Column) -> int:
    if isinstance(value, datetime | date):
        raise _date_in_cell(value)
    if isinstance(value, float):
        if math.isnan(value):
            raise CellError(_("The cell does not hold a number."))
        if math.isinf(value):
            value = int(math.copysign(10 ** 16, value))  # out of range below, whatever the range is
        elif not value.is_integer():
            raise CellError(_("Write a whole number here, not %(value)s.") % {"value": repr(value).replace(".", ",")})
        value = int(value)
    if isinstance(value, str):
        text = value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace(MINUS, "-").strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            raise CellError(_("“%(text)s” is not a whole number.") % {"text": value.strip()[:60]})
        # Python refuses to read more than 4 300 digits; anything over 18 is far out of range anyway.
        digits = text.lstrip("+-").lstrip("0") or "0"
        value = (-1 if text.startswith("-") else 1) * (int(digits) if len(digits) <= 18 else 10 ** 18)
    if column.minimum is not None and value < column.minimum or column.maximum is not None and value > column.maximum:
        if abs(value) >= 10 ** 15:  # not worth repeating digit by digit
            raise CellError(_("The number is far outside what is allowed here: write a number from %(low)s to "
                              "%(high)s.") % {"low": column.minimum, "high": column.maximum})
        raise CellError(_("%(value)s is not allowed here: write a number from %(low)s to %(high)s.")
                        % {"value": value, "low": column.minimum, "high": column.maximum})
    return value


def _decimal(value, column: fmt.Column) -> Decimal:
    if isinstance(value, datetime | date):
        raise _date_in_cell(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        number = _float_decimal(value)
    else:
        text = str(value).strip()
        cleaned = (text.replace(MINUS, "-").replace("\u2013", "-").replace(" ", "").replace("\u00a0", "")
                   .replace("\u202f", "").replace(",", "."))
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
            raise CellError(_("“%(text)s” is not a number. Write it like 6,76 or −51.") % {"text": text[:60]})
        try:
            number = Decimal(cleaned)
        except InvalidOperation as exc:  # pragma: no cover - the pattern guards this
            raise CellError(_("“%(text)s” is not a number.") % {"text": text[:60]}) from exc
    max_digits = 6 if column.kind == fmt.PERCENT else 16
    return _quantize(number, column.places, max_digits)


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
    raise CellError(_("“%(text)s” is not a date. Write it like 5.10.2023.") % {"text": str(value)[:60]})


_CHOICES: dict[tuple[str, str], dict[str, str]] = {}


def choice_lookup(choices) -> dict[str, str]:
    """Every way of writing a value: its stored value and its label in each language."""
    key = (choices.__name__, translation.get_language() or "")
    found = _CHOICES.get(key)
    if found is None:
        found = {}
        for language in fmt.LANGUAGES:
            with translation.override(language):
                for value, label in choices.choices:
                    found.setdefault(fmt.normalise(label), value)
        for value in choices.values:
            found[fmt.normalise(value)] = value
            found[fmt.normalise(value.replace("_", " "))] = value
        _CHOICES[key] = found
    return found


def _choice(value, column: fmt.Column) -> str:
    text = str(value).strip()
    found = choice_lookup(column.choices).get(fmt.normalise(text))
    if found is None:
        allowed = "; ".join(str(label) for label in column.choices.labels)
        raise CellError(_("“%(text)s” is not one of the allowed values: %(allowed)s.")
                        % {"text": text[:60], "allowed": allowed})
    return found


# -- Rows --------------------------------------------------------------------------------------------


def _finish_row(row: Row, sheet: fmt.Sheet, data: SheetData, problems: Problems) -> None:
    """Rules within a row: required cells, estimates that fit their kind, ranges, defaults."""
    values = row.values

    def error(key: str, message: str) -> None:
        row.invalid.add(key)
        problems.error(message, sheet=data.title, row=row.number, column=data.header(key), cell=row.cells[key])

    for column in sheet.columns:
        if column.required and values.get(column.key) in ("", None, ()) and column.key not in row.invalid:
            error(column.key, _("The cell is empty; it is required."))
    for group in sheet.required_groups:
        keys = [c.key for c in sheet.groups[group]]
        if not any(values.get(k) for k in keys) and not row.invalid & set(keys):
            error(keys[0], _("Write the text in at least one language (fi, sv or en)."))
    if "basket" in sheet.by_key and not values.get("basket"):
        values["basket"] = "A"
    if values.get("estimate_recurrence") == "" and "estimate_recurrence" not in row.invalid:
        values["estimate_recurrence"] = "recurring"  # empty: the default, as the read-me sheet says
    if "estimate_kind" in sheet.by_key:
        _finish_estimate(row, error)
    if "cost_change_min_eur" in sheet.by_key:
        _finish_cost_range(row, error)
    for key in SAVINGS_COLUMNS.get(sheet.key, ()):
        amount = values.get(key)
        if isinstance(amount, Decimal) and 0 < abs(amount) < SMALL_AMOUNT and key in sheet.by_key:
            problems.warn(_("%(amount)s € is very little for a sum of savings. If millions were meant, write for "
                            "example 1,4 M€ or 1400000.") % {"amount": str(amount).replace(".", ",")},
                          sheet=data.title, row=row.number, column=data.header(key), cell=row.cells[key])


def _finish_estimate(row: Row, error) -> None:
    values = row.values
    kind = values.get("estimate_kind") or ""
    amount, low = values.get("estimate_amount_eur"), values.get("estimate_min_eur")
    high = values.get("estimate_max_eur")
    if isinstance(amount, Range):
        if low is not None or high is not None:
            error("estimate_amount_eur", _("A range is written here and in the low and high columns; keep one."))
            return
        amount, low, high = None, amount.low, amount.high
        kind = kind or "range"
    elif isinstance(amount, Bound):
        if kind and kind != "upper_bound":
            error("estimate_kind", _("“<” makes the estimate an upper bound, but another kind is given."))
            return
        amount, kind = amount.amount, "upper_bound"
    if not kind:
        if amount is not None:
            kind = "point"
        elif low is not None or high is not None:
            kind = "range"
    if kind in ("point", "upper_bound"):
        if amount is None:
            error("estimate_amount_eur", _("Give the amount of the estimate in euros."))
        if low is not None or high is not None:
            error("estimate_min_eur" if low is not None else "estimate_max_eur",
                  _("A point estimate or an upper bound has one amount: empty the low and high columns."))
    elif kind == "range":
        if amount is not None:
            error("estimate_amount_eur", _("A range has a low and a high end: move the amount to them."))
        if low is None:
            error("estimate_min_eur", _("Give the lower end of the range."))
        if high is None:
            error("estimate_max_eur", _("Give the upper end of the range."))
        if low is not None and high is not None and low > high:
            error("estimate_max_eur", _("The upper end of the range must not be below the lower end."))
    elif kind in ("enabling", "to_be_specified"):
        if amount is not None or low is not None or high is not None:
            key = "estimate_amount_eur" if amount is not None else (
                "estimate_min_eur" if low is not None else "estimate_max_eur")
            error(key, _("An enabling measure or an estimate to be specified has no figures: empty the cell."))
    for key, figure in (("estimate_amount_eur", amount), ("estimate_min_eur", low), ("estimate_max_eur", high)):
        if figure is not None and figure < 0:
            error(key, _("A savings estimate cannot be negative. Record an investment as a cost-category effect."))
    values.update({"estimate_kind": kind, "estimate_amount_eur": amount if kind in ("point", "upper_bound") else None,
                   "estimate_min_eur": low if kind == "range" else None,
                   "estimate_max_eur": high if kind == "range" else None})


def _finish_cost_range(row: Row, error) -> None:
    values = row.values
    low, high = values.get("cost_change_min_eur"), values.get("cost_change_max_eur")
    if isinstance(low, Range):
        if high is not None:
            error("cost_change_min_eur", _("A range is written here and the high end in its own column; keep one."))
            return
        low, high = low.low, low.high
    if low is None:
        return
    if high is None:
        high = low
    values["cost_change_min_eur"], values["cost_change_max_eur"] = min(low, high), max(low, high)
