"""Benchmark and report: the OKR table import.

1. The messy table of the tests (karki/okr/tests/fixtures/messy_okr.csv, about 40 rows): for each row what
   was read from the key result's text, what the last column was taken as and why; then the import with
   every suggestion accepted, and the counts (flagged, taken as confidence, created, check-ins).
2. A synthetic table of N rows (2 000 by default) as .xlsx and .csv: the check (read, read the texts,
   compare with what is stored), the import, and the re-import of the .csv of the same table (which must
   add nothing). Wall time, queries and Python's peak memory for each.

Runs on a throwaway SQLite database (a temporary file; DATABASE_URL is overridden). From the repository root:

    .venv/bin/python benchmarks/okr_import.py [--rows 2000] [--language fi]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _throwaway import throwaway_database  # noqa: E402  (benchmarks/ is on the path)

FIXTURE = ROOT / "karki" / "okr" / "tests" / "fixtures" / "messy_okr.csv"
TEXTS = [
    "Hoitopäivän hinta alle {n} e/vrk vuoden 2025 loppuun mennessä",
    "Käyttöaste 90–100 % yksikössä {n}",
    "Sairauspoissaolot laskevat alle 7 % (nykytaso 9 %) tiimissä {n}",
    "Osuus nostetaan 35 %:iin Q4/2025, alue {n}",
    "Maksumuistutusten määrä vähenee, kunta {n}",
    "Hoitotakuu toteutuu palvelussa {n}",
]
VALUES = ["180", "97", "7", "41", "57", "70", "6,75", "", "Kyllä", "55"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--language", default="fi")
    args = parser.parse_args()
    with throwaway_database():
        from django.utils import translation

        with translation.override(args.language):
            organisation, pmo = build()
            report_messy(organisation, pmo)
            benchmark(organisation, pmo, args.rows)


def build():
    from django.contrib.auth import get_user_model

    from karki.accounts.enums import Role
    from karki.accounts.models import Membership
    from karki.core.content import set_translations
    from karki.organisations.models import Organisation

    pmo = get_user_model().objects.create_user("pmo.bench", password="x")
    organisation = Organisation(slug="bench", is_sample_data=True)
    set_translations(organisation, "name", {"fi": "Vertailualue", "sv": "Jämförelseområdet"})
    organisation.save()
    Membership.objects.create(user=pmo, organisation=organisation, role=Role.PMO)
    bench2 = Organisation(slug="bench2", is_sample_data=True)
    set_translations(bench2, "name", {"fi": "Vertailualue 2"})
    bench2.save()
    Membership.objects.create(user=pmo, organisation=bench2, role=Role.PMO)
    return organisation, pmo


def _short(text: str, width: int = 58) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def report_messy(organisation, pmo) -> None:
    from karki.okr import importer
    from karki.okr.templatetags.okr_import import figure, last_column

    preview = importer.read_table(FIXTURE.read_bytes(), FIXTURE.name, year=2025)
    importer.compare_with_stored(preview, organisation)
    print(f"# The messy table ({FIXTURE.name}): {len(preview.rows)} rows under the header\n")
    print("row | key result | last column | read: target (band) unit, direction, baseline, deadline | outcome")
    for row in preview.rows:
        if row.status == importer.CONTINUATION:
            print(f"{row.number:>3} | ↳ {_short(row.key_result, 56)} | {row.raw or '–'} | | {row.message}")
            continue
        if row.status == importer.REJECTED:
            print(f"{row.number:>3} | {_short(row.key_result)} | | | rejected: {row.message}")
            continue
        r = row.read
        band = f" ({figure(r.target_low)}–{figure(r.target_high)})" if r.has_band else ""
        deadline = r.deadline.strftime("%-d.%-m.%Y") if r.deadline else "–"
        read = (f"{figure(r.target) or '–'}{band} {r.unit or ''}, {r.direction or 'up?'}, "
                f"{figure(r.baseline) or (r.baseline_year or '–')}, {deadline}")
        if row.status == importer.OK:
            outcome = f"confidence {row.confidence}" if row.confidence is not None else "no check-in"
        else:
            outcome = f"FLAGGED → {row.suggestion}: {row.message}"
        print(f"{row.number:>3} | {_short(row.key_result)} | {last_column(row) or '–'} | {read} | {outcome}")
    decisions = {row.number: row.suggestion for row in preview.flagged}
    report = importer.apply_preview(preview, organisation=organisation, decisions=decisions, on=date(2025, 3, 1),
                                    by=pmo)
    taken = [row.number for row in preview.key_result_rows if row.status == importer.OK and row.confidence is not None]
    print()
    print(f"key results: {len(preview.key_result_rows)}, created: {len(report.created)}, "
          f"flagged: {len(preview.flagged)} {preview.flagged_rows}")
    print(f"taken as confidence without asking: {len(taken)} {taken}")
    by_suggestion: dict[str, list[int]] = {}
    for number, decision in report.flagged:
        by_suggestion.setdefault(decision, []).append(number)
    print(f"flagged, suggestions accepted: {by_suggestion}")
    print(f"check-ins: {report.check_ins}, rejected: {report.rejected}\n")


def _table(n: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        area, result = f"Toimiala {i // 400 + 1}", f"Tulosalue {i // 50 + 1}"
        text = TEXTS[i % len(TEXTS)].format(n=150 + i)
        rows.append([area, result, f"Tavoite {i // 5 + 1}", text, VALUES[i % len(VALUES)]])
    return rows


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Toimiala", "Tulosalue", "Tavoite", "Avaintulos", "Luottavaisuusarvio"])
    for row in rows:
        sheet.append([float(c.replace(",", ".")) if c.replace(",", "").isdigit() else c for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv(rows) -> bytes:
    lines = [";".join(["Toimiala", "Tulosalue", "Tavoite", "Avaintulos", "Luottavaisuusarvio"])]
    lines += [";".join(row) for row in rows]
    return "\r\n".join(lines).encode("utf-8")


def _measure(label: str, work):
    from django.db import connection

    # Queries are counted by a wrapper (not the debug log, which keeps only the last 9 000); memory is the
    # process's peak resident size so far (tracemalloc would slow the ORM several times over).
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = work()
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(f"{label:<52} {elapsed:7.2f} s {count[0]:>7} queries, peak RSS so far {peak:6.0f} MB")
    return result


def benchmark(organisation, pmo, n: int) -> None:
    from karki.okr import importer
    from karki.okr.models import CheckIn, KeyResult
    from karki.organisations.models import Organisation

    target = Organisation.objects.get(slug="bench2")
    rows = _table(n)
    xlsx, csv = _xlsx(rows), _csv(rows)
    print(f"# A table of {n} rows: .xlsx {len(xlsx) / 1000:.0f} kB, .csv {len(csv) / 1000:.0f} kB\n")

    def check(data, name):
        preview = importer.read_table(data, name, year=2025)
        importer.compare_with_stored(preview, target)
        return preview

    preview = _measure("check the .xlsx (read, read the texts, compare)", lambda: check(xlsx, "okr.xlsx"))
    decisions = {row.number: row.suggestion for row in preview.flagged}
    report = _measure("import it (all rows, one transaction)", lambda: importer.apply_preview(
        preview, organisation=target, decisions=decisions, on=date(2025, 3, 1), by=pmo))
    print(f"  created {len(report.created)} key results, {report.check_ins} check-ins, "
          f"{len(preview.flagged)} flagged rows decided as suggested")
    again = _measure("check the .csv of the same table", lambda: check(csv, "okr.csv"))
    print(f"  already imported: {sum(1 for r in again.key_result_rows if r.stored == importer.ALREADY_IMPORTED)}"
          f" of {len(again.key_result_rows)} rows")
    before = (KeyResult.objects.count(), CheckIn.objects.count())
    second = _measure("import the .csv (must add nothing)", lambda: importer.apply_preview(
        again, organisation=target, decisions={row.number: row.suggestion for row in again.flagged},
        on=date(2025, 4, 1), by=pmo))
    after = (KeyResult.objects.count(), CheckIn.objects.count())
    print(f"  added {second.check_ins} check-ins, {len(second.created)} key results; "
          f"key results and check-ins before {before}, after {after}")


if __name__ == "__main__":
    main()
