"""The finance page of verification: what waits, claimed against verified, and decisions made with plain
forms (no JavaScript)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse

from karki.monitoring import services
from karki.monitoring.enums import Verification
from karki.monitoring.models import RealisedSaving

pytestmark = pytest.mark.django_db
KYM = "kymenlaakso-2023-2025"


def _user(name):
    return get_user_model().objects.get(username=name)


def _text(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\u00a0", " ")


def test_page__lists_only_waiting_claims_with_sums(client_for, kym):
    response = client_for(_user("finance.kymenlaakso")).get(reverse("monitoring:verification", args=[KYM]))
    assert response.status_code == 200
    listed = response.context["rows"]
    waiting = RealisedSaving.objects.for_programme(kym).waiting()
    assert listed and all(s.verification == Verification.CLAIMED for s in listed)
    assert response.context["page"].paginator.count == waiting.count()
    total = response.context["summary"].total
    decided = RealisedSaving.objects.for_programme(kym).received().exclude(verification="claimed")
    assert total.verified_eur == sum(s.verified_amount_eur for s in decided)
    assert total.waiting_eur == sum(s.amount_eur for s in waiting)
    text = _text(response)
    assert f"{waiting.count()} toteutunutta säästöä" in text and "odottaa todentamista" in text


def test_page__filters_by_cost_category_and_org_unit(client_for, kym):
    from karki.organisations.models import OrgUnit
    from karki.programmes.models import Measure

    # The demo's measures name no org unit: put the measures of theme 2 (purchased services) under one, past
    # the guard of approved versions (a test's shortcut for a programme imported with its org units).
    unit = OrgUnit.objects.get(organisation=kym.organisation, code="SOSPA")
    QuerySet.update(Measure.objects.filter(version__programme=kym, code__startswith="2."), org_unit=unit)
    client = client_for(_user("finance.kymenlaakso"))
    url = reverse("monitoring:verification", args=[KYM])
    response = client.get(url, {"category": "personnel", "show": "all"})
    rows = list(response.context["page"].object_list)
    assert rows and {s.category for s in rows} == {"personnel"}

    response = client.get(url, {"unit": unit.pk, "show": "all"})
    rows = list(response.context["page"].object_list)
    assert rows and {s.report.measure_code[:2] for s in rows} == {"2."}
    everything = client.get(url, {"show": "all"}).context["summary"].by_org_unit
    sospa = next(g for g in everything if g.key == str(unit.pk))
    assert response.context["summary"].total.claimed_eur == sospa.tally.claimed_eur
    assert "Sosiaalipalvelut" in _text(response)


def test_verify_without_javascript__post_then_back_to_the_list(client_for, kym):
    finance = _user("finance.kymenlaakso")
    saving = RealisedSaving.objects.for_programme(kym).waiting().order_by("pk").first()
    url = reverse("monitoring:verification-saving", args=[KYM, saving.pk])
    response = client_for(finance).post(url, {"decision": "verified", "revision": saving.revision,
                                              "back": "category=personnel"})
    assert response.status_code == 302 and response.url.endswith("?category=personnel")
    saving.refresh_from_db()
    assert saving.verification == Verification.VERIFIED and saving.verified_by == finance


def test_adjust_without_reason__says_what_to_do(client_for, kym):
    saving = RealisedSaving.objects.for_programme(kym).waiting().order_by("pk").first()
    url = reverse("monitoring:verification-saving", args=[KYM, saving.pk])
    response = client_for(_user("finance.kymenlaakso")).post(url, {"decision": "adjusted", "amount": "1 000",
                                                                   "revision": saving.revision})
    assert response.status_code == 400
    assert "Kerro, miksi todennettu määrä poikkeaa ilmoitetusta." in _text(response)
    saving.refresh_from_db()
    assert saving.verification == Verification.CLAIMED


def test_changed_claim__decision_refused_with_what_changed(client_for, kym):
    saving = RealisedSaving.objects.for_programme(kym).waiting().order_by("pk").first()
    seen = saving.revision
    RealisedSaving.objects.filter(pk=saving.pk).update(revision=seen + 1)  # the owner saved meanwhile
    url = reverse("monitoring:verification-saving", args=[KYM, saving.pk])
    response = client_for(_user("finance.kymenlaakso")).post(url, {"decision": "verified", "revision": seen})
    assert response.status_code == 400
    assert response.context["conflict"] is not None
    saving.refresh_from_db()
    assert saving.verification == Verification.CLAIMED


def test_verify_all_shown__asks_first_and_states_the_consequence(client_for, kym):
    client = client_for(_user("finance.kymenlaakso"))
    page = client.get(reverse("monitoring:verification", args=[KYM]), {"period": "2024-12"})
    bulk = page.context["bulk"]
    assert bulk
    items = [f"{s.pk}:{s.revision}" for s in bulk]
    url = reverse("monitoring:verification-bulk", args=[KYM])
    confirm = client.post(url, {"item": items, "back": "period=2024-12"})
    assert confirm.status_code == 200
    text = _text(confirm)
    total = sum((s.amount_eur for s in bulk), Decimal("0"))
    assert "kirjataan talouden todentamiksi" in text
    assert RealisedSaving.objects.filter(pk__in=[s.pk for s in bulk], verification="claimed").count() == len(bulk)

    done = client.post(url, {"item": items, "back": "period=2024-12", "confirm": "yes"})
    assert done.status_code == 302
    verified = RealisedSaving.objects.filter(pk__in=[s.pk for s in bulk], verification="verified")
    assert verified.count() == len(bulk)
    assert sum(s.verified_amount_eur for s in verified) == total


def test_programme_office__follows_without_deciding(client_for, kym):
    client = client_for(_user("pmo.kymenlaakso"))
    response = client.get(reverse("monitoring:verification", args=[KYM]))
    assert response.status_code == 200 and not response.context["can_verify"]
    assert "Talous todentaa" in _text(response)
    saving = RealisedSaving.objects.for_programme(kym).waiting().order_by("pk").first()
    url = reverse("monitoring:verification-saving", args=[KYM, saving.pk])
    assert client.post(url, {"decision": "verified", "revision": saving.revision}).status_code == 403


def test_claim_changed_after_verification__finance_sees_it_again(client_for, ita, open_period, owners_measure,
                                                                  measure_owner, finance):
    report = services.record_status_report(owners_measure, period=open_period, by=measure_owner,
                                           phase="in_progress", status="green",
                                           savings={"personnel": Decimal("10000")}, submit=True)
    saving = report.savings.get(category="personnel")
    services.verify_saving(saving, by=finance, decision="verified")
    report.refresh_from_db()
    services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="in_progress",
                                  status="green", savings={"personnel": Decimal("12000")}, submit=True,
                                  expected_revision=report.revision)
    response = client_for(finance).get(reverse("monitoring:verification", args=[ita.slug]),
                                       {"period": open_period.key, "category": "personnel"})
    assert saving.pk in {s.pk for s in response.context["rows"]}
    assert "Ilmoitusta muutettu todentamisen jälkeen: talous oli todentanut 10 000 €" in _text(response)


def test_my_work__finance_sees_what_waits(client_for, kym):
    response = client_for(_user("finance.kymenlaakso")).get(reverse("core:home"))
    count = RealisedSaving.objects.for_programme(kym).waiting().count()
    assert f"{count} toteutunutta säästöä" in _text(response)
    assert reverse("monitoring:verification", args=[KYM]) in _text(response)


def test_status_picture__claimed_and_verified_side_by_side(client_for, kym):
    response = client_for(_user("pmo.kymenlaakso")).get(reverse("monitoring:status", args=[KYM]))
    text = _text(response)
    picture = response.context["picture"]
    assert picture.verified_year_eur < picture.realised_year_eur
    assert "omistajien ilmoittamat" in text and "talouden todentamat" in text
