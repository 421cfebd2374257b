from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from karki.core.conflicts import NOT_YET_SAVED, StaleEdit
from karki.monitoring import services
from karki.monitoring.enums import ReviewState
from karki.monitoring.models import Period, StatusReport


def test_record_status_report__owner_submits__counts_as_received(open_period, owners_measure, measure_owner):
    report = services.record_status_report(
        owners_measure, period=open_period, by=measure_owner, phase="in_progress", status="amber",
        narrative="Rekrytoinnit viivästyivät.", savings={"personnel": Decimal("12000")}, submit=True)
    assert report.state == ReviewState.SUBMITTED
    assert report.submitted_by == measure_owner
    assert report.savings.get(category="personnel").amount_eur == Decimal("12000")
    assert report.history.first().history_user == measure_owner


def test_record_status_report__viewer__refused(open_period, owners_measure, viewer):
    with pytest.raises(PermissionDenied):
        services.record_status_report(owners_measure, period=open_period, by=viewer, phase="started",
                                      status="green")


def test_record_status_report__closed_period__refused(ita, owners_measure, measure_owner):
    closed = Period.objects.get(programme=ita, year=2024, month=3)
    with pytest.raises(ValidationError) as info:
        services.record_status_report(owners_measure, period=closed, by=measure_owner, phase="started",
                                      status="green")
    assert info.value.code == "period_closed"


def test_record_status_report__stale_revision__refused(open_period, owners_measure, measure_owner, pmo):
    report = services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="started",
                                           status="green")
    services.record_status_report(owners_measure, period=open_period, by=pmo, phase="started", status="red",
                                  expected_revision=report.revision)
    with pytest.raises(StaleEdit):
        services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="started",
                                      status="green", expected_revision=report.revision)


def test_review__return_needs_comment_and_accept_locks(open_period, owners_measure, measure_owner, pmo):
    report = services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="started",
                                           status="green", submit=True)
    with pytest.raises(ValidationError):
        services.review_report(report, by=pmo, accept=False)
    services.review_report(report, by=pmo, accept=False, comment="Lisää säästöt.")
    assert StatusReport.objects.get(pk=report.pk).state == ReviewState.RETURNED
    report = services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="started",
                                           status="green", submit=True)
    services.review_report(report, by=pmo, accept=True)
    with pytest.raises(ValidationError):
        services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="started",
                                      status="red")


def test_review__measure_owner__refused(open_period, owners_measure, measure_owner):
    report = services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="started",
                                           status="green", submit=True)
    with pytest.raises(PermissionDenied):
        services.review_report(report, by=measure_owner, accept=True)


def test_periods__pmo_opens_and_closes_once(ita, pmo, measure_owner):
    period = services.open_period(programme=ita, year=2025, month=1, by=pmo)
    assert services.open_period(programme=ita, year=2025, month=1, by=pmo) == period
    services.close_period(period=period, by=pmo)
    assert not Period.objects.get(pk=period.pk).is_open
    with pytest.raises(PermissionDenied):
        services.open_period(programme=ita, year=2025, month=2, by=measure_owner)


def _unreported(period):
    reported = StatusReport.objects.filter(period=period).values_list("measure_code", flat=True)
    return services.reporting_measures(services.running_version(period.programme)).exclude(code__in=reported).first()


def test_record_status_report__none_expected_but_one_saved__refused_with_what_was_saved(open_period, pmo,
                                                                                          measure_owner):
    measure = _unreported(open_period)
    services.record_status_report(measure, period=open_period, by=pmo, phase="started", status="red",
                                  narrative="Toimiston tieto", savings={"rents": Decimal("900")},
                                  expected_revision=NOT_YET_SAVED)
    with pytest.raises(StaleEdit) as info:
        services.record_status_report(measure, period=open_period, by=pmo, phase="planned", status="green",
                                      expected_revision=NOT_YET_SAVED)
    with translation.override("en"):
        changes = {label: (then, now) for label, then, now in info.value.changes}
    assert changes["what happened"] == ("–", "Toimiston tieto")
    assert changes["status"] == ("–", "Off track")
    assert changes["Realised savings in the month: Rents"] == ("–", "€900")
    assert StatusReport.objects.get(period=open_period, measure_code=measure.code).narrative == "Toimiston tieto"


def test_record_status_report__two_first_reports_at_once__the_later_refused_not_a_server_error(
        open_period, pmo, measure_owner, monkeypatch):
    """Two people hand in the first report of a measure at the same moment: both look and find none;
    the one whose insert comes second is refused like any stale save."""
    measure = _unreported(open_period)
    services.record_status_report(measure, period=open_period, by=pmo, phase="started", status="red",
                                  narrative="Ensimmäinen", expected_revision=NOT_YET_SAVED)
    looked_up = services._stored_report
    calls = []

    def not_yet_committed_at_the_first_look(period, code):
        calls.append(code)
        return None if len(calls) == 1 else looked_up(period, code)

    monkeypatch.setattr(services, "_stored_report", not_yet_committed_at_the_first_look)
    with pytest.raises(StaleEdit):
        services.record_status_report(measure, period=open_period, by=pmo, phase="planned", status="green",
                                      narrative="Toinen", expected_revision=NOT_YET_SAVED)
    assert StatusReport.objects.get(period=open_period, measure_code=measure.code).narrative == "Ensimmäinen"
