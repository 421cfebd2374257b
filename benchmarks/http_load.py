"""Benchmark: Kärki's pages at national scale over HTTP, side by side with a trivial page of the same stack.

Builds the national data set in a PostgreSQL database of its own (default `karki_bench` on
127.0.0.1:5432; `--keep` reuses it when it is already built): 22 counties, each with a programme of
150 measures and 36 monthly periods of accepted reports with realised savings, and 50 key results with
monthly check-ins. Then serves it with gunicorn (DEBUG off, loopback only) and asks each page, one
request at a time and 8 at a time, a bounded number of times. Prints, per page: the first view (ms,
nothing kept yet), requests per second, p50 and p95 (ms), and the requests per second as a share of the
"floor" — the accessibility statement, a page that reads nothing but the session.

    .venv/bin/python benchmarks/http_load.py [--counties 22] [--measures 150] [--months 36]
                                             [--requests 40] [--workers 2] [--keep]

Loopback only; at most `--requests` requests per page and concurrency (and 8 threads at a time).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PG = "postgres://postgres@127.0.0.1:5432/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=22)
    parser.add_argument("--measures", type=int, default=150)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--database", default="karki_bench")
    parser.add_argument("--keep", action="store_true", help="reuse the database when it is already built")
    parser.add_argument("--build-only", action="store_true", help="build the data set and stop")
    args = parser.parse_args()

    url = PG + args.database
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
                       "ALLOWED_HOSTS": HOST})
    _create_database(args.database, keep=args.keep)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not (args.keep and _built(args.counties)):
        build(args.counties, args.measures, args.months)
    if args.build_only:
        return
    cookie = _session_cookie()
    port = _free_port()
    server = _serve(port, args.workers)
    try:
        _wait(port)
        period = f"{2024 + (args.months - 1) // 12}-{(args.months - 1) % 12 + 1:02d}"
        slug = "bench-01"
        pages = [
            ("floor: accessibility statement", "/accessibility/"),
            ("programme page", f"/programmes/{slug}/"),
            ("status picture", f"/programmes/{slug}/status/?period={period}"),
            ("forecast", f"/programmes/{slug}/forecast/?period={period}"),
            ("baskets", f"/programmes/{slug}/baskets/?period={period}"),
            ("who has not reported", f"/programmes/{slug}/periods/{period}/reports/"),
            ("status API", f"/api/v1/programmes/{slug}/status/?period={period}"),
            ("forecast API", f"/api/v1/programmes/{slug}/forecast/?period={period}"),
            ("summary API", f"/api/v1/programmes/{slug}/summary/"),
        ]
        print(f"\nNational scale: {args.counties} counties × {args.measures} measures × {args.months} months, "
              f"PostgreSQL, gunicorn with {args.workers} workers, DEBUG off; {args.requests} requests per row")
        print(f"{'page':32} {'first ms':>9} | {'1 at a time: req/s':>18} {'p50':>6} {'p95':>6} {'% floor':>8} | "
              f"{'8 at a time: req/s':>18} {'p50':>6} {'p95':>6}")
        floor = None
        for label, path in pages:
            first = _timed(port, path, cookie)
            _load(port, path, cookie, 8, 8)  # every worker process has seen the page once (not counted)
            one = _load(port, path, cookie, args.requests, 1)
            eight = _load(port, path, cookie, args.requests, 8)
            floor = floor or one["rps"]
            print(f"{label:32} {first * 1000:9.0f} | {one['rps']:18.1f} {one['p50']:6.0f} {one['p95']:6.0f} "
                  f"{one['rps'] / floor * 100:7.1f} % | {eight['rps']:18.1f} {eight['p50']:6.0f} {eight['p95']:6.0f}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _create_database(name: str, *, keep: bool) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not keep:
            connection.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _built(counties: int) -> bool:
    from karki.programmes.models import Programme

    return Programme.objects.filter(slug__startswith="bench-").count() >= counties


def build(counties: int, n_measures: int, n_months: int) -> None:
    """The counties, built with bulk writes (the benchmark measures reading, not writing)."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from karki.accounts.enums import Role
    from karki.accounts.models import Membership
    from karki.core.content import set_translations
    from karki.lib import dates
    from karki.monitoring.models import Period, RealisedSaving, StatusReport
    from karki.okr.models import CheckIn, KeyResult, Objective
    from karki.organisations.models import Organisation, OrgUnit
    from karki.programmes import services
    from karki.programmes.models import Measure, Target

    started = time.perf_counter()
    rng = random.Random(1)
    now = dates.now()
    user_model = get_user_model()
    for county in range(1, counties + 1):
        slug = f"bench-{county:02d}"
        pmo = user_model.objects.create_user(f"pmo.{slug}", password="bench-password", first_name="Sari",
                                             last_name=f"Suunnittelija {county}")
        org = Organisation(slug=slug, is_sample_data=True)
        set_translations(org, "name", {"fi": f"Vertailualue {county}"})
        org.save()
        Membership.objects.create(user=pmo, organisation=org, role=Role.PMO)
        units = [OrgUnit.objects.create(organisation=org, code=f"U{i}", name=f"Yksikkö {i}", level="service_area",
                                        order=i) for i in range(8)]
        programme = services.create_programme(organisation=org, slug=slug, name={"fi": f"Tuottavuusohjelma {county}"},
                                              period_start=2024, period_end=2026, by=pmo,
                                              target_eur=Decimal("27000000"), target_year=2026)
        version = services.create_version(programme=programme, by=pmo)
        themes = [services.create_theme(version=version, code=str(t), name={"fi": f"Teema {t}"}, by=pmo)
                  for t in range(1, 8)]
        Target.objects.bulk_create([
            Target(version=version, theme=themes[i % 7], code=f"{i % 7 + 1}.{i}", name=f"Kohde {i}",
                   org_unit=units[i % 8], order=i) for i in range(30)])
        targets = list(Target.objects.filter(version=version))
        Measure.objects.bulk_create([
            Measure(version=version, target=targets[i % len(targets)], code=f"M{i:04d}", name=f"Toimenpide {i}",
                    org_unit=units[i % 8], owner=pmo, order=i, estimate_kind="range",
                    estimate_min_eur=Decimal(rng.randint(50, 150) * 1000),
                    estimate_max_eur=Decimal(rng.randint(160, 400) * 1000), horizon="medium")
            for i in range(n_measures)])
        Measure.objects.bulk_create([
            Measure(version=version, target=targets[i % len(targets)], code=f"{'B' if i % 2 else 'C'}{i:03d}",
                    name=f"Varatoimenpide {i}", basket="B" if i % 2 else "C", contingency_rank=i + 1,
                    order=n_measures + i, estimate_kind="range", estimate_min_eur=Decimal(rng.randint(100, 500) * 1000),
                    estimate_max_eur=Decimal(rng.randint(600, 2000) * 1000), horizon="short",
                    service_level_impact=rng.choice(["minor", "moderate", "major"]))
            for i in range(10)])
        services.approve_version(version=version, by=pmo)
        measures = list(Measure.objects.filter(version=version, basket="A"))
        for k in range(n_months):
            period = Period.objects.create(programme=programme, year=2024 + k // 12, month=k % 12 + 1,
                                           opened_at=now, opened_by=pmo)
            reports = StatusReport.objects.bulk_create([
                StatusReport(period=period, measure=m, measure_code=m.code, phase="in_progress",
                             status=rng.choice(["green", "amber", "red"]), escalation=rng.random() < 0.02,
                             state="accepted", submitted_at=now, submitted_by=pmo)
                for m in measures if rng.random() < 0.95])
            RealisedSaving.objects.bulk_create([
                RealisedSaving(report=r, category=rng.choice(["personnel", "rents", "materials"]),
                               amount_eur=Decimal(rng.randint(0, 20_000))) for r in reports])
        objectives = Objective.objects.bulk_create([
            Objective(organisation=org, org_unit=units[i % 8], title=f"Tavoite {i}", start_date=date(2024, 1, 1),
                      order=i) for i in range(10)])
        key_results = KeyResult.objects.bulk_create([
            KeyResult(objective=objectives[i % 10], text=f"Avaintulos {i}", baseline=Decimal(0), target=Decimal(100),
                      deadline=date(2026, 12, 31), order=i) for i in range(50)])
        CheckIn.objects.bulk_create([
            CheckIn(key_result=kr, date=date(2024 + k // 12, k % 12 + 1, 1), value=Decimal(rng.randint(0, 100)),
                    confidence=rng.randint(20, 90), created_by=pmo) for kr in key_results for k in range(n_months)])
        print(f"\r  built county {county}/{counties}", end="", flush=True)
    print(f"\nbuilt {counties} counties ({StatusReport.objects.count()} reports, {CheckIn.objects.count()} check-ins) "
          f"in {time.perf_counter() - started:.0f} s")


def _session_cookie() -> str:
    """A signed-in session of the first county's programme office, as the browser would carry it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username="pmo.bench-01")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    from django.utils.module_loading import import_string

    session[BACKEND_SESSION_KEY] = next(path for path in settings.AUTHENTICATION_BACKENDS
                                        if hasattr(import_string(path), "get_user"))
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.LANGUAGE_COOKIE_NAME}=fi"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _serve(port: int, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers),
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=os.environ.copy(), start_new_session=True, stdout=subprocess.DEVNULL)


def _wait(port: int) -> None:
    for _ in range(300):
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def _get(connection: http.client.HTTPConnection, path: str, cookie: str) -> float:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Host": HOST, "Accept-Language": "fi"})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}")
    return elapsed


def _timed(port: int, path: str, cookie: str) -> float:
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        return _get(connection, path, cookie)
    finally:
        connection.close()


def _load(port: int, path: str, cookie: str, count: int, concurrency: int) -> dict:
    timings: list[float] = []
    lock = threading.Lock()
    remaining = [count]

    def worker():
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        try:
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                elapsed = _get(connection, path, cookie)
                with lock:
                    timings.append(elapsed)
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(timings)
    return {"rps": len(timings) / wall, "p50": statistics.median(ordered) * 1000,
            "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000}


if __name__ == "__main__":
    main()
