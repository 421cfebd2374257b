"""The figures the reports are made of: the status picture's and the forecast page's, frozen exactly."""

from datetime import date
from decimal import Decimal

from karki.forecasts import services as forecast_services
from karki.monitoring import services as monitoring
from karki.monitoring.models import StatusReport
from karki.monitoring.services import reporting_measures, running_version
from karki.monitoring.status import status_picture
from karki.reports.figures import freeze, report_figures, thaw


def test_report_figures__same_as_the_status_picture(ita, december):
    picture = status_picture(ita, december)
    figures = report_figures(ita, december)
    assert figures.realised_total_eur == picture.realised_total_eur
    assert [(r.label, r.label_lang, r.planned_eur, r.realised_eur) for r in figures.by_theme] == [
        (r.label.text, r.label.lang, r.planned_eur, r.realised_eur) for r in picture.by_theme]
    assert [r.code for r in figures.escalations] == [r.measure_code for r in picture.escalations]
    assert figures.missing_count == len(picture.missing)
    assert figures.reports_received == picture.reports_received


def test_report_figures__forecast__the_forecast_pages_figures(ita, december, page_forecast):
    forecast = report_figures(ita, december).forecast
    band = page_forecast.target_band
    assert (forecast.draws, forecast.seed) == (page_forecast.draws, page_forecast.seed)
    assert (forecast.p10_eur, forecast.p50_eur, forecast.p90_eur) == (band.p10_eur, band.p50_eur, band.p90_eur)
    assert forecast.probability == page_forecast.probability
    assert (forecast.gap_50_eur, forecast.gap_80_eur) == (page_forecast.gap_at(50), page_forecast.gap_at(80))
    assert forecast.first_year_reached == page_forecast.first_year_reached
    assert [(b.year, b.p10_eur, b.p50_eur, b.p90_eur, b.planned_eur, b.realised_eur, b.probability)
            for b in forecast.by_year] == [(b.year, b.p10_eur, b.p50_eur, b.p90_eur, b.planned_eur, b.realised_eur,
                                            b.probability) for b in page_forecast.by_year]


def test_report_figures__target__a_yearly_level_compared_with_a_years_savings(ita, december):
    """Itä-Uusimaa's target is 27,6 M€ a year in 2026 (ramp 7,2 → 17,5 → 27,6); 52,3 M€ is the running sum
    and must never be set against it."""
    figures = report_figures(ita, december)
    forecast = figures.forecast
    assert (figures.target_eur, figures.target_year) == (Decimal("27600000"), 2026)
    assert forecast.planned_eur == Decimal("27600000")  # the plan *of* 2026, not the running sum 52,3 M€
    assert forecast.cumulative[-1].planned_eur == Decimal("52300000")
    assert forecast.p50_eur == next(b.p50_eur for b in forecast.by_year if b.year == 2026)
    assert forecast.p50_eur < forecast.cumulative[-1].p50_eur
    # The gap is what the yearly savings of 2026 lack; with the running sum it was 0,0 M€.
    assert forecast.gap_50_eur == figures.target_eur - forecast.level_50_eur > 0
    # Realised: the savings *in* 2024 against the yearly level.
    year = next(r for r in figures.by_year if r.year == 2024)
    assert figures.realised_year_eur == year.realised_eur
    # Of them the recurring ones: one-offs help the year's result, never the level.
    assert figures.one_off_year_eur == year.one_off_eur > 0
    assert figures.realised_year_pct == (year.realised_eur - year.one_off_eur) / figures.target_eur * 100


def test_freeze__thaw__gives_the_same_decimals_floats_and_dates(ita, december):
    figures = report_figures(ita, december)
    again = thaw(freeze(figures))
    assert again.realised_total_eur == figures.realised_total_eur
    assert isinstance(again.by_theme[0].planned_eur, Decimal)
    assert again.forecast.p50_eur == figures.forecast.p50_eur and isinstance(again.forecast.p50_eur, Decimal)
    assert again.forecast.probability == figures.forecast.probability
    assert again.forecast.by_year == figures.forecast.by_year
    assert again.basket_decisions[0].decided_on == date(2024, 12, 10) == figures.basket_decisions[0].decided_on


def test_forecast__owner_revises_a_measure__inside_the_monte_carlo_forecast(ita, december, pmo):
    # Target 3.2 (1,4 M€ a year) has one measure, 3.2.a, whose owner now expects 3 M€ a year.
    measure = reporting_measures(running_version(ita)).get(code="3.2.a")
    before = report_figures(ita, december).forecast
    report = StatusReport.objects.filter(period=december, measure_code="3.2.a").first()
    StatusReport.objects.filter(period=december, measure_code="3.2.a").delete()
    monitoring.record_status_report(measure, period=december, by=pmo, phase=report.phase if report else "started",
                                    status=report.status if report else "green",
                                    revised_expected_eur=Decimal("3000000"), submit=True)
    after = report_figures(ita, december).forecast
    assert after.revised == before.revised + 1
    assert after.p50_eur > before.p50_eur and after.p90_eur > before.p90_eur


def test_basket_decisions__those_made_up_to_the_report_date(ita, december, pmo, fixed_now):
    forecast_services.record_basket_decision(programme=ita, basket="C", decision="activate",
                                             decided_on=date(2025, 1, 14), reasoning="Vaje kasvaa.", by=pmo)
    assert [d.decided_on for d in report_figures(ita, december, on=date(2025, 1, 13)).basket_decisions] == [
        date(2024, 12, 10)]
    decisions = report_figures(ita, december, on=date(2025, 1, 15)).basket_decisions
    assert [(d.basket, d.decision, d.reasoning, d.reasoning_lang) for d in decisions][-1] == (
        "C", "activate", "Vaje kasvaa.", "fi")


def test_report_figures__a_fixed_number_of_queries(ita, december, django_assert_max_num_queries):
    with django_assert_max_num_queries(42):
        report_figures(ita, december)


def test_baskets__activated_measure__no_longer_offered_in_the_reports(ita, december, pmo, fixed_now):
    offered = [o.code for o in report_figures(ita, december, on=date(2025, 1, 15)).forecast.baskets.options]
    assert offered, "the demo version has prepared basket B and C measures"
    forecast_services.record_basket_decision(programme=ita, basket=offered[0][0], decision="activate",
                                             decided_on=date(2025, 1, 14), reasoning="Vaje kasvaa.", by=pmo,
                                             measure_codes=[offered[0]])
    after = [o.code for o in report_figures(ita, december, on=date(2025, 1, 15)).forecast.baskets.options]
    assert after == offered[1:]


def test_report_figures__finnish__version_2_in_the_drafts_finnish_names(ita, december):
    """Version 2 comes from the Swedish document; the Finnish report names its themes and measures in the
    county's own Finnish (the draft's), and marks in Swedish only what the Swedish document alone has."""
    from karki.reports.council import render_html

    figures = report_figures(ita, december)
    assert figures.version.number == 2
    assert {row.label_lang for row in figures.by_theme} == {"fi"}
    assert "Palvelurakenteen kehittäminen toiminnanohjauksen" in figures.by_theme[0].label
    swedish = [m.code for m in figures.measures if m.name_lang != "fi"]
    assert swedish == ["3.3.b"] and len(figures.measures) == 78
    data = thaw(freeze(figures))
    data["report"] = thaw({"number": 1, "issued_at": "2025-01-15T10:30:00+02:00", "issued_by": "PMO"})
    html = render_html(data, language="fi")
    assert "Palvelurakenteen kehittäminen toiminnanohjauksen ja palveluintegraation keinoin" in html
    assert "Utvecklande av servicestrukturen" not in html
