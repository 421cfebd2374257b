"""People and roles of an organisation, as its administrators manage them: the list, adding,
editing roles, removing, the guards (last administrator, superusers, stale edits, other
counties) and the history of changes to roles.

Pages are read in English so that the assertions hold once the Finnish translations exist."""

import pytest
from django.contrib.auth import get_user_model

from conftest import DEMO_PASSWORD
from karki.accounts import services
from karki.accounts.enums import Role
from karki.accounts.models import Membership
from karki.organisations.models import Organisation

User = get_user_model()
ITA = "/organisations/ita-uusimaa"
STRONG = "Kärki-tuottavuus-2024!"


def _user(username):
    return User.objects.get(username=username)


@pytest.fixture
def admin_ita(db):
    return _user("admin.ita-uusimaa")


@pytest.fixture
def admin_kym(db):
    return _user("admin.kymenlaakso")


@pytest.fixture
def ita_org(db):
    return Organisation.objects.get(slug="ita-uusimaa")


@pytest.fixture
def english(client_for):
    def login(user):
        client = client_for(user)
        client.cookies["karki_language"] = "en"
        return client

    return login


def _roles(user, org):
    return set(Membership.objects.filter(user=user, organisation=org).values_list("role", flat=True))


def _add_payload(**overrides):
    data = {
        "username": "maija.meikalainen", "first_name": "Maija", "last_name": "Meikäläinen",
        "email": "maija@example.org", "roles": ["viewer"], "password": STRONG, "password_again": STRONG,
    }
    data.update(overrides)
    return data


def _page(response) -> str:
    return response.content.decode()


# -- Seeing the pages ---------------------------------------------------------------------------


def test_people_page__admin__lists_members_with_roles_in_words_and_no_one_else(english, admin_ita):
    response = english(admin_ita).get(f"{ITA}/people/")
    page = _page(response)
    assert response.status_code == 200
    assert "pmo.ita-uusimaa" in page and "viewer.ita-uusimaa" in page
    assert "Programme office" in page and "Measure owner" in page
    assert "kymenlaakso" not in page.replace("/organisations/", "")  # no people of the other county
    assert "<caption>" in page and 'scope="col"' in page


def test_people_page__filter_by_role__shows_only_that_role(english, admin_ita):
    page = _page(english(admin_ita).get(f"{ITA}/people/?role=finance"))
    assert "finance.ita-uusimaa" in page
    assert "pmo.ita-uusimaa" not in page and "viewer.ita-uusimaa" not in page
    assert "1 person with the role Finance" in page


def test_people_page__last_login_in_finnish_date_format(client_for, admin_ita, viewer):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    User.objects.filter(pk=viewer.pk).update(last_login=datetime(2024, 3, 5, 23, 30, tzinfo=ZoneInfo("UTC")))
    page = _page(client_for(admin_ita).get(f"{ITA}/people/"))
    assert "6.3.2024" in page  # 01:30 on 6 March in Helsinki


@pytest.mark.parametrize("username", ["pmo.ita-uusimaa", "viewer.ita-uusimaa", "finance.ita-uusimaa"])
def test_people_pages__members_without_admin_role__forbidden(client_for, username, db):
    client = client_for(_user(username))
    assert client.get(f"{ITA}/people/").status_code == 403
    assert client.get(f"{ITA}/people/new/").status_code == 403
    assert client.get(f"{ITA}/people/changes/").status_code == 403
    assert client.post(f"{ITA}/people/new/", _add_payload()).status_code == 403
    assert not User.objects.filter(username="maija.meikalainen").exists()


def test_organisation_page__member_sees_it_without_admin_links(english, viewer):
    page = _page(english(viewer).get(f"{ITA}/"))
    assert "Itä-Uudenmaan hyvinvointialue" in page or "Östra Nylands" in page
    assert "Viewer" in page
    assert f"{ITA}/people/" not in page


