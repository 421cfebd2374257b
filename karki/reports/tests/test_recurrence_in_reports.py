"""Recurring and one-off savings, the run-rate and the accumulated deficit in the council report, frozen with
it: what Kymenlaakso's council reads (its demo deficit is 78 M€ to cover by 2025)."""

from django.contrib.auth import get_user_model

from karki.lib.formatting import format_meur
from karki.monitoring.models import Period
from karki.monitoring.recurrence import realised
from karki.reports.figures import thaw

from .test_council import _flat, _issue, _pdf, _text


def test_council_report__deficit_and_run_rate__sentences_and_frozen(kym, fixed_now):
    december = Period.objects.get(programme=kym, year=2024, month=12)
    report = _issue(kym, december, get_user_model().objects.get(username="pmo.kymenlaakso"), languages=("fi", "sv"))
    figures = thaw(report.figures["fi"])
    found = realised(december)
    assert figures.run_rate_eur == found.run_rate_claimed_eur > 0
    assert (figures.deficit_eur, figures.deficit_year) == (78_000_000, 2025)
    # 2025 is after the period: the run-rate carried on, whole; the running sum adds it to what was realised.
    last = figures.deficit_coverage[-1]
    assert (last.year, last.amount_eur) == (2025, found.run_rate_claimed_eur)
    assert last.running_eur == figures.realised_total_eur + found.run_rate_claimed_eur
    assert figures.forecast.deficit_probability is not None

    finnish = _flat(_text(_pdf(report, "fi")))
    assert "Kertynyt alijäämä 78,0 M€ on katettava vuoteen 2025 mennessä" in finnish
    run_rate = _flat(format_meur(figures.run_rate_eur, "fi"))
    assert f"Voimassa olevat pysyvät säästöt jakson 12/2024 lopussa: {run_rate} vuodessa" in finnish
    swedish = _flat(_text(_pdf(report, "sv")))
    deficit = _flat(format_meur(78_000_000, "sv"))
    assert f"Det ackumulerade underskottet på {deficit} ska täckas senast år 2025" in swedish

    # Frozen: a later one-off claim does not change the issued report.
    from karki.monitoring.models import RealisedSaving, StatusReport

    some = StatusReport.objects.filter(period=december, state__in=["submitted", "accepted"]).first()
    RealisedSaving.objects.create(report=some, category="rents", amount_eur=1_000_000, recurrence="one_off")
    report.refresh_from_db()
    assert thaw(report.figures["fi"]).realised_total_eur == figures.realised_total_eur
