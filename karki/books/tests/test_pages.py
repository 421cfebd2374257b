"""The pages of the books as finance and the programme office use them: the answer on the Kymenlaakso demo,
importing a month in the browser in Finnish and Swedish, mapping with the plain forms."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from karki.books.models import CostCentreMapping, ImportBatch, LedgerEntry, LedgerKey
from karki.jobs.models import Job

K = "kymenlaakso-2023-2025"


def _login(client, username: str, language: str = "fi"):
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(("language", "answer", "sample"), [
    ("fi", "Kirjanpidon mukaan kustannukset 1–12/2024 ovat 6,0\u00a0M€ perustason alapuolella",
     "Keksittyä esimerkkiaineistoa"),
    ("sv", "Enligt bokföringen är kostnaderna 1–12/2024 6,0\u00a0mn\u00a0€ under jämförelsenivån",
     "Påhittade exempeldata"),
])
def test_reconciliation__demo__answer_first(client, db, language, answer, sample):
    response = _login(client, "finance.kymenlaakso", language).get(reverse("books:reconciliation", args=[K]))
    assert response.status_code == 200
    text = response.content.decode()
    assert answer in text and sample in text
    assert text.index(answer) < text.index("<table")
    assert "310200" in text and "4900" in text  # the unmapped rows are listed


def test_reconciliation__programme_office_reads_without_import(client, db):
    response = _login(client, "pmo.kymenlaakso").get(reverse("books:reconciliation", args=[K]))
    assert response.status_code == 200
    assert reverse("books:import", args=[K]) not in response.content.decode()


@pytest.mark.parametrize(("language", "problem"), [("fi", "Kuukausi"), ("sv", "Månad")])
def test_import__a_month_in_the_browser(client, db, language, problem):
    client = _login(client, "finance.kymenlaakso", language)
    url = reverse("books:import", args=[K])
    bad = SimpleUploadedFile("tammikuu.csv", b"Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa\n2025;13;210100;4000;5\n")
    response = client.post(url, {"kind": "actuals", "file": bad}, follow=True)
    text = response.content.decode()
    assert response.status_code == 200 and problem in text
    assert not LedgerEntry.objects.filter(year=2025).exists()

    good = SimpleUploadedFile("tammikuu.csv", b"Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa\n"
                                              b"2025;1;210100;4000;1 234,56\n2025;1;210100;4300;-10,00\n")
    response = client.post(url, {"kind": "actuals", "file": good}, follow=True)
    job = Job.objects.filter(kind="books.import").order_by("-created_at").first()
    assert job.state == "succeeded", job.error
    assert LedgerEntry.objects.filter(year=2025).count() == 2
    batch = ImportBatch.objects.get(file_name="tammikuu.csv")
    assert batch.imported_by.username == "finance.kymenlaakso" and batch.slices == ["2025-01"]
    assert reverse("books:reconciliation", args=[K]) in response.content.decode()


def test_mapping__finance_maps_an_unmapped_cost_centre(client, db):
    client = _login(client, "finance.kymenlaakso")
    url = reverse("books:mapping", args=[K])
    assert "799900" in client.get(url).content.decode()
    unit = LedgerKey.objects.filter(cost_centre="210100").values_list("org_unit_id", flat=True).first()
    response = client.post(url, {"action": "cost_centre", "cc-cost_centre": "799900", "cc-org_unit": unit})
    assert response.status_code == 302
    assert CostCentreMapping.objects.get(cost_centre="799900").history.first().history_user.username == \
        "finance.kymenlaakso"
    assert not LedgerEntry.objects.filter(key__cost_centre="799900", org_unit__isnull=True).exists()


def test_mapping__a_range_ending_before_it_starts__refused(client, db):
    client = _login(client, "finance.kymenlaakso")
    response = client.post(reverse("books:mapping", args=[K]), {
        "action": "account", "acc-first_account": "4999", "acc-last_account": "4900", "acc-category": "other"})
    assert response.status_code == 400
