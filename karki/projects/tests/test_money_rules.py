"""The money rules of a plan, refused with a message that says what to fix."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from karki.projects import reading, services
from karki.projects.rules import stated_total_errors


def _said(error) -> str:
    return " ".join(error.value.messages).replace("\u202f", " ").replace("\xa0", " ")


def test_plan__rolls_up_through_the_structure(plan):
    rolled = reading.plan(plan["project"])
    by_code = {row.item.code: row for row in rolled.rows}
    assert rolled.planned_eur == Decimal("200000")
    assert by_code["1"].planned_eur == Decimal("180000")
    assert by_code["1.1"].by_year == {2024: Decimal("130000"), 2025: Decimal("50000")}
    assert [row.depth for row in rolled.rows] == [0, 1, 2, 2, 0, 1]
    assert rolled.by_funder[plan["grant"].pk] == Decimal("160000")
    assert rolled.funder_share_pct(plan["grant"]) == Decimal("80")


def test_budget_line__shares_not_adding_up__refused(plan, pmo):
    with pytest.raises(ValidationError) as error:
        services.set_budget_line(project=plan["project"], by=pmo, item=plan["items"]["1.1.2"], year=2025,
                                 cost_type="services", total_eur=Decimal("2870000"),
                                 shares={plan["grant"]: Decimal("2300000"), plan["own"]: Decimal("600000")})
    assert "2 900 000 €" in _said(error) and "2 870 000 €" in _said(error)
    assert plan["project"].budget_lines.filter(year=2025, cost_type="services").count() == 0


def test_budget_line__grant_above_allowed_share__refused_and_nothing_saved(plan, pmo):
    with pytest.raises(ValidationError) as error:
        services.set_budget_line(project=plan["project"], by=pmo, item=plan["items"]["2.1"], year=2025,
                                 cost_type="other", total_eur=Decimal("100000"),
                                 shares={plan["grant"]: Decimal("100000")})
    assert "Valtionavustus" in _said(error) and "80 %" in _said(error)
    assert not plan["project"].budget_lines.filter(year=2025, cost_type="other").exists()


def test_budget_line__year_outside_the_project__refused(plan, pmo):
    with pytest.raises(ValidationError) as error:
        services.set_budget_line(project=plan["project"], by=pmo, item=plan["items"]["2.1"], year=2026,
                                 cost_type="other", total_eur=Decimal("10"), shares={plan["own"]: Decimal("10")})
    assert "2026" in _said(error) and "2024–2025" in _said(error)


def test_budget_line__replaced_in_place__keeps_one_line(plan, pmo):
    item = plan["items"]["2.1"]
    services.set_budget_line(project=plan["project"], by=pmo, item=item, year=2024, cost_type="personnel",
                             total_eur=Decimal("25000"), shares={plan["grant"]: Decimal("20000"),
                                                                 plan["own"]: Decimal("5000")})
    line = item.budget_lines.get(year=2024, cost_type="personnel")
    assert line.total_eur == Decimal("25000") and line.shares.count() == 2
    assert line.history.first().history_user == pmo


def test_funder_limit_lowered_below_what_it_pays__refused(plan, pmo):
    with pytest.raises(ValidationError) as error:
        services.save_funder(project=plan["project"], by=pmo, code="VA", kind="state", funder=plan["grant"],
                             name={"fi": "Valtionavustus"}, max_share_pct=Decimal("50"))
    assert "50 %" in _said(error)


def test_project_dates_shortened_below_its_budget__refused(plan, pmo):
    from datetime import date

    project = plan["project"]
    with pytest.raises(ValidationError) as error:
        services.update_project(project=project, by=pmo, code=project.code, name={"fi": "Testihanke"},
                                start_date=date(2024, 1, 1), end_date=date(2024, 12, 31), status="running",
                                programme=project.programme, owner=project.owner)
    assert "2025" in _said(error)


@pytest.mark.parametrize(("total", "grant", "own", "field"), [
    ("2870000", "2300000", "600000", "total"),     # 2,30 + 0,60 is not 2,87
    ("2240000", "3000000", None, "grant"),          # a grant above the total
])
def test_stated_total__not_adding_up__names_the_field(total, grant, own, field):
    errors = stated_total_errors(total=Decimal(total), grant=Decimal(grant), own=Decimal(own) if own else None)
    assert list(errors) == [field]


def test_programme_project_list__stated_shares_not_adding_up__refused(draft, pmo):
    from karki.programmes import services as programme_services
    from karki.programmes.models import Project

    with pytest.raises(ValidationError) as error:
        programme_services.create_content(version=draft, model=Project, by=pmo, values={
            "code": "P9", "total_cost_eur": Decimal("2870000"), "grant_share_eur": Decimal("2300000"),
            "own_share_eur": Decimal("600000")}, translations={"name": {"fi": "Hanke"}})
    assert "total_cost_eur" in error.value.message_dict


def test_follow_up__milestones_and_spending(plan, pmo, measure_owner):
    from datetime import date

    from karki.monitoring import services as monitoring

    project = plan["project"]
    period = monitoring.open_period(programme=project.programme, year=2025, month=1, by=pmo)
    m1, m2 = project.milestones.get(code="M1"), project.milestones.get(code="M2")
    report = services.save_project_report(
        project=project, period=period, by=measure_owner, status="amber", narrative="Pilotti viivästyi.",
        milestones={m1: ("done", date(2024, 3, 28), ""), m2: ("late", None, "Toimittaja myöhässä")},
        spending={("personnel", plan["grant"]): Decimal("40000"), ("personnel", plan["own"]): Decimal("10000")},
        submit=True)
    assert report.state == "submitted"
    money = reading.money(project, period)
    assert money.spent_eur == Decimal("50000") and money.remaining_eur == Decimal("150000")
    standing = {s.milestone.code: s for s in reading.standings(project, period)}
    assert standing["M1"].status == "done" and standing["M2"].status == "late" and standing["M2"].reported
    assert standing["M3"].status == "on_time" and not standing["M3"].reported
    with pytest.raises(ValidationError):
        services.save_project_report(project=project, period=period, by=measure_owner, status="amber",
                                     milestones={m2: ("at_risk", None, "")})


def test_measure_page__names_the_project_that_carries_it(client, kym):
    """Kymenlaakso's sample project is in the programme's project list with the measures it carries."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="viewer.kymenlaakso"))
    page = client.get(f"/programmes/{kym.slug}/v/1/measures/1.2.a/").content.decode()
    assert "/organisations/kymenlaakso/projects/DIGI-1/" in page and "Esimerkkihanke" in page