def test_organisation_page__admin_sees_links_to_people_and_org_units(english, admin_ita):
    page = _page(english(admin_ita).get(f"{ITA}/"))
    assert f'href="{ITA}/people/"' in page and f'href="{ITA}/units/"' in page


def test_navigation__organisations_link_only_for_members(english, admin_ita, db):
    assert 'href="/organisations/"' in _page(english(admin_ita).get("/programmes/"))
    nobody = User.objects.create_user("nobody", password=STRONG)
    assert 'href="/organisations/"' not in _page(english(nobody).get("/programmes/"))


def test_my_organisations__lists_only_own(english, admin_kym):
    page = _page(english(admin_kym).get("/organisations/"))
    assert "/organisations/kymenlaakso/" in page
    assert "/organisations/ita-uusimaa/" not in page


# -- Other counties -------------------------------------------------------------------------------


def test_other_county_admin__every_page_not_found(client_for, admin_kym, viewer):
    client = client_for(admin_kym)
    for url in (f"{ITA}/", f"{ITA}/people/", f"{ITA}/people/new/", f"{ITA}/people/changes/",
                f"{ITA}/people/{viewer.pk}/", f"{ITA}/people/{viewer.pk}/remove/", f"{ITA}/units/",
                f"{ITA}/units/new/"):
        assert client.get(url).status_code == 404, url


def test_other_county_admin__crafted_posts_change_nothing(client_for, admin_kym, viewer, ita_org):
    client = client_for(admin_kym)
    assert client.post(f"{ITA}/people/new/", _add_payload()).status_code == 404
    assert client.post(f"{ITA}/people/{viewer.pk}/", {"roles": ["admin"], "roles_seen": "viewer"}).status_code == 404
    assert client.post(f"{ITA}/people/{viewer.pk}/remove/").status_code == 404
    # Through their own county's pages, a person of Itä-Uusimaa is not found either.
    kym = "/organisations/kymenlaakso"
    assert client.post(f"{kym}/people/{viewer.pk}/", {"roles": ["admin"], "roles_seen": ""}).status_code == 404
    assert client.post(f"{kym}/people/{viewer.pk}/remove/").status_code == 404
    assert _roles(viewer, ita_org) == {"viewer"}
    assert not User.objects.filter(username="maija.meikalainen").exists()
    assert not Membership.objects.filter(user=admin_kym, organisation=ita_org).exists()


def test_add__username_of_another_countys_user__refused_without_revealing_or_changing_it(english, admin_kym):
    ita_viewer = _user("viewer.ita-uusimaa")
    response = english(admin_kym).post("/organisations/kymenlaakso/people/new/", _add_payload(
        username="VIEWER.ita-uusimaa", first_name="Changed", email="changed@example.org"))
    page = _page(response)
    assert response.status_code == 200
    assert "The username VIEWER.ita-uusimaa is taken" in page
    ita_viewer.refresh_from_db()
    assert ita_viewer.first_name != "Changed" and ita_viewer.email != "changed@example.org"
    assert ita_viewer.check_password(DEMO_PASSWORD)
    assert not ita_viewer.memberships.filter(organisation__slug="kymenlaakso").exists()


# -- Adding --------------------------------------------------------------------------------------


