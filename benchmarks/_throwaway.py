"""The set-up every benchmark shares: Django on a throwaway SQLite database.

The database is a temporary file, deleted at the end; DATABASE_URL is overridden, so no real database
is touched. Passwords are hashed cheaply (the benchmarks create people, they do not measure sign-in).

`throwaway_database(postgres="postgres://…/karki_bench")` runs on PostgreSQL instead: Django's test-database
machinery creates `test_karki_bench` on that server (replacing a leftover one of that name), migrates it and
drops it at the end; the database named in the address is only used to connect.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


@contextmanager
def throwaway_database(postgres: str = "") -> Iterator[None]:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = postgres or f"sqlite:///{tmp}/benchmark.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        settings.ALLOWED_HOSTS = ["*"]
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        if not postgres:
            call_command("migrate", verbosity=0)
            yield
            return
        name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield
        finally:
            connection.creation.destroy_test_db(name, verbosity=0)
