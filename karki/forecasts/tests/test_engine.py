"""The Monte Carlo engine against cases with a known answer.

Tolerances are stated with each test. The draws are deterministic for a seed, so a test passes or
fails the same way every run; the tolerances say how far the answer may honestly be from the exact
one with that many draws (a few standard errors), so another seed would pass too.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from karki.forecasts.engine import (
    Floor,
    Item,
    Model,
    Part,
    item_variances,
    probability_error,
    quantile_error,
    simulate,
    simulate_parts,
    simulate_reference,
)

YEARS = (2024, 2025, 2026)
FULL = (1.0, 1.0, 1.0)
DRAWS = 100_000


def one(item: Item, chance: float = 1.0, weights=FULL) -> Model:
    return Model(YEARS, [item], [Part(item.code, 0, weights, chance=chance)])


def test_point_estimate_with_certainty__every_draw_is_exactly_the_amount():
    totals = simulate(one(Item("1.1", 1_400_000.0, 1_400_000.0)), draws=1_000, seed=1)
    assert (totals == 1_400_000.0).all()
    assert np.quantile(totals[:, 2], [0.1, 0.5, 0.9]).tolist() == [1_400_000.0] * 3


def test_point_estimate_with_cents__exact_because_certain_parts_are_not_drawn():
    totals = simulate(one(Item("1.1", 1_234_567.89, 1_234_567.89), weights=(0.25, 0.5, 1.0)), draws=10, seed=1)
    assert totals[0].tolist() == [1_234_567.89 * 0.25, 1_234_567.89 * 0.5, 1_234_567.89]


def test_uniform_range__mean_and_percentiles_of_the_uniform_distribution():
    low, high = 0.0, 1_500_000.0
    sample = simulate(one(Item("6.3", low, high)), draws=DRAWS, seed=7)[:, 0]
    # Mean: standard error (high − low) / √(12 n) = 1 369 €; tolerance 4 standard errors.
    tolerance = 4 * (high - low) / math.sqrt(12 * DRAWS)
    assert abs(sample.mean() - (low + high) / 2) < tolerance
    # Percentiles: P10 of U(0, 1,5 M€) is 150 000 €; its standard error √(0,1·0,9/n)·(high − low) ≈ 1 423 €.
    for q in (0.1, 0.5, 0.9):
        expected = low + q * (high - low)
        assert abs(np.quantile(sample, q) - expected) < 4 * math.sqrt(q * (1 - q) / DRAWS) * (high - low)
    assert sample.min() >= low and sample.max() <= high


def test_upper_bound__drawn_between_zero_and_the_bound():
    sample = simulate(one(Item("7.5", 0.0, 100_000.0)), draws=DRAWS, seed=3)[:, 0]
    assert sample.min() >= 0 and sample.max() <= 100_000
    assert abs(sample.mean() - 50_000) < 4 * 100_000 / math.sqrt(12 * DRAWS)


def test_enabling_item__contributes_nothing():
    totals = simulate(one(Item("2.1", 0.0, 0.0), chance=0.5), draws=1_000, seed=1)
    assert not totals.any()


def test_chance__point_happens_with_its_probability():
    p, amount = 0.7, 2_000_000.0
    sample = simulate(one(Item("1.2", amount, amount), chance=p), draws=DRAWS, seed=11)[:, 0]
    assert set(np.unique(sample).tolist()) == {0.0, amount}
    # Share of draws where it happens: standard error √(p(1 − p)/n) = 0,14 pp; tolerance 4 of them.
    assert abs((sample == amount).mean() - p) < 4 * math.sqrt(p * (1 - p) / DRAWS)


def test_chance_and_range__one_uniform_decides_whether_and_how_much():
    # Given that the part happens, its amount is still uniform over the whole range.
    p, low, high = 0.4, 1_000_000.0, 3_000_000.0
    sample = simulate(one(Item("x", low, high), chance=p), draws=DRAWS, seed=5)[:, 0]
    happened = sample[sample > 0]
    assert abs(len(happened) / DRAWS - p) < 4 * math.sqrt(p * (1 - p) / DRAWS)
    n = len(happened)
    assert happened.min() >= low and happened.max() <= high
    assert abs(happened.mean() - 2_000_000) < 4 * (high - low) / math.sqrt(12 * n)
    assert abs(np.quantile(happened, 0.1) - 1_200_000) < 4 * math.sqrt(0.09 / n) * (high - low)


def test_independent_items__variances_add():
    model = Model(YEARS, [Item("a", 0.0, 1_500_000.0), Item("b", 2_000_000.0, 2_000_000.0),
                         Item("c", 500_000.0, 900_000.0)],
                  [Part("a", 0, FULL, chance=0.9), Part("b", 1, FULL, chance=0.6), Part("c", 2, FULL, chance=1.0)])
    exact = item_variances(model, 2)
    # Each item's variance, worked out by hand: U(0; 1,5 M€) happening with 0,9; a point of 2 M€ with 0,6;
    # U(0,5; 0,9 M€) for certain.
    assert exact[0] == pytest.approx(0.9 * 1.5e6**2 / 3 - (0.9 * 0.75e6) ** 2)
    assert exact[1] == pytest.approx(2e6**2 * 0.6 * 0.4)
    assert exact[2] == pytest.approx(0.4e6**2 / 12)
    sample = simulate(model, draws=200_000, seed=2)[:, 2]
    # The sample variance of 200 000 draws is within about 1 % of the truth (its relative standard
    # error is about √(2/n)·√(kurtosis/3) ≈ 0,4 %); tolerance 2 %.
    assert sample.var() == pytest.approx(exact.sum(), rel=0.02)
    assert sample.mean() == pytest.approx(0.9 * 0.75e6 + 0.6 * 2e6 + 0.7e6, rel=0.005)


def test_target_estimate_shared_by_measures__equal_shares_each_with_its_chance():
    item = Item("1.1", 3_000_000.0, 3_000_000.0)
    certain = Model(YEARS, [item], [Part(f"1.1.{c}", 0, FULL, share=1 / 3) for c in "abc"])
    assert simulate(certain, draws=10, seed=1)[:, 0] == pytest.approx([3_000_000.0] * 10)
    uncertain = Model(YEARS, [item], [Part(f"1.1.{c}", 0, FULL, share=1 / 3, chance=0.5) for c in "abc"])
    sample = simulate(uncertain, draws=DRAWS, seed=1)[:, 0]
    assert set(np.round(np.unique(sample)).tolist()) == {0.0, 1_000_000.0, 2_000_000.0, 3_000_000.0}
    assert abs(sample.mean() - 1_500_000) < 4 * math.sqrt(3 * 0.25) * 1e6 / math.sqrt(DRAWS)


def test_target_range_shared_by_measures__one_amount_per_draw_for_the_whole_target():
    item = Item("6.3", 0.0, 1_500_000.0)
    model = Model(YEARS, [item], [Part(f"6.3.{c}", 0, FULL, share=1 / 3) for c in "abc"])
    sample = simulate(model, draws=DRAWS, seed=4)[:, 0]
    # All three measures take their share of the same draw, so the sum is uniform like the target's range.
    assert abs(sample.mean() - 750_000) < 4 * 1_500_000 / math.sqrt(12 * DRAWS)
    assert sample.var() == pytest.approx(1_500_000**2 / 12, rel=0.02)


def test_ramp_weights__spread_the_effect_over_the_years():
    totals = simulate(one(Item("x", 900_000.0, 900_000.0), weights=(1 / 3, 2 / 3, 1.0)), draws=5, seed=1)
    assert totals[0] == pytest.approx([300_000, 600_000, 900_000])


def test_one_amount_per_item__the_same_luck_in_every_year_of_its_ramp():
    # A range drawn once per round and spread over the ramp: each year is the same share of the same amount,
    # solo or shared by measures (the help page's "same luck"), never a fresh draw per year.
    weights = (0.25, 0.5, 1.0)
    solo = simulate(one(Item("x", 0.0, 1_000_000.0), chance=0.8, weights=weights), draws=2_000, seed=3)
    items = [Item("t", 0.0, 900_000.0)]
    parts = [Part(code, 0, weights, share=1 / 3, chance=1.0) for code in ("a", "b", "c")]
    shared = simulate(Model(years=(2024, 2025, 2026), items=items, parts=parts), draws=2_000, seed=3)
    for totals in (solo, shared):
        assert totals[:, 0] == pytest.approx(totals[:, 2] / 4, abs=1.0)
        assert totals[:, 1] == pytest.approx(totals[:, 2] / 2, abs=1.0)
        assert totals[:, 2].std() > 100_000  # and the amount does vary between rounds


def test_fixed__realised_savings_are_added_to_every_draw():
    model = one(Item("x", 0.0, 1_000_000.0))
    model.fixed = (250_000.0, 0.0, 0.0)
    totals = simulate(model, draws=1_000, seed=1)
    assert totals[:, 0].min() >= 250_000


def test_same_seed__same_draws_and_another_seed__other_draws():
    model = one(Item("x", 0.0, 1_000_000.0), chance=0.8)
    assert (simulate(model, draws=5_000, seed=42) == simulate(model, draws=5_000, seed=42)).all()
    assert not (simulate(model, draws=5_000, seed=42) == simulate(model, draws=5_000, seed=43)).all()


def test_common_random_numbers__dropping_a_part_lowers_every_draw_by_its_own_value():
    items = [Item("a", 0.0, 2_000_000.0), Item("b", 1_000_000.0, 1_000_000.0)]
    base = Model(YEARS, items, [Part("a", 0, FULL, chance=0.8), Part("b", 1, FULL, chance=0.7)])
    dropped = Model(YEARS, items, [Part("a", 0, FULL, chance=0.8), Part("b", 1, FULL, chance=0.0)])
    difference = simulate(base, draws=20_000, seed=9)[:, 0] - simulate(dropped, draws=20_000, seed=9)[:, 0]
    # Exactly b's value in each draw: 0 or 1 M€, never anything from a's luck changing.
    assert set(np.round(np.unique(difference)).tolist()) == {0.0, 1_000_000.0}


def test_common_random_numbers__a_measure_given_its_own_estimate_leaves_other_shared_targets_luck_alone():
    """A what-if that gives one measure of target T1 its own estimate changes which items are shared;
    target T2, shared by two other measures, must see exactly the same draws as in the baseline."""
    t1, t2 = Item("T1", 0.0, 2_000_000.0), Item("T2", 1_000_000.0, 3_000_000.0)
    t2_parts = [Part("c", 1, FULL, share=0.5, chance=0.9), Part("d", 1, FULL, share=0.5, chance=0.7)]
    # T1's measures do not happen, so the totals are T2's alone and must be the same draw for draw.
    base = Model(YEARS, [t1, t2], [Part("a", 0, FULL, share=0.5, chance=0.0),
                                   Part("b", 0, FULL, share=0.5, chance=0.0), *t2_parts])
    what_if = Model(YEARS, [t1, t2, Item("b", 400_000.0, 600_000.0)],
                    [Part("a", 0, FULL, chance=0.0), Part("b", 2, FULL, chance=0.0), *t2_parts])
    assert np.array_equal(simulate(base, draws=20_000, seed=5), simulate(what_if, draws=20_000, seed=5))


def test_simulate_parts__each_part_on_its_own_stream():
    model = Model(YEARS, [Item("B.1", 1_000_000.0, 1_000_000.0), Item("C.1", 0.0, 2_000_000.0)],
                  [Part("B.1", 0, FULL, chance=1.0), Part("C.1", 1, (0.0, 0.5, 1.0), chance=0.5)])
    values = simulate_parts(model, draws=DRAWS, seed=1, year_index=1)
    assert (values[:, 0] == 1_000_000.0).all()
    assert abs(values[:, 1].mean() - 0.5 * 0.5 * 1_000_000) < 4 * 1_000_000 / math.sqrt(DRAWS)


def test_reference_implementation__agrees_with_the_vectorised_one():
    model = Model(YEARS, [Item("a", 0.0, 1_500_000.0), Item("b", 2_000_000.0, 2_000_000.0)],
                  [Part("a", 0, (0.5, 1.0, 1.0), chance=0.9), Part("b.1", 1, FULL, share=0.5, chance=0.6),
                   Part("b.2", 1, FULL, share=0.5, chance=0.6)])
    fast = simulate(model, draws=50_000, seed=1)
    slow = np.array(simulate_reference(model, draws=20_000, seed=1))
    sd = math.sqrt(item_variances(model, 2).sum())
    # Two independent estimates of the same mean: standard error of the difference sd·√(1/n₁ + 1/n₂).
    assert abs(fast[:, 2].mean() - slow[:, 2].mean()) < 4 * sd * math.sqrt(1 / 50_000 + 1 / 20_000)


def test_monte_carlo_error__shrinks_with_more_draws():
    rng = np.random.default_rng(1)
    small, large = rng.normal(size=2_000), rng.normal(size=200_000)
    assert quantile_error(large, 0.5) < quantile_error(small, 0.5) / 5
    # Around the median of N(0, 1): 1,96·√(0,25/n)/φ(0) ≈ 0,011 for n = 200 000.
    assert quantile_error(large, 0.5) == pytest.approx(1.96 * 0.5 / math.sqrt(200_000) / 0.3989, rel=0.2)
    assert probability_error(0.5, 20_000) == pytest.approx(0.00693, rel=0.01)


# -- Floors: a recurring run-rate carried into the months after the period -----------------------------


def test_floor__level_is_the_larger_of_run_rate_and_drawn_level():
    # A certain 1 M€ measure half-way up its ramp in 2025 and at full effect in 2026, every month still to
    # come; it already saves 0,8 M€ a year. 2025: max(0,8; 0,5) = 0,8 M€; 2026: max(0,8; 1,0) = 1,0 M€.
    model = Model((2025, 2026), [Item("1.1", 1_000_000.0, 1_000_000.0)], [Part("1.1", 0, (0.5, 1.0))],
                  floors=[Floor(0, 800_000.0, (0.5, 1.0), (1.0, 1.0))])
    totals = simulate(model, draws=1_000, seed=1)
    assert totals[:, 0] == pytest.approx(800_000.0, abs=0.5)
    assert totals[:, 1] == pytest.approx(1_000_000.0, abs=0.5)


def test_floor__only_in_the_months_after_the_period():
    # The period is September: three months of the year are still to come, 1,2 M€ a year gives 0,3 M€;
    # a measure without a figure of its own adds its run-rate alone.
    model = Model((2024, 2025), [Item("", 0.0, 0.0)], [Part("2.1", 0, (0.0, 0.0))],
                  floors=[Floor(0, 1_200_000.0, (0.0, 0.0), (0.25, 1.0)), Floor(None, 120_000.0, (0.0, 0.0),
                                                                             (0.25, 1.0))])
    totals = simulate(model, draws=100, seed=1)
    assert totals[0].tolist() == pytest.approx([330_000.0, 1_320_000.0])


def test_floor__uncertain_measure_keeps_its_run_rate_when_it_fails():
    # Happens with 50 %: then 1 M€, else only the 0,6 M€ it already saves. Mean 0,8 M€; P10 0,6, P90 1,0.
    model = Model((2025,), [Item("1.1", 1_000_000.0, 1_000_000.0)], [Part("1.1", 0, (1.0,), chance=0.5)],
                  floors=[Floor(0, 600_000.0, (1.0,), (1.0,))])
    totals = simulate(model, draws=DRAWS, seed=3)[:, 0]
    assert set(np.round(np.unique(totals))) == {600_000.0, 1_000_000.0}
    assert totals.mean() == pytest.approx(800_000.0, rel=0.01)
    reference = np.array(simulate_reference(model, draws=20_000, seed=3))[:, 0]
    assert reference.mean() == pytest.approx(totals.mean(), rel=0.02)


def test_floor__drawn_range_against_the_reference():
    # A range 0,5…1,5 M€ under a 0,9 M€ floor: E[max(0,9; A)] = 0,9·0,4 + E[A | A > 0,9]·0,6 = 0,36 + 1,2·0,6.
    model = Model((2025,), [Item("1.1", 500_000.0, 1_500_000.0)], [Part("1.1", 0, (1.0,))],
                  floors=[Floor(0, 900_000.0, (1.0,), (1.0,))])
    totals = simulate(model, draws=DRAWS, seed=5)[:, 0]
    assert totals.mean() == pytest.approx(360_000.0 + 1_200_000.0 * 0.6, rel=0.005)
    assert totals.min() >= 900_000.0 - 1
