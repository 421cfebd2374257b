"""Reading a key result's text: each phrase family, in Finnish, Swedish and English."""

from datetime import date
from decimal import Decimal

import pytest

from karki.okr.reading import DOWN, UP, read_key_result


@pytest.mark.parametrize(("text", "low", "high", "target", "unit"), [
    ("Vuodeosaston käyttöaste 95–100 %", "95", "100", "95", "%"),
    ("Beläggningsgrad 90-100 procent", "90", "100", "90", "%"),
    ("Bed occupancy 85 – 95 %", "85", "95", "85", "%"),
    ("Vähentää ostopalvelujen kustannuksia 4–8 %", "4", "8", "8", "%"),  # down: the upper edge is the target
])
def test_band__both_edges_and_the_edge_to_reach(text, low, high, target, unit):
    reading = read_key_result(text)
    assert (reading.target_low, reading.target_high) == (Decimal(low), Decimal(high))
    assert reading.target == Decimal(target) and reading.unit == unit


@pytest.mark.parametrize(("text", "word"), [
    ("Hoitopäivän hinta alle 185 e/vrk", "alle"),
    ("Ateriakustannus enintään 90 euroa", "enintään"),
    ("Vähentää ylitöitä 10 %", "vähentää"),
    ("Sairauspoissaolot laskevat 6 %:iin", "laskevat"),
    ("Väntetid högst 14 dagar", "högst"),
    ("Minska sjukfrånvaron till 6 %", "minska"),
    ("Dygnspris under 190 €/dygn", "under"),
    ("Agency staff costs at most 2 M€", "at most"),
    ("Reduce overtime to 5 %", "reduce"),
    ("Hinta < 190 €/vrk", "<"),
])
def test_direction__words_meaning_down(text, word):
    reading = read_key_result(text)
    assert reading.direction == DOWN and word in [found.lower() for found in reading.found]


@pytest.mark.parametrize("text", [
    "Sähköisen asioinnin osuus nostetaan 35 %:iin", "Andelen digitala tjänster ökar till 30 %",
    "Increase the share of digital services to 30 %", "eNPS vähintään +20"])
def test_direction__words_meaning_up(text):
    assert read_key_result(text).direction == UP


def test_direction__none_written__up_is_assumed_and_said_so():
    reading = read_key_result("Käyttöaste 95–100 %")
    assert reading.direction == "" and reading.effective_direction == UP


@pytest.mark.parametrize(("text", "target", "unit"), [
    ("Hoitopäivän hinta alle 185 e/vrk", "185", "€/vrk"),
    ("Ateriakustannus enintään 90 euroa", "90", "€"),
    ("Sähköisen asioinnin osuus nostetaan 35 %:iin", "35", "%"),
    ("Kotihoidon kattavuus 6 %", "6", "%"),
    ("Sjukfrånvaron högst 1 250 timmar", "1250", "h"),
    ("Reduce waiting time to at most 14 days", "14", "days"),
])
def test_target_and_unit(text, target, unit):
    reading = read_key_result(text)
    assert reading.target == Decimal(target) and reading.unit == unit


@pytest.mark.parametrize(("text", "baseline", "year"), [
    ("Sairauspoissaolot alle 7 % (nykytaso 9 %)", "9", None),
    ("Jonotusaika lyhenee 30 päivään, lähtötaso 45 päivää", "45", None),
    ("Väntetiden kortare än 30 dagar (nuläge 41 dagar)", "41", None),
    ("Overtime below 3 % (baseline 5,5 %)", "5.5", None),
    ("Kotihoidon kattavuus 35 %:sta 45 %:iin", "35", None),
    ("Andelen ökar från 20 % till 30 %", "20", None),
    ("Ostopalvelut vähenevät 8 % vuoden 2022 tasosta", None, 2022),
    ("Minska kostnaderna med 5 % från 2022 års nivå", None, 2022),
    ("Reduce costs by 5 % from the 2023 level", None, 2023),
])
def test_baseline__a_level_or_the_year_of_a_level(text, baseline, year):
    reading = read_key_result(text)
    assert reading.baseline == (Decimal(baseline) if baseline else None)
    assert reading.baseline_year == year
    assert reading.target not in {Decimal(2022), Decimal(2023)}  # a year is never the target


@pytest.mark.parametrize(("text", "deadline"), [
    ("Osuus nostetaan 35 %:iin vuoden 2025 loppuun mennessä", date(2025, 12, 31)),
    ("Hinta alle 185 e/vrk 2026 mennessä", date(2026, 12, 31)),
    ("Kattavuus 6 % Q1/2025", date(2025, 3, 31)),
    ("Kattavuus 6 % 3Q 2025", date(2025, 9, 30)),
    ("Kattavuus 6 % 30.6.2025 mennessä", date(2025, 6, 30)),
    ("Väntetid högst 14 dagar senast 2025", date(2025, 12, 31)),
    ("Waiting time at most 14 days by the end of 2026", date(2026, 12, 31)),
    ("Kustannukset pysyvät budjetissa tilikauden aikana", date(2027, 12, 31)),
    ("Kostnaderna hålls inom budget under räkenskapsåret", date(2027, 12, 31)),
])
def test_deadline(text, deadline):
    assert read_key_result(text, year=2027).deadline == deadline


def test_metric__the_words_before_the_figure__and_counts():
    assert read_key_result("Hoitopäivän hinta alle 185 e/vrk").metric == "Hoitopäivän hinta"
    assert read_key_result("Vähentää ostopalvelujen kustannuksia 4–8 %").metric == "ostopalvelujen kustannuksia"
    counted = read_key_result("Maksumuistutusten määrä vähenee")
    assert counted.counts and counted.metric == "Maksumuistutusten määrä"
    assert read_key_result("Antalet remisser minskar").counts
    assert not read_key_result("Kotihoidon kattavuus 6 %").counts


def test_text_with_nothing_to_read__empty_reading_and_the_text_itself_as_metric():
    reading = read_key_result("Hoitotakuu toteutuu")
    assert reading.target is None and reading.deadline is None and reading.metric == "Hoitotakuu toteutuu"


def test_reading__survives_a_round_trip_through_data():
    reading = read_key_result("Osuus 35 %:sta 45 %:iin vuoden 2025 loppuun mennessä")
    assert type(reading).from_data(reading.to_data()) == reading
