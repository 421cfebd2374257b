"""Import of a county's OKR table (xlsx or csv): Toimiala, Tulosalue, Tavoite, Avaintulos,
Luottavaisuusarvio — or the same columns in Swedish or English.

Two phases. `read_table` parses and checks everything into an `ImportPreview` and writes nothing;
the person looks at it, decides each flagged row, and `apply_preview` writes the whole table in
one transaction through the services.

Real tables are messy, and the rules below come from them:
- spreadsheets leave Toimiala/Tulosalue/Tavoite blank under a merged cell: merged ranges of an
  xlsx are filled from their first cell, and a blank cell takes the value of the row above;
- a row with only Avaintulos text (nothing else) continues the previous key result's text when it
  reads as the rest of a sentence (see `_continues`: under a blank objective cell a row starting with
  a capital letter is a new key result without a confidence yet);
- the last column is meant to be a 0–100 confidence, but sometimes holds a measured value
  (6,76 for a 6 % coverage target, 180 for a < 190 €/day price target, −51, 1827): a decimal,
  a negative number, a number above 100, a number with a unit or any other text is *flagged*
  and never taken as confidence without a person's decision; an empty cell means no check-in;
- a whole number 0–100 is not taken as a confidence either when the key result's own text (read by
  `reading.read_key_result`) puts it on the key result's scale: inside or near its target band, near its
  target or baseline, or a count where the key result counts things. The row is flagged with the reason
  in words and a suggestion (take as the current value) that the person may change;
- a text value ("Kyllä") can be kept as the check-in's comment.

Re-importing is idempotent: objectives and key results are matched with their whitespace and line breaks
normalised (a key result written over two rows of a .csv is the one of a multi-line .xlsx cell), and a
row whose check-in equals the key result's latest imported check-in adds nothing ("already imported");
a changed value becomes a new check-in. The check and the import run as background jobs (`jobs.py`)
with a limit on the file's size and its rows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from karki.lib.formatting import format_number
from karki.organisations.models import OrgUnit
from karki.organisations.services import create_org_unit

from . import services
from .enums import Direction
from .models import CheckIn, KeyResult, Objective
from .reading import DOWN, Reading, read_key_result

COLUMNS = ("service_area", "result_area", "objective", "key_result", "confidence")
REQUIRED = ("service_area", "objective", "key_result")
HEADER_ALIASES = {
    "service_area": {"fi": ["toimiala"], "sv": ["verksamhetsområde"], "en": ["service area"]},
    "result_area": {"fi": ["tulosalue"], "sv": ["resultatområde"], "en": ["result area"]},
    "objective": {"fi": ["tavoite"], "sv": ["mål"], "en": ["objective"]},
    "key_result": {"fi": ["avaintulos"], "sv": ["nyckelresultat"], "en": ["key result"]},
    "confidence": {"fi": ["luottavaisuusarvio", "luottavaisuus"], "sv": ["konfidensbedömning", "konfidens"],
                   "en": ["confidence"]},
}
COLUMN_LABELS = {
    "service_area": gettext_lazy("Service area (Toimiala)"),
    "result_area": gettext_lazy("Result area (Tulosalue)"),
    "objective": gettext_lazy("Objective (Tavoite)"),
    "key_result": gettext_lazy("Key result (Avaintulos)"),
    "confidence": gettext_lazy("Confidence (Luottavaisuusarvio)"),
}
MAX_HEADER_SEARCH = 10
MAX_ROWS = 5000  # rows under the header; a county's OKR table has a few hundred
MAX_COLUMNS = 30

# Statuses of a row in the preview.
OK, FLAGGED, REJECTED, CONTINUATION = "ok", "flagged", "rejected", "continuation"
# What a person may decide for a flagged row.
AS_CONFIDENCE, AS_VALUE, AS_COMMENT, IGNORE = "confidence", "value", "comment", "ignore"
# What importing a row does to what is stored, compared before anything is written.
NEW_KEY_RESULT, NEW_CHECK_IN, ALREADY_IMPORTED, NOTHING = "new", "check_in", "already", "nothing"


class UnreadableFile(Exception):
    """The file cannot be read as an OKR table; nothing is written."""


@dataclass
class ImportRow:
    number: int  # the row number a spreadsheet shows (the header row included)
    service_area: str = ""
    result_area: str = ""
    objective: str = ""
    key_result: str = ""
    raw: str = ""  # the last column as written
    status: str = OK
    confidence: int | None = None
    number_value: str | None = None  # the last column read as a number (Decimal as text), if it is one
    message: str = ""
    continued_by: list[int] = field(default_factory=list)
    reading: dict | None = None  # `Reading.to_data()` of the key result's text
    suggestion: str = ""  # the decision suggested for a flagged row
    stored: str = ""  # NEW_KEY_RESULT, NEW_CHECK_IN, ALREADY_IMPORTED or NOTHING once compared
    key_result_id: int | None = None  # the stored key result it matches

    @property
    def read(self) -> Reading | None:
        return Reading.from_data(self.reading) if self.reading else None

    @property
    def raw_is_number(self) -> bool:
        return self.number_value is not None and _number(self.raw) is not None

    @property
    def can_be_comment(self) -> bool:
        return bool(self.raw.strip())

    @property
    def can_be_confidence(self) -> bool:
        return self.number_value is not None and 0 <= Decimal(self.number_value) <= 100

    @property
    def can_be_value(self) -> bool:
        return self.number_value is not None


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    language: str = "fi"
    file_name: str = ""

    def _numbers(self, status: str) -> list[int]:
        return [row.number for row in self.rows if row.status == status]

    @property
    def ok_rows(self) -> list[int]:
        return self._numbers(OK)

    @property
    def flagged_rows(self) -> list[int]:
        return self._numbers(FLAGGED)

    @property
    def rejected_rows(self) -> list[int]:
        return self._numbers(REJECTED)

    @property
    def flagged(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == FLAGGED]

    @property
    def key_result_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status in (OK, FLAGGED)]

    def to_data(self) -> dict:
        return {"language": self.language, "file_name": self.file_name, "rows": [asdict(row) for row in self.rows]}

    @classmethod
    def from_data(cls, data: dict) -> ImportPreview:
        return cls(rows=[ImportRow(**row) for row in data["rows"]], language=data["language"],
                   file_name=data.get("file_name", ""))


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)  # rows that made a new key result
    matched: list[int] = field(default_factory=list)  # rows whose key result already existed
    flagged: list[tuple[int, str]] = field(default_factory=list)  # (row, decision)
    already: list[int] = field(default_factory=list)  # rows whose check-in was imported before
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    check_ins: int = 0
    org_units: list[str] = field(default_factory=list)
    objectives: int = 0

    def to_data(self) -> dict:
        return asdict(self)


# -- Reading ---------------------------------------------------------------------------------


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _header_key(text: str) -> tuple[str, str] | None:
    """(column, language) of a header cell: "Luottavaisuusarvio (0–100)" is the confidence in Finnish."""
    text = " ".join(_clean(text).lower().split())
    for column, languages in HEADER_ALIASES.items():
        for language, aliases in languages.items():
            for alias in aliases:
                if text == alias or re.match(rf"{re.escape(alias)}s?\b", text):
                    return column, language
    return None


def _rows_from_xlsx(data: bytes, file_name: str = "") -> list[list]:
    """The first sheet's rows, read as a stream (a file may claim a million rows), at most MAX_ROWS."""
    from openpyxl import load_workbook

    from karki.workbooks.safety import WorkbookProblem, check_file, merged_ranges

    try:
        check_file(data, file_name)  # a zip bomb, macros, XML entities, an .xls in disguise: refused unread
    except WorkbookProblem as problem:
        raise UnreadableFile(problem.message) from problem
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust the size a file declares
        rows = []
        for cells in sheet.iter_rows(max_col=MAX_COLUMNS):
            if len(rows) > MAX_ROWS + MAX_HEADER_SEARCH:
                raise UnreadableFile(_too_many_rows())
            row = []
            for cell in cells:
                value = getattr(cell, "value", None)
                # A cell formatted as a percentage stores 80 % as 0.8.
                if isinstance(value, (int, float)) and "%" in (getattr(cell, "number_format", "") or ""):
                    value = f"{Decimal(str(value)) * 100} %"
                elif isinstance(value, float):
                    value = Decimal(str(value))  # 6.75 as written, not a binary fraction
                row.append(value)
            rows.append(row)
        merged = merged_ranges(data, sheet._worksheet_path)
        workbook.close()
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise UnreadableFile(_("The file could not be read as an Excel workbook (xlsx). Save it as .xlsx or "
                               ".csv and try again.")) from exc
    # Merged cells keep their value in the first cell only; give it to every cell of the range.
    from openpyxl.utils.cell import range_boundaries

    for ref in merged:
        min_col, min_row, max_col, max_row = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
        if min_row - 1 >= len(rows):
            continue
        first = rows[min_row - 1][min_col - 1] if min_col - 1 < len(rows[min_row - 1]) else None
        for r in range(min_row - 1, min(max_row, len(rows))):
            for c in range(min_col - 1, min(max_col, MAX_COLUMNS)):
                while len(rows[r]) <= c:
                    rows[r].append(None)
                rows[r][c] = first
    return rows


