"""Reading a file of the books (CSV or .xlsx) as the financial system exports it, and checking every row
before anything is written.

Actual costs: year, month, cost centre, account, amount. A baseline: year, month (empty = the whole
year), then either a cost centre and an account or an org unit (its code) and a cost category, and the
amount. Headers are understood in Finnish, Swedish and English (vuosi/år/year, kuukausi/månad/month,
kustannuspaikka/kostnadsställe/cost centre, tili/konto/account, summa/belopp/amount, …) in any order and
case; the header may sit under a few title lines. CSV files may be separated by semicolons, commas or
tabs, in UTF-8 (with or without a byte-order mark) or Windows-1252. Amounts are read by
`karki.lib.formatting.parse_amount` ("1 234,56", "-1 234,56", "1234.56", "1 234,56-").

Every problem is reported with its row (as the spreadsheet numbers it) and column, in the language of
the person importing; one problem anywhere means nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from karki.lib.formatting import MoneyParseError, parse_amount
from karki.programmes.enums import CostCategory

from .enums import MAPPABLE_CATEGORIES, BatchKind

YEAR, MONTH, COST_CENTRE, ACCOUNT, ORG_UNIT, CATEGORY, AMOUNT = (
    "year", "month", "cost_centre", "account", "org_unit", "category", "amount")
HEADER_ALIASES = {
    YEAR: ["vuosi", "tilikausi", "år", "räkenskapsår", "year", "fiscal year"],
    MONTH: ["kuukausi", "kk", "kausi", "månad", "period", "month"],
    COST_CENTRE: ["kustannuspaikka", "kustannuspaikan koodi", "kp", "kostnadsställe", "cost centre", "cost center"],
    ACCOUNT: ["tili", "kirjanpitotili", "konto", "bokföringskonto", "account"],
    ORG_UNIT: ["organisaatioyksikkö", "yksikkö", "toimiala", "organisationsenhet", "enhet", "org unit",
               "organisation unit"],
    CATEGORY: ["kustannuslaji", "kululaji", "kostnadsslag", "cost category"],
    AMOUNT: ["summa", "määrä", "euroa", "toteuma", "budjetti", "belopp", "utfall", "budget", "amount", "eur"],
}
COLUMN_LABELS = {
    YEAR: gettext_lazy("Year"), MONTH: gettext_lazy("Month"), COST_CENTRE: gettext_lazy("Cost centre"),
    ACCOUNT: gettext_lazy("Account"), ORG_UNIT: gettext_lazy("Org unit"), CATEGORY: gettext_lazy("Cost category"),
    AMOUNT: gettext_lazy("Amount"),
}
MAX_HEADER_SEARCH = 10
MAX_ERRORS_KEPT = 200  # listed one by one; the rest are counted
MAX_ROWS = 1_000_000
MAX_COLUMNS = 40
FIRST_YEAR, LAST_YEAR = 2000, 2100


class UnreadableFile(Exception):
    """The file cannot be read as a file of the books at all (not a CSV or .xlsx, no header row)."""


@dataclass
class RowError:
    row: int
    column: str  # the column's label in the reader's language, "" for the whole row
    message: str

    def to_data(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ReadFile:
    kind: str
    # Actuals: (row, year, month, cost centre, account, amount).
    # Baseline: (row, year, month or None, cost centre, account, org unit code, category, amount).
    rows: list[tuple] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            label = str(COLUMN_LABELS[column]) if column else ""
            self.errors.append(RowError(row, label, message))

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def total(self) -> Decimal:
        return sum((row[-1] for row in self.rows), Decimal("0"))


def _normal(text) -> str:
    text = str(text or "").replace("\u00a0", " ").replace("_", " ").replace("-", " ").strip().lower()
    text = re.sub(r"\(.*?\)|[.:*]", "", text)  # "Summa (€)", "Tili:", "Vuosi*"
    return " ".join(text.split())


_ALIASES = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}


def _header(cells) -> dict[str, int] | None:
    """Column → index when the cells are a header row of the books (year, amount and one keying found)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _ALIASES.get(_normal(cell))
        if column and column not in found:
            found[column] = index
    if YEAR in found and AMOUNT in found and (COST_CENTRE in found or ORG_UNIT in found or ACCOUNT in found):
        return found
    return None


def _missing_columns(kind: str, header: dict[str, int]) -> list[str]:
    needed = [YEAR, MONTH, COST_CENTRE, ACCOUNT, AMOUNT] if kind == BatchKind.ACTUALS else [YEAR, AMOUNT]
    missing = [c for c in needed if c not in header]
    if kind == BatchKind.BASELINE:
        by_key = COST_CENTRE in header and ACCOUNT in header
        by_unit = ORG_UNIT in header and CATEGORY in header
        if not by_key and not by_unit:
            missing += [c for c in (COST_CENTRE, ACCOUNT) if c not in header]
    return missing


