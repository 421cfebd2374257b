"""A project's history: every change to its plan and follow-up, with who made it and when."""

from decimal import Decimal

from django.urls import reverse

from karki.projects import services


def _url(project):
    return reverse("projects:history", args=[project.organisation.slug, project.code])


def test_project_history__budget_change__shows_who_old_and_new(plan, pmo, client):
    project, item = plan["project"], plan["items"]["2.1"]
    services.set_budget_line(project=project, by=pmo, item=item, year=2024, cost_type="personnel",
                             total_eur=Decimal("25000"), shares={plan["grant"]: Decimal("20000"),
                                                                 plan["own"]: Decimal("5000")})
    client.force_login(pmo)
    page = client.get(_url(project)).content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert "Muutoshistoria" in page or "History of changes" in page
    assert "20 000 €" in page and "25 000 €" in page  # old → new of the line's total
    assert pmo.get_full_name() in page


def test_project_history__removed_line__still_listed(plan, pmo, client):
    project = plan["project"]
    line = project.budget_lines.get(item__code="2.1")
    services.delete_budget_line(line=line, by=pmo)
    client.force_login(pmo)
    page = client.get(_url(project)).content.decode()
    assert page.count("Poistettu") + page.count("Deleted") >= 2  # the line and its shares


def test_project_history__outsider__not_found(plan, outsider, client):
    client.force_login(outsider)
    assert client.get(_url(plan["project"])).status_code == 404