def _too_many_rows() -> str:
    return _("The table has more than %(limit)s rows. An OKR table has far fewer: remove the extra rows (also "
             "empty rows with formatting) or split the table, and try again.") % {"limit": _fmt(Decimal(MAX_ROWS))}


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file's characters could not be read. Save it as UTF-8 CSV or as .xlsx."))


def _rows_from_csv(data: bytes) -> list[list]:
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a text (CSV) file. Save it as .csv or .xlsx."))
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        delimiter = max(";,\t", key=first.count)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) > MAX_ROWS + MAX_HEADER_SEARCH:
                raise UnreadableFile(_too_many_rows())
            rows.append(row[:MAX_COLUMNS])
        return rows
    except csv.Error as exc:
        raise UnreadableFile(_("The CSV file is broken: %(error)s") % {"error": exc}) from exc


def _number(text: str) -> Decimal | None:
    """6,76 / −51 / 1 827 / 80 % → a Decimal; None when the text is not a plain number."""
    cleaned = text.replace("\u2212", "-").replace("\u2013", "-").replace(" ", "").replace("\u202f", "")
    cleaned = cleaned.rstrip("%").replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _number_with_unit(text: str) -> Decimal | None:
    match = re.search(r"[-\u2212\u2013]?\s*\d[\d \u202f]*(?:[.,]\d+)?", text)
    return _number(match.group(0)) if match else None


