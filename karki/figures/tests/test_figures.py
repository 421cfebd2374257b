"""Figures are computed once per change and never read stale after one (karki/figures).

The suite runs each test in a transaction that is rolled back, so a commit is played as Django plays
it: the on-commit callbacks run (`django_capture_on_commit_callbacks(execute=True)`) and the
transaction's pending marks end (`_committed`). Another app process is played by a second store of
kept figures that shares nothing with the first but the database (`Stamp` tokens)."""

from decimal import Decimal

import pytest
from django.utils import translation

from karki.figures import marks, memo
from karki.figures import read as figures
from karki.figures.models import Stamp
from karki.monitoring import services as monitoring_services
from karki.monitoring.models import Period
from karki.programmes.models import Measure, Target

EMPTY = {"estimate_kind": "", "estimate_amount_eur": None, "estimate_min_eur": None, "estimate_max_eur": None}


@pytest.fixture
def open_period(ita):
    return Period.objects.get(programme=ita, year=2024, month=12)


@pytest.fixture
def owners_measure(ita):
    from karki.monitoring.services import reporting_measures, running_version

    return reporting_measures(running_version(ita)).get(code="3.1.a")


def _committed(capture, write):
    """Run `write` and commit it, as a request does."""
    with capture(execute=True):
        write()
    marks.pending().clear()


def test_seen_twice_with_nothing_changed__computed_once(ita):
    period = Period.objects.get(programme=ita, year=2024, month=12)
    first = figures.status_picture(ita, period)
    second = figures.status_picture(ita, period)
    assert second is first
    assert memo.stats()["hits"] >= 1


def test_report_submitted_and_committed__status_picture_counts_it(
        ita, open_period, owners_measure, measure_owner, django_capture_on_commit_callbacks):
    before = figures.status_picture(ita, open_period)
    assert figures.status_picture(ita, open_period) is before  # kept
    _committed(django_capture_on_commit_callbacks, lambda: monitoring_services.record_status_report(
        owners_measure, period=open_period, by=measure_owner, phase="in_progress", status="amber",
        savings={"personnel": Decimal("12000")}, submit=True))
    after = figures.status_picture(ita, open_period)
    assert after is not before
    assert after.realised_total_eur == before.realised_total_eur + Decimal("12000")
    assert after.reports_received == before.reports_received + (0 if owners_measure.code not in
                                                                  {m.measure.code for m in before.missing} else 1)


def test_within_the_writing_transaction__the_change_is_seen_at_once(ita, open_period, owners_measure, measure_owner):
    before = figures.status_picture(ita, open_period)
    monitoring_services.record_status_report(owners_measure, period=open_period, by=measure_owner,
                                             phase="in_progress", status="amber",
                                             savings={"personnel": Decimal("5000")}, submit=True)
    after = figures.status_picture(ita, open_period)
    assert after.realised_total_eur == before.realised_total_eur + Decimal("5000")


def test_another_process_changed_the_programme__recomputed_here(ita):
    version = ita.versions.order_by("-number").first()
    first = figures.summary(version)
    # Another app process commits a change: only the stamp in the database tells this one.
    Stamp.objects.update_or_create(scope=marks.programme_scope(ita.pk), defaults={"token": "elsewhere"})
    assert figures.summary(version) is not first


def test_change_in_another_programme__figures_kept(ita, kym, django_capture_on_commit_callbacks):
    version = ita.versions.order_by("-number").first()
    first = figures.summary(version)
    other = Measure.objects.filter(version__programme=kym).first()
    _committed(django_capture_on_commit_callbacks, lambda: Stamp.objects.none())  # nothing but a commit
    marks.mark(marks.scopes_of(other))
    marks.pending().clear()
    assert figures.summary(version) is first


def test_bulk_update_of_a_draft__summary_follows(draft, django_capture_on_commit_callbacks):
    before = figures.summary(draft)
    assert before.total.expected > 0

    def empty_estimates():
        Target.objects.filter(version=draft).update(**EMPTY)
        Measure.objects.filter(version=draft).update(**EMPTY)

    _committed(django_capture_on_commit_callbacks, empty_estimates)
    after = figures.summary(draft)
    assert after is not before
    assert not after.total.expected


def test_bulk_create_and_delete__marked(draft, django_capture_on_commit_callbacks):
    measure = Measure.objects.filter(version=draft).first()
    scope = marks.programme_scope(draft.programme_id)
    token = dict(Stamp.objects.values_list("scope", "token")).get(scope)
    _committed(django_capture_on_commit_callbacks, measure.delete)
    deleted = dict(Stamp.objects.values_list("scope", "token"))[scope]
    assert deleted != token
    measure.pk = None
    _committed(django_capture_on_commit_callbacks, lambda: Measure.objects.bulk_create([measure]))
    assert dict(Stamp.objects.values_list("scope", "token"))[scope] != deleted


def test_owner_renamed__people_marked(measure_owner, django_capture_on_commit_callbacks):
    token = dict(Stamp.objects.values_list("scope", "token")).get(marks.PEOPLE)
    measure_owner.last_name = "Uusinimi"
    _committed(django_capture_on_commit_callbacks, measure_owner.save)
    assert dict(Stamp.objects.values_list("scope", "token"))[marks.PEOPLE] != token


def test_signing_in__no_figure_recomputed(measure_owner, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import update_last_login

    before = dict(Stamp.objects.values_list("scope", "token")).get(marks.PEOPLE)
    _committed(django_capture_on_commit_callbacks, lambda: update_last_login(None, measure_owner))
    assert dict(Stamp.objects.values_list("scope", "token")).get(marks.PEOPLE) == before


def test_each_language_its_own_labels(ita):
    period = Period.objects.get(programme=ita, year=2024, month=12)
    with translation.override("fi"):
        fi = figures.status_picture(ita, period)
    with translation.override("sv"):
        sv = figures.status_picture(ita, period)
    assert sv is not fi
    assert sv.realised_total_eur == fi.realised_total_eur


def test_forecast__kept_and_what_if_not(ita):
    from karki.forecasts.inputs import Change

    version = ita.versions.filter(status="approved").order_by("-number").first()
    period = Period.objects.get(programme=ita, year=2024, month=12)
    baseline = figures.forecast(version, period=period)
    assert figures.forecast(version, period=period) is baseline
    code = figures.summary(version).themes[0].targets[0].target.code
    whatif = figures.forecast(version, period=period, changes=[Change(code=code, drop=True)])
    assert whatif is not baseline
    # The what-if left the kept baseline as it was.
    assert figures.forecast(version, period=period).probability == baseline.probability


@pytest.mark.parametrize("entries", [0])
def test_cache_off__always_computed(ita, settings, entries):
    settings.FIGURES_CACHE_ENTRIES = entries
    version = ita.versions.order_by("-number").first()
    assert figures.summary(version) is not figures.summary(version)
