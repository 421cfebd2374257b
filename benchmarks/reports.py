"""Benchmark: every report output of a programme of 1000 measures with monthly reports.

Builds the synthetic programme of benchmarks/status_picture.py (imported, not copied) in a throwaway
SQLite database, with prepared basket B and C measures and management's decisions on them, then prints
the wall time, query count and peak Python memory (tracemalloc) of each output: the figures (the status
picture and the Monte Carlo forecast with what the baskets could close), the Excel status picture, the
slide deck, the council interim report (figures, comparison with a previous report and the PDF), and the
CSV/JSON exports. Run from the repository root:

    .venv/bin/python benchmarks/reports.py [--measures 1000] [--months 36] [--baskets 20]

The figures are for people to read; the suite asserts behaviour, never time.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _throwaway import throwaway_database  # noqa: E402  (benchmarks/ is on the path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--baskets", type=int, default=20)
    args = parser.parse_args()
    with throwaway_database():

        import status_picture  # benchmarks/status_picture.py: the same synthetic programme

        slug = status_picture.build(args.measures, args.months, baskets=args.baskets)
        decide(slug)
        run(slug, args.months)


def decide(slug: str) -> None:
    """A year of monthly management decisions on the baskets, as the council report lists them."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from karki.forecasts import services
    from karki.programmes.models import Programme

    pmo = get_user_model().objects.get(username="pmo.bench")
    programme = Programme.objects.get(slug=slug)
    for month in range(1, 13):
        services.record_basket_decision(programme=programme, basket="BC"[month % 2], decision="do_not_activate",
                                        decided_on=date(2025, month, 15), reasoning=f"Päätös {month}: tilanne "
                                        "arvioidaan uudelleen seuraavassa kokouksessa.", by=pmo, certainty=80)


def _measure(label: str, work, repeat: int = 1, *, writes: bool = False):
    """Wall time (the best of `repeat` runs) and queries of `work`, then its peak Python memory in one more
    run under tracemalloc. They are measured apart because tracing every allocation slows allocation-heavy
    work such as WeasyPrint's several times over. Work that writes (`writes`, issuing a council report)
    makes its traced run inside a savepoint that is rolled back, so that what it wrote counts once."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    result = None
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = work()
            timings.append(time.perf_counter() - started)
        queries = len(captured)
    tracemalloc.start()
    if writes:
        with transaction.atomic():
            work()
            transaction.set_rollback(True)
    else:
        work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = len(result) if isinstance(result, (bytes, str)) else None
    print(f"{label:38} {min(timings) * 1000:8.0f} ms  {queries:4d} queries  peak {peak / 1e6:6.1f} MB"
          + (f"  {size / 1e3:8.0f} kB" if size is not None else ""))
    return result


def run(slug: str, months: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client
    from django.utils import translation

    from karki.forecasts.assumptions import CERTAINTIES
    from karki.forecasts.baskets import basket_plan, contingency_measures
    from karki.forecasts.forecast import run as run_forecast
    from karki.monitoring.models import Period
    from karki.monitoring.status import status_picture
    from karki.programmes.models import Programme
    from karki.reports import services
    from karki.reports.deck import build_deck
    from karki.reports.excel import status_workbook
    from karki.reports.figures import report_figures

    pmo = get_user_model().objects.get(username="pmo.bench")
    programme = Programme.objects.get(slug=slug)
    periods = list(Period.objects.filter(programme=programme).order_by("-year", "-month"))
    last, earlier = periods[0], periods[1]
    print(f"period {last.key}; times are the best of the runs (first PDF of the process: fonts load), memory the "
          "peak of Python allocations in a run of its own")
    with translation.override("fi"):
        picture = _measure("  status picture alone", lambda: status_picture(programme, last), 3)
        _measure("  forecast alone (its roll-up reused)", lambda: run_forecast(
            picture.version, period=last, summary=picture.summary), 3)
        forecast = run_forecast(picture.version, period=last, summary=picture.summary)
        _measure("  what baskets B and C could close", lambda: [
            basket_plan(forecast, certainty=certainty, measures=contingency_measures(picture.version))
            for certainty in CERTAINTIES], 3)
        figures = _measure("figures (status picture + forecast)", lambda: report_figures(programme, last, by=pmo), 3)
        forecast = figures.forecast
        print(f"  forecast of {forecast.target_year}: P50 {forecast.p50_eur / 1_000_000:.1f} M€, probability "
              f"{forecast.probability:.1%}, {len(forecast.baskets.options)} basket measures, "
              f"{len(figures.basket_decisions)} decisions")
        _measure("Excel status picture (figures+xlsx)",
                 lambda: status_workbook(report_figures(programme, last, by=pmo), language="fi"), 3)
        _measure("  of which the workbook", lambda: status_workbook(figures, language="fi"), 3)
        _measure("slide deck (figures+pptx)",
                 lambda: build_deck(report_figures(programme, last, by=pmo), language="fi"), 3)
        _measure("  of which the slides", lambda: build_deck(figures, language="fi"), 3)
    with transaction.atomic():
        _measure("council report 1 (fi, PDF)", lambda: services.issue_council_report(
            programme=programme, period=earlier, languages=["fi"], by=pmo), writes=True)
        report = _measure("council report 2 (fi, with changes)", lambda: services.issue_council_report(
            programme=programme, period=last, languages=["fi"], by=pmo), writes=True)
        changes = report.figures["fi"]["changes"]
        pdf = bytes(report.files.get().content)
        print(f"  report 2: {len(changes['measures'])} measures changed phase or status, "
              f"{len(changes['new_escalations'])} new escalations, PDF {len(pdf) / 1e3:.0f} kB")
        _measure("council report 3 (fi+sv)", lambda: services.issue_council_report(
            programme=programme, period=last, languages=["fi", "sv"], by=pmo), writes=True)
        transaction.set_rollback(True)

    client = Client()
    client.force_login(pmo)
    base = f"/api/v1/programmes/{slug}/export"
    for label, url in (("CSV measures", f"{base}/measures/?format=csv"),
                       ("JSON measures", f"{base}/measures/"),
                       ("CSV status reports, one period", f"{base}/status-reports/?period={last.key}&format=csv"),
                       (f"CSV status reports, {months} periods", f"{base}/status-reports/?format=csv"),
                       (f"JSON status reports, {months} periods", f"{base}/status-reports/"),
                       ("CSV savings by year", f"{base}/savings-by-year/?format=csv"),
                       ("JSON savings by theme", f"{base}/savings-by-theme/"),
                       ("CSV savings by org unit", f"{base}/savings-by-org-unit/?format=csv"),
                       ("CSV savings by cost category", f"{base}/savings-by-cost-category/?format=csv")):
        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response.content

        _measure(label, get, 2)


if __name__ == "__main__":
    main()
