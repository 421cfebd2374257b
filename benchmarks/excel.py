"""Benchmark: the programme workbook of a 1000-measure programme — export, check, import, import again.

Builds a synthetic programme (about 10 themes, 100 targets, 1000 measures with owners, org units and every
kind of estimate, dependencies, risks, cost-category effects, indicators) in a throwaway SQLite database (a
temporary file, deleted at the end; DATABASE_URL is overridden so no real database is touched), then for
each step prints the wall time, the number of queries and the peak memory Python allocated:

1. export the draft to a workbook;
2. check the workbook against an empty programme (the preview of "Import a new programme");
3. import it into that empty programme;
4. check and import the export of the new programme into its own draft again (nothing changes).

Run from the repository root:

    .venv/bin/python benchmarks/excel.py [--measures 1000] [--postgres postgres://postgres@127.0.0.1/karki_bench]

`--postgres` runs it on a throwaway `test_<name>` database of that PostgreSQL server instead of SQLite.
Step 3 also runs through the row-by-row services (`--row-by-row`, the writer the bulk one is tested
against) for a before/after on the same machine.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _throwaway import throwaway_database  # noqa: E402  (benchmarks/ is on the path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--postgres", default="", help="a PostgreSQL address; its test_<name> database is used")
    parser.add_argument("--row-by-row", action="store_true", help="step 3 also through the row-by-row services")
    args = parser.parse_args()
    with throwaway_database(postgres=args.postgres):
        from django.db import connection

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        version, pmo = build(args.measures)
        run(version, pmo, row_by_row=args.row_by_row)


def build(n_measures: int):
    from django.contrib.auth import get_user_model

    from karki.accounts.enums import Role
    from karki.accounts.models import Membership
    from karki.core.content import set_translations
    from karki.organisations.models import Organisation, OrgUnit
    from karki.programmes import models as m
    from karki.programmes import services

    started = time.perf_counter()
    users = get_user_model().objects
    pmo = users.create_user("pmo.bench", password="x")
    org = Organisation(slug="bench", is_sample_data=True)
    set_translations(org, "name", {"fi": "Vertailualue", "sv": "Jämförelseområdet"})
    org.save()
    Membership.objects.create(user=pmo, organisation=org, role=Role.PMO)
    owners = []
    for i in range(20):
        owner = users.create_user(f"owner{i}.bench", password="x")
        Membership.objects.create(user=owner, organisation=org, role=Role.MEASURE_OWNER)
        owners.append(owner)
    units = [OrgUnit.objects.create(organisation=org, code=f"U{i}", name=f"Yksikkö {i}", level="service_area",
                                    order=i) for i in range(8)]
    programme = services.create_programme(organisation=org, slug="bench", name={"fi": "Vertailu", "sv": "Jämförelse"},
                                          period_start=2024, period_end=2027, by=pmo,
                                          target_eur=Decimal("78000000"), target_year=2027)
    version = services.create_version(programme=programme, by=pmo, label={"fi": "Luonnos"})
    n_themes, n_targets = 10, max(1, n_measures // 10)
    themes = [services.create_theme(version=version, code=str(t + 1), name={"fi": f"Teema {t + 1}",
                                    "sv": f"Tema {t + 1}"}, description={"fi": "Kuvaus " * 20},
                                    owner=owners[t % 20], by=pmo) for t in range(n_themes)]
    kinds = [
        {"kind": "point", "amount_eur": "1400000"}, {"kind": "range", "min_eur": "500000", "max_eur": "1500000"},
        {"kind": "upper_bound", "amount_eur": "100000"}, {"kind": "enabling"}, {"kind": "to_be_specified"}, None,
    ]
    targets = []
    for i in range(n_targets):
        theme = themes[i % n_themes]
        targets.append(services.create_target(
            theme=theme, code=f"{theme.code}.{i // n_themes + 1}", name={"fi": f"Kohde {i}", "sv": f"Objekt {i}"},
            estimate=kinds[i % len(kinds)], org_unit=units[i % 8], difficulty="demanding", by=pmo))
    measures = []
    for i in range(n_measures):
        target = targets[i % n_targets]
        measures.append(services.create_measure(
            version=version, target=target, code=f"{target.code}.{i // n_targets + 1}",
            name={"fi": f"Toimenpide {i}", "sv": f"Åtgärd {i}"}, description={"fi": "Toimenpiteen kuvaus. " * 10},
            horizon=["short", "medium", "long"][i % 3], estimate=kinds[(i + 1) % len(kinds)],
            org_unit=units[i % 8], owner=owners[i % 20], owner_name=f"Päällikkö {i % 20}", by=pmo))
    for i in range(0, n_measures - 1, 4):  # a chain of dependencies that never closes a cycle
        services.add_dependency(measure=measures[i], depends_on=measures[i + 1], note={"fi": "Odottaa"}, by=pmo)
    for i in range(0, n_targets, 2):
        services.create_content(version=version, model=m.CostCategoryEffect, by=pmo, values={
            "target": targets[i], "category": "personnel", "cost_change_min_eur": Decimal("-200000"),
            "cost_change_max_eur": Decimal("-100000")})
    for i in range(50):
        services.create_risk(version=version, code=f"R{i + 1}", title={"fi": f"Riski {i + 1}"}, category="schedule",
                             theme=themes[i % n_themes], likelihood=i % 5 + 1, impact=(i + 2) % 5 + 1, by=pmo)
    for i in range(20):
        services.create_content(version=version, model=m.Indicator, by=pmo,
                                values={"code": f"I{i + 1}", "unit": "%", "target_value": Decimal("30")},
                                translations={"name": {"fi": f"Mittari {i + 1}"}})
    for year, amount in ((2024, "7200000"), (2025, "17500000"), (2026, "27600000")):
        services.create_content(version=version, model=m.YearlyRampStep, by=pmo,
                                values={"year": year, "savings_eur": Decimal(amount)})
    print(f"built: {n_themes} themes, {n_targets} targets, {n_measures} measures, "
          f"{m.MeasureDependency.objects.filter(version=version).count()} dependencies, 50 risks "
          f"in {time.perf_counter() - started:.1f} s")
    return version, pmo


def measure(name: str, step) -> object:
    """Run `step` twice: once timed with its queries counted, once under tracemalloc for the peak memory
    (tracemalloc slows Python down, so the two are not measured together). `step(first)` must be repeatable."""
    from django.db import connection

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = step(True)
        elapsed = time.perf_counter() - started
    tracemalloc.start()
    step(False)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name:<52} {elapsed:6.2f} s {queries[0]:7d} queries   peak {peak / 1e6:6.1f} MB")
    return result


def run(version, pmo, *, row_by_row: bool = False) -> None:
    from karki.programmes import models as m
    from karki.workbooks import export
    from karki.workbooks.importing import Target, apply_workbook, check_workbook, summary
    from karki.workbooks.snapshot import read_version

    organisation = version.programme.organisation
    data = measure("1. export (read the version, write the xlsx)", lambda first: export.write_workbook(
        read_version(version), organisation=organisation, language="fi"))
    print(f"   {len(data) / 1e6:.2f} MB workbook")
    new = Target(organisation=organisation, identifier="bench-copy", file_name="bench.xlsx")
    check = measure("2. check it against an empty programme", lambda first: check_workbook(data, new))
    assert check.ok, summary(check, new)["errors"][:5]

    def import_new(first):
        target = new if first else Target(organisation=organisation, identifier="bench-copy-2", file_name="b.xlsx")
        return apply_workbook(data, target, by=pmo, expected_fingerprint=check_workbook(data, target).fingerprint
                              if not first else check.fingerprint)

    report = measure("3. import it into the empty programme", import_new)
    print(f"   {report['created']} rows created")
    if row_by_row:
        def import_slowly(first):
            target = Target(organisation=organisation, identifier=f"bench-slow-{int(first)}", file_name="b.xlsx")
            # Every new programme is compared with nothing, so the check of step 2 vouches for it too.
            return apply_workbook(data, target, by=pmo, expected_fingerprint=check.fingerprint, row_by_row=True)

        report = measure("3'. the same, row by row through the services", import_slowly)
        print(f"   {report['created']} rows created")
    copy = m.ProgrammeVersion.objects.get(programme__slug="bench-copy")
    again = export.write_workbook(read_version(copy), organisation=organisation, language="fi")
    same = Target(organisation=organisation, programme=copy.programme, file_name="bench.xlsx")
    check = measure("4a. check the new programme's export against its draft", lambda first: check_workbook(again, same))
    assert check.ok
    report = measure("4b. import it again into the same draft", lambda first: apply_workbook(
        again, same, by=pmo, expected_fingerprint=check.fingerprint))
    print(f"   {report['created']} created, {report['updated']} changed, {report['removed']} removed")

    changed = {first: renamed(again, " (muutettu)" if first else " (toinen)") for first in (True, False)}
    check = check_workbook(changed[True], same)

    def import_changes(first):
        fingerprint = check.fingerprint if first else check_workbook(changed[False], same).fingerprint
        return apply_workbook(changed[first], same, by=pmo, expected_fingerprint=fingerprint)

    report = measure("5. import it with every measure's name changed", import_changes)
    print(f"   {report['created']} created, {report['updated']} changed, {report['removed']} removed")


def renamed(data: bytes, suffix: str) -> bytes:
    """The workbook with `suffix` added to every measure's Finnish name."""
    import io

    from openpyxl import load_workbook

    from karki.workbooks import format as fmt

    workbook = load_workbook(io.BytesIO(data))
    measures = fmt.SHEETS_BY_KEY["measures"]
    worksheet = workbook[measures.title("fi")]
    column = 1 + [cell.value for cell in worksheet[1]].index(measures.by_key["name_fi"].header("fi"))
    for row in range(2, worksheet.max_row + 1):
        cell = worksheet.cell(row=row, column=column)
        cell.value = f"{cell.value}{suffix}"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


if __name__ == "__main__":
    main()
