"""Recurring and one-off realised savings, the run-rate that carries on, and claims counted by the
verification rate: hand-computed on one measure of the demo (3.1.a of Itä-Uusimaa)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from karki.forecasts.forecast import run
from karki.monitoring import services
from karki.monitoring.models import Period, RealisedSaving, StatusReport
from karki.monitoring.recurrence import realised
from karki.monitoring.services import running_version

pytestmark = pytest.mark.django_db


def _month_of_savings(ita, code, month, state="accepted", **amounts):
    """3.1.a's report of `month`/2024 received with exactly these savings: {category: (amount, recurrence)}."""
    report = StatusReport.objects.get(period__programme=ita, period__year=2024, period__month=month,
                                      measure_code=code)
    StatusReport.objects.filter(pk=report.pk).update(state=state)
    RealisedSaving.objects.filter(report=report).delete()
    for category, (amount, recurrence) in amounts.items():
        RealisedSaving.objects.create(report=report, category=category, amount_eur=Decimal(amount),
                                      recurrence=recurrence)
    return report


@pytest.fixture
def three_months(ita, open_period):
    """3.1.a saves 30 000 € in October and 36 000 € in November 2024 (recurring personnel costs), and in
    December claims 10 000 € recurring personnel, 4 000 € recurring agency staff and 2 500 € of materials
    once (a postponed purchase)."""
    _month_of_savings(ita, "3.1.a", 10, personnel=("30000", "recurring"))
    _month_of_savings(ita, "3.1.a", 11, personnel=("36000", "recurring"))
    december = _month_of_savings(ita, "3.1.a", 12, state="submitted", personnel=("10000", "recurring"),
                                 purchased_agency_staff=("4000", "recurring"), materials=("2500", "one_off"))
    return {s.category: s for s in december.savings.all()}


def test_run_rate__mean_of_the_last_three_months_recurring_only(three_months, open_period):
    found = realised(open_period)
    # (30 000 + 36 000 + 14 000) / 3 × 12 = 320 000 € a year; the one-off 2 500 € does not carry on.
    assert found.run_rate_claimed["3.1.a"] == Decimal("320000.00")
    assert found.run_rate_verified["3.1.a"] == 0  # finance has decided on nothing yet
    assert found.run_rate_counted["3.1.a"] == Decimal("320000.00")  # no decisions: the rate is 1


def test_counted__verified_where_decided_and_waiting_claims_times_the_rate(three_months, open_period, finance):
    before = realised(open_period)
    services.verify_saving(three_months["personnel"], by=finance, decision="adjusted", amount=Decimal("6000"),
                           reason="Puolet sijaisista palkattiin takaisin.",
                           expected_revision=three_months["personnel"].revision)
    found = realised(open_period)
    # Finance verified 6 000 € of the 10 000 € it decided on: the rate is 60 %.
    assert found.rate.value == Decimal("0.6")
    # December's recurring claims of 3.1.a: 6 000 (verified) + 4 000 × 0,6; every other waiting claim × 0,6.
    others = before.year("recurring", 2024) - Decimal("14000")
    assert found.year("recurring", 2024) == before.year("recurring", 2024)  # claimed is unchanged
    assert found.year("recurring", 2024, counted=True) == (Decimal("6000") + Decimal("2400")
                                                            + others * Decimal("0.6")).quantize(Decimal("0.01"))
    # one-offs: 3.1.a's 2 500 × 0,6 and the demo's other one-off claims × 0,6
    others_once = before.year("one_off", 2024) - Decimal("2500")
    assert found.year("one_off", 2024, counted=True) == (Decimal("1500") + others_once * Decimal("0.6")).quantize(
        Decimal("0.01"))
    # The run-rate as counted: (30 000 × 0,6 + 36 000 × 0,6 + 6 000 + 2 400) / 3 × 12 = 192 000 €.
    assert found.run_rate_counted["3.1.a"] == Decimal("192000.00")
    assert found.run_rate_verified["3.1.a"] == Decimal("24000.00")  # 6 000 / 3 × 12


