"""The audit trail as a file for an auditor: one row per changed field, oldest first.

CSV choices, for the spreadsheet an auditor in Finland opens it with:
- UTF-8 with a byte-order mark: without it Excel reads the file as Windows-1252 and mangles
  ä, ö and å.
- `;` between columns: Finnish (and Swedish) Excel uses the comma as the decimal mark and
  therefore expects semicolons in a CSV it opens with a double-click.
- A text cell that starts with = + - @ or a tab gets a leading apostrophe so a spreadsheet never
  runs it as a formula (CSV injection); plain numbers such as -28000000.00 are left as they are.
Column names are stable English identifiers (tools read them); `field_label`, `old` and `new`
are in the reader's language as on the history page, `old_value`/`new_value` exactly as stored.

Both formats are streamed: rows are written as the history is read (`history.iter_entries`), so
a long history never sits in memory whole.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .history import Entry

COLUMNS = [
    "date", "user_id", "username", "full_name", "action", "model", "object_id", "object_code", "version",
    "field", "field_label", "old", "new", "old_value", "new_value", "change_reason",
]
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def rows(entries: Iterable[Entry]) -> Iterator[dict]:
    """One dict per changed field; an entry without changed fields still gives one row."""
    for entry in entries:
        user = entry.user
        base = {
            "date": timezone.localtime(entry.when).isoformat(),
            "user_id": user.pk if user else None,
            "username": user.get_username() if user else "",
            "full_name": user.get_full_name() if user else "",
            "action": entry.action,
            "model": entry.model_name,
            "object_id": entry.object_id,
            "object_code": entry.identifier,
            "version": entry.version_number,
            "change_reason": entry.reason,
        }
        empty = {"field": "", "field_label": "", "old": "", "new": "", "old_value": "", "new_value": ""}
        if not entry.changes:
            yield {**base, **empty}
        for change in entry.changes:
            yield {**base, "field": change.field, "field_label": change.label, "old": change.old,
                   "new": change.new, "old_value": change.old_value, "new_value": change.new_value}


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet never runs as a formula (the reports' BI exports use it too)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(entries: Iterable[Entry]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield BOM + writer.writerow(COLUMNS)
    for row in rows(entries):
        yield writer.writerow([safe_cell(row[column]) for column in COLUMNS])


def json_chunks(entries: Iterable[Entry], meta: dict) -> Iterator[str]:
    """{"meta": …, "changes": [row, …]} written piece by piece."""
    head = json.dumps(meta, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield '{"meta": ' + head + ', "changes": ['
    separator = "\n"
    for row in rows(entries):
        yield separator + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"
