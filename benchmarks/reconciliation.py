"""Benchmark: the reconciliation of a year of the books (savings in the books) on a large programme.

Builds the status picture's synthetic programme (benchmarks/status_picture.py: 1 000 measures in 8 org
units reporting realised savings every month of 2024), maps its cost centres and accounts, imports a year
of the books (about 200 000 rows, benchmarks/books_import.py) and a whole-year baseline by org unit and
cost category, then times `karki.books.reconciliation.reconcile` and the page (whole year, one month, one
org unit) and prints the queries of each. A few rows stay unmapped on purpose.

Runs on a throwaway database (SQLite by default; `--postgres URL` for PostgreSQL). From the repository root:

    .venv/bin/python benchmarks/reconciliation.py [--rows 200000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _throwaway import throwaway_database  # noqa: E402  (benchmarks/ is on the path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--postgres", default="")
    args = parser.parse_args()
    with throwaway_database(postgres=args.postgres):
        from books_import import generate
        from status_picture import build

        slug = build(args.measures, 12)
        prepare(slug, args.rows, generate)
        measure(slug)


def prepare(slug: str, rows: int, generate) -> None:
    from django.contrib.auth import get_user_model

    from karki.accounts.enums import Role
    from karki.accounts.models import Membership
    from karki.books import services
    from karki.books.models import LedgerKey
    from karki.organisations.models import OrgUnit
    from karki.programmes.models import Programme

    programme = Programme.objects.get(slug=slug)
    organisation = programme.organisation
    finance = get_user_model().objects.create_user("finance.bench", password="x")
    Membership.objects.create(user=finance, organisation=organisation, role=Role.FINANCE)
    units = list(OrgUnit.objects.filter(organisation=organisation).order_by("order"))
    started = time.perf_counter()
    result = services.import_file(organisation=organisation, kind="actuals", data=generate(rows),
                                  file_name="kirjanpito-2024.csv", by=finance)
    print(f"imported {result.batch.row_count} rows of the books in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    centres = sorted({c for c in LedgerKey.objects.filter(organisation=organisation).values_list(
        "cost_centre", flat=True)})
    from karki.books.models import CostCentreMapping

    CostCentreMapping.objects.bulk_create([
        CostCentreMapping(organisation=organisation, cost_centre=c, org_unit=units[i % len(units)])
        for i, c in enumerate(centres[:-3])])  # the last three cost centres stay unmapped
    for first, last, category in (("4000", "4399", "personnel"), ("4400", "4499", "purchased_client_services"),
                                  ("4520", "4520", "purchased_agency_staff"), ("4500", "4899", "purchased_other"),
                                  ("4900", "5299", "materials"), ("5700", "5799", "rents"),
                                  ("5800", "5999", "other")):  # account 6100 stays unmapped
        services.map_accounts(organisation=organisation, first_account=first, last_account=last, category=category,
                              by=finance)
    print(f"mapped {len(centres) - 3} cost centres and 7 account ranges in {time.perf_counter() - started:.1f} s")
    lines = ["Vuosi;Organisaatioyksikkö;Kustannuslaji;Summa"]
    for unit in units:
        for category in ("personnel", "purchased_client_services", "purchased_agency_staff", "purchased_other",
                         "materials", "rents", "other"):
            lines.append(f"2024;{unit.code};{category};{Decimal(rows) * 250:.2f}".replace(".", ","))
    services.import_file(organisation=organisation, kind="baseline", data="\n".join(lines).encode(),
                         file_name="ta-2024.csv", by=finance, label="TA 2024")


def measure(slug: str) -> None:
    import logging

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from karki.books.reconciliation import reconcile
    from karki.lib.formatting import format_meur
    from karki.organisations.models import OrgUnit
    from karki.programmes.models import Programme

    logging.getLogger("karki.request").setLevel(logging.WARNING)  # one line per request would bury the figures
    programme = Programme.objects.select_related("organisation").get(slug=slug)
    unit = OrgUnit.objects.filter(organisation=programme.organisation).order_by("order").first()
    result = reconcile(programme, year=2024)
    print(f"database: {connection.vendor}; year 2024: actual {format_meur(result.total.actual, 'en')}, baseline "
          f"{format_meur(result.total.baseline, 'en')}, claimed {format_meur(result.total.claimed, 'en')}, "
          f"unmapped {format_meur(result.unmapped.actual, 'en')} on {result.unmapped_key_count} cost centre × "
          "account pairs")
    cases = [("reconcile(), year", lambda: reconcile(programme, year=2024)),
             ("reconcile(), one month", lambda: reconcile(programme, year=2024, month=6))]
    client = Client()
    client.force_login(get_user_model().objects.get(username="finance.bench"))
    for label, url in (("page, year", f"/programmes/{slug}/books/?year=2024"),
                       ("page, one month", f"/programmes/{slug}/books/?year=2024&month=6"),
                       ("page, one org unit", f"/programmes/{slug}/books/?year=2024&unit={unit.pk}")):
        cases.append((label, lambda url=url: client.get(url)))
    for label, call in cases:
        call()  # warm up caches and templates
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = call()
                timings.append(time.perf_counter() - started)
            if hasattr(response, "status_code"):
                assert response.status_code == 200, response.status_code
        print(f"{label:24} {len(queries):3d} queries  best {min(timings) * 1000:6.0f} ms  "
              f"median {sorted(timings)[2] * 1000:6.0f} ms  (limit 300 ms)")


if __name__ == "__main__":
    main()
