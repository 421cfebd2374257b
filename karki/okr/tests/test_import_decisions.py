"""Each decision of the import about a table's last column, read against the key result's own text,
with rows like those of real tables."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from karki.okr.importer import AS_COMMENT, AS_VALUE, FLAGGED, OK, classify_confidence
from karki.okr.reading import read_key_result


def _decide(raw: str, text: str):
    with translation.override("en"):
        return classify_confidence(raw, read_key_result(text, year=2025))


@pytest.mark.parametrize(("raw", "text", "because"), [
    ("97", "Vuodeosastojen käyttöaste 95–100 %", "inside the key result's target band 95–100 %"),
    ("4", "Vähentää ostopalvelujen kustannuksia 4–8 % vuoden 2022 tasosta", "inside the key result's target band"),
    ("88", "Beläggningsgrad 90–100 %", "near the key result's target band 90–100 %"),
    ("41", "Sähköisen asioinnin osuus nostetaan 35 %:iin vuoden 2025 loppuun mennessä",
     "close to the key result's target 35 %"),
    ("80", "Ateriakustannus enintään 90 euroa", "close to the key result's target 90 €"),
    ("7", "Sairauspoissaolot vähenevät (nykytaso 9 %)", "comparable to the key result's baseline 9 %"),
    ("57", "Maksumuistutusten määrä", "counts things (“Maksumuistutusten määrä”)"),
    ("12", "Antalet klagomål minskar", "counts things"),
])
def test_whole_number_on_the_key_results_own_scale__flagged_as_likely_value_with_the_reason(raw, text, because):
    status, confidence, number, message, suggestion = _decide(raw, text)
    assert status == FLAGGED and confidence is None and number == Decimal(raw)
    assert because in message and suggestion == AS_VALUE


@pytest.mark.parametrize(("raw", "text"), [
    ("70", "Hoitotakuu toteutuu"),  # nothing in the text to compare with
    ("60", "Hoitopäivän hinta alle 185 e/vrk"),  # far from a price of 185 €/vrk
    ("75", "Sairauspoissaolot alle 7 % (nykytaso 9 %)"),
    ("50", "Sjukfrånvaron högst 14 dagar senast 2025"),
])
def test_whole_number_off_the_key_results_scale__taken_as_confidence(raw, text):
    status, confidence, _number, message, _suggestion = _decide(raw, text)
    assert status == OK and confidence == int(raw) and message == ""


@pytest.mark.parametrize(("raw", "words"), [
    ("6,76", "decimal"), ("180", "Above 100"), ("−51", "negative"), ("190 €/vrk", "unit"),
])
def test_impossible_confidences__flagged_as_before(raw, words):
    status, _confidence, _number, message, suggestion = _decide(raw, "Kotihoidon kattavuus 6 %")
    assert status == FLAGGED and words in message and suggestion == AS_VALUE


def test_text_value__flagged__suggested_as_the_comment():
    status, _confidence, number, message, suggestion = _decide("Kyllä", "Hoitotakuu toteutuu")
    assert status == FLAGGED and number is None and suggestion == AS_COMMENT and "comment" in message


def test_reason_in_finnish__figures_written_the_finnish_way():
    with translation.override("fi"):
        _status, _c, _n, message, _s = classify_confidence("6", read_key_result("Kattavuus 6,5 % Q1/2025"))
    assert "6,5 %" in message


def test_deadline_read_for_the_year_of_the_check_ins():
    assert read_key_result("Budjetissa tilikauden aikana", year=2025).deadline == date(2025, 12, 31)