def _fmt(number: Decimal) -> str:
    """A figure as written (its own decimals), in the active language: 6,75 in Finnish."""
    places = max(0, -number.normalize().as_tuple().exponent) if number == number else 0
    return format_number(number, get_language(), min(places, 4))


def _with_unit(number: Decimal, unit: str) -> str:
    return f"{_fmt(number)} {unit}".strip()


def on_scale_reason(number: Decimal, reading: Reading | None) -> str:
    """Why a whole number 0–100 reads as a value on the key result's own scale, or "" when it does not."""
    if reading is None:
        return ""
    values = {"value": _fmt(number), "metric": reading.metric}
    if reading.has_band:
        low, high = reading.target_low, reading.target_high
        margin = max(high - low, high * Decimal("0.05"), Decimal(1))
        if low - margin <= number <= high + margin:
            values["band"] = _with_unit(low, "") + "–" + _with_unit(high, reading.unit)
            if low <= number <= high:
                return _("%(value)s lies inside the key result's target band %(band)s: it looks like the measured "
                         "value, not a confidence.") % values
            return _("%(value)s lies near the key result's target band %(band)s: it looks like the measured value, "
                     "not a confidence.") % values
    elif reading.target is not None:
        if abs(number - reading.target) <= max(abs(reading.target) * Decimal("0.25"), Decimal(2)):
            values["target"] = _with_unit(reading.target, reading.unit)
            return _("%(value)s is close to the key result's target %(target)s: it looks like the measured value, "
                     "not a confidence.") % values
    if reading.baseline is not None:
        if abs(number - reading.baseline) <= max(abs(reading.baseline) * Decimal("0.5"), Decimal(2)):
            values["baseline"] = _with_unit(reading.baseline, reading.unit)
            return _("%(value)s is comparable to the key result's baseline %(baseline)s: it looks like the "
                     "measured value, not a confidence.") % values
    if reading.counts:
        return _("The key result counts things (“%(metric)s”): %(value)s looks like a count, not a "
                 "confidence.") % values
    return ""


