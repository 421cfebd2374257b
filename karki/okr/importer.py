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
  and never taken as confidence without a person's decision; an empty cell means no check-in.
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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from karki.organisations.models import OrgUnit
from karki.organisations.services import create_org_unit

from . import services
from .models import KeyResult, Objective

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

# Statuses of a row in the preview.
OK, FLAGGED, REJECTED, CONTINUATION = "ok", "flagged", "rejected", "continuation"
# What a person may decide for a flagged row.
AS_CONFIDENCE, AS_VALUE, IGNORE = "confidence", "value", "ignore"


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
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    check_ins: int = 0
    org_units: list[str] = field(default_factory=list)
    objectives: int = 0


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


def _rows_from_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise UnreadableFile(_("The file could not be read as an Excel workbook (xlsx). Save it as .xlsx or "
                               ".csv and try again.")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for cells in sheet.iter_rows():
        row = []
        for cell in cells:
            value = cell.value
            # A cell formatted as a percentage stores 80 % as 0.8.
            if isinstance(value, (int, float)) and "%" in (cell.number_format or ""):
                value = f"{Decimal(str(value)) * 100} %"
            row.append(value)
        rows.append(row)
    # Merged cells keep their value in the first cell only; give it to every cell of the range.
    for merged in sheet.merged_cells.ranges:
        first = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(rows) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, merged.max_col):
                while len(rows[r]) <= c:
                    rows[r].append(None)
                rows[r][c] = first
    return rows


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
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
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


def classify_confidence(raw: str) -> tuple[str, int | None, Decimal | None, str]:
    """(status, confidence, number, message) for the last column of a row."""
    raw = raw.strip()
    if not raw:
        return OK, None, None, ""
    number = _number(raw)
    if number is None:
        found = _number_with_unit(raw)
        if found is not None:
            return FLAGGED, None, found, _("Has a unit: looks like a measured value, not a confidence.")
        return FLAGGED, None, None, _("Not a number: cannot be a 0–100 confidence.")
    if number != number.to_integral_value():
        return FLAGGED, None, number, _("A decimal number: looks like a measured value, not a confidence.")
    if number < 0:
        return FLAGGED, None, number, _("A negative number: looks like a measured value, not a confidence.")
    if number > 100:
        return FLAGGED, None, number, _("Above 100: looks like a measured value, not a confidence.")
    return OK, int(number), number, ""


def read_table(data: bytes, file_name: str = "") -> ImportPreview:
    """Parse and check a whole table; raises `UnreadableFile`. Nothing is written."""
    if not data:
        raise UnreadableFile(_("The file is empty."))
    name = file_name.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        raw_rows = _rows_from_xlsx(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise UnreadableFile(_("Old Excel files (.xls) cannot be read. Save the table as .xlsx or .csv."))
    else:
        raw_rows = _rows_from_csv(data)
    header_index, columns, language = _find_header(raw_rows)
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
                _classify_into(previous, value)
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
        _classify_into(row, values["confidence"])
        preview.rows.append(row)
        previous, previous_text = row, row.key_result
    if not preview.key_result_rows and not preview.rejected_rows:
        raise UnreadableFile(_("The table has a header row but no key results under it."))
    return preview


def _classify_into(row: ImportRow, raw: str) -> None:
    status, confidence, number, message = classify_confidence(raw)
    row.raw, row.status, row.confidence, row.message = raw, status, confidence, message
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


# -- Writing ---------------------------------------------------------------------------------


def _unit_code(organisation, name: str) -> str:
    base = (slugify(name)[:30] or "unit").upper()
    code, n = base, 1
    while OrgUnit.objects.filter(organisation=organisation, code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _find_or_create_unit(organisation, name: str, parent, report: ImportReport, by, cache: dict,
                         language: str) -> OrgUnit:
    key = (parent.pk if parent else None, name.lower())
    if key in cache:
        return cache[key]
    candidates = OrgUnit.objects.filter(organisation=organisation, parent=parent)
    unit = next((u for u in candidates if name.lower() in {
        (getattr(u, f"name_{code}", "") or "").lower() for code in ("fi", "sv", "en")} | {u.code.lower()}), None)
    if unit is None:
        unit = create_org_unit(organisation=organisation, code=_unit_code(organisation, name),
                               name={language: name}, parent=parent, by=by)
        report.org_units.append(name)
    cache[key] = unit
    return unit


def check_decisions(preview: ImportPreview, decisions: dict[int, str]) -> dict[int, str]:
    """Errors by row number for flagged rows without a possible decision."""
    errors = {}
    for row in preview.flagged:
        decision = decisions.get(row.number)
        if decision not in (AS_CONFIDENCE, AS_VALUE, IGNORE):
            errors[row.number] = _("Row %(row)s: choose what the value %(value)s is.") % {
                "row": row.number, "value": row.raw}
        elif decision == AS_CONFIDENCE and not row.can_be_confidence:
            errors[row.number] = _("Row %(row)s: %(value)s cannot be a confidence from 0 to 100.") % {
                "row": row.number, "value": row.raw}
        elif decision == AS_VALUE and not row.can_be_value:
            errors[row.number] = _("Row %(row)s: %(value)s is not a number.") % {"row": row.number, "value": row.raw}
    return errors


@transaction.atomic
def apply_preview(preview: ImportPreview, *, organisation, decisions: dict[int, str], on: date, by) -> ImportReport:
    """Write the org units, objectives, key results and first check-ins of a checked table, all or
    nothing. `decisions` says, per flagged row number, AS_CONFIDENCE, AS_VALUE or IGNORE."""
    from django.core.exceptions import ValidationError

    errors = check_decisions(preview, decisions)
    if errors:
        raise ValidationError(list(errors.values()))
    report = ImportReport()
    units: dict = {}
    objectives: dict = {}
    for row in preview.rows:
        if row.status == REJECTED:
            report.rejected.append((row.number, row.message))
            continue
        if row.status == CONTINUATION:
            continue
        unit = _find_or_create_unit(organisation, row.service_area, None, report, by, units, preview.language)
        if row.result_area:
            unit = _find_or_create_unit(organisation, row.result_area, unit, report, by, units, preview.language)
        key = (unit.pk, row.objective)
        objective = objectives.get(key)
        if objective is None:
            objective = Objective.objects.filter(organisation=organisation, org_unit=unit, title=row.objective).first()
            if objective is None:
                objective = services.create_objective(organisation=organisation, org_unit=unit, title=row.objective,
                                                      language=preview.language, by=by)
                report.objectives += 1
            objectives[key] = objective
        kr = KeyResult.objects.filter(objective=objective, text=row.key_result).first()
        if kr is None:
            kr = services.create_key_result(objective=objective, text=row.key_result, by=by)
            report.created.append(row.number)
        else:
            report.matched.append(row.number)
        confidence, value = row.confidence, None
        if row.status == FLAGGED:
            decision = decisions[row.number]
            report.flagged.append((row.number, decision))
            number = Decimal(row.number_value) if row.number_value is not None else None
            if decision == AS_CONFIDENCE:
                confidence = int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            elif decision == AS_VALUE:
                value = number
        if confidence is not None or value is not None:
            services.check_in(key_result=kr, on=on, confidence=confidence, value=value,
                              comment=_("Imported from %(file)s, row %(row)s.") % {
                                  "file": preview.file_name or _("a table"), "row": row.number}, by=by)
            report.check_ins += 1
    return report
