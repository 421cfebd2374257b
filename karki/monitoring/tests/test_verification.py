"""Finance verifies, adjusts or rejects the realised savings owners claim: the sums of claimed against
verified (hand-computed), the rules a controller relies on, and the audit trail."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from karki.audit.history import history_page, programme_sources
from karki.core.conflicts import NOT_YET_SAVED
from karki.figures import read as figures
from karki.monitoring import services
from karki.monitoring.enums import Verification
from karki.monitoring.models import RealisedSaving
from karki.monitoring.verification import Filters, overview, root_units, waiting_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(ita, open_period, owners_measure, measure_owner):
    """The measure owner's December report of 3.1.a with three claims: 10 000 € personnel, 4 000 € agency
    staff and 2 500 € materials, handed in (16 500 € claimed)."""
    report = services.record_status_report(
        owners_measure, period=open_period, by=measure_owner, phase="in_progress", status="green",
        savings={"personnel": Decimal("10000"), "purchased_agency_staff": Decimal("4000"),
                 "materials": Decimal("2500")},
        submit=True, expected_revision=None)
    return {s.category: s for s in report.savings.all()}


def test_verify_adjust_reject__verified_sum_is_hand_computed(ita, open_period, claims, finance):
    before = figures.status_picture(ita, open_period)
    services.verify_saving(claims["personnel"], by=finance, decision="verified",
                           expected_revision=claims["personnel"].revision)
    services.verify_saving(claims["purchased_agency_staff"], by=finance, decision="adjusted",
                           amount=Decimal("3000"), reason="Laskut kirjautuivat osin tammikuulle.",
                           expected_revision=claims["purchased_agency_staff"].revision)
    services.verify_saving(claims["materials"], by=finance, decision="rejected",
                           reason="Ei näy kirjanpidossa.", expected_revision=claims["materials"].revision)

    picture = figures.status_picture(ita, open_period)
    # Claimed is unchanged by finance's decisions; verified gains 10 000 + 3 000 + 0 = 13 000 €.
    assert picture.realised_year_eur == before.realised_year_eur
    assert picture.verified_year_eur == before.verified_year_eur + Decimal("13000")
    assert picture.waiting_year_eur == before.waiting_year_eur - Decimal("16500")
    assert picture.verified_total_eur == before.verified_total_eur + Decimal("13000")
    materials = next(r for r in picture.by_category if r.key == "materials")
    materials_before = next(r for r in before.by_category if r.key == "materials")
    assert materials.realised_eur == materials_before.realised_eur
    assert materials.verified_eur == materials_before.verified_eur  # rejected: nothing verified

    units, _roots = root_units(ita)
    tally = overview(ita, Filters(period=open_period.key), units).total
    others = tally.claimed_eur - Decimal("16500")  # the other owners' December claims, all still waiting
    assert tally.verified_eur == Decimal("13000")
    assert tally.waiting_eur == others
    assert tally.rejected_eur == Decimal("2500") and tally.rejected_count == 1


def test_adjust__needs_amount_and_reason(claims, finance):
    with pytest.raises(ValidationError) as caught:
        services.verify_saving(claims["personnel"], by=finance, decision="adjusted", amount=Decimal("8000"))
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.verify_saving(claims["personnel"], by=finance, decision="adjusted", reason="Oikaistu.")
    assert "amount" in caught.value.message_dict
    assert RealisedSaving.objects.get(pk=claims["personnel"].pk).verification == Verification.CLAIMED


def test_reject__needs_reason_and_counts_zero(claims, finance):
    with pytest.raises(ValidationError):
        services.verify_saving(claims["materials"], by=finance, decision="rejected", reason="  ")
    saving = services.verify_saving(claims["materials"], by=finance, decision="rejected", reason="Ei näy.")
    assert saving.verified_amount_eur == Decimal("0")
    assert saving.amount_eur == Decimal("2500")  # the claim stays as the owner made it


def test_owner_cannot_verify_own_claim(claims, measure_owner, pmo, viewer):
    # The owner is no finance person: refused outright.
    with pytest.raises(PermissionDenied):
        services.verify_saving(claims["personnel"], by=measure_owner, decision="verified")
    for person in (pmo, viewer):
        with pytest.raises(PermissionDenied):
            services.verify_saving(claims["personnel"], by=person, decision="verified")


def test_finance_person_who_owns_the_measure_cannot_verify_it(claims, owners_measure, measure_owner):
    from karki.accounts.enums import Role
    from karki.accounts.models import Membership

    Membership.objects.create(user=measure_owner, organisation=owners_measure.version.programme.organisation,
                              role=Role.FINANCE)
    person = get_user_model().objects.get(pk=measure_owner.pk)  # roles are read afresh, as in a new request
    with pytest.raises(ValidationError) as caught:
        services.verify_saving(claims["personnel"], by=person, decision="verified")
    assert caught.value.code == "own_claim"


def test_history__each_step_with_person_and_time(ita, claims, finance):
    services.verify_saving(claims["purchased_agency_staff"], by=finance, decision="adjusted",
                           amount=Decimal("3000"), reason="Osa kirjautui tammikuulle.")
    records = list(RealisedSaving.history.filter(id=claims["purchased_agency_staff"].pk).order_by("history_id"))
    assert [r.verification for r in records] == ["claimed", "adjusted"]
    last = records[-1]
    assert last.history_user == finance and last.history_date is not None
    assert last.history_change_reason == "verification adjusted"

    # The programme's audit trail shows it in words, in Finnish.
    sources = [s for s in programme_sources(ita) if s.model is RealisedSaving]
    entry = history_page(sources).entries[0]
    assert entry.user == finance
    assert entry.reason_text == "todentaminen oikaistu"
    assert entry.identifier.startswith("3.1.a · 12/2024")
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["Talouden todentama (€)"] == ("", "3\u202f000\u00a0€")
    assert changes["Talouden todentaminen"] == ("Ilmoitettu, ei todennettu", "Todennettu eri määrällä")


def test_owner_changes_verified_claim__back_to_claimed_and_visible(open_period, owners_measure, measure_owner,
                                                                    claims, finance):
    services.verify_saving(claims["personnel"], by=finance, decision="verified")
    report = claims["personnel"].report
    report.refresh_from_db()
    services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="in_progress",
                                  status="green", savings={"personnel": Decimal("12000")}, submit=True,
                                  expected_revision=report.revision)
    saving = RealisedSaving.objects.get(pk=claims["personnel"].pk)
    assert saving.verification == Verification.CLAIMED
    assert saving.verified_amount_eur is None and saving.verified_by is None
    assert saving.previously_verified_eur == Decimal("10000")  # what finance had verified, shown on the page
    last = RealisedSaving.history.filter(id=saving.pk).order_by("-history_id").first()
    assert last.history_change_reason == "claim changed after verification" and last.history_user == measure_owner


def test_stale_decision__refused_when_the_claim_changed(open_period, owners_measure, measure_owner, claims, finance):
    seen = claims["personnel"].revision
    report = claims["personnel"].report
    report.refresh_from_db()
    services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="in_progress",
                                  status="green", savings={"personnel": Decimal("9000")}, submit=True,
                                  expected_revision=report.revision)
    with pytest.raises(services.StaleSaving):
        services.verify_saving(claims["personnel"], by=finance, decision="verified", expected_revision=seen)
    assert RealisedSaving.objects.get(pk=claims["personnel"].pk).verification == Verification.CLAIMED


def test_verify_shown__skips_claims_changed_meanwhile(claims, finance):
    personnel, materials = claims["personnel"], claims["materials"]
    result = services.verify_savings([(personnel, personnel.revision), (materials, NOT_YET_SAVED + 99)], by=finance)
    assert [s.pk for s in result.verified] == [personnel.pk] and result.changed == 1
    assert RealisedSaving.objects.get(pk=materials.pk).verification == Verification.CLAIMED


def test_draft_report__savings_are_not_verified(ita, open_period, pmo, finance):
    unreported = next(m.measure for m in figures.status_picture(ita, open_period).missing if not m.state)
    report = services.record_status_report(unreported, period=open_period, by=pmo, phase="started",
                                           status="green", savings={"materials": Decimal("100")}, submit=False)
    with pytest.raises(ValidationError):
        services.verify_saving(report.savings.get(), by=finance, decision="verified")


def test_waiting_count__only_received_claims(ita, claims, finance):
    count, amount = waiting_count(ita)
    services.verify_saving(claims["personnel"], by=finance, decision="verified")
    assert waiting_count(ita) == (count - 1, amount - Decimal("10000"))


def test_superuser_may_verify(claims):
    admin = get_user_model().objects.get(username="admin")
    assert services.verify_saving(claims["personnel"], by=admin, decision="verified").verified_by == admin