def classify_confidence(raw: str, reading: Reading | None = None) -> tuple[str, int | None, Decimal | None, str,
                                                                            str]:
    """(status, confidence, number, message, suggestion) for the last column of a row, read against the
    key result's own text."""
    raw = raw.strip()
    if not raw:
        return OK, None, None, "", ""
    number = _number(raw)
    if number is None:
        found = _number_with_unit(raw)
        if found is not None:
            return (FLAGGED, None, found, _("Has a unit: looks like a measured value, not a confidence."),
                    AS_VALUE)
        return (FLAGGED, None, None, _("Not a number: cannot be a 0–100 confidence. It can be kept as the "
                                       "check-in's comment."), AS_COMMENT)
    if number != number.to_integral_value():
        return (FLAGGED, None, number, _("A decimal number: looks like a measured value, not a confidence."),
                AS_VALUE)
    if number < 0:
        return (FLAGGED, None, number, _("A negative number: looks like a measured value, not a confidence."),
                AS_VALUE)
    if number > 100:
        return FLAGGED, None, number, _("Above 100: looks like a measured value, not a confidence."), AS_VALUE
    reason = on_scale_reason(number, reading)
    if reason:
        return FLAGGED, None, number, reason, AS_VALUE
    return OK, int(number), number, "", ""


