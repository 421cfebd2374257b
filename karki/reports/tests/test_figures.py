"""The figures the reports are made of: the status picture's, with the forecast, frozen exactly."""

from decimal import Decimal

from karki.monitoring import services as monitoring
from karki.monitoring.models import StatusReport
from karki.monitoring.status import status_picture
from karki.programmes import services as programme_services
from karki.programmes.models import Measure
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


def test_freeze__thaw__gives_the_same_decimals(ita, december):
    figures = report_figures(ita, december)
    again = thaw(freeze(figures))
    assert again.realised_total_eur == figures.realised_total_eur
    assert isinstance(again.by_theme[0].planned_eur, Decimal)
    assert again.forecast.forecast_eur == figures.forecast.forecast_eur


def test_forecast__owner_revises_a_measure__moves_by_the_difference_for_each_remaining_year(ita, december, pmo,
                                                                                              draft):
    # Version 3 gives measure 3.1.a an estimate of its own (0,5 M€ a year) and becomes the running version.
    measure = Measure.objects.get(version=draft, code="3.1.a")
    programme_services.set_estimate(item=measure, by=pmo, estimate={"kind": "point", "amount_eur": "500000"})
    programme_services.approve_version(version=draft, by=pmo)
    before = report_figures(ita, december).forecast
    StatusReport.objects.filter(period=december, measure_code="3.1.a").delete()
    monitoring.record_status_report(measure, period=december, by=pmo, phase="started", status="amber",
                                    revised_expected_eur=Decimal("400000"), submit=True)
    after = report_figures(ita, december).forecast
    years = (ita.target_year or ita.period_end) - 2024 + 1
    assert (after.revised_count, after.revised_yearly_eur, after.decided_yearly_eur) == (
        1, Decimal("400000"), Decimal("500000"))
    assert after.forecast_eur == before.forecast_eur - Decimal("100000") * years


def test_report_figures__a_fixed_number_of_queries(ita, december, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        report_figures(ita, december)
