"""CSV for BI tools and spreadsheets, the same rows as the JSON.

- UTF-8 with a byte-order mark, so that Excel does not read ä, ö and å as Windows-1252;
- `;` between columns: Finnish and Swedish Excel use the comma as the decimal mark and expect
  semicolons; Power BI's CSV connector detects the `;` (or is told `Delimiter=";"`);
- numbers with a dot, as in the JSON: stable for tools (Power BI: choose the locale "English (United
  States)" or set `Culture="en-US"` for the columns);
- a text cell starting with = + - @ or a tab is prefixed with an apostrophe so that a spreadsheet never
  runs it as a formula (karki/audit/export.py's rule; plain numbers like -28000000.00 stay as they are).
"""

from __future__ import annotations

import csv
import io

from rest_framework.renderers import BaseRenderer

from karki.audit.export import BOM, safe_cell


def _cell(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return safe_cell(value)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        columns = getattr(response, "csv_columns", None)
        if isinstance(data, dict):  # an error: {"detail": …}
            data, columns = [data], list(data)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        columns = columns or (list(data[0]) if data else [])
        writer.writerow(columns)
        for row in data or []:
            writer.writerow([_cell(row.get(column)) for column in columns])
        return (BOM + out.getvalue()).encode("utf-8")