def read_table(data: bytes, file_name: str = "", *, year: int | None = None, progress=None) -> ImportPreview:
    """Parse and check a whole table; raises `UnreadableFile`. Nothing is written. `year` is the year
    "tilikauden aikana" means in a key result's text (the year of the check-ins)."""
    if not data:
        raise UnreadableFile(_("The file is empty."))
    from django.conf import settings

    if len(data) > settings.JOB_INPUT_MAX_BYTES:
        raise UnreadableFile(_("The file is too large: the largest table accepted is %(limit)s MB.") % {
            "limit": _fmt(Decimal(settings.JOB_INPUT_MAX_BYTES) / 1_000_000)})
    name = file_name.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        raw_rows = _rows_from_xlsx(data, file_name)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise UnreadableFile(_("Old Excel files (.xls) cannot be read. Save the table as .xlsx or .csv."))
    else:
        raw_rows = _rows_from_csv(data)
    header_index, columns, language = _find_header(raw_rows)
    if len(raw_rows) - header_index - 1 > MAX_ROWS:
        raise UnreadableFile(_too_many_rows())
    preview = ImportPreview(rows=[], language=language, file_name=file_name)
    filled = {"service_area": "", "result_area": "", "objective": ""}
    previous: ImportRow | None = None
    previous_text = ""  # the previous key result's own cell, before continuation rows were added
    for index in range(header_index + 1, len(raw_rows)):
        cells = raw_rows[index]
        values = {column: _clean(cells[position]) if position < len(cells) else ""
                  for column, position in columns.items()}
        values.setdefault("result_area", "")
        values.setdefault("confidence", "")
        if not any(values.values()):
            continue
        row = ImportRow(number=index + 1, raw=values["confidence"])
        if previous is not None and _continues_previous(values, previous, previous_text):
            text, value = values["key_result"], values["confidence"]
            if text and text != previous_text:
                previous.key_result = f"{previous.key_result}\n{text}"
            if value:  # the previous key result had no last column: this row's is its value
                previous.raw = value
            previous.continued_by.append(row.number)
            row.status, row.key_result = CONTINUATION, text
            row.message = (_("Continues the key result of row %(row)s; its last column belongs to it.") if value
                           else _("Continues the key result of row %(row)s.")) % {"row": previous.number}
            preview.rows.append(row)
            continue
        if values["service_area"]:
            # A new service area starts a new branch: its result area is not inherited.
            filled = {"service_area": values["service_area"], "result_area": "", "objective": ""}
        if values["result_area"]:
            filled["result_area"] = values["result_area"]
            filled["objective"] = ""
        if values["objective"]:
            filled["objective"] = values["objective"]
        row.service_area, row.result_area, row.objective = (
            filled["service_area"], filled["result_area"], filled["objective"])
        row.key_result = values["key_result"]
        missing = [str(COLUMN_LABELS[c]) for c in ("service_area", "objective", "key_result") if not getattr(row, c)]
        if missing:
            row.status = REJECTED
            row.message = _("Missing: %(columns)s.") % {"columns": ", ".join(missing)}
            previous = None
            preview.rows.append(row)
            continue
        row.raw = values["confidence"]
        preview.rows.append(row)
        previous, previous_text = row, row.key_result
    if not preview.key_result_rows and not preview.rejected_rows:
        raise UnreadableFile(_("The table has a header row but no key results under it."))
    # The key results' texts are whole only now (continuation rows): read them, then their last column.
    rows = preview.key_result_rows
    for done, row in enumerate(rows):
        reading = read_key_result(row.key_result, year=year)
        row.reading = reading.to_data()
        _classify_into(row, row.raw, reading)
        if progress is not None and done % 200 == 0:
            progress(10 + 60 * done // max(len(rows), 1), _("Reading the key results"))
    return preview


def _classify_into(row: ImportRow, raw: str, reading: Reading | None = None) -> None:
    status, confidence, number, message, suggestion = classify_confidence(raw, reading)
    row.raw, row.status, row.confidence, row.message, row.suggestion = raw, status, confidence, message, suggestion
    row.number_value = str(number) if number is not None else None


def _continues_previous(values: dict[str, str], previous: ImportRow, previous_text: str) -> bool:
    """Does this row carry on the previous key result rather than start one?

    Only when its area and objective cells are blank or repeat the previous row's (merged cells), and
    - its key-result text reads as the rest of a sentence (`_continues`), or repeats the previous key
      result's cell (a merged cell spanning rows), and it brings no second last-column value; or
    - it has no key-result text at all, only the last-column value the previous key result lacks.
    """
    same_place = all(not values[c] or values[c] == getattr(previous, c)
                     for c in ("service_area", "result_area", "objective"))
    if not same_place:
        return False
    text, value = values["key_result"], values["confidence"]
    if value and previous.raw:
        return False  # two values: two key results (or a table to fix by hand)
    if not text:
        return bool(value)
    return text == previous_text or _continues(text)


def _continues(text: str) -> bool:
    """A row with only key-result text continues the previous key result when it reads as the rest of
    a sentence (starts in lower case, with a digit or punctuation). Under a blank or merged objective a
    row that starts with a capital letter is a key result of its own that has no confidence yet, and so
    is one whose first word is an abbreviation written with capitals inside it (eNPS, iHoito)."""
    first_word = text.split()[0] if text.split() else ""
    if any(ch.isupper() for ch in first_word[1:]) and first_word[:1].isalpha():
        return False
    first = text[:1]
    return not (first.isalpha() and first.isupper())


def _find_header(rows: list[list]) -> tuple[int, dict[str, int], str]:
    for index, cells in enumerate(rows[:MAX_HEADER_SEARCH]):
        columns: dict[str, int] = {}
        languages: list[str] = []
        for position, cell in enumerate(cells):
            found = _header_key(cell) if isinstance(cell, str) else None
            if found and found[0] not in columns:
                columns[found[0]] = position
                languages.append(found[1])
        if {"objective", "key_result"} <= set(columns):
            missing = [str(COLUMN_LABELS[c]) for c in REQUIRED if c not in columns]
            if missing:
                raise UnreadableFile(_("The table has no column for: %(columns)s.") % {"columns": ", ".join(missing)})
            language = max(set(languages), key=languages.count)
            return index, columns, language
    raise UnreadableFile(_("No header row was found. The first rows must name the columns Toimiala, Tulosalue, "
                           "Tavoite, Avaintulos and Luottavaisuusarvio (or the same in Swedish or English)."))


# -- Comparing with what is stored, and writing ----------------------------------------------


def _norm(text: str) -> str:
    """Whitespace and line breaks normalised, case kept: the .csv and the .xlsx of one table match."""
    return " ".join((text or "").split())


class _Stored:
    """The organisation's org units, objectives and key results, read once and found by normalised text."""

    def __init__(self, organisation):
        self.units: dict[tuple[int | None, str], OrgUnit] = {}
        for unit in OrgUnit.objects.filter(organisation=organisation):
            for name in {getattr(unit, f"name_{code}", "") or "" for code in ("fi", "sv", "en")} | {unit.code}:
                if name:
                    self.units.setdefault((unit.parent_id, _norm(name).lower()), unit)
        self.objectives: dict[tuple[int, str], Objective] = {}
        for objective in Objective.objects.filter(organisation=organisation):
            self.objectives.setdefault((objective.org_unit_id, _norm(objective.title)), objective)
        self.key_results: dict[tuple[int, str], KeyResult] = {}
        for kr in KeyResult.objects.filter(objective__organisation=organisation):
            self.key_results.setdefault((kr.objective_id, _norm(kr.text)), kr)
        self.last_imported: dict[int, CheckIn] = {}
        imported = CheckIn.objects.filter(key_result__objective__organisation=organisation, source_row__isnull=False)
        for entry in imported.order_by("date", "created_at", "pk"):
            self.last_imported[entry.key_result_id] = entry

    def unit(self, name: str, parent) -> OrgUnit | None:
        return self.units.get((parent.pk if parent else None, _norm(name).lower()))

    def key_result_of(self, row: ImportRow) -> KeyResult | None:
        area = self.unit(row.service_area, None)
        if area is None:
            return None
        if row.result_area:
            area = self.unit(row.result_area, area)
            if area is None:
                return None
        objective = self.objectives.get((area.pk, _norm(row.objective)))
        if objective is None:
            return None
        return self.key_results.get((objective.pk, _norm(row.key_result)))


def stored_reading(kr: KeyResult) -> Reading | None:
    """What a stored key result says of its own scale, when a person (or an import) set it."""
    if kr.target is None and kr.baseline is None:
        return None
    return Reading(metric=kr.metric or kr.text[:200], unit=kr.unit, target=kr.target, target_low=kr.target_low,
                   target_high=kr.target_high, direction=kr.direction, baseline=kr.baseline,
                   baseline_year=kr.baseline_year, deadline=kr.deadline,
                   counts=(read_key_result(kr.text).counts if kr.unit not in ("%", "€", "M€") else False))


def row_check_in(row: ImportRow, decision: str | None) -> tuple[Decimal | None, int | None, str] | None:
    """(value, confidence, comment) the row's check-in would have, or None for no check-in."""
    if row.status == OK:
        return (None, row.confidence, "") if row.confidence is not None else None
    if row.status != FLAGGED:
        return None
    number = Decimal(row.number_value) if row.number_value is not None else None
    if decision == AS_CONFIDENCE and number is not None:
        return None, int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP)), ""
    if decision == AS_VALUE and number is not None:
        return number, None, ""
    if decision == AS_COMMENT and row.raw.strip():
        return None, None, row.raw.strip()
    return None