def _sign_in(client, username, password) -> bool:
    """Through the real sign-in page (brute-force protection and all)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_add__new_viewer__can_sign_in_and_reads_but_cannot_edit_the_programme(english, client, admin_ita,
                                                                              ita_org):
    response = english(admin_ita).post(f"{ITA}/people/new/", _add_payload())
    assert response.status_code == 302
    person = _user("maija.meikalainen")
    assert _roles(person, ita_org) == {"viewer"}
    assert (person.first_name, person.last_name, person.email) == ("Maija", "Meikäläinen", "maija@example.org")
    assert not person.is_staff and not person.is_superuser

    client.logout()
    assert _sign_in(client, "maija.meikalainen", STRONG)
    assert client.get("/programmes/ita-uusimaa-2023-2026/").status_code == 200
    assert client.get("/programmes/kymenlaakso-2023-2025/").status_code == 404
    assert client.get("/programmes/ita-uusimaa-2023-2026/v/1/themes/1/edit/").status_code == 403


def test_add__new_programme_office_user__can_edit_the_draft(client, english, admin_ita, draft):
    english(admin_ita).post(f"{ITA}/people/new/", _add_payload(roles=["pmo"]))
    client.logout()
    assert _sign_in(client, "maija.meikalainen", STRONG)
    url = f"/programmes/ita-uusimaa-2023-2026/v/{draft.number}/themes/1/edit/"
    assert client.get(url).status_code == 200


def test_add__weak_password__refused_with_the_validators_message(english, admin_ita):
    weak = _add_payload(password="salasana", password_again="salasana")
    response = english(admin_ita).post(f"{ITA}/people/new/", weak)
    page = _page(response)
    assert response.status_code == 200
    assert "This password is too short" in page
    assert "This password is too common" in page
    assert not User.objects.filter(username="maija.meikalainen").exists()


def test_add__password_like_the_username__refused(english, admin_ita):
    password = "maija.meikalainen1"
    page = _page(english(admin_ita).post(f"{ITA}/people/new/", _add_payload(password=password,
                                                                              password_again=password)))
    assert "too similar" in page
    assert not User.objects.filter(username="maija.meikalainen").exists()


def test_add__passwords_differ__refused(english, admin_ita):
    page = _page(english(admin_ita).post(f"{ITA}/people/new/", _add_payload(password_again=STRONG + "x")))
    assert "The two passwords differ" in page
    assert not User.objects.filter(username="maija.meikalainen").exists()


def test_add__no_role__refused(english, admin_ita):
    page = _page(english(admin_ita).post(f"{ITA}/people/new/", _add_payload(roles=[])))
    assert "Choose at least one role" in page
    assert not User.objects.filter(username="maija.meikalainen").exists()


def test_add__crafted_role__refused(english, admin_ita):
    response = english(admin_ita).post(f"{ITA}/people/new/", _add_payload(roles=["superuser"]))
    assert response.status_code == 200
    assert not User.objects.filter(username="maija.meikalainen").exists()


def test_add__existing_member__told_to_edit_roles_instead(english, admin_ita):
    page = _page(english(admin_ita).post(f"{ITA}/people/new/", _add_payload(username="pmo.ita-uusimaa")))
    assert "pmo.ita-uusimaa is already a member of this organisation" in page


def test_add_form__roles_in_a_fieldset_with_legend_and_labelled_checkboxes(english, admin_ita):
    page = _page(english(admin_ita).get(f"{ITA}/people/new/"))
    assert "<fieldset" in page and "<legend>Roles" in page
    assert '<label for="id_roles_0"><input type="checkbox" name="roles" value="admin"' in page
    assert 'autocomplete="new-password"' in page


# -- Editing roles -------------------------------------------------------------------------------


def test_edit__admin_changes_roles__granted_and_revoked(english, admin_ita, viewer, ita_org):
    response = english(admin_ita).post(f"{ITA}/people/{viewer.pk}/", {
        "roles": ["finance", "theme_owner"], "roles_seen": "viewer",
    })
    assert response.status_code == 302
    assert _roles(viewer, ita_org) == {"finance", "theme_owner"}


def test_edit__stale_roles__refused_showing_the_current_roles(english, admin_ita, viewer, ita_org, pmo):
    User.objects.filter(pk=viewer.pk).update(first_name="Ville")
    client = english(admin_ita)
    page = _page(client.get(f"{ITA}/people/{viewer.pk}/"))
    assert 'name="roles_seen" value="viewer"' in page
    # Meanwhile another administrator makes the viewer a finance user too.
    services.edit_person(organisation=ita_org, person=viewer, roles=["viewer", "finance"], by=admin_ita,
                         expected_roles=["viewer"])
    response = client.post(f"{ITA}/people/{viewer.pk}/", {"roles": ["pmo"], "roles_seen": "viewer"})
    page = _page(response)
    assert response.status_code == 200
    assert "Someone else changed this person&#x27;s roles" in page
    assert "Their roles now: Finance, Viewer" in page
    assert _roles(viewer, ita_org) == {"viewer", "finance"}
    # The form now starts from the current roles, so saving again is possible.
    assert 'name="roles_seen" value="finance,viewer"' in page
    assert 'value="Ville"' in page  # the name is not lost with the refused edit
    assert client.post(f"{ITA}/people/{viewer.pk}/", {"roles": ["pmo"], "roles_seen": "finance,viewer"}) \
        .status_code == 302
    assert _roles(viewer, ita_org) == {"pmo"}


def test_edit__name_and_email__only_for_people_of_this_organisation_alone(english, admin_ita, viewer, ita_org):
    client = english(admin_ita)
    response = client.post(f"{ITA}/people/{viewer.pk}/", {
        "roles": ["viewer"], "roles_seen": "viewer", "first_name": "Ville", "last_name": "Viewer",
        "email": "ville@example.org",
    })
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert (viewer.first_name, viewer.email) == ("Ville", "ville@example.org")

    # Once the viewer has a role in Kymenlaakso too, the account's details are no longer Itä-Uusimaa's.
    Membership.objects.create(user=viewer, organisation=Organisation.objects.get(slug="kymenlaakso"), role="viewer")
    page = _page(client.get(f"{ITA}/people/{viewer.pk}/"))
    assert 'name="first_name"' not in page and "Name and email cannot be changed here" in page
    client.post(f"{ITA}/people/{viewer.pk}/", {"roles": ["viewer"], "roles_seen": "viewer", "first_name": "X",
                                                 "last_name": "Y", "email": "x@example.org"})
    viewer.refresh_from_db()
    assert (viewer.first_name, viewer.email) == ("Ville", "ville@example.org")


def test_edit__superuser_member__cannot_be_touched_by_an_admin(english, admin_ita, ita_org):
    root = _user("admin")
    Membership.objects.create(user=root, organisation=ita_org, role="viewer")
    client = english(admin_ita)
    assert "Platform administrator: managed elsewhere" in _page(client.get(f"{ITA}/people/"))
    assert client.get(f"{ITA}/people/{root.pk}/").status_code == 403
    assert client.post(f"{ITA}/people/{root.pk}/", {"roles": ["admin"], "roles_seen": "viewer"}).status_code == 403
    assert client.post(f"{ITA}/people/{root.pk}/remove/").status_code == 403
    assert _roles(root, ita_org) == {"viewer"}


# -- The last administrator ----------------------------------------------------------------------


def test_last_admin__cannot_give_up_the_admin_role(english, admin_ita, ita_org):
    response = english(admin_ita).post(f"{ITA}/people/{admin_ita.pk}/", {"roles": ["pmo"], "roles_seen": "admin"})
    page = _page(response)
    assert response.status_code == 200
    assert "You are the last administrator of" in page
    assert _roles(admin_ita, ita_org) == {"admin"}


def test_last_admin__cannot_be_removed(english, admin_ita, ita_org):
    response = english(admin_ita).post(f"{ITA}/people/{admin_ita.pk}/remove/")
    assert "You are the last administrator of" in _page(response)
    assert _roles(admin_ita, ita_org) == {"admin"}
    admin_ita.refresh_from_db()
    assert admin_ita.is_active


def test_last_admin__superuser_cannot_remove_them_either(english, admin_ita, ita_org):
    page = _page(english(_user("admin")).post(f"{ITA}/people/{admin_ita.pk}/remove/"))
    assert "admin.ita-uusimaa is the last administrator of" in page
    assert _roles(admin_ita, ita_org) == {"admin"}


def test_last_admin__with_a_second_admin__may_step_down(english, admin_ita, pmo, ita_org):
    client = english(admin_ita)
    client.post(f"{ITA}/people/{pmo.pk}/", {"roles": ["pmo", "admin"], "roles_seen": "pmo"})
    response = client.post(f"{ITA}/people/{admin_ita.pk}/", {"roles": ["viewer"], "roles_seen": "admin"})
    assert response.status_code == 302 and response["Location"] == f"{ITA}/"
    assert _roles(admin_ita, ita_org) == {"viewer"}
    assert client.get(f"{ITA}/people/").status_code == 403


def test_last_admin__an_inactive_second_admin_does_not_count(english, admin_ita, pmo, ita_org):
    Membership.objects.create(user=pmo, organisation=ita_org, role="admin")
    User.objects.filter(pk=pmo.pk).update(is_active=False)
    english(admin_ita).post(f"{ITA}/people/{admin_ita.pk}/", {"roles": ["pmo"], "roles_seen": "admin"})
    assert _roles(admin_ita, ita_org) == {"admin"}


# -- Removing ------------------------------------------------------------------------------------


def test_remove__asks_for_confirmation_then_removes_and_deactivates(english, admin_ita, viewer, ita_org):
    client = english(admin_ita)
    page = _page(client.get(f"{ITA}/people/{viewer.pk}/remove/"))
    assert "This takes away every role of viewer.ita-uusimaa" in page
    assert _roles(viewer, ita_org) == {"viewer"}
    response = client.post(f"{ITA}/people/{viewer.pk}/remove/", follow=True)
    assert "viewer.ita-uusimaa was removed from" in _page(response)
    assert "Their account was deactivated" in _page(response)
    assert _roles(viewer, ita_org) == set()
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert client.get(f"{ITA}/people/{viewer.pk}/").status_code == 404


def test_remove__person_with_roles_elsewhere__stays_active_there(english, admin_ita, viewer, ita_org):
    kym = Organisation.objects.get(slug="kymenlaakso")
    Membership.objects.create(user=viewer, organisation=kym, role="viewer")
    page = _page(english(admin_ita).post(f"{ITA}/people/{viewer.pk}/remove/", follow=True))
    assert "deactivated" not in page
    viewer.refresh_from_db()
    assert viewer.is_active and _roles(viewer, kym) == {"viewer"} and _roles(viewer, ita_org) == set()


# -- History of changes to roles -----------------------------------------------------------------


def test_history__records_who_granted_and_revoked_which_role(english, admin_ita, viewer, ita_org):
    client = english(admin_ita)
    client.post(f"{ITA}/people/{viewer.pk}/", {"roles": ["finance"], "roles_seen": "viewer"})
    records = Membership.history.filter(user_id=viewer.pk, organisation_id=ita_org.pk).order_by("-history_id")
    granted = records.get(history_type="+", role="finance")
    revoked = records.get(history_type="-", role="viewer")
    assert granted.history_user == admin_ita and revoked.history_user == admin_ita

    page = _page(client.get(f"{ITA}/people/changes/"))
    rows = [row for row in page.split("<tr>") if "viewer.ita-uusimaa" in row]
    assert any("granted Finance" in row and "<td>admin.ita-uusimaa</td>" in row for row in rows)
    assert any("revoked Viewer" in row and "<td>admin.ita-uusimaa</td>" in row for row in rows)
    assert "roles edited" in page


def test_history__add_and_remove_recorded_with_their_context(english, admin_ita):
    client = english(admin_ita)
    client.post(f"{ITA}/people/new/", _add_payload(roles=["viewer", "finance"]))
    person = _user("maija.meikalainen")
    client.post(f"{ITA}/people/{person.pk}/remove/")
    page = _page(client.get(f"{ITA}/people/changes/"))
    assert page.count("<td>maija.meikalainen</td>") == 4  # two roles granted, two revoked
    assert "added to the organisation" in page and "removed from the organisation" in page


def test_history__other_countys_changes_not_shown(english, admin_ita, admin_kym):
    kym = Organisation.objects.get(slug="kymenlaakso")
    services.edit_person(organisation=kym, person=_user("viewer.kymenlaakso"), roles=["finance"], by=admin_kym,
                         expected_roles=["viewer"])
    page = _page(english(admin_ita).get(f"{ITA}/people/changes/"))
    assert "viewer.kymenlaakso" not in page


# -- Services on their own -----------------------------------------------------------------------


def test_service__non_admin_cannot_grant(pmo, viewer, ita_org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.edit_person(organisation=ita_org, person=viewer, roles=[Role.ADMIN], by=pmo)
    assert _roles(viewer, ita_org) == {"viewer"}


def test_history__many_pages__each_page_has_its_own_title(english, admin_ita, viewer, ita_org):
    for _round in range(13):  # 4 rows a round: more than one page of 50
        services.edit_person(organisation=ita_org, person=viewer, roles=["finance", "pmo"], by=admin_ita,
                             expected_roles=services.roles_of(viewer, ita_org))
        services.edit_person(organisation=ita_org, person=viewer, roles=["viewer"], by=admin_ita,
                             expected_roles=services.roles_of(viewer, ita_org))
    client = english(admin_ita)
    first = _page(client.get(f"{ITA}/people/changes/"))
    second = _page(client.get(f"{ITA}/people/changes/?page=2"))
    title = lambda page: page.split("<title>")[1].split("</title>")[0]  # noqa: E731
    assert "Page 1 of 2" in title(first) and "Page 2 of 2" in title(second)
    assert title(first) != title(second)


def test_edit__name_changed_by_someone_else_meanwhile__refused_listing_it_and_keeping_the_input(
        english, admin_ita, viewer, ita_org):
    User.objects.filter(pk=viewer.pk).update(first_name="Ville", last_name="Viewer", email="ville@example.org")
    client = english(admin_ita)
    page = _page(client.get(f"{ITA}/people/{viewer.pk}/"))
    assert 'name="last_name_seen" value="Viewer"' in page
    # Meanwhile another administrator corrects the surname.
    services.edit_person(organisation=ita_org, person=_user("viewer.ita-uusimaa"), roles=["viewer"], by=admin_ita,
                         expected_roles=["viewer"], details={"first_name": "Ville", "last_name": "Virtanen",
                                                             "email": "ville@example.org"},
                         expected_details={"first_name": "Ville", "last_name": "Viewer",
                                           "email": "ville@example.org"})
    form = {"roles": ["viewer"], "roles_seen": "viewer", "first_name": "Ville", "last_name": "Viewer",
            "email": "ville.viewer@example.org", "first_name_seen": "Ville", "last_name_seen": "Viewer",
            "email_seen": "ville@example.org"}
    response = client.post(f"{ITA}/people/{viewer.pk}/", form)
    page = _page(response)
    assert response.status_code == 200
    assert "Someone else changed this person&#x27;s name or email" in page
    assert "Last name: Viewer → Virtanen" in page
    assert 'value="ville.viewer@example.org"' in page  # the input is kept
    assert 'name="last_name_seen" value="Virtanen"' in page  # and the next save is based on the current values
    viewer.refresh_from_db()
    assert (viewer.last_name, viewer.email) == ("Virtanen", "ville@example.org")

    again = client.post(f"{ITA}/people/{viewer.pk}/", {**form, "last_name": "Virtanen", "last_name_seen": "Virtanen"})
    assert again.status_code == 302
    viewer.refresh_from_db()
    assert (viewer.last_name, viewer.email) == ("Virtanen", "ville.viewer@example.org")


def test_edit__roles_only_request__leaves_the_name_alone(english, admin_ita, viewer):
    User.objects.filter(pk=viewer.pk).update(first_name="Ville")
    response = english(admin_ita).post(f"{ITA}/people/{viewer.pk}/", {"roles": ["finance"], "roles_seen": "viewer"})
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.first_name == "Ville"
