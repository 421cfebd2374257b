"""`manage.py backup [FILE]`: a consistent copy of the embedded SQLite database, taken while Kärki runs.

SQLite's online backup copies the database page by page, so the copy is whole even while the app and
the worker write (WAL mode). Without FILE the copy goes to var/backups/karki-<timestamp>.sqlite3.
Restore: stop Kärki, copy the file to var/karki.sqlite3 (removing any -wal and -shm files beside it),
start again. PostgreSQL is backed up with its own tools: this command prints the pg_dump command for the
configured database and exits with status 2, so that a cron job written for SQLite does not silently
back up nothing.
"""

import shlex
import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from karki.lib import dates


class Command(BaseCommand):
    help = "Copy the SQLite database while Kärki runs (to var/backups/ by default); on PostgreSQL, print pg_dump advice"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write the copy (default var/backups/karki-<time>...)")

    def handle(self, *args, file=None, **options):
        if connection.vendor == "postgresql":
            self.stderr.write(
                "Kärki's database is PostgreSQL: back it up with pg_dump (or your provider's backups), for example\n"
                f"  {pg_dump_command(connection.settings_dict)}\n"
                "Restore with: pg_restore --clean --no-owner -d <database> <file>"
            )
            raise SystemExit(2)
        if connection.vendor != "sqlite":
            raise CommandError(f"No backup for the {connection.vendor} database; use its own tools.")
        source = Path(connection.settings_dict["NAME"])
        if not source.is_file():
            raise CommandError(f"There is no database file at {source}.")
        target = Path(file) if file else settings.VAR_DIR / "backups" / f"karki-{dates.now():%Y%m%d-%H%M%S}.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise CommandError(f"{target} exists already; give another file.")
        pages = backup_sqlite(source, target)
        self.stdout.write(f"Backed up {source} to {target} ({pages} pages).")


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy SOURCE to TARGET with SQLite's online backup (a few hundred pages at a time, letting writers
    in between); returns the number of pages copied."""
    copied = 0

    def progress(status, remaining, total):
        nonlocal copied
        copied = total

    with sqlite3.connect(source, timeout=20) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=256, progress=progress, sleep=0.01)
    src.close()
    dst.close()
    return copied


def pg_dump_command(database: dict) -> str:
    parts = ["pg_dump", "--format=custom"]
    if database.get("HOST"):
        parts += ["-h", database["HOST"]]
    if database.get("PORT"):
        parts += ["-p", str(database["PORT"])]
    if database.get("USER"):
        parts += ["-U", database["USER"]]
    parts += ["-f", "karki-$(date +%Y%m%d-%H%M%S).dump", database["NAME"]]
    return " ".join(shlex.quote(p) if not p.startswith("karki-$(") else f'"{p}"' for p in parts)