def _same(entry: CheckIn | None, outcome) -> bool:
    return entry is not None and (entry.value, entry.confidence, entry.comment) == outcome


def compare_with_stored(preview: ImportPreview, organisation) -> None:
    """Say for each key-result row what importing it would do to what is stored (with the suggested
    decision for a flagged row). A key result already stored is read with its stored target and baseline,
    which a person may have set, rather than with its text."""
    stored = _Stored(organisation)
    for row in preview.key_result_rows:
        kr = stored.key_result_of(row)
        row.key_result_id = kr.pk if kr else None
        if kr is not None:
            reading = stored_reading(kr)
            if reading is not None:
                _classify_into(row, row.raw, reading)
        outcome = row_check_in(row, row.suggestion or None)
        if kr is None:
            row.stored = NEW_KEY_RESULT
        elif outcome is None:
            row.stored = NOTHING
        elif _same(stored.last_imported.get(kr.pk), outcome):
            row.stored = ALREADY_IMPORTED
        else:
            row.stored = NEW_CHECK_IN


def check_decisions(preview: ImportPreview, decisions: dict[int, str]) -> dict[int, str]:
    """Errors by row number for flagged rows without a possible decision."""
    errors = {}
    for row in preview.flagged:
        decision = decisions.get(row.number)
        shown = _fmt(Decimal(row.number_value)) if row.raw_is_number else row.raw
        if decision not in (AS_CONFIDENCE, AS_VALUE, AS_COMMENT, IGNORE):
            errors[row.number] = _("Row %(row)s: choose what the value %(value)s is.") % {
                "row": row.number, "value": shown}
        elif decision == AS_CONFIDENCE and not row.can_be_confidence:
            errors[row.number] = _("Row %(row)s: %(value)s cannot be a confidence from 0 to 100.") % {
                "row": row.number, "value": shown}
        elif decision == AS_VALUE and not row.can_be_value:
            errors[row.number] = _("Row %(row)s: %(value)s is not a number.") % {"row": row.number, "value": shown}
    return errors


