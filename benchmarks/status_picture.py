"""Benchmark: the status picture of a programme of 1000 measures with 36 monthly reports each.

Builds the synthetic programme in a throwaway SQLite database (a temporary file, deleted at the end;
DATABASE_URL is overridden so no real database is touched), then prints the query count and the wall
time of the status page and of the status API. Run from the repository root:

    .venv/bin/python benchmarks/status_picture.py [--measures 1000] [--months 36]

The query count must not grow with the number of measures or months (the suite asserts the bound on
the demo data in karki/monitoring/tests/test_status_queries.py); the time is for people to read.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _throwaway import throwaway_database  # noqa: E402  (benchmarks/ is on the path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    args = parser.parse_args()
    with throwaway_database():

        slug = build(args.measures, args.months)
        measure(slug, args.measures, args.months)


def build(n_measures: int, n_months: int, *, baskets: int = 0) -> str:
    """The synthetic programme; `baskets` prepared basket B and C measures in an order of preference (the
    reports' benchmark uses them for what the baskets could close)."""
    from django.contrib.auth import get_user_model

    from karki.accounts.enums import Role
    from karki.accounts.models import Membership
    from karki.core.content import set_translations
    from karki.lib import dates
    from karki.monitoring.models import Period, RealisedSaving, StatusReport
    from karki.organisations.models import Organisation, OrgUnit
    from karki.programmes import services
    from karki.programmes.models import Measure, Target

    started = time.perf_counter()
    pmo = get_user_model().objects.create_user("pmo.bench", password="x")
    org = Organisation(slug="bench", is_sample_data=True)
    set_translations(org, "name", {"fi": "Vertailualue"})
    org.save()
    Membership.objects.create(user=pmo, organisation=org, role=Role.PMO)
    units = [OrgUnit.objects.create(organisation=org, code=f"U{i}", name=f"Yksikkö {i}", level="service_area",
                                    order=i) for i in range(8)]
    programme = services.create_programme(organisation=org, slug="bench", name={"fi": "Vertailu"},
                                          period_start=2024, period_end=2026, by=pmo,
                                          target_eur=Decimal("78000000"), target_year=2026)
    version = services.create_version(programme=programme, by=pmo)
    themes = [services.create_theme(version=version, code=str(t), name={"fi": f"Teema {t}"}, by=pmo)
              for t in range(1, 8)]
    targets = []
    for i in range(50):
        target = Target(version=version, theme=themes[i % 7], code=f"{i % 7 + 1}.{i}", name=f"Kohde {i}",
                        org_unit=units[i % 8], order=i)
        targets.append(target)
    Target.objects.bulk_create(targets)
    targets = list(Target.objects.filter(version=version))
    rng = random.Random(1)
    Measure.objects.bulk_create([
        Measure(version=version, target=targets[i % len(targets)], code=f"M{i:04d}", name=f"Toimenpide {i}",
                org_unit=units[i % 8], owner=pmo, order=i, estimate_kind="point",
                estimate_amount_eur=Decimal(rng.randint(10_000, 500_000)), horizon="medium")
        for i in range(n_measures)
    ])
    Measure.objects.bulk_create([
        Measure(version=version, target=targets[i % len(targets)], code=f"{'B' if i % 2 else 'C'}{i:03d}",
                name=f"Varatoimenpide {i}", basket="B" if i % 2 else "C", contingency_rank=i + 1, order=n_measures + i,
                estimate_kind="range", estimate_min_eur=Decimal(rng.randint(100, 500) * 1000),
                estimate_max_eur=Decimal(rng.randint(600, 2000) * 1000), horizon="short",
                service_level_impact=rng.choice(["minor", "moderate", "major"]))
        for i in range(baskets)
    ])
    services.approve_version(version=version, by=pmo)
    measures = list(Measure.objects.filter(version=version, basket="A"))
    now = dates.now()
    for k in range(n_months):
        year, month = 2024 + k // 12, k % 12 + 1
        period = Period.objects.create(programme=programme, year=year, month=month, opened_at=now, opened_by=pmo)
        reports = StatusReport.objects.bulk_create([
            StatusReport(period=period, measure=m, measure_code=m.code, phase="in_progress",
                         status=rng.choice(["green", "amber", "red"]), escalation=rng.random() < 0.02,
                         state="accepted", submitted_at=now, submitted_by=pmo)
            for m in measures if rng.random() < 0.95
        ])
        RealisedSaving.objects.bulk_create([
            RealisedSaving(report=r, category=rng.choice(["personnel", "rents", "materials"]),
                           amount_eur=Decimal(rng.randint(0, 20_000))) for r in reports
        ])
    # Key results of the organisation (the picture lists those at risk): 50, each with a monthly check-in.
    from datetime import date

    from karki.okr.models import CheckIn, KeyResult, Objective

    objectives = Objective.objects.bulk_create([
        Objective(organisation=org, org_unit=units[i % 8], title=f"Tavoite {i}", start_date=date(2024, 1, 1), order=i)
        for i in range(10)])
    key_results = KeyResult.objects.bulk_create([
        KeyResult(objective=objectives[i % 10], text=f"Avaintulos {i}", baseline=Decimal(0), target=Decimal(100),
                  deadline=date(2024 + n_months // 12, 12, 31), order=i) for i in range(50)])
    CheckIn.objects.bulk_create([
        CheckIn(key_result=kr, date=date(2024 + k // 12, k % 12 + 1, 1), value=Decimal(rng.randint(0, 100)),
                confidence=rng.randint(20, 90), created_by=pmo) for kr in key_results for k in range(n_months)])
    print(f"built {n_measures} measures × {n_months} months ({StatusReport.objects.count()} reports, "
          f"{CheckIn.objects.count()} check-ins) in {time.perf_counter() - started:.1f} s")
    return programme.slug


def measure(slug: str, n_measures: int, n_months: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="pmo.bench"))
    period = f"{2024 + (n_months - 1) // 12}-{(n_months - 1) % 12 + 1:02d}"
    for label, url in (("status page", f"/programmes/{slug}/status/?period={period}"),
                       ("status API", f"/api/v1/programmes/{slug}/status/?period={period}"),
                       ("who has not reported", f"/programmes/{slug}/periods/{period}/reports/")):
        client.get(url)  # warm up caches and templates
        timings = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        print(f"{label:22} {len(queries):3d} queries  best {min(timings) * 1000:7.0f} ms  "
              f"median {sorted(timings)[1] * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
