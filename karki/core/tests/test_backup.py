"""`manage.py backup`: a whole copy of the SQLite database; on PostgreSQL, the pg_dump command to run."""

import sqlite3
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from karki.core.management.commands.backup import pg_dump_command

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's online backup")


def _database(path):
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE measure (code TEXT)")
        db.executemany("INSERT INTO measure VALUES (?)", [(f"1.{n}",) for n in range(500)])
    db.close()


@sqlite_only
def test_backup__sqlite__copies_every_row_to_the_named_file(tmp_path):
    _database(tmp_path / "karki.sqlite3")
    out = StringIO()
    with mock.patch.dict(connection.settings_dict, {"NAME": str(tmp_path / "karki.sqlite3")}):
        call_command("backup", str(tmp_path / "copy.sqlite3"), stdout=out)
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT count(*) FROM measure").fetchone() == (500,)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    assert "copy.sqlite3" in out.getvalue()


@sqlite_only
def test_backup__sqlite_without_a_file__goes_to_var_backups_with_the_time(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    _database(tmp_path / "karki.sqlite3")
    with mock.patch.dict(connection.settings_dict, {"NAME": str(tmp_path / "karki.sqlite3")}):
        call_command("backup", stdout=StringIO())
        [made] = (tmp_path / "backups").glob("karki-*.sqlite3")
        assert made.stat().st_size > 0
        with pytest.raises(CommandError, match="exists already"):
            call_command("backup", str(made), stdout=StringIO())


def test_pg_dump_command__names_the_configured_database_without_its_password():
    command = pg_dump_command({"NAME": "karki", "HOST": "db.example.fi", "PORT": 5432, "USER": "karki",
                               "PASSWORD": "secret"})
    assert command.startswith("pg_dump --format=custom -h db.example.fi -p 5432 -U karki -f ")
    assert command.endswith(" karki") and "secret" not in command


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_backup__postgresql__prints_pg_dump_and_exits_2():
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("backup", stderr=err)
    assert exit_.value.code == 2
    assert "pg_dump --format=custom" in err.getvalue() and connection.settings_dict["NAME"] in err.getvalue()
