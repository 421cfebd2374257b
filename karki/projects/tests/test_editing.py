"""Keeping a project plan through its forms: what the project office and a project's owner notice."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from karki.lib import dates
from karki.projects import services
from karki.projects.models import BudgetLine, IndicatorValue, WorkItem


def _text(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ").replace("&nbsp;", " ")


def _url(name, project, **extra):
    return reverse(f"projects:{name}", kwargs={"slug": project.organisation.slug, "code": project.code, **extra})


def _grid(plan, item, rows, **extra):
    """POST data of the budget grid: rows {(year, cost type): (total, grant, own)}; every other row empty."""
    project = plan["project"]
    data = {"item": str(item.pk), "fingerprint": extra.pop("fingerprint", None)}
    for year in project.years:
        for cost_type in ("personnel", "services", "ict", "other"):
            total, grant, own = rows.get((year, cost_type), ("", "", ""))
            prefix = f"r{year}_{cost_type}"
            data[f"{prefix}_total"] = total
            data[f"{prefix}_f{plan['grant'].pk}"] = grant
            data[f"{prefix}_f{plan['own'].pk}"] = own
    data.update(extra)
    return data


def _fingerprint(client, plan, item) -> str:
    page = client.get(_url("budget-edit", plan["project"]) + f"?item={item.pk}")
    assert page.status_code == 200
    return page.context["form"].fingerprint


def test_budget_grid__stored_lines_show_in_finnish_format(plan, client_for, pmo):
    client = client_for(pmo)
    item = plan["items"]["1.1.1"]
    page = client.get(_url("budget-edit", plan["project"]) + f"?item={item.pk}")
    text = _text(page)
    assert page.status_code == 200
    assert 'value="100 000"' in text and 'value="80 000"' in text
    assert "Testihanke" in text


def test_budget_grid__default_item_is_first_work_package_without_lines(plan, client_for, pmo):
    services.save_item(project=plan["project"], by=pmo, code="2.2", parent=plan["items"]["2"],
                       name={"fi": "Viestintä"})
    page = client_for(pmo).get(_url("budget-edit", plan["project"]))
    assert page.context["item"].code == "2.2"


def test_budget_grid__shares_not_adding_up__message_on_the_row_and_nothing_saved(plan, client_for, pmo):
    client = client_for(pmo)
    item = plan["items"]["1.1.2"]
    data = _grid(plan, item, {
        (2024, "services"): ("40 000", "32 000", "8 000"),          # fine on its own
        (2025, "services"): ("2 870 000", "2,3 M€", "600 000"),     # 2,3 M€ + 0,6 M€ is not 2,87 M€
    }, fingerprint=_fingerprint(client, plan, item))
    response = client.post(_url("budget-edit", plan["project"]), data)
    assert response.status_code == 400
    text = _text(response)
    # The row's message in Finnish, next to the row and in the summary: what the shares add up to.
    assert "2025 Palvelujen ostot: Rahoittajien osuudet ovat yhteensä 2 900 000 €" in text
    assert "rivin kokonaiskustannus on 2 870 000 €" in text
    # Nothing of the grid was saved, not even the row that was fine on its own.
    line = BudgetLine.objects.get(item=item, year=2024, cost_type="services")
    assert line.total_eur == Decimal("30000")
    assert not BudgetLine.objects.filter(item=item, year=2025).exists()
    # Everything typed is still in the boxes.
    assert 'value="2,3 M€"' in text and 'value="40 000"' in text and 'value="2 870 000"' in text


def test_budget_grid__grant_above_its_allowed_share__refused(plan, client_for, pmo):
    client = client_for(pmo)
    item = plan["items"]["2.1"]
    data = _grid(plan, item, {(2024, "personnel"): ("20 000", "20 000", ""),
                              (2025, "other"): ("500 000", "500 000", "")},
                 fingerprint=_fingerprint(client, plan, item))
    response = client.post(_url("budget-edit", plan["project"]), data)
    assert response.status_code == 400
    text = _text(response)
    assert "Valtionavustus" in text and "80 %" in text
    assert not BudgetLine.objects.filter(item=item, year=2025).exists()
    assert BudgetLine.objects.get(item=item, year=2024, cost_type="personnel").shares.count() == 2


def test_budget_grid__saved_rows_and_a_removed_line(plan, client_for, pmo):
    client = client_for(pmo)
    item = plan["items"]["1.1.1"]
    data = _grid(plan, item, {(2024, "personnel"): ("100 000", "80 000", "20 000"),
                              (2025, "ict"): ("50 000", "40 000", "10 000"),
                              (2025, "services"): ("1 234 567,50", "987 654", "246 913,50")},
                 fingerprint=_fingerprint(client, plan, item), r2025_ict_remove="on")
    response = client.post(_url("budget-edit", plan["project"]), data)
    assert response.status_code == 302
    assert response["Location"].startswith(_url("budget", plan["project"]))
    lines = {(line.year, line.cost_type): line.total_eur for line in BudgetLine.objects.filter(item=item)}
    assert lines == {(2024, "personnel"): Decimal("100000"), (2025, "services"): Decimal("1234567.50")}


def test_budget_grid__changed_by_someone_else_meanwhile__conflict_and_nothing_saved(plan, client_for, pmo):
    client = client_for(pmo)
    item = plan["items"]["1.1.1"]
    opened = _fingerprint(client, plan, item)
    services.set_budget_line(project=plan["project"], by=pmo, item=item, year=2024, cost_type="personnel",
                             total_eur=Decimal("110000"), shares={plan["grant"]: Decimal("88000"),
                                                                  plan["own"]: Decimal("22000")})
    data = _grid(plan, item, {(2024, "personnel"): ("90 000", "72 000", "18 000"),
                              (2025, "ict"): ("50 000", "40 000", "10 000")}, fingerprint=opened)
    response = client.post(_url("budget-edit", plan["project"]), data)
    assert response.status_code == 400
    assert "Joku muu tallensi muutoksia" in _text(response)
    assert BudgetLine.objects.get(item=item, year=2024, cost_type="personnel").total_eur == Decimal("110000")
    assert 'value="90 000"' in _text(response)


def test_project_edit__owner_edits_their_own_project(plan, client_for, measure_owner):
    project = plan["project"]
    client = client_for(measure_owner)
    page = client.get(_url("project-edit", project))
    assert page.status_code == 200
    data = {"code": project.code, "name_fi": "Testihanke uusi", "status": "running", "start_date": "1.1.2024",
            "end_date": "31.12.2025", "owner": measure_owner.pk, "programme": project.programme_id,
            "goals_fi": "Etäpalvelut käyttöön.", "revision": project.revision}
    response = client.post(_url("project-edit", project), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name_fi == "Testihanke uusi" and project.goals_fi == "Etäpalvelut käyttöön."


def test_project_edit__another_owner_403_outsider_404(plan, client_for, django_user_model, outsider):
    from karki.accounts.models import Membership

    other = django_user_model.objects.create_user(username="toinen.omistaja", password="x")
    Membership.objects.create(user=other, organisation=plan["project"].organisation, role="measure_owner")
    assert client_for(other).get(_url("project-edit", plan["project"])).status_code == 403
    assert client_for(other).get(_url("budget-edit", plan["project"])).status_code == 403
    assert client_for(outsider).get(_url("project-edit", plan["project"])).status_code == 404
    assert client_for(outsider).get(_url("structure-edit", plan["project"])).status_code == 404


def test_project_edit__stale_edit__shows_the_conflict_and_keeps_input(plan, client_for, pmo, measure_owner):
    project = plan["project"]
    opened = project.revision
    services.update_project(project=project, by=pmo, code=project.code, name={"fi": "Toisen nimi"},
                            start_date=project.start_date, end_date=project.end_date, status="running",
                            programme=project.programme, owner=project.owner)
    data = {"code": project.code, "name_fi": "Oma nimi", "status": "running", "start_date": "1.1.2024",
            "end_date": "31.12.2025", "owner": measure_owner.pk, "revision": opened}
    response = client_for(measure_owner).post(_url("project-edit", project), data)
    assert response.status_code == 400
    text = _text(response)
    assert "Toisen nimi" in text and 'value="Oma nimi"' in text
    project.refresh_from_db()
    assert project.name_fi == "Toisen nimi"


def test_project_create__by_the_programme_office(ita, client_for, pmo):
    url = reverse("projects:project-create", kwargs={"slug": ita.organisation.slug})
    data = {"code": "H-UUSI", "name_fi": "Uusi hanke", "name_sv": "Nytt projekt", "status": "planned",
            "start_date": "1.3.2025", "end_date": "28.2.2027", "programme": ita.pk}
    response = client_for(pmo).post(url, data)
    assert response.status_code == 302
    project = ita.organisation.projects.get(code="H-UUSI")
    assert project.programme == ita and project.end_date == date(2027, 2, 28)


def test_project_create__measure_owner_refused(ita, client_for, measure_owner):
    url = reverse("projects:project-create", kwargs={"slug": ita.organisation.slug})
    assert client_for(measure_owner).get(url).status_code == 403


def test_structure__three_levels_entered_through_the_form(project, client_for, pmo):
    client = client_for(pmo)
    url = _url("structure-edit", project)
    assert client.post(url, {"what": "item", "item-code": "1", "item-kind": "sub_area",
                             "item-name_fi": "Digitaaliset palvelut"}).status_code == 302
    sub_area = WorkItem.objects.get(project=project, code="1")
    assert client.post(url, {"what": "item", "item-code": "1.1", "item-kind": "dev_area", "item-parent": sub_area.pk,
                             "item-name_fi": "Etäpalvelut"}).status_code == 302
    area = WorkItem.objects.get(project=project, code="1.1")
    assert client.post(url, {"what": "item", "item-code": "1.1.1", "item-kind": "package", "item-parent": area.pk,
                             "item-name_fi": "Etävastaanotto"}).status_code == 302
    package = WorkItem.objects.get(project=project, code="1.1.1")
    assert package.parent == area and area.parent == sub_area
    page = client.get(url)
    text = _text(page)
    assert text.index("Digitaaliset palvelut") < text.index("Etäpalvelut") < text.index("Etävastaanotto")


def test_structure__duplicate_code_refused_with_input_kept(plan, client_for, pmo):
    response = client_for(pmo).post(_url("structure-edit", plan["project"]), {
        "what": "item", "item-code": "1.1", "item-kind": "package", "item-name_fi": "Kaksoiskappale"})
    assert response.status_code == 400
    assert "1.1" in _text(response) and 'value="Kaksoiskappale"' in _text(response)


def test_structure__remove_asks_first_and_names_the_parts_and_lines(plan, client_for, pmo):
    client = client_for(pmo)
    item = plan["items"]["1"]
    url = _url("structure-edit", plan["project"])
    page = client.get(url + f"?remove=item-{item.pk}")
    text = _text(page)
    assert "osien (3)" in text and "talousarviorivien (3)" in text
    assert WorkItem.objects.filter(pk=item.pk).exists()
    response = client.post(url, {"what": "item", "item": item.pk, "action": "remove"})
    assert response.status_code == 302
    assert not WorkItem.objects.filter(project=plan["project"], code__startswith="1").exists()
    assert BudgetLine.objects.filter(project=plan["project"]).count() == 1


def test_funders__a_limit_below_what_the_grant_pays__refused(plan, client_for, pmo):
    grant = plan["grant"]
    response = client_for(pmo).post(_url("funders-edit", plan["project"]), {
        "what": "funder", "funder": grant.pk, "funder-code": "VA", "funder-kind": "state",
        "funder-name_fi": "Valtionavustus", "funder-max_share_pct": "50"})
    assert response.status_code == 400
    assert "50 %" in _text(response)
    grant.refresh_from_db()
    assert grant.max_share_pct == Decimal("80")


def test_schedule__milestone_outside_the_project__refused(plan, client_for, pmo):
    response = client_for(pmo).post(_url("schedule-edit", plan["project"]), {
        "what": "milestone", "milestone-code": "M9", "milestone-name_fi": "Myöhäinen",
        "milestone-due_date": "31.3.2026"})
    assert response.status_code == 400
    assert "31.12.2025" in _text(response)


def test_risks_and_indicators__added(plan, client_for, measure_owner):
    client = client_for(measure_owner)
    project = plan["project"]
    assert client.post(_url("risks-edit", project), {
        "what": "risk", "risk-code": "R1", "risk-category": "schedule", "risk-title_fi": "Toimittaja myöhästyy",
        "risk-likelihood": "3", "risk-impact": "4", "risk-owner": measure_owner.pk}).status_code == 302
    assert project.risks.get(code="R1").score == 12
    assert client.post(_url("indicators-edit", project), {
        "what": "indicator", "indicator-code": "I1", "indicator-name_fi": "Etäkäyntien osuus",
        "indicator-unit": "%", "indicator-baseline_value": "5,2", "indicator-target_value": "20",
        "indicator-deadline": "31.12.2025"}).status_code == 302
    assert project.indicators.get(code="I1").baseline_value == Decimal("5.2")


def test_indicator_value__future_date_refused_past_recorded(plan, client_for, pmo):
    project = plan["project"]
    indicator = services.save_indicator(project=project, by=pmo, code="I1", name={"fi": "Etäkäynnit"})
    client = client_for(pmo)
    url = _url("indicator-value-create", project, indicator="I1")
    tomorrow = dates.today() + timedelta(days=1)
    response = client.post(url, {"measured_on": f"{tomorrow.day}.{tomorrow.month}.{tomorrow.year}", "value": "7"})
    assert response.status_code == 400 and "Mitattua arvoa ei voi päivätä tulevaisuuteen" in _text(response)
    response = client.post(url, {"measured_on": "31.3.2025", "value": "6,76", "source": "Apotti"})
    assert response.status_code == 302
    assert indicator.values.get().value == Decimal("6.76")


def test_programme_indicator_value__finance_records_viewer_refused(kym, client_for, pmo):
    """Kymenlaakso's approved programme has indicators (I1: the savings target); Itä-Uusimaa's has none."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    finance, viewer = users.get(username="finance.kymenlaakso"), users.get(username="viewer.kymenlaakso")
    url = reverse("projects:programme-indicator-value-create", kwargs={"slug": kym.slug, "indicator": "I1"})
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(pmo).get(url).status_code == 404  # another county's programme office
    assert client_for(finance).get(url.replace("/I1/", "/I99/")).status_code == 404
    response = client_for(finance).post(url, {"measured_on": "31.12.2024", "value": "1 827", "source": "Talous"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(programme=kym, indicator_code="I1")
    assert value.value == Decimal("1827") and value.recorded_by == finance


def test_structure__row_saved_by_someone_else_meanwhile__refused_then_replaced_on_purpose(plan, client_for, pmo,
                                                                                        measure_owner):
    """Two people open the same item; the second save does not silently overwrite the first."""
    import re

    from karki.projects import services

    item = plan["items"]["1.1.2"]
    url = _url("structure-edit", plan["project"])
    opened = _text(client_for(measure_owner).get(url + f"?item={item.pk}"))
    fingerprint = re.search(r'name="row_fingerprint" value="([0-9a-f]+)"', opened).group(1)
    services.save_item(project=plan["project"], by=pmo, code="1.1.2", kind="package", parent=item.parent,
                       name={"fi": "Chat ja chatbot"}, item=item)
    mine = {"what": "item", "item": item.pk, "row_fingerprint": fingerprint, "item-code": "1.1.2",
            "item-kind": "package", "item-parent": item.parent_id, "item-name_fi": "Chat-palvelu ja takaisinsoitto"}
    response = client_for(measure_owner).post(url, mine)
    assert response.status_code == 400
    text = _text(response)
    assert "Nothing was saved" in text or "Mitään ei tallennettu" in text
    assert 'value="Chat-palvelu ja takaisinsoitto"' in text  # what was typed is kept
    item.refresh_from_db()
    assert item.name_fi == "Chat ja chatbot"
    again = re.search(r'name="row_fingerprint" value="([0-9a-f]+)"', text).group(1)
    assert client_for(measure_owner).post(url, {**mine, "row_fingerprint": again}).status_code == 302
    item.refresh_from_db()
    assert item.name_fi == "Chat-palvelu ja takaisinsoitto"