def _rows_of_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _rows_of_xlsx(data: bytes, file_name: str):
    """The rows of the first sheet with a header row of the books, read as a stream. The file is checked
    first as every uploaded workbook is (karki.workbooks.safety: a zip bomb, macros, XML entities or an .xls
    in disguise are refused unread)."""
    from openpyxl import load_workbook

    from karki.workbooks.safety import WorkbookProblem, check_file

    try:
        check_file(data, file_name)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except WorkbookProblem as problem:
        raise UnreadableFile(problem.message) from problem
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableFile(_("The file is not an Excel workbook (.xlsx) that can be read.")) from error
    for sheet in book.worksheets:
        sheet.reset_dimensions()  # never trust the size a file declares
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        head = [next(rows, None) for _i in range(MAX_HEADER_SEARCH)]
        if any(row and _header(row) for row in head):
            def chained(head=head, rows=rows):
                yield from (row or () for row in head if row is not None)
                yield from rows
            return chained()
    return iter(())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_CATEGORY_WORDS: dict[str, str] | None = None


def _category(text: str) -> str | None:
    """A cost category by its code (purchased_services) or its name in any of the languages."""
    global _CATEGORY_WORDS
    if _CATEGORY_WORDS is None:
        from django.utils import translation

        words = {}
        for value, label in MAPPABLE_CATEGORIES:
            words[value] = value
            for language in ("fi", "sv", "en"):
                with translation.override(language):
                    words[_normal(str(label))] = value
        _CATEGORY_WORDS = words
    return _CATEGORY_WORDS.get(_normal(text)) or _CATEGORY_WORDS.get(text.strip())


def read_file(data: bytes, file_name: str, kind: str, *, progress=None) -> ReadFile:
    """Read and check every row; raises `UnreadableFile` when there is nothing to check."""
    name = file_name.lower()
    if name.endswith(".xlsx"):
        rows = _rows_of_xlsx(data, file_name)
    elif name.endswith((".csv", ".txt")):
        rows = _rows_of_csv(data)
    else:
        raise UnreadableFile(_("Give a CSV file (.csv) or an Excel workbook (.xlsx)."))
    header = None
    number = 0
    for number, cells in enumerate(rows, start=1):
        header = _header(cells)
        if header is not None or number >= MAX_HEADER_SEARCH:
            break
    if header is None:
        raise UnreadableFile(_("No header row was found in the first %(count)s rows. The file needs the columns "
                               "%(columns)s.") % {"count": MAX_HEADER_SEARCH, "columns": _needed_text(kind)})
    missing = _missing_columns(kind, header)
    if missing:
        raise UnreadableFile(_("The file lacks the columns %(missing)s. It needs %(columns)s.") % {
            "missing": ", ".join(str(COLUMN_LABELS[c]) for c in missing), "columns": _needed_text(kind)})
    result = ReadFile(kind=kind)
    check = _check_actuals if kind == BatchKind.ACTUALS else _check_baseline
    check(rows, header, result, start=number, progress=progress)
    return result


def _needed_text(kind: str) -> str:
    if kind == BatchKind.ACTUALS:
        return ", ".join(str(COLUMN_LABELS[c]) for c in (YEAR, MONTH, COST_CENTRE, ACCOUNT, AMOUNT))
    return _("%(year)s, %(month)s (optional), %(cc)s and %(account)s or %(unit)s and %(category)s, %(amount)s") % {
        "year": COLUMN_LABELS[YEAR], "month": COLUMN_LABELS[MONTH], "cc": COLUMN_LABELS[COST_CENTRE],
        "account": COLUMN_LABELS[ACCOUNT], "unit": COLUMN_LABELS[ORG_UNIT], "category": COLUMN_LABELS[CATEGORY],
        "amount": COLUMN_LABELS[AMOUNT]}


class _Numbers:
    """Whole numbers of a column (years, months), parsed once per distinct text."""

    def __init__(self, low: int, high: int):
        self.low, self.high, self.seen = low, high, {}

    def __call__(self, value) -> int | None:
        try:
            return self.seen[value]
        except (KeyError, TypeError):
            pass
        text = _text(value)
        number = int(text) if text.isdigit() else None
        if number is not None and not self.low <= number <= self.high:
            number = None
        try:
            self.seen[value] = number
        except TypeError:
            pass
        return number


