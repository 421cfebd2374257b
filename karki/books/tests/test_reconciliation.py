"""The reconciliation against figures computed by hand, with a credit row, an unmapped cost centre, an
unmapped account, a whole-year and a monthly baseline, and claims with and without an org unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from karki.books import services
from karki.books.reconciliation import NO_UNIT, UNMAPPED, reconcile
from karki.lib import dates
from karki.monitoring.models import Period, RealisedSaving, StatusReport
from karki.organisations.models import OrgUnit
from karki.programmes import services as programme_services
from karki.programmes.models import Measure, Programme

P = "ita-uusimaa-2023-2026"
YEAR = 2026  # the demo has no reports in 2026: the claims are only those made here

ACTUALS = """Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa
2026;1;K100;4300;100 000,00
2026;2;K100;4300;90 000,00
2026;1;K100;4000;50 000,00
2026;2;K200;4000;-1 000,50
2026;2;X999;4000;1 000,00
2026;1;K100;4999;500,00
"""
BASELINE = """Vuosi;Kuukausi;Organisaatioyksikkö;Kustannuslaji;Summa
2026;;IKA-KOTI;purchased_client_services;1 200 000,00
2026;1;IKA-KOTI;Henkilöstökulut;60 000,00
"""


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


@pytest.fixture
def books(db, pmo, finance):
    programme = Programme.objects.select_related("organisation").get(slug=P)
    organisation = programme.organisation
    home_care = OrgUnit.objects.get(organisation=organisation, code="IKA-KOTI")
    elderly = OrgUnit.objects.get(organisation=organisation, code="IKA")
    services.map_cost_centre(organisation=organisation, cost_centre="K100", org_unit=home_care, by=finance)
    services.map_cost_centre(organisation=organisation, cost_centre="K200", org_unit=elderly, by=finance)
    services.map_accounts(organisation=organisation, first_account="4300", last_account="4399",
                          category="purchased_client_services", by=finance)
    services.map_accounts(organisation=organisation, first_account="4000", category="personnel", by=finance)
    services.import_file(organisation=organisation, kind="actuals", data=ACTUALS.encode(), file_name="a.csv",
                         by=finance)
    services.import_file(organisation=organisation, kind="baseline", data=BASELINE.encode(), file_name="ta.csv",
                         by=finance, label="TA 2026")
    # Claims: 25 000 of client services in February by a measure of home care; 5 000 of personnel costs in
    # January by a measure without an org unit.
    draft = programme_services.start_new_version(programme=programme, by=pmo)
    with_unit = Measure.objects.get(version=draft, code="3.1.a")
    with_unit.org_unit = home_care
    with_unit.save()
    without_unit = Measure.objects.get(version=draft, code="3.1.b")
    for month, measure, category, amount in ((2, with_unit, "purchased_client_services", "25000"),
                                             (1, without_unit, "personnel", "5000")):
        period = Period.objects.create(programme=programme, year=YEAR, month=month, opened_at=dates.now(),
                                       opened_by=pmo)
        report = StatusReport.objects.create(period=period, measure=measure, measure_code=measure.code,
                                             phase="in_progress", status="green", state="submitted",
                                             submitted_at=dates.now(), submitted_by=pmo)
        RealisedSaving.objects.create(report=report, category=category, amount_eur=Decimal(amount))
    return programme


def _row(rows, key):
    return next(r for r in rows if r.key == key and r.level == 0)


def test_reconcile__whole_year__hand_computed(books):
    result = reconcile(books, year=YEAR)
    assert result.months == [1, 2]
    total = result.total
    assert cents(total.actual) == Decimal("240499.50")  # 190 000 + 48 999,50 + 1 500 unmapped
    assert cents(total.baseline) == Decimal("260000.00")  # two twelfths of 1 200 000 + 60 000 for January
    assert cents(total.in_books) == Decimal("19500.50")
    assert cents(total.claimed) == Decimal("30000.00")
    assert cents(total.gap) == Decimal("10499.50")

    client_services = _row(result.by_category, "purchased_client_services") if any(
        r.key == "purchased_client_services" and r.level == 0 for r in result.by_category) else None
    assert client_services is None  # a kind of purchased services is shown under purchased services
    purchased = _row(result.by_category, "purchased_services")
    assert (cents(purchased.figures.actual), cents(purchased.figures.baseline), cents(purchased.figures.claimed),
            cents(purchased.figures.gap)) == (Decimal("190000.00"), Decimal("200000.00"), Decimal("25000.00"),
                                             Decimal("15000.00"))
    personnel = _row(result.by_category, "personnel")
    assert (cents(personnel.figures.actual), cents(personnel.figures.baseline), cents(personnel.figures.claimed),
            cents(personnel.figures.gap)) == (Decimal("48999.50"), Decimal("60000.00"), Decimal("5000.00"),
                                             Decimal("-6000.50"))
    unmapped = _row(result.by_category, UNMAPPED)
    assert cents(unmapped.figures.actual) == Decimal("1500.00") and unmapped.figures.baseline == 0

    # Never dropped: the rows of every table add up to the total.
    for rows in (result.by_category, result.by_unit):
        top = [r.figures for r in rows if r.level == 0]
        assert cents(sum(f.actual for f in top)) == Decimal("240499.50")
        assert cents(sum(f.claimed for f in top)) == Decimal("30000.00")
    assert cents(sum(r.figures.actual for r in result.by_month)) == Decimal("240499.50")


def test_reconcile__by_org_unit_and_month(books):
    result = reconcile(books, year=YEAR)
    elderly = result.by_unit[0]
    assert str(elderly.label) and cents(elderly.figures.actual) == Decimal("238999.50")
    assert cents(elderly.figures.claimed) == Decimal("25000.00")
    parts = [r for r in result.by_unit if r.level == 1]
    assert [cents(r.figures.actual) for r in parts] == [Decimal("240000.00"), Decimal("-1000.50")]
    assert cents(_row(result.by_unit, NO_UNIT).figures.claimed) == Decimal("5000.00")
    january, february = result.by_month
    assert (cents(january.figures.actual), cents(january.figures.baseline), cents(january.figures.claimed)) == (
        Decimal("150500.00"), Decimal("160000.00"), Decimal("5000.00"))
    assert (cents(february.figures.actual), cents(february.figures.baseline), cents(february.figures.claimed)) == (
        Decimal("89999.50"), Decimal("100000.00"), Decimal("25000.00"))


def test_reconcile__unmapped_rows_listed_with_their_sums(books):
    result = reconcile(books, year=YEAR)
    listed = {(k.cost_centre, k.account): cents(k.actual) for k in result.unmapped_keys}
    assert listed == {("X999", "4000"): Decimal("1000.00"), ("K100", "4999"): Decimal("500.00")}
    home_care_account = next(k for k in result.unmapped_keys if k.account == "4999")
    assert home_care_account.org_unit.code == "IKA-KOTI" and home_care_account.category == ""


def test_reconcile__filters_month_and_unit(books):
    february = reconcile(books, year=YEAR, month=2)
    purchased = _row(february.by_category, "purchased_services")
    assert (cents(purchased.figures.actual), cents(purchased.figures.baseline)) == (Decimal("90000.00"),
                                                                                    Decimal("100000.00"))
    unit = OrgUnit.objects.get(organisation=books.organisation, code="IKA-KOTI")
    home_care = reconcile(books, year=YEAR, unit_id=unit.pk)
    assert (cents(home_care.total.actual), cents(home_care.total.baseline), cents(home_care.total.claimed)) == (
        Decimal("240000.00"), Decimal("260000.00"), Decimal("25000.00"))
    assert not any(r.key in (UNMAPPED, NO_UNIT) for r in home_care.by_unit)


def test_reconcile__mapping_the_account_moves_its_rows(books, finance):
    services.map_accounts(organisation=books.organisation, first_account="4999", category="other", by=finance)
    result = reconcile(books, year=YEAR)
    assert cents(_row(result.by_category, "other").figures.actual) == Decimal("500.00")
    assert cents(result.unmapped.actual) == Decimal("1000.00")


def test_reconcile__queries_do_not_grow_with_the_rows(books, finance):
    with CaptureQueriesContext(connection) as before:
        reconcile(books, year=YEAR)
    more = "\n".join(f"2026;{m};K{c};43{a:02d};1,00" for m in range(1, 13) for c in range(30) for a in range(10))
    services.import_file(organisation=books.organisation, kind="actuals",
                         data=f"Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa\n{more}\n".encode(), file_name="b.csv",
                         by=finance)
    with CaptureQueriesContext(connection) as after:
        reconcile(books, year=YEAR)
    assert len(after) <= len(before) <= 16  # one query less when no unmapped row names an org unit


def test_reconcile__verified_beside_claimed__adjusted_at_its_amount_waiting_not_at_all(books):
    """Finance adjusted the 5 000 € personnel claim to 4 000 €; the 25 000 € claim still waits."""
    QuerySet.update(RealisedSaving.objects.filter(category="personnel"), verification="adjusted",
                    verified_amount_eur=Decimal("4000"), verification_reason="Osa palkoista siirtyi.",
                    verified_at=dates.now())
    result = reconcile(books, year=YEAR)
    assert (cents(result.total.claimed), cents(result.total.verified)) == (Decimal("30000.00"), Decimal("4000.00"))
    assert cents(_row(result.by_category, "personnel").figures.verified) == Decimal("4000.00")
    assert _row(result.by_category, "purchased_services").figures.verified == 0


def test_reconcile__through_a_month__leaves_out_the_later_months_of_the_books(books):
    result = reconcile(books, year=YEAR, through_month=1)
    assert result.months == [1] and result.through_text == f"1/{YEAR}"
    # January: client services 100 000, personnel 50 000 + 500; baseline a twelfth of 1 200 000 and 60 000.
    assert result.total.actual == Decimal("150500.00")
    assert cents(result.total.baseline) == Decimal("160000.00")
    assert result.total.claimed == Decimal("5000")  # the February claim is left out with February
