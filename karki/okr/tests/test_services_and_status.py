from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from karki.okr import services
from karki.okr.enums import Direction, RiskReason
from karki.okr.models import CheckIn
from karki.okr.status import assess, key_results_at_risk


def test_check_in__keeps_history_and_author(kr, pmo):
    services.check_in(key_result=kr, on=date(2025, 2, 1), value=Decimal("65"), confidence=80, by=pmo)
    services.check_in(key_result=kr, on=date(2025, 3, 1), value=Decimal("70"), confidence=70, comment="ok", by=pmo)
    entries = list(kr.check_ins.all())
    assert [e.confidence for e in entries] == [70, 80]  # newest first
    assert entries[0].created_by == pmo
    assert entries[0].history.first().history_user == pmo


def test_check_in__confidence_outside_0_100__refused(kr, pmo):
    with pytest.raises(ValidationError):
        services.check_in(key_result=kr, on=date(2025, 2, 1), confidence=101, by=pmo)
    with pytest.raises(ValidationError):
        services.check_in(key_result=kr, on=date(2025, 2, 1), by=pmo)


def test_check_in__database_refuses_confidence_over_100(kr):
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(key_result=kr, date=date(2025, 1, 1), confidence=150)


def test_key_result__other_organisations_unit__refused(objective, pmo, outsider):
    from karki.organisations.models import Organisation
    from karki.organisations.services import create_org_unit

    other = Organisation.objects.get(slug="kymenlaakso")
    foreign = create_org_unit(organisation=other, code="X1", name={"fi": "X"}, parent=None, by=outsider)
    with pytest.raises(ValidationError):
        services.create_objective(organisation=objective.organisation, org_unit=foreign, title="T", by=pmo)


def test_status__low_confidence__at_risk(kr, pmo):
    services.check_in(key_result=kr, on=date(2025, 2, 1), confidence=40, by=pmo)
    status = assess(kr, on=date(2025, 2, 2))
    assert status.at_risk and status.reasons == [RiskReason.LOW_CONFIDENCE]


def test_status__own_threshold_overrides_default(kr, pmo):
    services.update_key_result(key_result=kr, risk_threshold=30, by=pmo)
    services.check_in(key_result=kr, on=date(2025, 2, 1), confidence=40, by=pmo)
    assert not assess(kr, on=date(2025, 2, 2)).at_risk


def test_status__value_behind_linear_path__at_risk(kr, pmo):
    # 60 → 100 over 2025: on 2.7. the path is at about 80; 70 is behind, 85 is ahead.
    services.check_in(key_result=kr, on=date(2025, 7, 2), value=Decimal("70"), confidence=90, by=pmo)
    status = assess(kr, on=date(2025, 7, 3))
    assert status.reasons == [RiskReason.BEHIND_PATH]
    assert Decimal("79") < status.expected < Decimal("81")
    services.check_in(key_result=kr, on=date(2025, 7, 3), value=Decimal("85"), by=pmo)
    assert not assess(kr, on=date(2025, 7, 3)).at_risk


def test_status__direction_down(objective, pmo):
    kr = services.create_key_result(objective=objective, text="Hinta alle 190 €/vrk", unit="€/vrk",
                                    baseline=Decimal("210"), target=Decimal("190"), direction=Direction.DOWN,
                                    deadline=date(2025, 12, 31), by=pmo)
    services.check_in(key_result=kr, on=date(2025, 7, 2), value=Decimal("180"), by=pmo)
    assert not assess(kr, on=date(2025, 8, 1)).at_risk
    services.check_in(key_result=kr, on=date(2025, 8, 1), value=Decimal("209"), by=pmo)
    assert assess(kr, on=date(2025, 8, 1)).reasons == [RiskReason.BEHIND_PATH]


def test_status__on_a_past_day_ignores_later_check_ins(kr, pmo):
    services.check_in(key_result=kr, on=date(2025, 2, 1), confidence=90, by=pmo)
    services.check_in(key_result=kr, on=date(2025, 3, 1), confidence=10, by=pmo)
    assert not assess(kr, on=date(2025, 2, 15)).at_risk
    assert assess(kr, on=date(2025, 3, 15)).at_risk


def test_key_results_at_risk__lists_only_risky_ones_of_the_organisation(kr, objective, pmo):
    calm = services.create_key_result(objective=objective, text="Rauhallinen", by=pmo)
    services.check_in(key_result=calm, on=date(2025, 2, 1), confidence=90, by=pmo)
    services.check_in(key_result=kr, on=date(2025, 2, 1), confidence=20, by=pmo)
    found = key_results_at_risk(objective.organisation, on=date(2025, 2, 2))
    assert kr in found and calm not in found
    assert found[found.index(kr)].status.confidence == 20


def test_link_measure__by_programme_and_code(kr, pmo, ita):
    link = services.link_measure(key_result=kr, programme=ita, measure_code="3.1.a", by=pmo)
    assert link.measure_code == "3.1.a"
    with pytest.raises(ValidationError):
        services.link_measure(key_result=kr, programme=ita, measure_code="nope", by=pmo)


def _queries(action) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_set_measure_links__each_code_checked_once__queries_do_not_grow_with_the_codes(kr, pmo, ita):
    """Saving a key result linked to many measures checks the codes together, not each one twice."""
    from karki.programmes.models import Measure

    codes = list(Measure.objects.filter(version__programme=ita).order_by("code").values_list("code", flat=True)
                 .distinct()[:8])
    assert len(codes) == 8

    def link(n):
        return lambda: services.set_measure_links(key_result=kr, measures=[(ita, c) for c in codes[:n]], by=pmo)

    # Adding links: besides the two writes of each new link (the row and its history), nothing per code.
    added_one = _queries(link(1))
    services.set_measure_links(key_result=kr, measures=[], by=pmo)
    added_eight = _queries(link(8))
    assert added_eight - added_one <= 2 * 7
    # Saving again unchanged: as many queries for eight codes as for one.
    unchanged_eight = _queries(link(8))
    link(1)()
    unchanged_one = _queries(link(1))
    assert unchanged_eight == unchanged_one
    assert sorted(kr.measure_links.values_list("measure_code", flat=True)) == codes[:1]
