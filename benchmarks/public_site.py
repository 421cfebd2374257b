"""Benchmark: the public site over HTTP, side by side with a trivial page of the same stack.

Loads the demo (Kymenlaakso's programme published to residents, with its two issued interim reports) into
a PostgreSQL database of its own (default `karki_bench_public` on 127.0.0.1:5432; `--keep` reuses it),
serves it with gunicorn (DEBUG off, loopback only) and asks each public page and data file a bounded
number of times, one at a time and 8 at a time, as anonymous visitors. Prints per address: the first
view (ms, nothing kept yet), requests per second, p50 and p95 (ms), and the requests per second with 8
visitors as a share of the "floor" — the signed-out accessibility statement of the app, a page that
reads nothing from the database.

The issue's bar: every public address at least half of the floor's requests per second, and a p95 under
50 ms, with 8 visitors at a time.

    .venv/bin/python benchmarks/public_site.py [--requests 400] [--workers 2] [--keep]

Loopback only; at most `--requests` requests per address and concurrency.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from http_load import HOST, PG, _create_database, _free_port, _load, _serve, _timed, _wait  # noqa: E402

SLUG = "kymenlaakso-2023-2025"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--database", default="karki_bench_public")
    parser.add_argument("--keep", action="store_true", help="reuse the database when the demo is in it")
    args = parser.parse_args()

    os.environ.update({"DATABASE_URL": PG + args.database, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
                       "ALLOWED_HOSTS": HOST, "REQUEST_LOG": "false"})
    _create_database(args.database, keep=args.keep)
    import django

    django.setup()
    from django.core.management import call_command

    from karki.programmes.models import Programme

    call_command("migrate", verbosity=0)
    if not Programme.objects.filter(slug=SLUG).exists():
        print("Loading the demo (about a minute)…", flush=True)
        call_command("load_demo", password="benchmark-only-password", stdout=open(os.devnull, "w"))

    addresses = [
        ("floor: accessibility statement", "/accessibility/"),
        ("public home (fi)", f"/public/{SLUG}/"),
        ("public home (sv)", f"/public/{SLUG}/sv/"),
        ("what changes for you", f"/public/{SLUG}/changes/"),
        ("… by service", f"/public/{SLUG}/changes/?service=Toimipisteet"),
        ("theme", f"/public/{SLUG}/themes/1/"),
        ("measure", f"/public/{SLUG}/measures/1.2.b/"),
        ("interim reports", f"/public/{SLUG}/reports/"),
        ("interim report 2", f"/public/{SLUG}/reports/2/"),
        ("two reports compared", f"/public/{SLUG}/reports/compare/?a=1&b=2"),
        ("open data page", f"/public/{SLUG}/data/"),
        ("measures.csv", f"/public/{SLUG}/data/measures.csv"),
        ("datapackage.json", f"/public/{SLUG}/datapackage.json"),
        ("sitemap.xml", "/public/sitemap.xml"),
        ("free-text search (not kept)", f"/public/{SLUG}/changes/?q=puhelimitse"),
    ]
    port = _free_port()
    server = _serve(port, args.workers)
    failed = []
    try:
        _wait(port)
        print(f"\nPublic site of the demo, PostgreSQL, gunicorn with {args.workers} workers, DEBUG off, anonymous "
              f"visitors; {args.requests} requests per row and concurrency")
        print(f"{'address':30} {'first ms':>9} | {'1 at a time: req/s':>18} {'p50':>6} {'p95':>6} | "
              f"{'8 at a time: req/s':>18} {'p50':>6} {'p95':>6} {'% floor':>8}")
        floor = None
        for label, path in addresses:
            first = _timed(port, path, "")
            _load(port, path, "", 16, 8)  # every worker process has seen the address (not counted)
            one = _load(port, path, "", args.requests, 1)
            eight = _load(port, path, "", args.requests, 8)
            floor = floor or eight["rps"]
            share = eight["rps"] / floor * 100
            print(f"{label:30} {first * 1000:9.0f} | {one['rps']:18.1f} {one['p50']:6.1f} {one['p95']:6.1f} | "
                  f"{eight['rps']:18.1f} {eight['p50']:6.1f} {eight['p95']:6.1f} {share:7.1f} %")
            if path.startswith("/public/") and "q=" not in path and (share < 50 or eight["p95"] >= 50):
                failed.append(label)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print("\nEvery kept public address reaches half the floor's requests per second and a p95 under 50 ms with 8 "
          "visitors." if not failed else f"\nBelow the bar (half the floor, p95 under 50 ms): {', '.join(failed)}")


if __name__ == "__main__":
    main()