READ_FIELDS = ("metric", "unit", "target", "target_low", "target_high", "direction", "baseline", "baseline_year",
               "deadline")


def key_result_fields(row: ImportRow, correction: dict | None = None) -> dict:
    """The fields of a new key result: what was read from its text, as the person corrected it."""
    reading = row.read or Reading()
    fields = {
        "metric": reading.metric, "unit": reading.unit, "target": reading.target, "target_low": reading.target_low,
        "target_high": reading.target_high,
        "direction": Direction.DOWN if reading.direction == DOWN else Direction.UP,
        "baseline": reading.baseline, "baseline_year": reading.baseline_year, "deadline": reading.deadline,
    }
    for name, value in (correction or {}).items():
        if name in READ_FIELDS:
            fields[name] = value
    return fields


@transaction.atomic
def apply_preview(preview: ImportPreview, *, organisation, decisions: dict[int, str], on: date, by,
                  corrections: dict[int, dict] | None = None, progress=None) -> ImportReport:
    """Write the org units, objectives, key results and check-ins of a checked table, all or nothing.
    `decisions` says, per flagged row number, AS_CONFIDENCE, AS_VALUE, AS_COMMENT or IGNORE; `corrections`
    the person's corrections of what was read from a new key result's text (`READ_FIELDS`)."""
    from django.core.exceptions import ValidationError

    errors = check_decisions(preview, decisions)
    if errors:
        raise ValidationError(list(errors.values()))
    corrections = corrections or {}
    report = ImportReport()
    stored = _Stored(organisation)
    units: dict = {}
    objectives: dict = {}
    rows = [row for row in preview.rows if row.status != CONTINUATION]
    for done, row in enumerate(rows):
        if progress is not None and done % 100 == 0:
            progress(5 + 90 * done // max(len(rows), 1), _("Importing the rows"))
        if row.status == REJECTED:
            report.rejected.append((row.number, row.message))
            continue
        unit = _find_or_create_unit(organisation, row.service_area, None, report, by, units, preview.language,
                                    stored)
        if row.result_area:
            unit = _find_or_create_unit(organisation, row.result_area, unit, report, by, units, preview.language,
                                        stored)
        key = (unit.pk, _norm(row.objective))
        objective = objectives.get(key) or stored.objectives.get(key)
        if objective is None:
            objective = services.create_objective(organisation=organisation, org_unit=unit, title=row.objective,
                                                  language=preview.language, by=by)
            report.objectives += 1
        objectives[key] = objective
        kr_key = (objective.pk, _norm(row.key_result))
        kr = stored.key_results.get(kr_key)
        if kr is None:
            kr = services.create_key_result(objective=objective, text=row.key_result, by=by,
                                            **key_result_fields(row, corrections.get(row.number)))
            stored.key_results[kr_key] = kr
            report.created.append(row.number)
        else:
            report.matched.append(row.number)
        decision = decisions.get(row.number) if row.status == FLAGGED else None
        if decision is not None:
            report.flagged.append((row.number, decision))
        outcome = row_check_in(row, decision)
        if outcome is None:
            continue
        if _same(stored.last_imported.get(kr.pk), outcome):
            report.already.append(row.number)
            continue
        value, confidence, comment = outcome
        stored.last_imported[kr.pk] = services.check_in(
            key_result=kr, on=on, confidence=confidence, value=value, comment=comment, by=by,
            source_file=preview.file_name, source_row=row.number)
        report.check_ins += 1
    return report


def _unit_code(organisation, name: str) -> str:
    base = (slugify(name)[:30] or "unit").upper()
    code, n = base, 1
    while OrgUnit.objects.filter(organisation=organisation, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _find_or_create_unit(organisation, name: str, parent, report: ImportReport, by, cache: dict,
                         language: str, stored: _Stored) -> OrgUnit:
    key = (parent.pk if parent else None, _norm(name).lower())
    if key in cache:
        return cache[key]
    unit = stored.unit(name, parent)
    if unit is None:
        unit = create_org_unit(organisation=organisation, code=_unit_code(organisation, name),
                               name={language: _norm(name)}, parent=parent, by=by)
        report.org_units.append(name)
    cache[key] = unit
    return unit
