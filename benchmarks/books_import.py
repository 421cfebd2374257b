"""Benchmark: importing a year of the books (actual costs, month × cost centre × account).

Generates a CSV as a financial system exports it (semicolons, Finnish decimal commas, thousands grouped
with spaces, some negative rows) of about N rows (200 000 by default: 12 months × 1 000 cost centres ×
~17 accounts), and times `karki.books.services.import_file` on it: the check of every row, then the write.
Then imports the same file again (recognised by its fingerprint: nothing written) and a corrected export
of one month (replaces that month). Prints seconds, rows per second and Python's peak memory.

Runs on a throwaway database (a temporary SQLite file; `--postgres postgres://postgres@127.0.0.1:5432/x`
for PostgreSQL, where a test database is made and dropped). From the repository root:

    .venv/bin/python benchmarks/books_import.py [--rows 200000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _throwaway import throwaway_database  # noqa: E402  (benchmarks/ is on the path)

ACCOUNTS = ["4000", "4010", "4100", "4200", "4300", "4400", "4410", "4420", "4520", "4600", "4700", "4810",
            "4900", "5000", "5100", "5700", "5800", "6100"]


def amount_text(cents: int) -> str:
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", " ")
    return f"{'-' if cents < 0 else ''}{grouped},{rest:02d}"


def generate(rows: int, *, year: int = 2024, seed: int = 1, month_only: int | None = None) -> bytes:
    rng = random.Random(seed)
    per_month = max(rows // 12, 1)
    centres = max(per_month // len(ACCOUNTS), 1)
    lines = ["Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa"]
    for month in ([month_only] if month_only else range(1, 13)):
        for centre in range(centres):
            for account in ACCOUNTS:
                cents = rng.randint(-50_000, 5_000_000) if rng.random() < 0.02 else rng.randint(10_000, 9_000_000)
                lines.append(f"{year};{month};{100000 + centre};{account};{amount_text(cents)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    with throwaway_database(postgres=args.postgres):
        from django.contrib.auth import get_user_model
        from django.db import connection

        from karki.books.models import LedgerEntry
        from karki.books.services import import_file
        from karki.organisations.models import Organisation, OrgUnit

        organisation = Organisation.objects.create(slug="bench", name="Benchmark county")
        unit = OrgUnit.objects.create(organisation=organisation, code="U", name="Unit")
        user = get_user_model().objects.create(username="finance.bench")
        from karki.books.services import map_accounts, map_cost_centre

        map_accounts(organisation=organisation, first_account="4000", last_account="4399", category="personnel",
                     by=user)
        map_cost_centre(organisation=organisation, cost_centre="100000", org_unit=unit, by=user)

        started = time.perf_counter()
        data = generate(args.rows)
        print(f"database: {connection.vendor}")
        print(f"generated {len(data) / 1e6:.1f} MB CSV in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        result = import_file(organisation=organisation, kind="actuals", data=data, file_name="kirjanpito-2024.csv",
                             by=user)
        seconds = time.perf_counter() - started
        rows = result.batch.row_count
        print(f"import: {rows} rows in {seconds:.2f} s = {rows / seconds:,.0f} rows/s "
              f"(limit 20 s); stored {LedgerEntry.objects.count()} rows; peak memory {peak_mb():.0f} MB")

        started = time.perf_counter()
        again = import_file(organisation=organisation, kind="actuals", data=data, file_name="kirjanpito-2024.csv",
                            by=user)
        print(f"same file again: {'recognised, nothing written' if again.already else 'IMPORTED TWICE'} in "
              f"{time.perf_counter() - started:.2f} s; stored {LedgerEntry.objects.count()} rows")

        march = generate(args.rows, seed=2, month_only=3)
        started = time.perf_counter()
        corrected = import_file(organisation=organisation, kind="actuals", data=march, file_name="maaliskuu.csv",
                                by=user)
        print(f"corrected March ({corrected.batch.row_count} rows) replaced it in "
              f"{time.perf_counter() - started:.2f} s; stored {LedgerEntry.objects.count()} rows")


if __name__ == "__main__":
    main()