def test_forecast__recurring_savings_carry_into_the_next_year(kym):
    """The issue's symptom: Kymenlaakso has no estimates, so its forecast for 2025 was 0,0 M€ although it
    realised millions in 2024. Its run-rate now carries into 2025, and one-offs stay in their year."""
    period = Period.objects.filter(programme=kym).order_by("-year", "-month").first()
    forecast = run(running_version(kym), period=period, draws=2_000)
    found = realised(period)
    level_2025 = next(b for b in forecast.by_year if b.year == 2025)
    assert found.run_rate_counted_eur > Decimal("5000000")
    assert level_2025.p50_eur == level_2025.p10_eur == found.run_rate_counted_eur
    level_2024 = next(b for b in forecast.by_year if b.year == 2024)
    assert level_2024.p50_eur == found.year("recurring", 2024, counted=True)


def test_forecast__deficit_covered_by_the_years_results_added_up(kym):
    period = Period.objects.filter(programme=kym).order_by("-year", "-month").first()
    found = realised(period)
    covered_2025 = (found.total(2024, counted=True) + found.total(2023, counted=True)
                    + found.run_rate_counted_eur)
    type(kym).objects.filter(pk=kym.pk).update(deficit_eur=covered_2025 - 1, deficit_year=2025)
    kym.refresh_from_db()
    forecast = run(running_version(kym), period=period, draws=2_000)
    assert forecast.deficit_band.p50_eur == covered_2025
    assert forecast.deficit_probability == 1.0
    type(kym).objects.filter(pk=kym.pk).update(deficit_eur=covered_2025 + 1)
    kym.refresh_from_db()
    assert run(running_version(kym), period=period, draws=2_000).deficit_probability == 0.0


def test_status_picture__one_off_in_its_year_and_the_run_rate_carried_on(ita, open_period):
    from karki.monitoring.status import status_picture

    before = status_picture(ita, open_period)
    report = _month_of_savings(ita, "3.1.a", 10, personnel=("30000", "recurring"))
    RealisedSaving.objects.create(report=report, category="rents", amount_eur=Decimal("50000"), recurrence="one_off")
    after = status_picture(ita, open_period)
    assert after.year_row.one_off_eur == before.year_row.one_off_eur + Decimal("50000")
    assert after.year_row.recurring_eur == after.year_row.realised_eur - after.year_row.one_off_eur
    # The run-rate is what the measures save a year now; it carries into 2025 and 2026 whole.
    assert after.run_rate_eur == realised(open_period).run_rate_claimed_eur > 0
    assert [(c.year, c.months, c.claimed_eur) for c in after.carried] == [
        (2025, 12, after.run_rate_eur), (2026, 12, after.run_rate_eur)]
    assert after.target_year_carried.claimed_eur == after.run_rate_eur


def test_status_page__deficit_covered_year_by_year(client_for, kym):
    from django.contrib.auth import get_user_model

    type(kym).objects.filter(pk=kym.pk).update(deficit_eur=Decimal("78000000"), deficit_year=2025)
    period = Period.objects.filter(programme=kym).order_by("-year", "-month").first()
    found = realised(period)
    page = client_for(get_user_model().objects.get(username="pmo.kymenlaakso")).get(
        f"/programmes/{kym.slug}/status/?period={period.key}").content.decode()
    assert "Kertyneen alijäämän kattaminen" in page

    from karki.lib.formatting import format_meur

    # 2025 (after the period): the run-rate carried on, whole
    assert format_meur(found.run_rate_claimed_eur, "fi") in page


def test_baskets_page__the_deficit_left_to_cover(client_for, kym):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from karki.lib.formatting import format_meur

    period = Period.objects.filter(programme=kym).order_by("-year", "-month").first()
    forecast = run(running_version(kym), period=period)
    page = client_for(get_user_model().objects.get(username="pmo.kymenlaakso")).get(
        reverse("forecasts:baskets", args=[kym.slug])).content.decode()
    assert forecast.deficit_gap_eur == forecast.deficit_eur - forecast.deficit_band.p50_eur > 0
    assert "katettavaa jää " + format_meur(forecast.deficit_gap_eur, "fi") in page.replace("&nbsp;", "\u00a0")


def test_status_page__the_forecast_answer_beside_the_realised_figure(client_for, kym):
    period = Period.objects.filter(programme=kym).order_by("-year", "-month").first()
    page = client_for(get_user_model().objects.get(username="pmo.kymenlaakso")).get(
        reverse("monitoring:status", args=[kym.slug]) + f"?period={period.key}").content.decode()
    top = page[:page.index("Tavoite</dt>")]  # before the table of figures: the page's first screen
    assert "Ennuste: todennäköisyys saavuttaa tavoite vuonna 2025 on" in top
    assert "Todennäköisyys, että kertynyt alijäämä" in top
