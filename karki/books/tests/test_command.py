"""The command-line import: the same service as the browser, the same refusal of a file with problems."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from karki.books.models import LedgerEntry


def test_import_books__writes_once_and_refuses_problems(db, tmp_path, capsys):
    good = tmp_path / "kirjanpito.csv"
    good.write_text("Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa\n2026;5;K1;4000;1 000,00\n", encoding="utf-8")
    call_command("import_books", "ita-uusimaa", str(good), "--user", "finance.ita-uusimaa")
    call_command("import_books", "ita-uusimaa", str(good), "--user", "finance.ita-uusimaa")
    assert "nothing changed" in capsys.readouterr().out
    assert LedgerEntry.objects.filter(year=2026, month=5).count() == 1
    bad = tmp_path / "virhe.csv"
    bad.write_text("Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa\n2026;6;K1;4000;kymmenen\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_books", "ita-uusimaa", str(bad), "--user", "finance.ita-uusimaa")
    assert not LedgerEntry.objects.filter(year=2026, month=6).exists()
    with pytest.raises(CommandError):
        call_command("import_books", "ita-uusimaa", str(good), "--user", "viewer.ita-uusimaa")
