"""The programme office's forms for objectives and key results: create, change (refused when someone
saved meanwhile), remove (the check-ins stay in the history), with who did it."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from karki.core.conflicts import StaleEdit
from karki.okr import services
from karki.okr.models import CheckIn, KeyResult, KeyResultMeasure, Objective
from karki.programmes.models import Programme

ORG = "ita-uusimaa"


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


@pytest.fixture
def english(client_for):
    def login(user):
        client = client_for(user)
        client.cookies["karki_language"] = "en"
        return client

    return login


def _linked_kr():
    return KeyResult.objects.filter(objective__organisation__slug=ORG, measure_links__isnull=False).first()


def test_objective_form__pmo_adds_an_objective_with_its_author(pmo, english, unit):
    response = english(pmo).post(reverse("okr:objective-create", args=[ORG]), {
        "org_unit": unit.pk, "title": "Palvelut löytyvät verkosta", "language": "fi", "start_date": "1.2.2025"})
    objective = Objective.objects.get(title="Palvelut löytyvät verkosta")
    assert response.status_code == 302 and response.url.endswith(f"#objective-{objective.pk}")
    assert (objective.org_unit, objective.start_date) == (unit, date(2025, 2, 1))
    assert objective.history.get().history_user == pmo


def test_objective_form__missing_title_and_bad_date__errors_keep_the_input(pmo, english, unit):
    response = english(pmo).post(reverse("okr:objective-create", args=[ORG]), {
        "org_unit": unit.pk, "title": "", "language": "fi", "start_date": "31.2.2025"})
    page = response.content.decode()
    assert response.status_code == 400 and "error-summary" in page
    assert 'value="31.2.2025"' in page and 'aria-invalid="true"' in page
    assert "Enter a date, for example 5.10.2025." in page


def test_objective_form__stale_edit__refused_with_the_changes_and_the_input_kept(pmo, english, objective, superuser):
    client = english(pmo)
    url = reverse("okr:objective-edit", args=[ORG, objective.pk])
    page = client.get(url).content.decode()
    opened = objective.revision
    assert f'name="revision" value="{opened}"' in page and 'value="1.1.2025"' in page
    # Meanwhile someone else renames the objective.
    services.update_objective(objective=Objective.objects.get(pk=objective.pk), org_unit=objective.org_unit,
                              title="Asiakkaat saavat palvelun viikossa", by=superuser, expected_revision=opened)
    response = client.post(url, {"org_unit": objective.org_unit_id, "title": "Oma otsikko", "language": "fi",
                                 "revision": opened})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved this after you opened it" in page
    assert "Asiakkaat saavat palvelun viikossa" in page  # what changed, in the table
    assert "Oma otsikko" in page  # what was typed is kept
    current = Objective.objects.get(pk=objective.pk)
    assert current.title == "Asiakkaat saavat palvelun viikossa"
    assert f'name="revision" value="{current.revision}"' in page
    again = client.post(url, {"org_unit": objective.org_unit_id, "title": "Oma otsikko", "language": "fi",
                              "revision": current.revision})
    assert again.status_code == 302
    assert Objective.objects.get(pk=objective.pk).title == "Oma otsikko"


def test_key_result_form__pmo_adds_a_key_result_with_links_and_owner(pmo, english, objective, measure_owner, ita):
    response = english(pmo).post(reverse("okr:key-result-create", args=[ORG, objective.pk]), {
        "objective": objective.pk, "text": "Kotihoidon kattavuus nousee 6 %:iin", "metric": "kattavuus",
        "unit": "%", "baseline": "5,2", "target": "6", "direction": "up", "deadline": "31.12.2026",
        "risk_threshold": "60", "owner": measure_owner.pk, f"measures_{ita.pk}": "3.1.a, 3.1.b"})
    kr = KeyResult.objects.get(text="Kotihoidon kattavuus nousee 6 %:iin")
    assert response.status_code == 302 and response.url == reverse("okr:key-result", args=[ORG, kr.pk])
    assert (kr.baseline, kr.target, kr.deadline, kr.risk_threshold, kr.owner) == (
        Decimal("5.2"), Decimal("6"), date(2026, 12, 31), 60, measure_owner)
    assert sorted(kr.measure_links.values_list("measure_code", flat=True)) == ["3.1.a", "3.1.b"]
    assert {h.history_user for h in KeyResultMeasure.history.filter(key_result_id=kr.pk)} == {pmo}


def test_key_result_form__unknown_measure_code__error_at_the_field_and_nothing_saved(pmo, english, objective, ita):
    response = english(pmo).post(reverse("okr:key-result-create", args=[ORG, objective.pk]), {
        "objective": objective.pk, "text": "Uusi avaintulos", "direction": "down",
        f"measures_{ita.pk}": "3.1.a, 9.9.z"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "9.9.z is not a measure of" in page
    assert f'id="id_measures_{ita.pk}_error"' in page and 'value="3.1.a, 9.9.z"' in page
    assert not KeyResult.objects.filter(text="Uusi avaintulos").exists()


def test_key_result_form__edit_shows_numbers_and_dates_as_typed_and_changes_links(pmo, english, kr, ita):
    services.set_measure_links(key_result=kr, measures=[(ita, "3.1.a"), (ita, "3.1.b")], by=pmo)
    client = english(pmo)
    url = reverse("okr:key-result-edit", args=[ORG, kr.pk])
    page = client.get(url).content.decode()
    assert 'value="60"' in page and 'value="31.12.2025"' in page and 'value="3.1.a, 3.1.b"' in page
    kr.refresh_from_db()
    response = client.post(url, {
        "objective": kr.objective_id, "text": kr.text, "unit": "%", "baseline": "60", "target": "95,5",
        "direction": "up", "deadline": "31.12.2025", f"measures_{ita.pk}": "3.1.b", "revision": kr.revision})
    assert response.status_code == 302
    kr.refresh_from_db()
    assert kr.target == Decimal("95.5")
    assert list(kr.measure_links.values_list("measure_code", flat=True)) == ["3.1.b"]
    removed = KeyResultMeasure.history.get(key_result_id=kr.pk, measure_code="3.1.a", history_type="-")
    assert removed.history_user == pmo


def test_key_result_service__stale_revision__nothing_saved(pmo, kr):
    opened = kr.revision
    services.update_key_result(key_result=KeyResult.objects.get(pk=kr.pk), by=pmo, expected_revision=opened,
                               target=Decimal("90"))
    with pytest.raises(StaleEdit) as refused:
        services.update_key_result(key_result=KeyResult.objects.get(pk=kr.pk), by=pmo, expected_revision=opened,
                                   target=Decimal("80"))
    with translation.override("en"):
        assert ("target", "100", "90") in refused.value.changes  # as a person reads them, not 100.0000
    assert KeyResult.objects.get(pk=kr.pk).target == Decimal("90")


def test_key_result_form__stale_edit__shows_what_changed(pmo, english, kr, superuser):
    client = english(pmo)
    url = reverse("okr:key-result-edit", args=[ORG, kr.pk])
    opened = kr.revision
    services.update_key_result(key_result=KeyResult.objects.get(pk=kr.pk), by=superuser,
                               expected_revision=opened, unit="prosenttia")
    response = client.post(url, {"objective": kr.objective_id, "text": "Oma teksti", "direction": "up",
                                 "revision": opened})
    page = response.content.decode()
    assert response.status_code == 400 and "Saved by someone else while you were editing" in page
    assert "prosenttia" in page and "Oma teksti" in page
    assert KeyResult.objects.get(pk=kr.pk).text == "Hoitotakuu toteutuu"


def test_key_result_form__measure_owner_of_a_linked_measure__403(measure_owner, client_for):
    kr = _linked_kr()
    client = client_for(measure_owner)
    assert client.get(reverse("okr:key-result-edit", args=[ORG, kr.pk])).status_code == 403
    page = client.get(reverse("okr:key-result", args=[ORG, kr.pk])).content.decode()
    assert reverse("okr:key-result-edit", args=[ORG, kr.pk]) not in page  # no edit link either


def test_remove_key_result__check_ins_stay_in_the_history_with_the_person(pmo, english):
    kr = _linked_kr()
    pk, count = kr.pk, kr.check_ins.count()
    client = english(pmo)
    page = client.get(reverse("okr:key-result-delete", args=[ORG, pk])).content.decode()
    assert f"{count} check-ins are removed with it" in page
    response = client.post(reverse("okr:key-result-delete", args=[ORG, pk]), {"revision": kr.revision})
    assert response.status_code == 302
    assert not KeyResult.objects.filter(pk=pk).exists() and not CheckIn.objects.filter(key_result_id=pk).exists()
    removed = CheckIn.history.filter(key_result_id=pk, history_type="-")
    assert removed.count() == count and {h.history_user for h in removed} == {pmo}
    assert KeyResult.history.get(id=pk, history_type="-").history_user == pmo
    assert KeyResultMeasure.history.filter(key_result_id=pk, history_type="-").exists()


def test_remove_objective__stale_revision__refused_and_kept(pmo, english, objective, kr):
    services.update_objective(objective=objective, org_unit=objective.org_unit, title="Uusi", by=pmo,
                              expected_revision=objective.revision)
    response = english(pmo).post(reverse("okr:objective-delete", args=[ORG, objective.pk]), {"revision": "1"})
    assert response.status_code == 409 and "Someone else saved this" in response.content.decode()
    assert Objective.objects.filter(pk=objective.pk).exists()
    response = english(pmo).post(reverse("okr:objective-delete", args=[ORG, objective.pk]),
                                 {"revision": Objective.objects.get(pk=objective.pk).revision})
    assert response.status_code == 302
    assert not Objective.objects.filter(pk=objective.pk).exists() and not KeyResult.objects.filter(pk=kr.pk).exists()


def test_overview__pmo_sees_the_forms_viewer_does_not(pmo, viewer, client_for, objective):
    add = reverse("okr:key-result-create", args=[ORG, objective.pk])
    assert add in client_for(pmo).get(reverse("okr:overview", args=[ORG])).content.decode()
    assert add not in client_for(viewer).get(reverse("okr:overview", args=[ORG])).content.decode()


def test_key_result_form__owner_from_another_organisation__refused(pmo, english, objective, outsider):
    response = english(pmo).post(reverse("okr:key-result-create", args=[ORG, objective.pk]), {
        "objective": objective.pk, "text": "Avaintulos", "direction": "up", "owner": outsider.pk})
    assert response.status_code == 400  # not offered: a choice outside the organisation's people
    assert not KeyResult.objects.filter(text="Avaintulos", objective=objective).exists()


def test_key_result_form__multiple_programmes__one_input_each(pmo, english, objective, ita):
    assert Programme.objects.filter(organisation=ita.organisation).count() == 1
    page = english(pmo).get(reverse("okr:key-result-create", args=[ORG, objective.pk])).content.decode()
    assert f'name="measures_{ita.pk}"' in page and "Linked measures" in page


def test_objective_create__malformed_org_unit_in_the_address__form_without_it(client_for, pmo):
    response = client_for(pmo).get(reverse("okr:objective-create", args=[ORG]) + "?unit=%C2%B2")
    assert response.status_code == 200
    assert response.context["form"].initial.get("org_unit") is None
