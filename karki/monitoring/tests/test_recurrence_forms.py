"""Recurring or one-off realised savings: the owner says which in the report, both may stand in one cost
category, finance sees which when verifying, and a changed recurrence is a changed claim."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from karki.monitoring import services
from karki.monitoring.enums import Verification
from karki.monitoring.models import RealisedSaving, StatusReport

from .test_report_batch import _form_data

pytestmark = pytest.mark.django_db
P = "ita-uusimaa-2023-2026"
URL = reverse("monitoring:report-batch", args=[P, "2024-12"])


def _text(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\u00a0", " ")


def test_report_form__recurring_and_one_off_in_one_category__both_saved(client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    page = client.get(URL).content.decode()
    assert "Kertaluonteinen" in page and 'name="3.1.a-saving_rents_one_off"' in page
    data = _form_data(page)
    data.update({"3.1.a-phase": "in_progress", "3.1.a-status": "green", "3.1.a-saving_rents": "2 000",
                 "3.1.a-saving_rents_one_off": "45 000", "action": "draft"})
    assert client.post(URL, data).status_code == 302

    report = StatusReport.objects.get(period=open_period, measure_code="3.1.a")
    saved = {(s.category, s.recurrence): s.amount_eur for s in report.savings.filter(category="rents")}
    assert saved == {("rents", "recurring"): Decimal("2000"), ("rents", "one_off"): Decimal("45000")}
    # The page shown again keeps each amount in its own field.
    again = client.get(URL).content.decode()
    assert re.search(r'name="3.1.a-saving_rents_one_off" value="45\s000', again.replace("\u00a0", " ")
                     .replace("\u202f", " "))


def test_report_form__one_off_only__saved_as_one_off(client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    data = _form_data(client.get(URL).content.decode())
    data.update({"3.1.a-phase": "in_progress", "3.1.a-status": "green", "3.1.a-saving_rents_one_off": "0,3 M€",
                 "action": "submit"})
    assert client.post(URL, data).status_code == 302
    saving = RealisedSaving.objects.get(report__period=open_period, report__measure_code="3.1.a", category="rents")
    assert (saving.recurrence, saving.amount_eur) == ("one_off", Decimal("300000"))


@pytest.fixture
def verified_rent(open_period, owners_measure, measure_owner, finance):
    report = services.record_status_report(owners_measure, period=open_period, by=measure_owner,
                                           phase="in_progress", status="green",
                                           savings={"rents": Decimal("40000")}, submit=True)
    saving = report.savings.get(category="rents")
    services.verify_saving(saving, by=finance, decision="verified")
    report.refresh_from_db()
    return saving, report


def test_recurrence_changed_by_the_owner__same_claim_back_to_finance(open_period, owners_measure, measure_owner,
                                                                     verified_rent):
    saving, report = verified_rent
    services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="in_progress",
                                  status="green", savings={("rents", "recurring"): None,
                                                           ("rents", "one_off"): Decimal("40000")},
                                  submit=True, expected_revision=report.revision)
    moved = RealisedSaving.objects.get(pk=saving.pk)  # the same claim, not a new one
    assert moved.recurrence == "one_off" and moved.amount_eur == Decimal("40000")
    assert moved.verification == Verification.CLAIMED and moved.previously_verified_eur == Decimal("40000")
    assert report.savings.filter(category="rents").count() == 1


def test_verification_pages__show_recurrence(client_for, ita, open_period, owners_measure, measure_owner, finance):
    services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="in_progress",
                                  status="green", savings={("rents", "one_off"): Decimal("45000"),
                                                           ("rents", "recurring"): Decimal("2000")}, submit=True)
    client = client_for(finance)
    listing = _text(client.get(reverse("monitoring:verification", args=[ita.slug]),
                               {"period": open_period.key, "category": "rents"}))
    assert "Vuokrat, kertaluonteinen" in listing and "Vuokrat, pysyvä" in listing
    one_off = RealisedSaving.objects.get(report__measure_code="3.1.a", report__period=open_period,
                                         recurrence="one_off")
    claim = _text(client.get(reverse("monitoring:verification-saving", args=[ita.slug, one_off.pk])))
    assert "Kertaluonteinen" in claim


def test_review_page__shows_recurrence(client_for, pmo, open_period, owners_measure, measure_owner):
    services.record_status_report(owners_measure, period=open_period, by=measure_owner, phase="in_progress",
                                  status="green", savings={("rents", "one_off"): Decimal("45000")}, submit=True)
    page = _text(client_for(pmo).get(reverse("monitoring:report-review", args=[P, open_period.key, "3.1.a"])))
    assert "Kertaluonteinen" in page and "45 000 €" in page


def test_report_api__reads_and_writes_recurrence(client_for, measure_owner, open_period):
    url = reverse("api-measure-report", args=[P, "3.1.a"])
    existing = StatusReport.objects.filter(period=open_period, measure_code="3.1.a").first()
    body = {"period": "2024-12", "phase": "in_progress", "status": "green",
            "savings": [{"category": "rents", "amount_eur": "2000.00"},
                        {"category": "rents", "recurrence": "one_off", "amount_eur": "45000.00"}],
            "revision": existing.revision if existing else None}
    response = client_for(measure_owner).post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["savings"], key=lambda s: s["recurrence"]) == [
        {"category": "rents", "recurrence": "one_off", "amount_eur": "45000.00"},
        {"category": "rents", "recurrence": "recurring", "amount_eur": "2000.00"}]

    body = {**body, "revision": response.json()["revision"],
            "savings": [{"category": "rents", "recurrence": "sometimes", "amount_eur": "1.00"}]}
    refused = client_for(measure_owner).post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 400
