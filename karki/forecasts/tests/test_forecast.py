"""The forecast of the demo programmes: reproducible, its Monte Carlo error honest, what-ifs compared on the
same draws, and the answer for a programme without estimates."""

from __future__ import annotations

import numpy as np
import pytest

from karki.forecasts.forecast import run
from karki.forecasts.inputs import Change
from karki.monitoring.models import Period
from karki.monitoring.services import running_version


@pytest.fixture
def december(ita):
    return Period.objects.get(programme=ita, year=2024, month=12)


def test_same_seed__same_figures(ita, december):
    first = run(running_version(ita), period=december, draws=5_000, seed=7)
    again = run(running_version(ita), period=december, draws=5_000, seed=7)
    assert first.by_year == again.by_year and first.probability == again.probability


def test_other_seed__percentiles_move_within_the_stated_monte_carlo_error(ita, december):
    version = running_version(ita)
    first = run(version, period=december, draws=20_000, seed=1)
    other = run(version, period=december, draws=20_000, seed=2)
    # Each stated error is a 95 % half-width; two independent runs differ by less than the sum of both.
    for a, b in zip(first.by_year, other.by_year, strict=True):
        for field in ("p10_eur", "p50_eur", "p90_eur"):
            assert abs(getattr(a, field) - getattr(b, field)) <= first.mc_error_eur + other.mc_error_eur + 1


def test_target_year__yearly_level_and_cumulative_running_sum(ita, december):
    forecast = run(running_version(ita), period=december, draws=5_000)
    assert forecast.target_year == 2026 and forecast.target_eur == 27_600_000
    assert [b.year for b in forecast.by_year] == [2023, 2024, 2025, 2026]
    # Cumulative medians are at least each year's (savings are never negative), realised adds up.
    assert forecast.cumulative[-1].p50_eur >= forecast.by_year[-1].p50_eur
    assert forecast.cumulative[-1].realised_eur == sum(
        b.realised_eur + b.realised_one_off_eur for b in forecast.by_year)
    # The probability is the share of draws whose 2026 savings reach 27,6 M€.
    assert forecast.probability == pytest.approx(float((forecast.target_year_savings >= 27_600_000).mean()))


def test_gap_at_certainty__what_the_cautious_percentile_leaves_missing(ita, december):
    forecast = run(running_version(ita), period=december, draws=5_000)
    level = float(np.quantile(forecast.target_year_savings, 0.2))
    assert float(forecast.gap_at(80)) == pytest.approx(27_600_000 - level, abs=0.01)
    assert forecast.gap_at(80) >= forecast.gap_at(50)


def test_top_uncertainty__the_largest_figures_with_shares_that_do_not_exceed_the_whole(ita, december):
    forecast = run(running_version(ita), period=december, draws=2_000)
    codes = [c.code for c in forecast.top_uncertainty]
    assert len(codes) == 5 and "5.2" in codes  # 3,4 M€ shared by three measures
    assert sum(c.share_pct for c in forecast.top_uncertainty) <= 100
    shares = [c.share_pct for c in forecast.top_uncertainty]
    assert shares == sorted(shares, reverse=True)


def test_what_if_drop__never_more_in_any_draw_and_less_at_the_median(ita, december):
    version = running_version(ita)
    base = run(version, period=december, draws=5_000)
    dropped = run(version, period=december, draws=5_000, changes=[Change("5.2", drop=True)])
    # The same draws; a round's sum is single precision, exact to a few euros on tens of millions (engine.py).
    assert (dropped.target_year_savings <= base.target_year_savings + 10).all()
    assert dropped.target_band.p50_eur < base.target_band.p50_eur


def test_what_if_delay__later_savings(ita, december):
    version = running_version(ita)
    base = run(version, period=december, draws=5_000)
    delayed = run(version, period=december, draws=5_000, changes=[Change("1.2", delay_months=12)])
    assert delayed.by_year[2].p50_eur < base.by_year[2].p50_eur


def test_programme_without_estimates__only_realised_savings_and_no_chance(kym):
    period = Period.objects.filter(programme=kym).order_by("-year", "-month").first()
    forecast = run(running_version(kym), period=period, draws=2_000)
    assert not forecast.inputs.items and forecast.counts["missing"] == len(forecast.inputs.parts)
    assert forecast.probability == 0 and forecast.top_uncertainty == []
    assert forecast.by_year[1].p50_eur == forecast.by_year[1].realised_eur  # 2024: what was reported
