"""Numbers, money and dates as Finnish, Swedish and English readers expect them."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from karki.lib import formatting
from karki.lib.formatting import (
    EN_DASH,
    MINUS,
    NBSP,
    NNBSP,
    MoneyParseError,
    format_date,
    format_eur,
    format_meur,
    format_meur_range,
    format_number,
    format_percent,
    format_probability,
    parse_money,
    parse_money_range,
)

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def meur(text: str) -> Decimal:
    return Decimal(text) * 1000000


# ---------------------------------------------------------------------------------------------
# Plain numbers


def test_format_number__finnish__thousands_grouped_with_narrow_no_break_space():
    text = format_number(Decimal("1234567"), "fi")
    assert text == f"1{NNBSP}234{NNBSP}567"
    assert NNBSP == "\u202f"
    assert " " not in text and NBSP not in text


def test_format_number__swedish__same_grouping_and_decimal_comma_as_finnish():
    assert format_number(Decimal("1234.5"), "sv", 1) == f"1{NNBSP}234,5"


def test_format_number__finnish__decimal_comma():
    assert format_number(Decimal("27.6"), "fi", 1) == "27,6"


def test_format_number__english__comma_thousands_and_decimal_point():
    assert format_number(Decimal("1234567.5"), "en", 1) == "1,234,567.5"


@pytest.mark.parametrize(
    "lang, expected", [("fi", f"{MINUS}1{NNBSP}234,5"), ("en", f"{MINUS}1,234.5")]
)
def test_format_number__negative__true_minus_sign_not_hyphen(lang, expected):
    text = format_number(Decimal("-1234.5"), lang, 1)
    assert text == expected
    assert MINUS == "\u2212"
    assert "-" not in text


def test_format_number__negative_that_rounds_to_zero__no_minus_sign():
    assert format_number(Decimal("-0.04"), "fi", 1) == "0,0"


@pytest.mark.parametrize("value, expected", [("0.25", "0,3"), ("0.35", "0,4"), ("2.5", "3")])
def test_format_number__rounds_half_up_not_to_even(value, expected):
    places = 0 if value == "2.5" else 1
    assert format_number(Decimal(value), "fi", places) == expected


def test_format_number__whole_number_int__no_decimals_by_default():
    assert format_number(1400000, "fi") == f"1{NNBSP}400{NNBSP}000"


def test_format_number__no_value__empty_text():
    assert format_number(None, "fi") == ""


@pytest.mark.parametrize(
    "language, expected",
    [
        ("fi", "27,6"),
        ("fi-FI", "27,6"),
        ("sv-FI", "27,6"),
        ("en", "27.6"),
        ("en-GB", "27.6"),
        ("EN", "27.6"),
        (None, "27,6"),
        ("", "27,6"),
        ("de", "27,6"),
    ],
)
def test_format_number__language_variants_and_unknown_languages__fall_back_to_finnish(
    language, expected
):
    assert format_number(Decimal("27.6"), language, 1) == expected


# ---------------------------------------------------------------------------------------------
# Millions of euros


def test_format_meur__finnish__decimal_comma_and_unit():
    assert format_meur(meur("27.6"), "fi") == f"27,6{NBSP}M€"


def test_format_meur__swedish__mn_euro():
    assert format_meur(meur("27.6"), "sv") == f"27,6{NBSP}mn{NBSP}€"


def test_format_meur__english__euro_sign_first_and_m_after():
    assert format_meur(meur("27.6"), "en") == "€27.6M"


def test_format_meur__default_language__finnish():
    assert format_meur(meur("27.6")) == f"27,6{NBSP}M€"


@pytest.mark.parametrize(
    "amount, expected",
    [
        ("10600000", "10,6"),
        ("3400000", "3,4"),
        ("4900000", "4,9"),
        ("3000000", "3,0"),
        ("3200000", "3,2"),
        ("1500000", "1,5"),
        ("1000000", "1,0"),
        ("27600000", "27,6"),
    ],
)
def test_format_meur__ita_uusimaa_spearhead_totals__one_decimal_as_in_the_document(
    amount, expected
):
    assert format_meur(Decimal(amount), "fi") == f"{expected}{NBSP}M€"


def test_format_meur__unit_kept_on_the_same_line_as_the_number():
    assert " " not in format_meur(meur("27.6"), "fi")
    assert " " not in format_meur(meur("27.6"), "sv")


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fi", f"{MINUS}28,0{NBSP}M€"),
        ("sv", f"{MINUS}28,0{NBSP}mn{NBSP}€"),
        ("en", f"{MINUS}€28.0M"),
    ],
)
def test_format_meur__cost_fall__true_minus_before_the_figure(lang, expected):
    assert format_meur(meur("-28"), lang) == expected


def test_format_meur__upper_bound_0_1_meur__shown_as_0_1():
    assert format_meur(Decimal("100000"), "fi") == f"0,1{NBSP}M€"


def test_format_meur__amount_below_0_05_meur__two_decimals_so_it_does_not_look_like_zero():
    assert format_meur(Decimal("40000"), "fi") == f"0,04{NBSP}M€"
    assert format_meur(Decimal("-40000"), "en") == f"{MINUS}€0.04M"


def test_format_meur__billion_scale__thousands_grouped():
    assert format_meur(meur("1234.5"), "fi") == f"1{NNBSP}234,5{NBSP}M€"
    assert format_meur(meur("1234.5"), "en") == "€1,234.5M"


def test_format_meur__explicit_places__respected():
    assert format_meur(meur("27.6"), "fi", places=0) == f"28{NBSP}M€"
    assert format_meur(Decimal("27612345"), "en", places=2) == "€27.61M"


def test_format_meur__no_value__empty_text():
    assert format_meur(None, "fi") == ""


# ---------------------------------------------------------------------------------------------
# Ranges of millions


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fi", f"0{EN_DASH}1,5{NBSP}M€"),
        ("sv", f"0{EN_DASH}1,5{NBSP}mn{NBSP}€"),
        ("en", f"€0{EN_DASH}1.5M"),
    ],
)
def test_format_meur_range__zero_to_1_5_meur__as_the_counties_write_it(lang, expected):
    assert format_meur_range(Decimal("0"), meur("1.5"), lang) == expected


def test_format_meur_range__one_unit_after_both_ends_and_an_en_dash():
    text = format_meur_range(meur("12"), meur("16"), "fi")
    assert text == f"12,0{EN_DASH}16,0{NBSP}M€"
    assert text.count("M€") == 1
    assert EN_DASH == "\u2013"


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fi", f"{MINUS}89,0 {EN_DASH} {MINUS}28,0{NBSP}M€"),
        ("sv", f"{MINUS}89,0 {EN_DASH} {MINUS}28,0{NBSP}mn{NBSP}€"),
        ("en", f"{MINUS}€89.0 {EN_DASH} {MINUS}€28.0M"),
    ],
)
def test_format_meur_range__kymenlaakso_cost_fall__both_ends_signed_the_same_way(lang, expected):
    assert format_meur_range(meur("-89"), meur("-28"), lang) == expected


def test_format_meur_range__english_positive__single_euro_sign():
    text = format_meur_range(meur("12"), meur("16"), "en")
    assert text == f"€12.0{EN_DASH}16.0M"
    assert text.count("€") == 1


def test_format_meur_range__small_end__both_ends_get_two_decimals():
    assert format_meur_range(Decimal("40000"), meur("1.5"), "fi") == f"0,04{EN_DASH}1,50{NBSP}M€"


# ---------------------------------------------------------------------------------------------
# Euros, percentages, dates


def test_format_eur__finnish__grouped_whole_euros_and_unit_after():
    assert format_eur(Decimal("1234567"), "fi") == f"1{NNBSP}234{NNBSP}567{NBSP}€"


def test_format_eur__english__euro_sign_first():
    assert format_eur(Decimal("1234567"), "en") == "€1,234,567"


def test_format_eur__english_negative__minus_before_euro_sign():
    assert format_eur(Decimal("-1234567"), "en") == f"{MINUS}€1,234,567"


def test_format_eur__cents__rounded_half_up_to_whole_euros():
    assert format_eur(Decimal("999.50"), "fi") == f"1{NNBSP}000{NBSP}€"


def test_format_eur__no_value__empty_text():
    assert format_eur(None, "fi") == ""


@pytest.mark.parametrize(
    "lang, expected", [("fi", f"12,5{NBSP}%"), ("sv", f"12,5{NBSP}%"), ("en", "12.5%")]
)
def test_format_percent__space_before_percent_sign_in_finnish_and_swedish_only(lang, expected):
    assert format_percent(Decimal("12.5"), lang, 1) == expected


def test_format_percent__no_value__empty_text():
    assert format_percent(None, "fi") == ""


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (0.62, "fi", f"62{NBSP}%"), (0.62, "en", "62%"), (0.0, "sv", f"< 0,1{NBSP}%"), (1.0, "fi", f"> 99,9{NBSP}%"),
    (0.004, "fi", f"0,4{NBSP}%"), (None, "fi", "–"),
])
def test_format_probability__never_a_flat_0_or_100_percent(value, lang, expected):
    assert format_probability(value, lang) == expected


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_format_date__finnish_and_swedish__day_month_year_without_leading_zeros(lang):
    assert format_date(date(2023, 10, 5), lang) == "5.10.2023"
    assert format_date(date(2023, 6, 20), lang) == "20.6.2023"


def test_format_date__english__day_short_month_year():
    assert format_date(date(2023, 10, 5), "en") == "5 Oct 2023"
    assert format_date(date(2023, 6, 20), "en") == "20 Jun 2023"


def test_format_date__no_value__empty_text():
    assert format_date(None, "fi") == ""


# ---------------------------------------------------------------------------------------------
# Parsing what users type


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,4 M€", "1400000"),
        ("1 400 000", "1400000"),
        ("−28 M€", "-28000000"),  # true minus sign (U+2212)
        ("-28 M€", "-28000000"),  # hyphen-minus
        ("–28 M€", "-28000000"),  # en dash typed as minus
        ("1400000 €", "1400000"),
        ("1400000", "1400000"),
        ("27,6 mn €", "27600000"),
        ("27,6 milj. €", "27600000"),
        ("2 milj. euroa", "2000000"),
        ("0,75 M€", "750000"),
        ("1.4 M€", "1400000"),  # a point works as the decimal mark too
        ("1,4M€", "1400000"),
        ("1,4 m€", "1400000"),
        ("3,8 MEUR", "3800000"),
        ("1 400 000 euroa", "1400000"),
        ("1 234,50 €", "1234.5"),
        ("1,234.5", "1234.5"),  # English grouping
        ("+1,4 M€", "1400000"),
        ("  1,4 M€  ", "1400000"),
    ],
)
def test_parse_money__what_finnish_users_type__euros(text, expected):
    result = parse_money(text)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


def test_parse_money__no_break_spaces_as_thousands_separators__accepted():
    assert parse_money(f"1{NNBSP}400{NNBSP}000{NBSP}€") == Decimal("1400000")
    assert parse_money(f"1{NBSP}400{NBSP}000") == Decimal("1400000")


@pytest.mark.parametrize("text", [None, "", "   "])
def test_parse_money__empty_input__none(text):
    assert parse_money(text) is None


@pytest.mark.parametrize("value", [1400000, Decimal("1400000")])
def test_parse_money__int_or_decimal__passed_through(value):
    assert parse_money(value) == Decimal("1400000")


@pytest.mark.parametrize("text", ["abc", "noin 3 M€", "1,2,3", "1.400.000", "1,4 M€ tai 2 M€", "€"])
def test_parse_money__not_a_sum_of_money__parse_error(text):
    with pytest.raises(MoneyParseError):
        parse_money(text)


def test_parse_money__parse_error__is_a_value_error_so_forms_can_catch_it():
    assert issubclass(MoneyParseError, ValueError)


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("amount", ["27600000", "-28000000", "1400000", "40000"])
def test_parse_money__reads_back_what_format_meur_writes(lang, amount):
    assert parse_money(format_meur(Decimal(amount), lang)) == Decimal(amount)


def test_parse_money__reads_back_what_format_eur_writes_in_finnish():
    assert parse_money(format_eur(Decimal("-1234567"), "fi")) == Decimal("-1234567")


# ---------------------------------------------------------------------------------------------
# Parsing ranges


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("−28…−89 M€", "-28000000", "-89000000"),  # true minus signs and an ellipsis, as in the seed
        ("-28...-89 M€", "-28000000", "-89000000"),
        ("+12…+16 M€", "12000000", "16000000"),
        ("12–16 M€", "12000000", "16000000"),  # en dash between the ends
        ("12 – 16 M€", "12000000", "16000000"),
        ("0,5-1,5 M€", "500000", "1500000"),
        ("12 M€ – 16 M€", "12000000", "16000000"),
        ("−28 – −89", "-28", "-89"),
        ("1 400 000 - 2 000 000", "1400000", "2000000"),
        (f"1{NNBSP}400{NNBSP}000{NBSP}–{NBSP}2{NNBSP}000{NBSP}000{NBSP}€", "1400000", "2000000"),
        ("250 000 € – 1,5 M€", "250000", "1500000"),  # a unit on the first end is kept
        ("0…0,1 milj. €", "0", "100000"),
    ],
)
def test_parse_money_range__as_the_counties_write_ranges__both_ends_in_euros(text, low, high):
    assert parse_money_range(text) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("text", [None, "", "1,4 M€", "−28 M€", "-28 M€", "–28 M€", "1 400 000"])
def test_parse_money_range__a_single_figure__not_a_range(text):
    assert parse_money_range(text) is None


@pytest.mark.parametrize("text", ["noin 1–2 M€", "1…", "…2 M€", "2023-10-05", "1,5–2,x M€"])
def test_parse_money_range__ends_that_are_not_money__parse_error(text):
    with pytest.raises(MoneyParseError):
        parse_money_range(text)


# ---------------------------------------------------------------------------------------------


def test_formatting_module__imports_without_django():
    code = (
        "import sys, karki.lib.formatting; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django']"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)
    assert formatting.__name__ == "karki.lib.formatting"


def test_format_meur_range__negative_ends__spaced_dash_between_the_minus_signs():
    assert format_meur_range(meur("-89"), meur("-28"), "fi") == "\u221289,0 \u2013 \u221228,0\u00a0M\u20ac"
    assert format_meur_range(meur("-0.4"), meur("0.2"), "fi") == "\u22120,4 \u2013 0,2\u00a0M\u20ac"


@pytest.mark.parametrize(("text", "expected"), [
    ("1 234,56", "1234.56"), ("-1 234,56", "-1234.56"), ("1234.56", "1234.56"), ("1.234,56", "1234.56"),
    ("1,234.56", "1234.56"), ("1 234,56-", "-1234.56"), ("(1 234,56)", "-1234.56"), ("\u221212,5", "-12.5"),
    ("1\u202f234\u00a0567,00", "1234567.00"), ("1.234.567", "1234567"), ("12", "12"), (1234, "1234"),
    (1.1 + 2.2, "3.30"),
])
def test_parse_amount__what_financial_systems_export(text, expected):
    from karki.lib.formatting import parse_amount

    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1,234", "1.234", "abc", "1e5", "", "1 234,567", "--5", "5 M€", "NaN", "1,2,3"])
def test_parse_amount__ambiguous_or_not_an_amount__refused(text):
    from karki.lib.formatting import parse_amount

    with pytest.raises(MoneyParseError):
        parse_amount(text)
