"""Benchmark: the Monte Carlo forecast of a 1 000-measure programme over 4 years.

Prints, on one core (BLAS and OpenMP are held to one thread before numpy is imported):
1. the time and peak memory of 100 000 draws with the vectorised engine (karki/forecasts/engine.py);
2. the same model in straightforward pure Python (`engine.simulate_reference`), run on fewer draws and
   scaled linearly to 100 000, and the ratio between the two;
3. the Monte Carlo error of the percentiles and of the probability for several numbers of draws, with
   their time: what the choice of the page's draws (assumptions.DEFAULT_DRAWS) rests on;
4. unless --no-page: the forecast page and API end to end for a synthetic programme of 1 000 measures
   with 36 months of reports, in a throwaway SQLite database (as benchmarks/status_picture.py).

Run from the repository root:

    .venv/bin/python benchmarks/forecast.py [--measures 1000] [--draws 100000] [--no-page]

Aims (issue 7): under one second, and at least 50 times the pure-Python speed. Timing is the best of
five runs after a warm-up: the machine is shared, and the best run is the one least disturbed.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
              "NUMEXPR_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _throwaway import throwaway_database  # noqa: E402  (benchmarks/ is on the path)

from karki.forecasts import engine  # noqa: E402

YEARS = (2024, 2025, 2026, 2027)
RAMPS = {"short": (1.0, 1.0, 1.0, 1.0), "medium": (1 / 3, 2 / 3, 1.0, 1.0), "long": (0.25, 0.5, 0.75, 1.0)}


def programme(n_measures: int, seed: int = 1) -> engine.Model:
    """A programme like the counties' own, scaled up: a fifth of the measures carry a share of their
    target's estimate (five measures per target), the rest their own; points, ranges, upper bounds and
    enabling items; chances from 0,3 to certain; a year of realised savings in the first year."""
    rng = random.Random(seed)
    items, parts = [], []
    index = 0
    while index < n_measures:
        kind = rng.choices(["point", "range", "upper_bound", "enabling"], weights=[45, 35, 10, 10])[0]
        amount = rng.randint(2, 60) * 25_000.0
        low, high = {"point": (amount, amount), "range": (amount * 0.5, amount * 1.5),
                     "upper_bound": (0.0, amount), "enabling": (0.0, 0.0)}[kind]
        shared = rng.random() < 0.05 and index + 5 <= n_measures
        items.append(engine.Item(f"T{len(items)}", low, high))
        for _ in range(5 if shared else 1):
            ramp = RAMPS[rng.choice(list(RAMPS))]
            reported = (1 - rng.randint(0, 12) / 12,)  # the first year partly known from reports
            weights = (ramp[0] * reported[0], *ramp[1:])
            chance = rng.choice([1.0, 0.95, 0.9, 0.8, 0.75, 0.6, 0.56, 0.3])
            parts.append(engine.Part(f"M{index:04d}", len(items) - 1, weights, share=1 / 5 if shared else 1.0,
                                     chance=chance))
            index += 1
    return engine.Model(YEARS, items, parts, fixed=(2_500_000.0, 0.0, 0.0, 0.0))


def as_recurring_and_one_off(model: engine.Model, floor_share: float = 0.4, seed: int = 2) -> engine.Model:
    """The same programme as the pages now model it: the yearly level and each year's one-offs side by side
    (twice the columns; a twentieth of the measures one-off), and a recurring run-rate floor under
    `floor_share` of the measures (what they saved in their last reported months), carried into the years
    after the first."""
    rng = random.Random(seed)
    n = len(model.years)
    none = tuple(0.0 for _year in model.years)
    parts, floors = [], []
    for index, part in enumerate(model.parts):
        if rng.random() < 0.05:
            first = next((i for i, w in enumerate(part.weights) if w > 0), 0)
            parts.append(engine.Part(part.code, part.item, none + tuple(1.0 if i == first else 0.0 for i in range(n)),
                                     part.share, part.chance))
            continue
        parts.append(engine.Part(part.code, part.item, part.weights + none, part.share, part.chance))
        if rng.random() < floor_share:
            item = model.items[part.item]
            floors.append(engine.Floor(index, part.share * (item.low + item.high) / 2 * rng.uniform(0.2, 0.9),
                                       part.weights + none, (0.0,) + (1.0,) * (n - 1) + none))
    return engine.Model(model.years + model.years, model.items, parts, model.fixed + none, floors)


def best_of(function, runs: int = 5) -> tuple[float, object]:
    function()  # warm-up
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def vectorised(model: engine.Model, draws: int, column: int = -1) -> float:
    seconds, totals = best_of(lambda: engine.simulate(model, draws=draws, seed=1))
    tracemalloc.start()
    engine.simulate(model, draws=draws, seed=1)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"vectorised engine: {draws:,} draws × {len(model.parts):,} measures × {len(model.years)} years")
    print(f"  time (best of 5)      {seconds:8.3f} s")
    print(f"  peak memory (traced)  {peak / 2**20:8.1f} MiB   (process peak RSS {peak_rss_mib():.0f} MiB)")
    print(f"  P10 / P50 / P90 of {model.years[column]}: "
          + " / ".join(f"{v / 1e6:.2f} M€" for v in np.quantile(totals[:, column], [0.1, 0.5, 0.9])))
    return seconds


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def pure_python(model: engine.Model, draws: int, target_draws: int) -> float:
    """Its time grows linearly with the draws (one loop per draw), so a smaller run scales exactly."""
    seconds, _result = best_of(lambda: engine.simulate_reference(model, draws=draws, seed=1), runs=3)
    scaled = seconds * target_draws / draws
    print(f"pure Python (best of 3): {draws:,} draws in {seconds:.2f} s → {scaled:.1f} s for {target_draws:,} "
          f"draws (scaled)")
    return scaled


def monte_carlo_error(model: engine.Model) -> None:
    from karki.forecasts.assumptions import DEFAULT_DRAWS

    totals = engine.simulate(model, draws=400_000, seed=99)[:, -1]
    target = float(np.quantile(totals, 0.3))  # a target reached with probability 0,7
    print(f"Monte Carlo error (95 %) of the {model.years[-1]} figures; the page uses {DEFAULT_DRAWS:,} draws")
    print(f"  {'draws':>8} {'time':>8} {'P10 ±':>10} {'P50 ±':>10} {'P90 ±':>10} {'probability ±':>14}")
    for draws in (2_000, 5_000, 10_000, 20_000, 50_000, 100_000):
        seconds, result = best_of(lambda d=draws: engine.simulate(model, draws=d, seed=1), runs=3)
        sample = result[:, -1]
        errors = [engine.quantile_error(sample, q) / 1e6 for q in (0.1, 0.5, 0.9)]
        p = float((sample >= target).mean())
        marker = "  ← page" if draws == DEFAULT_DRAWS else ""
        print(f"  {draws:>8,} {seconds * 1000:6.0f} ms " + " ".join(f"{e:8.3f} M€" for e in errors)
              + f" {engine.probability_error(p, draws) * 100:11.2f} pp{marker}")


def page(n_measures: int) -> None:
    with throwaway_database():
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from status_picture import build

        slug = build(n_measures, 36)
        client = Client()
        client.force_login(get_user_model().objects.get(username="pmo.bench"))
        for label, url in (("forecast page", f"/programmes/{slug}/forecast/"),
                           ("forecast API", f"/api/v1/programmes/{slug}/forecast/"),
                           ("status picture", f"/programmes/{slug}/status/")):
            client.get(url)
            timings = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            print(f"{label:16} {len(queries):3d} queries  best {min(timings) * 1000:6.0f} ms  "
                  f"median {sorted(timings)[1] * 1000:6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--python-draws", type=int, default=1_000, help="draws of the pure-Python run")
    parser.add_argument("--no-page", action="store_true", help="skip the end-to-end page timing")
    args = parser.parse_args()
    print(f"numpy {np.__version__}, one thread; {os.cpu_count()} CPUs on the machine")
    model = programme(args.measures)
    fast = vectorised(model, args.draws)
    lasting = as_recurring_and_one_off(model)
    print(f"with one-off columns and {len(lasting.floors):,} recurring run-rate floors:")
    vectorised(lasting, args.draws, column=len(model.years) - 1)  # the level of the last year
    slow = pure_python(model, args.python_draws, args.draws)
    print(f"ratio: {slow / fast:.0f} × the pure-Python speed "
          f"({'meets' if fast < 1 and slow / fast >= 50 else 'misses'} the aim: < 1 s and ≥ 50 ×)")
    monte_carlo_error(model)
    if not args.no_page:
        page(args.measures)


if __name__ == "__main__":
    main()
