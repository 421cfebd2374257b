import pytest


@pytest.fixture
def org(db):
    from karki.organisations.models import Organisation

    return Organisation.objects.get(slug="ita-uusimaa")


@pytest.fixture
def unit(org, pmo):
    from karki.organisations.services import create_org_unit

    return create_org_unit(organisation=org, code="OKR-TEST", name={"fi": "Testitoimiala"}, parent=None, by=pmo)


@pytest.fixture
def objective(org, unit, pmo):
    from karki.okr import services

    return services.create_objective(organisation=org, org_unit=unit, title="Asiakkaat saavat palvelun ajoissa",
                                     by=pmo, start_date=__import__("datetime").date(2025, 1, 1))


@pytest.fixture
def kr(objective, pmo):
    from datetime import date
    from decimal import Decimal

    from karki.okr import services

    return services.create_key_result(objective=objective, text="Hoitotakuu toteutuu", unit="%",
                                      baseline=Decimal("60"), target=Decimal("100"), deadline=date(2025, 12, 31),
                                      by=pmo)
