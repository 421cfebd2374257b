"""A generated plan the size of a county's grant-funded project: 4 sub-areas, 11 development areas and
40 work packages, each package with costs in two or three years and cost types shared between a state
grant (at most 80 %) and own funding. The round-trip test and the benchmark use it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .. import services as s

SUB_AREAS = 4
DEVELOPMENT_AREAS = (3, 3, 3, 2)  # per sub-area: 11
PACKAGES = 40
COST_TYPES = ("personnel", "services", "ict", "other")


def make_plan(*, organisation, by, code: str = "H-ISO", programme=None):
    project = s.create_project(organisation=organisation, code=code, by=by, programme=programme,
                               name={"fi": "Sote-rakenneuudistuksen hanke", "sv": "Projekt för vårdreformen"},
                               start_date=date(2024, 1, 1), end_date=date(2026, 12, 31), status="running",
                               translated={"goals": {"fi": "Palvelut lähemmäs asukkaita."}})
    grant = s.save_funder(project=project, by=by, code="VA", kind="state", max_share_pct=Decimal("80"),
                          name={"fi": "Valtionavustus", "sv": "Statsunderstöd"}, funding_code="RRP")
    own = s.save_funder(project=project, by=by, code="OMA", kind="own", name={"fi": "Omarahoitus",
                                                                             "sv": "Egen finansiering"})
    areas = []
    for a in range(1, SUB_AREAS + 1):
        sub = s.save_item(project=project, by=by, code=str(a), kind="sub_area", name={"fi": f"Osa-alue {a}",
                                                                                       "sv": f"Delområde {a}"})
        for d in range(1, DEVELOPMENT_AREAS[a - 1] + 1):
            areas.append(s.save_item(project=project, by=by, code=f"{a}.{d}", kind="dev_area", parent=sub,
                                     name={"fi": f"Kehittämiskohde {a}.{d}"}))
    packages = []
    with s.limits_checked_once(project):
        for n in range(PACKAGES):
            area = areas[n % len(areas)]
            item = s.save_item(project=project, by=by, code=f"{area.code}.{n // len(areas) + 1}",
                               parent=area, name={"fi": f"Työpaketti {n + 1}"},
                               description={"fi": "Kuvaus\nkahdella rivillä"})
            packages.append(item)
            for offset, year in enumerate((2024, 2025, 2026)[: 2 + n % 2]):
                total = Decimal(10000 + 1250 * n + 500 * offset) + Decimal("0.50") * (n % 3)
                grant_part = (total * Decimal("0.75")).quantize(Decimal("0.01"))
                s.set_budget_line(project=project, by=by, item=item, year=year,
                                  cost_type=COST_TYPES[(n + offset) % 4], total_eur=total,
                                  shares={grant: grant_part, own: total - grant_part})
    v1 = s.save_phase(project=project, by=by, code="V1", name={"fi": "Suunnittelu"},
                      start_date=date(2024, 1, 1), end_date=date(2024, 6, 30))
    s.save_phase(project=project, by=by, code="V2", name={"fi": "Toteutus"},
                 start_date=date(2024, 7, 1), end_date=date(2026, 12, 31))
    for m in range(1, 6):
        s.save_milestone(project=project, by=by, code=f"M{m}", name={"fi": f"Välitavoite {m}"},
                         due_date=date(2024 + m // 3, 3 * (m % 4) + 1, 15), phase=v1 if m == 1 else None,
                         item=packages[m], owner_name="Hankepäällikkö")
    s.save_risk(project=project, by=by, code="R1", category="schedule", title={"fi": "Rekrytoinnit viivästyvät"},
                likelihood=3, impact=4, mitigation={"fi": "Aikainen haku"}, owner_name="Hankepäällikkö")
    indicator = s.save_indicator(project=project, by=by, code="I1", name={"fi": "Etäpalvelujen osuus"}, unit="%",
                                 direction="up", baseline_value=Decimal("6.76"), target_value=Decimal("30"),
                                 deadline=date(2026, 12, 31))
    s.record_indicator_value(by=by, project_indicator=indicator, measured_on=date(2024, 6, 30),
                             value=Decimal("9.5"), source="Tilastot")
    return project
