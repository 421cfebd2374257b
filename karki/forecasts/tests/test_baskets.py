"""What would close the gap, in management's order, and management's decisions on the baskets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from karki.forecasts import services
from karki.forecasts.baskets import basket_decisions, basket_plan, contingency_measures, latest_decisions
from karki.forecasts.forecast import run
from karki.monitoring.models import Period
from karki.monitoring.services import running_version
from karki.programmes.models import Measure


@pytest.fixture
def forecast(ita):
    return run(running_version(ita), period=Period.objects.get(programme=ita, year=2024, month=12), draws=5_000)


def test_contingency_measures__in_managements_order_of_preference(ita):
    codes = [m.code for m in contingency_measures(running_version(ita))]
    assert codes == ["B.1", "B.2", "B.4", "B.3", "C.1", "C.3", "C.5", "C.2", "C.4"]  # the demo's invented order


def test_basket_plan__adds_measures_in_order_until_the_gap_closes(forecast):
    plan = basket_plan(forecast, certainty=50)
    assert plan.gap_eur > 0 and plan.activation == (2025, 1)
    levels = [o.level_eur for o in plan.options]
    assert levels == sorted(levels)  # each measure adds to the savings at the certainty
    assert plan.gap_closes
    needed = plan.measures_needed
    assert needed[-1].closes_gap and needed[-1].gap_eur == 0 and all(o.gap_eur > 0 for o in needed[:-1])
    assert [o.measure.code for o in needed] == [o.measure.code for o in plan.options[:len(needed)]]


def test_basket_plan__more_certainty_needs_at_least_as_many_measures(forecast):
    assert len(basket_plan(forecast, certainty=80).measures_needed) >= len(basket_plan(forecast, certainty=50)
                                                                            .measures_needed)


def test_basket_plan__expected_contribution_is_estimate_times_chance_and_ramp(forecast):
    option = basket_plan(forecast, certainty=80).options[0]  # B.1: 0,6–1,2 M€, short, activated January 2025
    assert option.activation_share == 1.0
    assert option.expected_eur == pytest.approx(900_000 * option.chance)


def test_basket_plan__measure_without_estimate_cannot_count(pmo, draft):
    from karki.programmes import services as programme_services

    measure = Measure.objects.get(version=draft, code="B.1")
    programme_services.set_estimate(item=measure, estimate=None, by=pmo)
    plan = basket_plan(run(draft, draws=2_000), certainty=80)
    option = next(o for o in plan.options if o.measure.code == "B.1")
    assert not option.countable and option.level_eur is None


def test_record_decision__stored_with_who_when_and_the_forecast_then(ita, pmo):
    decision = services.record_basket_decision(
        programme=ita, basket="B", decision="activate", decided_on=date(2025, 1, 15), reasoning="Kuilu ei kuroudu.",
        measure_codes=["B.1", "B.2"], certainty=80, by=pmo)
    assert decision.recorded_by == pmo and decision.recorded_at is not None
    assert decision.measure_code_list == ["B.1", "B.2"]
    assert decision.history.get().history_user == pmo
    assert latest_decisions(ita)["B"] == decision


def test_record_decision__refused_without_reasoning_in_the_future_or_by_others(ita, pmo, finance):
    with pytest.raises(ValidationError) as error:
        services.record_basket_decision(programme=ita, basket="B", decision="activate",
                                        decided_on=date.today() + timedelta(days=30), reasoning=" ", by=pmo)
    assert {"reasoning", "decided_on"} <= error.value.message_dict.keys()
    with pytest.raises(PermissionDenied):
        services.record_basket_decision(programme=ita, basket="C", decision="activate", decided_on=date(2025, 1, 1),
                                        reasoning="x", by=finance)


def test_decisions__append_only(db):
    from karki.forecasts.models import BasketDecision

    decision = BasketDecision.objects.first()  # the demo's invented decision
    decision.reasoning = "muutettu"
    with pytest.raises(ValueError):
        decision.save()


def test_basket_decisions__oldest_first_up_to_a_day(ita, pmo):
    later = services.record_basket_decision(programme=ita, basket="C", decision="do_not_activate",
                                            decided_on=date(2025, 3, 4), reasoning="Ei vielä.", by=pmo)
    everything = basket_decisions(ita)
    assert everything[-1] == later and everything[0].decided_on == date(2024, 12, 10)
    assert later not in basket_decisions(ita, until=date(2025, 3, 3))
    assert later in basket_decisions(ita, until=date(2025, 3, 4))


def test_activated_measures__not_offered_again_but_listed(client_for, ita, pmo):
    services.record_basket_decision(
        programme=ita, basket="B", decision="activate", decided_on=date(2025, 1, 15), reasoning="Kuilu ei kuroudu.",
        measure_codes=["B.1", "B.2"], certainty=80, by=pmo)
    page = client_for(pmo).get(f"/programmes/{ita.slug}/baskets/")
    offered = [o.measure.code for o in page.context["plan"].options]
    assert "B.1" not in offered and "B.2" not in offered and "B.4" in offered
    assert [m.code for m, _decision in page.context["already_activated"]] == ["B.1", "B.2"]
    assert ("B.1", "B.1") not in page.context["form"].fields["measure_codes"].choices
    services.record_basket_decision(  # a later decision not to activate takes the basket back
        programme=ita, basket="B", decision="do_not_activate", decided_on=date(2025, 2, 15), reasoning="Odotetaan.",
        certainty=80, by=pmo)
    page = client_for(pmo).get(f"/programmes/{ita.slug}/baskets/")
    assert "B.1" in [o.measure.code for o in page.context["plan"].options]


def test_activated__later_activations_add_to_earlier_ones(ita, pmo):
    from karki.forecasts.baskets import activated

    for day, codes in ((10, ["B.1"]), (20, ["B.2"])):
        services.record_basket_decision(programme=ita, basket="B", decision="activate", decided_on=date(2025, 1, day),
                                        reasoning="Otetaan käyttöön.", measure_codes=codes, certainty=80, by=pmo)
    assert sorted(activated(running_version(ita))) == ["B.1", "B.2"]
