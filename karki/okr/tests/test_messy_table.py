"""The messy table of our own (fixtures/messy_okr.csv, 40 rows): what the check makes of each row.
benchmarks/okr_import.py prints the same row by row, with the reasons."""

from decimal import Decimal
from pathlib import Path

from karki.okr import importer

FIXTURE = Path(__file__).parent / "fixtures" / "messy_okr.csv"


def _preview():
    return importer.read_table(FIXTURE.read_bytes(), FIXTURE.name, year=2025)


def test_messy_table__flagged_rows_and_confidences():
    preview = _preview()
    assert len(preview.key_result_rows) == 39 and preview.rejected_rows == []
    assert preview.flagged_rows == [3, 4, 5, 7, 9, 11, 12, 13, 14, 18, 19, 20, 21, 22, 24, 25, 26, 28, 29, 30,
                                    36, 37, 39, 40, 41]
    taken = [row.number for row in preview.key_result_rows if row.status == importer.OK and row.confidence is not None]
    assert taken == [6, 10, 15, 16, 17, 23, 27, 31, 32, 33, 34, 35, 38]
    suggestions = {row.number: row.suggestion for row in preview.flagged}
    assert [n for n, s in suggestions.items() if s == importer.AS_COMMENT] == [13, 18]  # "Kyllä", "ei tiedossa"


def test_messy_table__readings_of_hard_rows():
    rows = {row.number: row.read for row in _preview().key_result_rows}
    assert rows[4].target == 6 and rows[4].baseline == Decimal("5.2")  # not 75 of "75-vuotiaista"
    assert rows[6].target == Decimal("4.2") and not rows[6].has_band  # "(asteikko 1–5)" is a scale, not the target
    assert rows[7].target == 30 and rows[7].baseline == 41 and rows[7].direction == "down"  # over two rows
    assert rows[20].has_band and rows[20].baseline_year == 2022
    assert rows[23].deadline.isoformat() == "2025-12-31"  # "tilikauden aikana"
    assert rows[39].direction == "down" and rows[39].target == 90
