"""From a version and its monitoring to the model: what counts, each measure's chance and timing, facts,
the owners' revised forecasts and what-if changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from karki.forecasts import inputs as fi
from karki.forecasts.assumptions import CHANCE_BY_PHASE, TRAFFIC_LIGHT_FACTOR
from karki.forecasts.inputs import Change, LatestStatus, Monitoring, build
from karki.lib import money
from karki.monitoring.models import Period
from karki.monitoring.services import running_version
from karki.programmes.models import Measure, Target


@pytest.fixture
def v2(ita):
    return running_version(ita)


def status(phase="in_progress", light="green", confidence=None, revised=None, year=2024, month=12):
    return LatestStatus(phase, light, confidence, revised, year, month)


def parts_of(inputs, target_code):
    return [p for p in inputs.parts if p.target.code == target_code]


def test_target_estimate__covers_its_measures_in_equal_shares(v2):
    inputs = build(v2, monitoring=Monitoring())
    measures = Measure.objects.filter(version=v2, target__code="1.2").count()
    parts = parts_of(inputs, "1.2")
    assert len(parts) == measures == 4
    assert {p.item_key for p in parts} == {("target", "1.2")}
    assert [p.share for p in parts] == [0.25] * 4
    assert all(item.kind == "target" for item in inputs.items)  # the demo's estimates are all on targets
    assert len(inputs.items) == Target.objects.filter(version=v2).exclude(estimate_kind="").count()


def test_without_monitoring__every_measure_has_the_no_report_chance_and_the_stated_ramp(v2):
    inputs = build(v2, monitoring=Monitoring())
    assert {p.chance_source for p in inputs.parts} == {"no_report"}
    assert {p.chance for p in inputs.parts} == {CHANCE_BY_PHASE[""]}
    # The stated ramp 7,2 → 17,5 → 27,6 M€ gives each measure the same shares of its full effect.
    weights = inputs.model.parts[0].weights[:len(inputs.years)]  # the yearly level; the one-offs follow
    assert weights == pytest.approx((0.0, 7.2 / 27.6, 17.5 / 27.6, 1.0))


def test_certain_measures__target_year_savings_are_the_roll_up_with_bounds_drawn_below_them(v2):
    from karki.forecasts.forecast import run

    latest = {p.code: status(confidence=100) for p in build(v2, monitoring=Monitoring()).parts}
    forecast = run(v2, monitoring=Monitoring(latest=latest), draws=20_000)
    total = forecast.inputs.summary.total
    # The roll-up counts the two upper bounds (< 0,1 M€) at their bound, the forecast draws them from
    # 0…bound (mean 0,05 M€ each). The range 0–1,5 M€ has a standard deviation of 433 013 €: the mean of
    # 20 000 draws is within 4 standard errors (12 247 €) of the truth.
    expected = float(total.expected) - 100_000
    assert abs(float(forecast.target_year_savings.mean()) - expected) < 12_300
    assert forecast.target_year_savings.min() >= float(total.minimum) - 0.01


def test_chance__owner_confidence_then_key_results_then_phase_and_light():
    part = fi.PartInfo("1.1.a", None, None, "medium")
    monitoring = Monitoring(key_result_confidence={"1.1.a": 40.0})
    part.status = status(confidence=90, light="red")
    assert fi.chance_of(part, monitoring) == (0.9, "owner")
    part.status = status(light="red")
    assert fi.chance_of(part, monitoring) == (0.4, "key_results")
    assert fi.chance_of(part, Monitoring()) == (CHANCE_BY_PHASE["in_progress"] * TRAFFIC_LIGHT_FACTOR["red"],
                                                "status")
    part.status = status(phase="cancelled", confidence=90)
    assert fi.chance_of(part, monitoring) == (0.0, "cancelled")
    part.status, part.dropped = None, True
    assert fi.chance_of(part, monitoring) == (0.0, "dropped")


def test_read_monitoring__latest_received_report_months_and_realised_savings(ita):
    period = Period.objects.get(programme=ita, year=2024, month=12)
    monitoring = fi.read_monitoring(ita, period)
    latest = monitoring.latest["3.1.a"]
    assert (latest.year, latest.month) in {(2024, 12), (2024, 11)}
    assert latest.confidence is not None  # the demo's owners with an account state their confidence
    assert 11 <= monitoring.months_reported["3.1.a"][2024] <= 12
    assert monitoring.realised[2024] > 0
    # Up to June only the first half of the year is known.
    june = fi.read_monitoring(ita, Period.objects.get(programme=ita, year=2024, month=6))
    assert june.months_reported["3.1.a"][2024] <= 6 and june.realised[2024] < monitoring.realised[2024]


def test_read_monitoring__key_results_confidence_up_to_the_period(kym, outsider):
    from datetime import date

    from karki.okr import services as okr
    from karki.okr.models import KeyResult

    key_result = KeyResult.objects.get(measure_links__programme=kym, measure_links__measure_code="3.1.a")
    period = Period.objects.get(programme=kym, year=2024, month=12)
    okr.check_in(key_result=key_result, on=date(2024, 11, 15), value=None, confidence=35, by=outsider)
    okr.check_in(key_result=key_result, on=date(2024, 12, 20), value=None, confidence=45, by=outsider)
    okr.check_in(key_result=key_result, on=date(2025, 1, 20), value=None, confidence=90, by=outsider)
    monitoring = fi.read_monitoring(kym, period)
    assert monitoring.key_result_confidence == {"3.1.a": 45}  # the latest by the end of December 2024


def test_realised_months__are_facts_and_leave_the_model(v2, ita):
    period = Period.objects.get(programme=ita, year=2024, month=12)
    inputs = build(v2, period=period)
    year = inputs.years.index(2024)
    part = next(p for p in inputs.model.parts if p.code == "3.1.a")
    months = inputs.monitoring.months_reported["3.1.a"][2024]
    share = fi.ramp_share(fi.ramp_knots(v2, inputs.summary, "medium"), 2024, 0)
    assert part.weights[year] == pytest.approx(share * (12 - months) / 12)
    # The year's realised savings are facts: the recurring ones in the level's column, one-offs in theirs.
    n = len(inputs.years)
    assert inputs.model.fixed[year] + inputs.model.fixed[n + year] == pytest.approx(
        float(inputs.monitoring.realised[2024]))
    assert inputs.model.fixed[year] == pytest.approx(
        float(inputs.monitoring.saved.year("recurring", 2024, counted=True)))


def test_planned_measure__starts_after_its_report(v2):
    monitoring = Monitoring(latest={"1.1.a": status(phase="planned", year=2024, month=12)})
    inputs = build(v2, monitoring=monitoring)
    part = next(p for p in inputs.parts if p.code == "1.1.a")
    assert part.shift_months == 12  # first year of savings 2024, not started before January 2025
    weights = inputs.model.parts[inputs.parts.index(part)].weights[:len(inputs.years)]
    assert weights == pytest.approx((0.0, 0.0, 7.2 / 27.6, 17.5 / 27.6))


def test_planned_measure__reported_months_not_taken_out_twice(v2):
    # Planned in its report of June 2025, with every month of 2024 and six of 2025 reported (nothing saved:
    # it has not started). It starts in July 2025, 18 months after the first year of savings 2024, so its
    # stated ramp 0 → 7,2 → 17,5 → 27,6 M€ (2023…2026) is read 1,5 years earlier: in 2025 it is half-way up
    # the first step, 3,6 / 27,6, all of it in July–December, the months not yet reported. Taking the
    # reported half of 2025 out again would leave 1,8 / 27,6.
    monitoring = Monitoring(latest={"1.1.a": status(phase="planned", year=2025, month=6)},
                            months_reported={"1.1.a": {2024: 12, 2025: 6}})
    inputs = build(v2, monitoring=monitoring)
    part = next(p for p in inputs.parts if p.code == "1.1.a")
    assert part.shift_months == 18
    weights = inputs.model.parts[inputs.parts.index(part)].weights[:len(inputs.years)]
    assert weights == pytest.approx((0.0, 0.0, 3.6 / 27.6, (7.2 + 17.5) / 2 / 27.6))


def test_revised_forecast__replaces_a_measures_own_estimate_and_a_target_only_when_all_measures_give_one(pmo, draft):
    from karki.programmes import services

    services.set_estimate(item=Target.objects.get(version=draft, code="4.2"), estimate=None, by=pmo)
    services.set_estimate(item=Measure.objects.get(version=draft, code="4.2.a"),
                          estimate={"kind": "range", "min_eur": "200000", "max_eur": "600000"}, by=pmo)
    monitoring = Monitoring(latest={"4.2.a": status(revised=Decimal("200000")),
                                    "1.3.a": status(revised=Decimal("300000"))})
    inputs = build(draft, monitoring=monitoring)
    item = next(i for i in inputs.items if i.code == "4.2.a")
    assert (item.source, item.low, item.high) == ("revised", Decimal("100000"), Decimal("300000"))
    target = next(i for i in inputs.items if i.code == "1.3")
    assert target.source == "decided"  # only one of its three measures gave a revised forecast
    everyone = {code: status(revised=Decimal("300000")) for code in ("1.3.a", "1.3.b", "1.3.c")}
    target = next(i for i in build(draft, monitoring=Monitoring(latest=everyone)).items if i.code == "1.3")
    assert (target.source, target.estimate) == ("revised", money.Estimate.point("900000"))


def test_revised_forecast__on_an_upper_bound__counts_as_the_owners_figure_not_half_of_it(pmo, draft):
    from karki.programmes import services

    services.set_estimate(item=Target.objects.get(version=draft, code="4.2"), estimate=None, by=pmo)
    services.set_estimate(item=Measure.objects.get(version=draft, code="4.2.a"),
                          estimate={"kind": "upper_bound", "amount_eur": "100000"}, by=pmo)
    monitoring = Monitoring(latest={"4.2.a": status(revised=Decimal("80000"))})  # in progress, green: 0,8
    inputs = build(draft, monitoring=monitoring)
    item = next(i for i in inputs.items if i.code == "4.2.a")
    assert (item.source, item.estimate) == ("revised", money.Estimate.point("80000"))
    assert item.mean_eur == Decimal("64000.00")  # 80 000 € × 0,8 at the full effect of 2026


def test_what_if__target_delay_measure_estimate_and_drop(v2):
    changes = [Change("1.2", delay_months=6), Change("1.2.b", estimate=money.Estimate.point("500000")),
               Change("5.1.a", drop=True), Change("9.9.z", drop=True)]
    inputs = build(v2, monitoring=Monitoring(), changes=changes)
    parts = {p.code: p for p in parts_of(inputs, "1.2")}
    assert {p.shift_months for p in parts.values()} == {6}
    assert parts["1.2.b"].item_key == ("measure", "1.2.b") and parts["1.2.b"].share == 1
    assert parts["1.2.a"].item_key == ("target", "1.2") and parts["1.2.a"].share == 0.25
    assert next(p for p in inputs.parts if p.code == "5.1.a").chance == 0
    assert inputs.unknown_codes == ["9.9.z"]


def test_what_if__estimate_on_a_target_covers_its_measures(v2):
    inputs = build(v2, monitoring=Monitoring(), changes=[Change("7.4", estimate=money.Estimate.point("250000"))])
    item = next(i for i in inputs.items if i.code == "7.4")
    assert (item.source, item.low, item.high) == ("what_if", Decimal("250000"), Decimal("250000"))


def test_what_if__a_target_and_a_measure_of_the_same_code__each_change_hits_only_its_own(draft):
    Measure.objects.filter(version=draft, code="3.1.a").update(code="1.2")  # a measure of target 3.1
    both = [Change("1.2", kind="target", delay_months=6), Change("1.2", kind="measure", drop=True)]
    for changes in (both[:1], both[1:], both, both[::-1]):
        inputs = build(draft, monitoring=Monitoring(), changes=changes)
        measure = next(p for p in inputs.parts if p.code == "1.2")
        targets = parts_of(inputs, "1.2")
        assert measure.target.code == "3.1" and len(targets) == 4
        assert measure.shift_months == 0 and {p.shift_months for p in targets} == {6 if both[0] in changes else 0}
        assert measure.dropped is (both[1] in changes) and not any(p.dropped for p in targets)
    inputs = build(draft, monitoring=Monitoring(), changes=[Change("1.2", drop=True)])  # unqualified: the target
    assert all(p.dropped for p in parts_of(inputs, "1.2"))
    assert not next(p for p in inputs.parts if p.code == "1.2").dropped


def test_change__json_round_trip():
    change = Change("1.2", delay_months=3, drop=False, estimate=money.Estimate.range("100000", "300000"),
                    kind="measure")
    assert Change.from_json(change.as_json()) == change


def test_one_off_estimate__counts_once_whole_in_its_first_year_of_savings(draft):
    Target.objects.filter(version=draft, code="1.2").update(estimate_recurrence="one_off")
    inputs = build(draft, monitoring=Monitoring())
    n = len(inputs.years)
    index = inputs.parts.index(parts_of(inputs, "1.2")[0])
    weights = inputs.model.parts[index].weights
    assert weights[:n] == (0.0,) * n  # never in the yearly level
    # The stated ramp 7,2 → 17,5 → 27,6 M€ starts in 2024: the one-off counts there, whole, and never again.
    assert weights[n:] == (0.0, 1.0, 0.0, 0.0)
    other = inputs.model.parts[inputs.parts.index(parts_of(inputs, "1.1")[0])].weights
    assert other[n:] == (0.0,) * n and other[:n] == pytest.approx((0.0, 7.2 / 27.6, 17.5 / 27.6, 1.0))
