"""The pages that read a project plan: the lists, a project's overview, budget, schedule and indicators, the
programme's indicators and the project risks in the programme's register."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from karki.lib.formatting import format_eur, format_percent

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


@pytest.fixture
def approved(ita, pmo, plan, draft):
    """Version 3 of Itä-Uusimaa approved with the project H-TEST carrying measure 3.1.a, a share of a grant
    allocated to it, and a programme indicator (with two measured values)."""
    from karki.programmes import models as pm
    from karki.programmes import services as ps
    from karki.projects import services

    listed = ps.create_content(version=draft, model=pm.Project, by=pmo, values={"code": "H-TEST"},
                               translations={"name": {"fi": "Testihanke"}})
    ps.create_content(version=draft, model=pm.ProjectMeasure, by=pmo,
                      values={"project": listed, "measure": pm.Measure.objects.get(version=draft, code="3.1.a")})
    funding = ps.create_content(version=draft, model=pm.Funding, by=pmo,
                                values={"code": "VR", "kind": "grant", "total_eur": Decimal("10900000")},
                                translations={"name": {"fi": "Vakauttamisraha"}})
    ps.create_content(version=draft, model=pm.FundingAllocation, by=pmo,
                      values={"funding": funding, "project": listed, "amount_eur": Decimal("160000")})
    ps.create_content(version=draft, model=pm.Indicator, by=pmo,
                      values={"code": "K1", "unit": "M€", "baseline_value": Decimal("0"), "baseline_year": 2023,
                              "target_value": Decimal("27.6"), "deadline": date(2026, 12, 31)},
                      translations={"name": {"fi": "Toteutuneet säästöt"}})
    ps.approve_version(version=draft, by=pmo)
    for day, value in ((date(2024, 6, 30), "3.1"), (date(2024, 12, 31), "8.4")):
        services.record_indicator_value(by=pmo, measured_on=day, value=Decimal(value), source="Kirjanpito",
                                        programme=ita, indicator_code="K1")
    return draft


# -- the lists -------------------------------------------------------------------------------------------


def test_programme_projects__pmo__the_answer_first_then_the_table_with_totals(client_for, pmo, followed):
    page = client_for(pmo).get(reverse("projects:programme-projects", args=[P])).content.decode()
    assert 'aria-current="page">Hankkeet<' in page  # the programme's own "Projects" place
    assert "Testihanke" in page and url("project") in page
    assert page.count(eur(200000)) >= 3  # the first screen, the row and the totals row
    assert eur(60000) in page and format_percent(Decimal(30), "fi") in page  # spent, of the plan
    assert "<strong>✖ 2</strong>" in page  # late milestones
    assert "Yhteensä, 1 hanke" in page
    assert reverse("projects:project-create", args=[ORG]) in page
    assert reverse("projects:organisation-import", args=[ORG]) in page


def test_programme_projects__viewer__reads_without_the_buttons(client_for, viewer, followed):
    page = client_for(viewer).get(reverse("projects:programme-projects", args=[P])).content.decode()
    assert "Testihanke" in page and eur(60000) in page
    assert reverse("projects:project-create", args=[ORG]) not in page


def test_organisation_projects__measure_owner__lists_the_projects_with_the_measures_they_carry(
        client_for, measure_owner, followed, approved):
    page = client_for(measure_owner).get(reverse("projects:organisation-projects", args=[ORG])).content.decode()
    assert "Testihanke" in page
    assert reverse("programmes:measure-detail", args=[P, approved.number, "3.1.a"]) in page


# -- one project -----------------------------------------------------------------------------------------


def test_project__pmo__money_forecast_and_late_milestones_with_their_reasons_first(
        client_for, pmo, followed, approved, django_assert_max_num_queries):
    client = client_for(pmo)
    with django_assert_max_num_queries(30):
        response = client.get(url("project"))
    page = response.content.decode()
    answer = page[page.index('id="answer-title"'):page.index('id="facts-title"')]
    assert eur(60000) in answer and eur(200000) in answer
    assert eur(230000) in answer and eur(30000) in answer  # forecast at completion, over the plan
    assert "Toimittaja myöhässä" in answer  # the reason given for the late milestone
    assert "M2" in answer and "M3" in answer
    assert reverse("programmes:measure-detail", args=[P, approved.number, "3.1.a"]) in page
    assert "Vakauttamisraha" in page and eur(160000) in page
    assert format_percent(Decimal(80), "fi") in page  # the grant's allowed share
    assert url("project-edit") in page and url("follow-up") in page and url("funder-reports") in page


def test_project__viewer__reads_without_edit_links(client_for, viewer, followed):
    page = client_for(viewer).get(url("project")).content.decode()
    assert eur(230000) in page
    assert url("project-edit") not in page and url("risks-edit") not in page


def test_budget__the_structure_rolled_up_by_year_and_funder_with_levels_in_words(
        client_for, measure_owner, followed, django_assert_max_num_queries):
    client = client_for(measure_owner)
    with django_assert_max_num_queries(25):
        page = client.get(url("budget")).content.decode()
    assert page.count('<th scope="row">') >= 7  # six items and the totals row
    assert "Osa-alue, taso 1" in page and "Kehittämiskohde, taso 2" in page and "Työpaketti, taso 3" in page
    row = page[page.index("1.1 Etäpalvelut"):]
    row = row[:row.index("</tr>")]
    assert eur(130000) in row and eur(180000) in row and eur(144000) in row  # 2024, total, the grant
    assert 'role="region"' in page and 'tabindex="0"' in page
    types = page[page.index('id="cost-types-title"'):]
    personnel = types[types.index("<th scope=\"row\">Henkilöstö<"):]
    personnel = personnel[:personnel.index("</tr>")]
    assert eur(120000) in personnel and eur(50000) in personnel and eur(70000) in personnel  # planned, spent, left


def test_schedule__a_drawing_with_today_and_the_same_as_a_table(client_for, viewer, followed):
    page = client_for(viewer).get(url("schedule")).content.decode()
    assert page.count("<svg") == 1 and 'class="phase-bar"' in page and "milestone-late" in page
    table = page[page.index('id="schedule-table-title"'):]
    assert "✖ Myöhässä" in table and "✔ Valmis" in table and "Toimittaja myöhässä" in table
    assert "28.3.2024" in table and "30.9.2024" in table


def test_indicators__values_over_time_as_a_chart_and_a_table(client_for, pmo, followed):
    from karki.projects import services

    project = followed["project"]
    indicator = services.save_indicator(project=project, by=pmo, code="I1", name={"fi": "Etäkäyntien osuus"},
                                        unit="%", baseline_value=Decimal("4"), baseline_date=date(2023, 12, 31),
                                        target_value=Decimal("30"), deadline=date(2025, 12, 31))
    for day, value in ((date(2024, 6, 30), "6"), (date(2024, 12, 31), "9.5")):
        services.record_indicator_value(by=pmo, measured_on=day, value=Decimal(value), source="Asiakastietojärjestelmä",
                                        project_indicator=indicator)
    page = client_for(pmo).get(url("indicators")).content.decode()
    assert "<svg" in page and 'class="target-line"' in page
    assert "9,5 %" in page and "31.12.2024" in page and "Asiakastietojärjestelmä" in page
    assert url("indicator-value-create", indicator="I1") in page


def test_programme_indicators__the_approved_versions_indicators_with_their_values(client_for, viewer, approved):
    page = client_for(viewer).get(reverse("projects:programme-indicators", args=[P])).content.decode()
    assert "Toteutuneet säästöt" in page and "<svg" in page
    assert "8,4 M€" in page and "30.6.2024" in page and "Kirjanpito" in page
    overview = client_for(viewer).get(reverse("programmes:programme-detail", args=[P])).content.decode()
    assert reverse("projects:programme-indicators", args=[P]) in overview


def test_risk_register__lists_the_projects_risks_in_their_own_section(client_for, viewer, pmo, plan):
    from karki.projects import services

    services.save_risk(project=plan["project"], by=pmo, code="HR1", title={"fi": "Toimittajan viivästys"},
                       category="schedule", likelihood=4, impact=4, owner_name="Hankepäällikkö")
    page = client_for(viewer).get(reverse("programmes:risks-latest", args=[P])).content.decode()
    section = page[page.index('id="project-risks-title"'):]
    assert "Toimittajan viivästys" in section and "Hankepäällikkö" in section and ">16<" in section
    assert url("project") in section


@pytest.mark.parametrize("name", ["project", "budget", "schedule", "indicators"])
def test_project_pages__outsider__not_found(client_for, outsider, plan, name):
    assert client_for(outsider).get(url(name)).status_code == 404


@pytest.mark.parametrize("address", [f"/programmes/{P}/projects/", f"/organisations/{ORG}/projects/",
                                     f"/programmes/{P}/indicators/"])
def test_lists__outsider__not_found(client_for, outsider, plan, address):
    assert client_for(outsider).get(address).status_code == 404


def test_programme_overview__the_grant_allocation_names_the_project_that_spends_it(client_for, kym):
    from django.contrib.auth import get_user_model

    page = client_for(get_user_model().objects.get(username="viewer.kymenlaakso")).get(
        f"/programmes/{kym.slug}/").content.decode()
    assert "Käyttää hanke" in page and "/organisations/kymenlaakso/projects/DIGI-1/" in page