def _cell(cells, index: int | None):
    if index is None or index >= len(cells):
        return None
    return cells[index]


def _check_actuals(rows, header, result: ReadFile, *, start: int, progress=None) -> None:
    years, months = _Numbers(FIRST_YEAR, LAST_YEAR), _Numbers(1, 12)
    iy, im, ic, ia, iv = (header[c] for c in (YEAR, MONTH, COST_CENTRE, ACCOUNT, AMOUNT))
    width = max(iy, im, ic, ia, iv) + 1
    bad_year = _("Give the year as four digits, for example 2024.")
    bad_month = _("Give the month as a number from 1 to 12.")
    no_cost_centre = _("The cost centre is missing.")
    no_account = _("The account is missing.")
    bad_amount = _("Give the amount in euros, for example 1 234,56 or -1 234,56 (at most two decimals).")
    too_long = _("At most 40 characters.")
    append = result.rows.append
    for number, cells in enumerate(rows, start=start + 1):
        if len(cells) < width:
            if not any(_text(c) for c in cells):
                continue  # an empty line
            cells = list(cells) + [None] * (width - len(cells))
        year, month = years(cells[iy]), months(cells[im])
        cost_centre, account, raw = _text(cells[ic]), _text(cells[ia]), cells[iv]
        if year is None or month is None or not cost_centre or not account or len(cost_centre) > 40 \
                or len(account) > 40:
            if not any(_text(c) for c in cells):
                continue
            if year is None:
                result.error(number, YEAR, bad_year)
            if month is None:
                result.error(number, MONTH, bad_month)
            if not cost_centre or len(cost_centre) > 40:
                result.error(number, COST_CENTRE, no_cost_centre if not cost_centre else too_long)
            if not account or len(account) > 40:
                result.error(number, ACCOUNT, no_account if not account else too_long)
        try:
            amount = parse_amount(raw if raw is not None else "")
        except MoneyParseError:
            result.error(number, AMOUNT, bad_amount)
            continue
        append((number, year, month, cost_centre, account, amount))
        if progress and number % 50_000 == 0:
            progress(min(40, 5 + number // 10_000), _("Checking row %(row)s") % {"row": number})
        if number > MAX_ROWS:
            result.error(number, "", _("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
            break


def _check_baseline(rows, header, result: ReadFile, *, start: int, progress=None) -> None:
    years, months = _Numbers(FIRST_YEAR, LAST_YEAR), _Numbers(1, 12)
    for number, cells in enumerate(rows, start=start + 1):
        if not any(_text(c) for c in cells):
            continue
        year = years(_cell(cells, header.get(YEAR)))
        if year is None:
            result.error(number, YEAR, _("Give the year as four digits, for example 2024."))
        month_text = _text(_cell(cells, header.get(MONTH)))
        month = months(month_text) if month_text else None
        if month_text and month is None:
            result.error(number, MONTH, _("Give the month as a number from 1 to 12, or leave it empty for the "
                                          "whole year."))
        cost_centre, account = _text(_cell(cells, header.get(COST_CENTRE))), _text(_cell(cells, header.get(ACCOUNT)))
        unit, category_text = _text(_cell(cells, header.get(ORG_UNIT))), _text(_cell(cells, header.get(CATEGORY)))
        category = ""
        if cost_centre or account:
            if not cost_centre:
                result.error(number, COST_CENTRE, _("The cost centre is missing."))
            if not account:
                result.error(number, ACCOUNT, _("The account is missing."))
            if unit or category_text:
                result.error(number, ORG_UNIT if unit else CATEGORY, _(
                    "Give either a cost centre and an account or an org unit and a cost category, not both."))
        elif unit or category_text:
            if not unit:
                result.error(number, ORG_UNIT, _("The org unit is missing."))
            found = _category(category_text) if category_text else None
            if found is None:
                result.error(number, CATEGORY, _("Give a cost category of Kärki, for example “%(example)s”.") % {
                    "example": CostCategory.PERSONNEL.label})
            category = found or ""
        else:
            result.error(number, COST_CENTRE, _("Give a cost centre and an account, or an org unit and a cost "
                                                "category."))
        try:
            amount = parse_amount(_cell(cells, header.get(AMOUNT)) or "")
        except MoneyParseError:
            result.error(number, AMOUNT, _("Give the amount in euros, for example 1 234,56 or -1 234,56 (at most "
                                           "two decimals)."))
            continue
        result.rows.append((number, year, month, cost_centre, account, unit, category, amount))
        if number > MAX_ROWS:
            result.error(number, "", _("The file has more than %(count)s rows.") % {"count": MAX_ROWS})
            break
