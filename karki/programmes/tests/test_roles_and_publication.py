"""Roles in the browser: publication to other organisations, owners, risks, removal and stale forms."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from karki.programmes import services
from karki.programmes.models import Measure, MeasureDependency, ProgrammeVersion, Risk, Theme

P = "/programmes/ita-uusimaa-2023-2026"


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def v2(ita):
    return ProgrammeVersion.objects.get(programme=ita, number=2)


# -- Publication ------------------------------------------------------------------------------


def test_publication__outsider_reads_only_the_published_version(client_for, pmo, outsider, v2, draft):
    client = client_for(pmo)
    assert client.post(f"{P}/v/2/publication/", {"confirm": "yes"}).status_code == 302
    reader = client_for(outsider)
    listing = reader.get("/programmes/").content.decode()
    assert "Itä-Uudenmaan" in listing and "2 (hyväksytty)" in listing and "3 (" not in listing
    page = reader.get(f"{P}/")
    assert page.status_code == 200 and page.context["version"].number == 2
    assert [v.number for v in page.context["versions"]] == [2]
    assert "on julkaissut" in page.content.decode()
    assert reader.get(f"{P}/v/2/measures/3.1.a/").status_code == 200
    for hidden in (f"{P}/v/1/", f"{P}/v/3/", f"{P}/v/3/measures/3.1.a/", f"{P}/v/2/measures/3.1.a/history/",
                   f"{P}/history/", f"{P}/history/export.csv", "/api/v1/programmes/ita-uusimaa-2023-2026/history/"):
        assert reader.get(hidden).status_code == 404, hidden
    api = reader.get("/api/v1/programmes/ita-uusimaa-2023-2026/").json()
    assert [v["number"] for v in api["versions"]] == [2]
    assert reader.get("/api/v1/programmes/ita-uusimaa-2023-2026/measures/?version=3").status_code == 404
    assert reader.get("/api/v1/programmes/ita-uusimaa-2023-2026/summary/").json()["version"] == 2


def test_publication__withdrawn__hidden_again_and_both_acts_recorded(client_for, pmo, outsider, v2):
    client = client_for(pmo)
    client.post(f"{P}/v/2/publication/", {"confirm": "yes"})
    client.post(f"{P}/v/2/publication/", {"action": "withdraw", "confirm": "yes"})
    assert client_for(outsider).get(f"{P}/").status_code == 404
    publication = v2.publications.get()
    assert publication.withdrawn_by == pmo and publication.published_by == pmo
    assert [h.history_user for h in publication.history.all()] == [pmo, pmo]


def test_publication__drafts_never_and_only_programme_office(client_for, pmo, viewer, draft, v2):
    with pytest.raises(ValidationError):
        services.publish_version(version=draft, by=pmo)
    assert client_for(viewer).post(f"{P}/v/2/publication/", {"confirm": "yes"}).status_code == 403
    assert client_for(_user("admin.ita-uusimaa")).post(f"{P}/v/2/publication/", {"confirm": "yes"}).status_code == 403
    assert not v2.publications.exists()


def test_anonymous__sent_to_login_even_for_published(client, pmo, v2):
    services.publish_version(version=v2, by=pmo)
    response = client.get(f"{P}/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/accounts/login/")


# -- Administrators read, the programme office edits -------------------------------------------


def test_administrator__reads_but_does_not_edit(client_for, draft):
    client = client_for(_user("admin.ita-uusimaa"))
    page = client.get(f"{P}/v/3/")
    assert page.status_code == 200 and page.context["can_edit"] is False
    assert client.get(f"{P}/v/3/measures/3.1.a/edit/").status_code == 403


# -- Owners -----------------------------------------------------------------------------------


def test_owner__programme_office_assigns_and_the_new_owner_may_edit(client_for, pmo, draft):
    viewer_turned_owner = _user("measure-owner.ita-uusimaa")
    measure = Measure.objects.get(version=draft, code="2.1.a")
    client = client_for(viewer_turned_owner)
    assert client.get(f"{P}/v/3/measures/2.1.a/edit/").status_code == 403
    form = client_for(pmo).get(f"{P}/v/3/measures/2.1.a/edit/").context["form"]
    assert "owner" in form.fields
    assert set(form.fields["owner"].queryset) >= {viewer_turned_owner}
    assert _user("pmo.kymenlaakso") not in set(form.fields["owner"].queryset)
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "owner": viewer_turned_owner.pk,
            "target": measure.target_id}
    response = client_for(pmo).post(f"{P}/v/3/measures/2.1.a/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    measure.refresh_from_db()
    assert measure.owner == viewer_turned_owner
    assert client_for(viewer_turned_owner).get(f"{P}/v/3/measures/2.1.a/edit/").status_code == 200


def test_owner__measure_owner_does_not_see_the_owner_choice(client_for, measure_owner, draft):
    form = client_for(measure_owner).get(f"{P}/v/3/measures/3.1.a/edit/").context["form"]
    assert "owner" not in form.fields
    # and may keep the measure under its target, but not move it under somebody else's
    assert list(form.fields["target"].queryset.values_list("code", flat=True)) == ["3.1"]


def test_owner__must_belong_to_the_organisation(pmo, draft):
    theme = Theme.objects.get(version=draft, code="2")
    with pytest.raises(ValidationError) as error:
        services.update_theme(theme=theme, code="2", name={"fi": "X"}, owner=_user("pmo.kymenlaakso"), by=pmo)
    assert "owner" in error.value.message_dict


# -- Risks ------------------------------------------------------------------------------------


def test_risk__theme_owner_adds_a_risk_to_own_theme_only(client_for, draft):
    client = client_for(_user("theme-owner.ita-uusimaa"))
    form = client.get(f"{P}/v/3/risks/new/").context["form"]
    assert list(form.fields["theme"].queryset.values_list("code", flat=True)) == ["1"]
    assert form.fields["theme"].required
    theme_1 = Theme.objects.get(version=draft, code="1")
    response = client.post(f"{P}/v/3/risks/new/", {"code": "T1", "theme": theme_1.pk, "category": "personnel",
                                                   "title_fi": "Rekrytointi ei onnistu", "likelihood": "4"})
    assert response.status_code == 302 and response["Location"] == f"{P}/v/3/risks/#risk-T1"
    risk = Risk.objects.get(version=draft, code="T1")
    assert risk.theme == theme_1 and risk.likelihood == 4
    assert risk.history.first().history_user.username == "theme-owner.ita-uusimaa"
    theme_2 = Theme.objects.get(version=draft, code="2")
    refused = client.post(f"{P}/v/3/risks/new/", {"code": "T2", "theme": theme_2.pk, "category": "personnel",
                                                  "title_fi": "X"})
    assert refused.status_code == 400 and not Risk.objects.filter(version=draft, code="T2").exists()
    page = client.get(f"{P}/v/3/risks/").content.decode()  # the risk register
    assert "Rekrytointi ei onnistu" in page and f"{P}/v/3/risks/T1/edit/" in page
    assert f"{P}/v/3/risks/R1/edit/" not in page  # programme-wide risks are the programme office's


# -- Removal ----------------------------------------------------------------------------------


def test_remove_measure__confirmed_then_gone_with_its_dependencies_in_history(client_for, pmo, draft):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    other = Measure.objects.get(version=draft, code="1.1.b")
    dependency = services.add_dependency(measure=other, depends_on=measure, by=pmo)
    client = client_for(pmo)
    confirm = client.get(f"{P}/v/3/measures/1.1.a/delete/")
    assert confirm.status_code == 200 and "1.1.a" in confirm.content.decode()
    response = client.post(f"{P}/v/3/measures/1.1.a/delete/", {"revision": measure.revision})
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not MeasureDependency.objects.filter(pk=dependency.pk).exists()
    removed = MeasureDependency.history.filter(id=dependency.pk, history_type="-").get()
    assert removed.history_user == pmo


def test_remove_measure__measure_owner_may_not(client_for, measure_owner, draft):
    assert client_for(measure_owner).post(f"{P}/v/3/measures/3.1.a/delete/", {}).status_code == 403
    assert Measure.objects.filter(version=draft, code="3.1.a").exists()


# -- Two people, one measure --------------------------------------------------------------------


def test_stale_form__refused_shows_what_changed_and_keeps_the_input(client_for, pmo, draft):
    url = f"{P}/v/3/measures/3.1.a/edit/"
    owner_client = client_for(_user("measure-owner.ita-uusimaa"))
    opened = owner_client.get(url).context["form"]
    stale_data = {k: v for k, v in opened.initial.items() if v is not None}
    # Meanwhile finance changes the money figure.
    measure = Measure.objects.get(version=draft, code="3.1.a")
    services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "123456"},
                          by=_user("finance.ita-uusimaa"), expected_revision=measure.revision)
    mine = {**stale_data, "description_fi": "Minun tarkennukseni", "estimate_kind": "point",
            "estimate_amount_eur": "200000"}
    response = owner_client.post(url, mine)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Joku muu tallensi" in page or "tallensi" in page
    assert "finance.ita-uusimaa" in page  # who saved meanwhile
    assert "123" in page  # the value saved meanwhile
    assert "Minun tarkennukseni" in page  # nothing typed is lost
    measure.refresh_from_db()
    assert measure.description_fi != "Minun tarkennukseni"
    # Saving again after seeing the conflict is a deliberate choice and goes through.
    form = response.context["form"]
    again = owner_client.post(url, {**mine, "revision": form.data["revision"]})
    assert again.status_code == 302
    measure.refresh_from_db()
    assert measure.description_fi == "Minun tarkennukseni"


def test_publication__outsider_sees_the_organisation_never_a_username(client_for, pmo, outsider, measure_owner, v2):
    measure = Measure.objects.filter(version=v2, owner=measure_owner).first()
    people = [person for person in (v2.approved_by, measure_owner, pmo) if person is not None]
    assert measure is not None and v2.approved_by is not None
    client_for(pmo).post(f"{P}/v/2/publication/", {"confirm": "yes"})
    own = client_for(pmo).get(f"{P}/v/2/measures/{measure.code}/").content.decode()
    assert (measure_owner.get_full_name() or measure_owner.get_username()) in own
    reader = client_for(outsider)
    for address in (f"{P}/v/2/", f"{P}/v/2/measures/{measure.code}/"):
        page = reader.get(address).content.decode()
        for person in people:
            assert person.get_username() not in page, (address, person)
            if person.get_full_name():
                assert person.get_full_name() not in page, (address, person)
    assert "Itä-Uudenmaan hyvinvointialue julkaisi" in reader.get(f"{P}/v/2/").content.decode()
    measures = reader.get("/api/v1/programmes/ita-uusimaa-2023-2026/measures/?version=2").content.decode()
    assert measure_owner.get_username() not in measures


def test_approve__asks_first_and_says_it_cannot_be_undone(client_for, pmo, draft):
    client = client_for(pmo)
    page = client.get(f"{P}/v/3/approve/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hyväksyntää ei voi perua" in html and f'href="{P}/v/3/"' in html
    client.post(f"{P}/v/3/approve/")  # no confirmation: nothing happens
    draft.refresh_from_db()
    assert draft.is_draft
    assert client.post(f"{P}/v/3/approve/", {"confirm": "yes"}).status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.approved_by == pmo


def test_publish__asks_first_and_says_who_will_read_what(client_for, pmo, v2):
    client = client_for(pmo)
    html = client.get(f"{P}/v/2/publication/").content.decode()
    assert "muiden organisaatioiden" in html
    client.post(f"{P}/v/2/publication/")
    assert not v2.publications.exists()
    client.post(f"{P}/v/2/publication/", {"confirm": "yes"})
    assert v2.publications.filter(withdrawn_at__isnull=True).exists()
    assert "Peru julkaisu" in client.get(f"{P}/v/2/publication/?action=withdraw").content.decode()


def test_dependency_form__offers_the_other_measures(client_for, pmo, draft):
    html = client_for(pmo).get(f"{P}/v/3/measures/3.1.a/dependencies/new/").content.decode()
    assert '<select name="depends_on"' in html and '<option value="' in html
    assert ">3.1.b " in html and ">3.1.a " not in html


def test_landing__readers_open_the_approved_version_the_programme_office_the_draft(client_for, pmo, viewer, draft):
    assert client_for(viewer).get(f"{P}/").context["version"].number == 2
    assert client_for(viewer).get(f"{P}/measures/").context["version"].number == 2
    assert client_for(pmo).get(f"{P}/").context["version"].number == draft.number
    assert client_for(viewer).get(f"{P}/v/3/").context["version"].number == 3  # the draft stays one click away
