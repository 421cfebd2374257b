"""A small grant-funded plan of Itä-Uusimaa: two sub-areas, a development area, three work packages,
a state grant (at most 80 %) and own funding, two phases, three milestones."""

from datetime import date
from decimal import Decimal

import pytest


@pytest.fixture
def project(ita, pmo, measure_owner):
    from karki.projects import services

    return services.create_project(
        organisation=ita.organisation, programme=ita, code="H-TEST", name={"fi": "Testihanke", "sv": "Testprojekt"},
        by=pmo, start_date=date(2024, 1, 1), end_date=date(2025, 12, 31), owner=measure_owner, status="running")


@pytest.fixture
def plan(project, pmo):
    """The project with its structure, funders, budget and schedule."""
    from karki.projects import services

    s = services
    a = s.save_item(project=project, by=pmo, code="1", kind="sub_area", name={"fi": "Digitaaliset palvelut"})
    a1 = s.save_item(project=project, by=pmo, code="1.1", kind="dev_area", parent=a, name={"fi": "Etäpalvelut"})
    p1 = s.save_item(project=project, by=pmo, code="1.1.1", parent=a1, name={"fi": "Etävastaanotto"})
    p2 = s.save_item(project=project, by=pmo, code="1.1.2", parent=a1, name={"fi": "Chat-palvelu"})
    b = s.save_item(project=project, by=pmo, code="2", kind="sub_area", name={"fi": "Hankehallinto"})
    p3 = s.save_item(project=project, by=pmo, code="2.1", parent=b, name={"fi": "Projektinhallinta"})
    grant = s.save_funder(project=project, by=pmo, code="VA", kind="state", name={"fi": "Valtionavustus"},
                          max_share_pct=Decimal("80"))
    own = s.save_funder(project=project, by=pmo, code="OMA", kind="own", name={"fi": "Omarahoitus"})
    for item, year, kind, total in ((p1, 2024, "personnel", "100000"), (p1, 2025, "ict", "50000"),
                                    (p2, 2024, "services", "30000"), (p3, 2024, "personnel", "20000")):
        total = Decimal(total)
        s.set_budget_line(project=project, by=pmo, item=item, year=year, cost_type=kind, total_eur=total,
                          shares={grant: total * Decimal("0.8"), own: total * Decimal("0.2")})
    phase = s.save_phase(project=project, by=pmo, code="V1", name={"fi": "Suunnittelu"},
                         start_date=date(2024, 1, 1), end_date=date(2024, 6, 30))
    s.save_phase(project=project, by=pmo, code="V2", name={"fi": "Toteutus"},
                 start_date=date(2024, 7, 1), end_date=date(2025, 12, 31))
    s.save_milestone(project=project, by=pmo, code="M1", name={"fi": "Vaatimukset valmiit"},
                     due_date=date(2024, 3, 31), phase=phase, item=p1)
    s.save_milestone(project=project, by=pmo, code="M2", name={"fi": "Pilotti käynnissä"},
                     due_date=date(2024, 9, 30), item=p1)
    s.save_milestone(project=project, by=pmo, code="M3", name={"fi": "Käyttöönotto"}, due_date=date(2025, 11, 30))
    return {"project": project, "items": {"1": a, "1.1": a1, "1.1.1": p1, "1.1.2": p2, "2": b, "2.1": p3},
            "grant": grant, "own": own}
