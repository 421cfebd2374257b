"""Savings arithmetic: what each kind of estimate adds to a sum, and the county seeds' figures."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from karki.lib import money
from karki.lib.money import (
    MILLION,
    ZERO,
    Estimate,
    EstimateError,
    EstimateKind,
    PotentialClass,
    RangeSum,
    Rollup,
    covering_estimate,
    cumulative,
    gap,
    linear_ramp,
    normalised_range,
    potential_class_of,
    quantize_eur,
    rollup,
    stated_differs,
    to_decimal,
)

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def meur(text: str) -> Decimal:
    """Millions of euros written as the counties do, e.g. meur("27.6") == 27 600 000 €."""
    return Decimal(text) * MILLION


def P(eur: str) -> Estimate:  # noqa: N802 - short names keep the seed tables readable
    return Estimate.point(eur)


def UB(eur: str) -> Estimate:  # noqa: N802
    return Estimate.upper_bound(eur)


def ENABLING() -> Estimate:  # noqa: N802
    return Estimate.enabling()


def TBS() -> Estimate:  # noqa: N802
    return Estimate.to_be_specified()


# Itä-Uusimaa, draft 5.10.2023 (ita-uusimaa.v1.json): the targets' own estimates per spearhead.
# Measures carry no estimates of their own in this version.
ITA_UUSIMAA_V1 = {
    "1": [P("3800000"), P("2900000"), P("2100000"), P("1800000")],
    "2": [ENABLING(), P("1700000"), P("1700000")],
    "3": [P("1400000"), P("1400000"), TBS(), P("800000"), P("1300000")],
    "4": [P("700000"), P("1500000"), P("400000"), P("400000")],
    "5": [P("1400000"), P("300000"), P("1000000"), P("200000"), P("300000")],
    "6": [ENABLING(), ENABLING(), P("1500000")],
    "7": [P("100000"), P("200000"), P("600000"), ENABLING(), UB("100000")],  # last: "< 0,1 M€"
}
ITA_UUSIMAA_V1_STATED = {
    "1": meur("10.6"),
    "2": meur("3.4"),
    "3": meur("4.9"),
    "4": meur("3.0"),
    "5": meur("3.2"),
    "6": meur("1.5"),
    "7": meur("1.0"),
}
ITA_UUSIMAA_V1_STATED_TOTAL = meur("27.6")


def ita_uusimaa_v1_total() -> Rollup:
    total = Rollup()
    for estimates in ITA_UUSIMAA_V1.values():
        total.merge(rollup(estimates))
    return total


# ---------------------------------------------------------------------------------------------
# Money is Decimal, never float


@pytest.mark.parametrize(
    "value, expected",
    [
        ("3800000", Decimal("3800000")),
        (3800000, Decimal("3800000")),
        (Decimal("0.75"), Decimal("0.75")),
        ("-28000000", Decimal("-28000000")),
    ],
)
def test_to_decimal__strings_ints_and_decimals__become_exact_decimals(value, expected):
    result = to_decimal(value)
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize("value", [None, ""])
def test_to_decimal__empty_input__means_no_figure(value):
    assert to_decimal(value) is None


def test_to_decimal__float__refused_with_type_error():
    with pytest.raises(TypeError):
        to_decimal(27.6)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Estimate.point(3.8),
        lambda: Estimate.upper_bound(0.1),
        lambda: Estimate.range(0, 1.5),
        lambda: Estimate.range(0.0, 1500000),
    ],
    ids=["point", "upper_bound", "range_high", "range_low"],
)
def test_estimate__float_amount__refused_with_type_error(make):
    with pytest.raises(TypeError):
        make()


def test_to_decimal__text_that_is_not_a_number__is_an_estimate_error():
    with pytest.raises(EstimateError):
        to_decimal("noin 3 M€")


def test_estimate_error__is_a_value_error_so_forms_can_catch_it():
    assert issubclass(EstimateError, ValueError)


# ---------------------------------------------------------------------------------------------
# What each kind of estimate contributes (minimum / expected / maximum)


def test_point_estimate__counts_its_amount_as_min_expected_and_max():
    estimate = Estimate.point("3800000")
    assert (estimate.minimum, estimate.expected, estimate.maximum) == (meur("3.8"),) * 3
    assert estimate.is_uncertain is False


def test_point_estimate__may_be_negative_when_costs_rise():
    estimate = Estimate.point("-200000")
    assert estimate.expected == Decimal("-200000")


def test_point_estimate__without_amount__is_an_estimate_error():
    with pytest.raises(EstimateError, match="amount_required"):
        Estimate.point(None)


def test_range_zero_to_1_5_meur__expected_is_midpoint_0_75_meur():
    estimate = Estimate.range("0", "1500000")  # Itä-Uusimaa v2, target 6.3: "0–1,5 mn €"
    assert estimate.minimum == ZERO
    assert estimate.expected == meur("0.75")
    assert estimate.maximum == meur("1.5")
    assert estimate.is_uncertain is True


def test_range__min_above_max__is_an_estimate_error():
    with pytest.raises(EstimateError, match="range_min_above_max"):
        Estimate.range("1500000", "0")


def test_range__equal_ends__is_accepted():
    estimate = Estimate.range("1000000", "1000000")
    assert estimate.expected == meur("1")


@pytest.mark.parametrize("low, high", [(None, "1500000"), ("0", None), ("", "1500000")])
def test_range__missing_end__is_an_estimate_error(low, high):
    with pytest.raises(EstimateError, match="range_bounds_required"):
        Estimate.range(low, high)


def test_upper_bound_below_0_1_meur__counts_zero_minimum_and_bound_as_expected_and_max():
    estimate = Estimate.upper_bound("100000")  # "< 0,1 M€"
    assert estimate.minimum == ZERO
    assert estimate.expected == meur("0.1")
    assert estimate.maximum == meur("0.1")
    assert estimate.is_uncertain is True


def test_upper_bound__negative__is_an_estimate_error():
    with pytest.raises(EstimateError, match="upper_bound_negative"):
        Estimate.upper_bound("-100000")


def test_upper_bound__without_amount__is_an_estimate_error():
    with pytest.raises(EstimateError, match="amount_required"):
        Estimate.upper_bound(None)


@pytest.mark.parametrize(
    "estimate", [Estimate.enabling(), Estimate.to_be_specified()], ids=["enabling", "tbs"]
)
def test_enabling_and_to_be_specified__add_nothing_but_are_uncertain(estimate):
    assert (estimate.minimum, estimate.expected, estimate.maximum) == (ZERO, ZERO, ZERO)
    assert estimate.is_uncertain is True


def test_estimate__kind_given_as_text__is_stored_as_kind():
    estimate = Estimate("range", low=Decimal("0"), high=Decimal("1500000"))
    assert estimate.kind is EstimateKind.RANGE


def test_estimate__unknown_kind__refused():
    with pytest.raises(ValueError):
        Estimate("guess", amount=Decimal("1"))


def test_estimate__cannot_be_changed_after_creation():
    estimate = Estimate.point("3800000")
    with pytest.raises(dataclasses.FrozenInstanceError):
        estimate.amount = Decimal("0")  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# Potential class: large > 1 M€, medium 0,2–1 M€, small < 0,2 M€


@pytest.mark.parametrize(
    "amount, expected",
    [
        ("3800000", PotentialClass.LARGE),
        ("1000001", PotentialClass.LARGE),
        ("1000000", PotentialClass.MEDIUM),  # exactly 1 M€ is not "over 1 M€"
        ("700000", PotentialClass.MEDIUM),
        ("200000", PotentialClass.MEDIUM),  # exactly 0,2 M€ is medium
        ("199999", PotentialClass.SMALL),
        ("100000", PotentialClass.SMALL),
        ("0", PotentialClass.SMALL),
    ],
)
def test_potential_class__thresholds_at_1_meur_and_0_2_meur(amount, expected):
    assert potential_class_of(Decimal(amount)) is expected
    assert Estimate.point(amount).potential_class is expected


def test_potential_class__range_is_classed_by_its_midpoint():
    assert Estimate.range("0", "1500000").potential_class is PotentialClass.MEDIUM  # 0,75 M€
    assert Estimate.range("0", "2500000").potential_class is PotentialClass.LARGE  # 1,25 M€
    assert Estimate.range("0", "300000").potential_class is PotentialClass.SMALL  # 0,15 M€


def test_potential_class__upper_bound_below_0_1_meur__is_small():
    assert Estimate.upper_bound("100000").potential_class is PotentialClass.SMALL


@pytest.mark.parametrize(
    "estimate", [Estimate.enabling(), Estimate.to_be_specified()], ids=["enabling", "tbs"]
)
def test_potential_class__enabling_and_to_be_specified__have_none(estimate):
    assert estimate.potential_class is None


# ---------------------------------------------------------------------------------------------
# Roll-ups


def test_rollup__nothing_to_add__is_zero_everywhere():
    result = rollup([])
    assert (result.minimum, result.expected, result.maximum) == (ZERO, ZERO, ZERO)
    assert result.items == 0
    assert result.uncertain_items == 0
    assert result.open_ended is False


@pytest.mark.parametrize("theme", sorted(ITA_UUSIMAA_V1))
def test_rollup__ita_uusimaa_spearheads__expected_sums_match_the_document(theme):
    result = rollup(ITA_UUSIMAA_V1[theme])
    assert result.expected == ITA_UUSIMAA_V1_STATED[theme]
    assert stated_differs(ITA_UUSIMAA_V1_STATED[theme], result.expected) is False


def test_rollup__ita_uusimaa_programme__total_27_6_meur():
    total = ita_uusimaa_v1_total()
    assert total.expected == ITA_UUSIMAA_V1_STATED_TOTAL == meur("27.6")
    assert total.maximum == meur("27.6")
    assert sum(ITA_UUSIMAA_V1_STATED.values()) == total.expected


def test_rollup__upper_bound_counted_at_its_bound__minimum_says_it_may_be_nothing():
    total = ita_uusimaa_v1_total()
    assert total.minimum == meur("27.5")  # the "< 0,1 M€" item may be zero
    assert total.uncertain_expected == meur("0.1")
    assert total.certain_expected == meur("27.5")


def test_rollup__spearhead_7_with_upper_bound__1_0_meur_expected_0_9_meur_minimum():
    result = rollup(ITA_UUSIMAA_V1["7"])
    assert result.expected == meur("1.0")
    assert result.maximum == meur("1.0")
    assert result.minimum == meur("0.9")
    assert result.count("upper_bound") == 1
    assert result.count("enabling") == 1


def test_rollup__ita_uusimaa_programme__counts_each_kind():
    total = ita_uusimaa_v1_total()
    assert total.items == 29
    assert total.count("point") == 23
    assert total.count("enabling") == 4
    assert total.count("to_be_specified") == 1
    assert total.count("upper_bound") == 1
    assert total.count("range") == 0
    assert total.count("missing") == 0
    assert total.uncertain_items == 6  # 4 enabling + 1 to be specified + 1 upper bound


def test_rollup__to_be_specified_item__makes_the_maximum_open_ended():
    assert rollup(ITA_UUSIMAA_V1["3"]).open_ended is True
    assert ita_uusimaa_v1_total().open_ended is True
    assert rollup(ITA_UUSIMAA_V1["1"]).open_ended is False


def test_rollup__enabling_items__counted_but_not_open_ended():
    result = rollup(ITA_UUSIMAA_V1["6"])
    assert result.expected == meur("1.5")
    assert result.count("enabling") == 2
    assert result.uncertain_items == 2
    assert result.open_ended is False


def test_rollup__missing_estimate__counted_as_missing_adds_nothing_and_is_open_ended():
    result = rollup([Estimate.point("1000000"), None])
    assert result.expected == meur("1")
    assert result.items == 2
    assert result.count("missing") == 1
    assert result.uncertain_items == 1
    assert result.open_ended is True


def test_rollup__range__min_midpoint_max_and_midpoint_is_uncertain():
    result = rollup([Estimate.point("2000000"), Estimate.range("0", "1500000")])
    assert result.minimum == meur("2")
    assert result.expected == meur("2.75")
    assert result.maximum == meur("3.5")
    assert result.uncertain_expected == meur("0.75")
    assert result.certain_expected == meur("2")


def test_rollup__ita_uusimaa_v2_spearhead_6_with_range__expected_0_75_within_stated_1_5():
    # v2 (Swedish version): 6.1 and 6.2 enabling, 6.3 "0–1,5 mn €"; the document states 1,5 mn €.
    result = rollup([ENABLING(), ENABLING(), Estimate.range("0", "1500000")])
    assert (result.minimum, result.expected, result.maximum) == (ZERO, meur("0.75"), meur("1.5"))
    assert result.minimum <= meur("1.5") <= result.maximum


def test_rollup__merge__same_as_rolling_up_everything_at_once():
    everything = [e for estimates in ITA_UUSIMAA_V1.values() for e in estimates]
    at_once = rollup(everything)
    merged = ita_uusimaa_v1_total()
    assert (merged.minimum, merged.expected, merged.maximum) == (
        at_once.minimum,
        at_once.expected,
        at_once.maximum,
    )
    assert merged.counts == at_once.counts
    assert merged.items == at_once.items
    assert merged.uncertain_expected == at_once.uncertain_expected


def test_rollup__merge__leaves_the_merged_part_unchanged():
    part = rollup(ITA_UUSIMAA_V1["7"])
    whole = rollup(ITA_UUSIMAA_V1["1"])
    whole.merge(part)
    assert whole.expected == meur("11.6")
    assert part.expected == meur("1.0")
    assert part.counts == {"point": 3, "enabling": 1, "upper_bound": 1}


# ---------------------------------------------------------------------------------------------
# A target's estimate covers its measures


def test_rollup__target_estimate_covers_measures__not_counted_twice():
    target = Estimate.point("3800000")
    measures = [Estimate.point("2000000"), Estimate.point("1500000"), None]
    result = covering_estimate(target, measures)
    assert result.expected == meur("3.8")
    assert result.items == 1
    assert result.counts == {"point": 1}


def test_rollup__target_range_covers_measures__target_range_used():
    result = covering_estimate(Estimate.range("0", "1500000"), [Estimate.point("1000000")])
    assert (result.minimum, result.expected, result.maximum) == (ZERO, meur("0.75"), meur("1.5"))


def test_rollup__target_without_estimate__its_measures_estimates_are_summed():
    measures = [Estimate.point("2000000"), Estimate.upper_bound("100000"), None]
    result = covering_estimate(None, measures)
    assert result.expected == meur("2.1")
    assert result.minimum == meur("2")
    assert result.items == 2
    assert result.count("missing") == 0  # measures without a figure are not "missing"


def test_rollup__target_and_measures_without_estimates__one_missing_item():
    result = covering_estimate(None, [None, None, None])
    assert result.expected == ZERO
    assert result.items == 1
    assert result.count("missing") == 1
    assert result.open_ended is True


def test_rollup__target_without_estimate_or_measures__one_missing_item():
    result = covering_estimate(None, [])
    assert result.count("missing") == 1


def test_covered_figures__target_estimate__only_the_target_counts():
    target = Estimate.point("3800000")
    assert money.covered_figures(target, [Estimate.point("2000000"), None]) == [(None, target)]


def test_covered_figures__no_target_estimate__measures_with_figures_by_index():
    first, third = Estimate.point("2000000"), Estimate.enabling()
    assert money.covered_figures(None, [first, None, third]) == [(0, first), (2, third)]
    assert money.covered_figures(None, [None, None]) == []


def test_rollup__theme_of_covering_targets__each_target_counted_once():
    # Two targets: one with its own 3,8 M€ covering measures of 2 + 1,5 M€; one without, whose
    # measures have 1 + 0,5 M€.
    theme = Rollup()
    theme.merge(covering_estimate(P("3800000"), [P("2000000"), P("1500000")]))
    theme.merge(covering_estimate(None, [P("1000000"), P("500000")]))
    assert theme.expected == meur("5.3")
    assert theme.items == 3


# ---------------------------------------------------------------------------------------------
# Cost-change ranges (negative = costs fall)


def test_normalised_range__kymenlaakso_purchased_services_minus_28_to_minus_89__low_is_minus_89():
    result = normalised_range(meur("-28"), meur("-89"))
    assert result.low == meur("-89")
    assert result.high == meur("-28")


def test_normalised_range__already_in_order__unchanged():
    assert normalised_range(meur("12"), meur("16")) == RangeSum(meur("12"), meur("16"))


def test_range_sum__cost_fall_of_28_to_89_meur__is_a_saving_of_28_to_89_meur():
    result = normalised_range(meur("-28"), meur("-89"))
    assert result.savings_low == meur("28")
    assert result.savings_high == meur("89")


def test_range_sum__kymenlaakso_cost_categories_2023_2025__add_end_by_end():
    # Henkilöstökulut +12…+16, Palvelujen ostot −28…−89, Vuokrat −1…−5 (M€).
    total = RangeSum()
    for a, b in [("12", "16"), ("-28", "-89"), ("-1", "-5")]:
        total = total + normalised_range(meur(a), meur(b))
    assert total == RangeSum(meur("-82"), meur("-13"))
    assert (total.savings_low, total.savings_high) == (meur("13"), meur("82"))


def test_range_sum__empty__is_zero():
    assert RangeSum() == RangeSum(ZERO, ZERO)


# ---------------------------------------------------------------------------------------------
# Gap to target


def test_gap__kymenlaakso_78_meur_target_with_27_meur_saved__51_meur_missing():
    assert gap(meur("78"), meur("27")) == meur("51")


def test_gap__target_reached__nothing_missing():
    assert gap(ITA_UUSIMAA_V1_STATED_TOTAL, ita_uusimaa_v1_total().expected) == ZERO


def test_gap__target_exceeded__never_negative():
    assert gap(meur("27.6"), meur("30")) == ZERO


# ---------------------------------------------------------------------------------------------
# Yearly ramp


def test_linear_ramp__27_6_meur_over_three_years__9_2_then_18_4_then_27_6():
    ramp = linear_ramp(meur("27.6"), 3, 2024, 2026)
    assert list(ramp) == [2024, 2025, 2026]
    assert {year: quantize_eur(amount) for year, amount in ramp.items()} == {
        2024: meur("9.2"),
        2025: meur("18.4"),
        2026: meur("27.6"),
    }
    assert ramp[2026] == meur("27.6")  # the full effect is exact


def test_linear_ramp__after_full_effect__stays_at_full_effect():
    ramp = linear_ramp(meur("2"), 2, 2024, 2027)
    assert ramp == {2024: meur("1"), 2025: meur("2"), 2026: meur("2"), 2027: meur("2")}


def test_linear_ramp__period_ends_before_full_effect__only_part_reached():
    ramp = linear_ramp(meur("4"), 4, 2024, 2025)
    assert ramp == {2024: meur("1"), 2025: meur("2")}


@pytest.mark.parametrize("years_to_full", [0, 1])
def test_linear_ramp__zero_or_one_year__full_effect_from_the_first_year(years_to_full):
    assert linear_ramp(meur("1.5"), years_to_full, 2024, 2025) == {
        2024: meur("1.5"),
        2025: meur("1.5"),
    }


def test_linear_ramp__period_ends_before_it_starts__no_years():
    assert linear_ramp(meur("1"), 2, 2026, 2025) == {}


def test_cumulative__ita_uusimaa_v2_yearly_effects__running_total_by_year():
    yearly = {2026: meur("27.6"), 2024: meur("7.2"), 2025: meur("17.5")}  # deliberately unordered
    result = cumulative(yearly)
    assert list(result) == [2024, 2025, 2026]
    assert result == {2024: meur("7.2"), 2025: meur("24.7"), 2026: meur("52.3")}


def test_cumulative__no_years__empty():
    assert cumulative({}) == {}


# ---------------------------------------------------------------------------------------------
# Rounding and stated totals


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("-0.005", "-0.01"),
        ("9199999.999999999999999999999", "9200000.00"),
        ("27600000", "27600000.00"),
    ],
)
def test_quantize_eur__rounds_half_up_to_cents(value, expected):
    assert str(quantize_eur(Decimal(value))) == expected


def test_stated_differs__ita_uusimaa_total_27_6_meur_equals_computed__no_warning():
    assert stated_differs(ITA_UUSIMAA_V1_STATED_TOTAL, ita_uusimaa_v1_total().expected) is False


def test_stated_differs__ita_uusimaa_v2_spearhead_4_states_2_3_but_targets_add_to_2_4__warning():
    computed = rollup([P("700000"), P("900000"), P("400000"), P("400000")]).expected
    assert computed == meur("2.4")
    assert stated_differs(meur("2.3"), computed) is True


@pytest.mark.parametrize(
    "stated, computed, differs",
    [
        ("27600000", "27600000", False),
        ("27600000", "27600000.50", False),  # within half a euro
        ("27600000", "27600000.51", True),
        ("27600000", "27500000", True),  # 0,1 M€ off is a warning by default
        ("27500000", "27600000", True),  # either direction
    ],
)
def test_stated_differs__strict_by_default__half_a_euro_tolerance(stated, computed, differs):
    assert stated_differs(Decimal(stated), Decimal(computed)) is differs


def test_stated_differs__custom_tolerance__accepts_rounding_to_0_1_meur():
    assert stated_differs(meur("27.6"), meur("27.55"), tolerance=meur("0.05")) is False
    assert stated_differs(meur("27.6"), meur("27.5"), tolerance=meur("0.05")) is True


# ---------------------------------------------------------------------------------------------


def test_money_module__imports_without_django():
    code = (
        "import sys, karki.lib.money; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django']"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)
    assert money.__name__ == "karki.lib.money"
