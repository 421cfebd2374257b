"""The pages that read a project plan: the lists, a project's overview, budget, schedule and indicators, the
programme's indicators and the project risks in the programme's register."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from karki.lib.formatting import format_eur

ORG = "ita-uusimaa"
P = "ita-uusimaa-2023-2026"


def eur(amount) -> str:
    return format_eur(Decimal(amount), "fi")


def url(name, code="H-TEST", **extra):
    return reverse(f"projects:{name}", kwargs={"slug": ORG, "code": code, **extra})


@pytest.fixture
def december(ita):
    from karki.monitoring.models import Period

    return Period.objects.get(programme=ita, year=2024, month=12)


@pytest.fixture
def followed(plan, pmo, december):
    """The plan with a month's follow-up: 60 000 € spent, M1 done, M2 late with a reason, the owner's
    forecast 230 000 € (30 000 € over the plan of 200 000 €)."""
    from karki.projects import services

    project, grant, own = plan["project"], plan["grant"], plan["own"]
    m1, m2 = project.milestones.get(code="M1"), project.milestones.get(code="M2")
    services.save_project_report(
        project=project, period=december, by=pmo, status="amber", forecast_total_eur=Decimal("230000"),
        milestones={m1: ("done", date(2024, 3, 28), ""), m2: ("late", None, "Toimittaja myöhässä")},
        spending={("personnel", grant): Decimal("40000"), ("personnel", own): Decimal("10000"),
                  ("ict", grant): Decimal("10000")})
    return plan


def test_smoke(client_for, pmo, followed):
    client = client_for(pmo)
    for name in ("project", "budget", "schedule", "indicators"):
        r = client.get(url(name))
        assert r.status_code == 200, name
        open(f"/tmp/projpages/{name}.html", "w").write(r.content.decode())
    r = client.get(reverse("projects:programme-projects", args=[P]))
    open("/tmp/projpages/list.html", "w").write(r.content.decode())
    assert r.status_code == 200
