"""Changes to accounts and API tokens leave a trace: who created an account, changed its name or
e-mail, deactivated it, made or revoked a token, and when. The history keeps no password hashes."""

import pytest
from django.contrib.auth import get_user_model

from karki.accounts import services
from karki.accounts.models import ApiToken
from karki.accounts.tokens import create_token
from karki.organisations.models import Organisation

User = get_user_model()
ITA = "/organisations/ita-uusimaa"
STRONG = "Kärki-tuottavuus-2024!"


@pytest.fixture
def admin_ita(db):
    return User.objects.get(username="admin.ita-uusimaa")


@pytest.fixture
def ita_org(db):
    return Organisation.objects.get(slug="ita-uusimaa")


def _history(person):
    return list(User.history.filter(id=person.pk).order_by("history_date", "history_id"))


def test_history_of_accounts__has_no_password_hash_nor_last_login():
    fields = {field.name for field in User.history.model._meta.get_fields()}
    assert "password" not in fields and "last_login" not in fields
    assert {"username", "first_name", "last_name", "email", "is_active", "is_staff"} <= fields
    token_fields = {field.name for field in ApiToken.history.model._meta.get_fields()}
    assert "token_key" not in token_fields


def test_account_created_renamed_and_deactivated__each_recorded_with_its_author(client_for, admin_ita, ita_org):
    client = client_for(admin_ita)
    client.post(f"{ITA}/people/new/", {
        "username": "maija.m", "first_name": "Maija", "last_name": "M", "email": "maija@example.org",
        "roles": ["viewer"], "password": STRONG, "password_again": STRONG,
    })
    person = User.objects.get(username="maija.m")
    client.post(f"{ITA}/people/{person.pk}/", {
        "roles": ["viewer"], "roles_seen": "viewer", "first_name": "Maija", "first_name_seen": "Maija",
        "last_name": "Virtanen", "last_name_seen": "M", "email": "maija.virtanen@example.org",
        "email_seen": "maija@example.org",
    })
    client.post(f"{ITA}/people/{person.pk}/remove/")

    created, renamed, deactivated = _history(person)
    assert (created.history_type, created.history_user, created.history_change_reason) == ("+", admin_ita, "added")
    assert renamed.history_user == admin_ita and renamed.last_name == "Virtanen"
    assert {change.field for change in renamed.diff_against(created).changes} == {"last_name", "email"}
    assert deactivated.history_user == admin_ita and deactivated.is_active is False


def test_signing_in__adds_no_history_row(client, viewer):
    before = len(_history(viewer))
    client.post("/accounts/login/", {"username": viewer.username, "password": "demo-password-for-tests"})
    assert "_auth_user_id" in client.session
    viewer.refresh_from_db()
    assert viewer.last_login is not None and len(_history(viewer)) == before


def test_api_tokens__made_and_revoked_recorded_with_their_owner(client_for, viewer):
    client = client_for(viewer)
    client.post("/accounts/tokens/", {"name": "Power BI", "days": "30"})
    token = ApiToken.objects.get(user=viewer)
    client.post(f"/accounts/tokens/{token.digest}/revoke/")
    records = list(ApiToken.history.filter(user_id=viewer.pk).order_by("history_id"))
    assert [(r.history_type, r.name, r.history_user) for r in records] == [
        ("+", "Power BI", viewer), ("-", "Power BI", viewer)]


def test_api_token_created_by_the_service__names_its_maker(viewer):
    token, _value = create_token(user=viewer, name="Nightly", days=30)
    assert token.history.get().history_user == viewer


def test_admin__account_history_readable_and_the_user_pages_still_work(client, admin_ita, viewer, ita_org):
    services.edit_person(organisation=ita_org, person=viewer, roles=["viewer"], by=admin_ita,
                         expected_roles=["viewer"], details={"first_name": "Ville", "last_name": "V", "email": ""})
    client.force_login(User.objects.get(username="admin"))
    client.cookies["karki_language"] = "en"
    page = client.get(f"/admin/auth/user/{viewer.pk}/history/").content.decode()
    assert "admin.ita-uusimaa" in page and "Ville" in page
    record = User.history.filter(id=viewer.pk).latest()
    detail = client.get(f"/admin/auth/user/{viewer.pk}/history/{record.history_id}/")
    assert detail.status_code == 200
    assert client.post(f"/admin/auth/user/{viewer.pk}/history/{record.history_id}/", {}).status_code == 403
    change = client.get(f"/admin/auth/user/{viewer.pk}/change/")
    assert change.status_code == 200 and "password" in change.content.decode()
    assert client.get(f"/admin/auth/user/{viewer.pk}/password/").status_code == 200


def test_account_changes_page__lists_creation_renaming_and_deactivation_of_the_organisations_people(
        client_for, admin_ita, ita_org):
    client = client_for(admin_ita)
    client.cookies["karki_language"] = "en"
    client.post(f"{ITA}/people/new/", {
        "username": "maija.m", "first_name": "Maija", "last_name": "M", "email": "",
        "roles": ["viewer"], "password": STRONG, "password_again": STRONG,
    })
    person = User.objects.get(username="maija.m")
    services.edit_person(organisation=ita_org, person=person, roles=["viewer"], by=admin_ita,
                         expected_roles=["viewer"], details={"first_name": "Maija", "last_name": "Virtanen",
                                                             "email": ""},
                         expected_details={"first_name": "Maija", "last_name": "M", "email": ""})
    services.remove_person(organisation=ita_org, person=person, by=admin_ita)
    kym_person = User.objects.get(username="viewer.kymenlaakso")
    kym_person._history_user = None
    kym_person.first_name = "Kalle"
    kym_person.save()

    response = client.get(f"{ITA}/people/account-changes/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Changes to accounts" in page
    rows = [row for row in page.split("<tr>") if "<td>maija.m</td>" in row]
    assert len(rows) == 3 and all("<td>admin.ita-uusimaa</td>" in row for row in rows)
    assert "account created" in rows[2]
    assert "Last name: M → Virtanen" in rows[1] and "name or email edited" in rows[1]
    assert "Active: yes → no" in rows[0] and "removed from the organisation" in rows[0]
    assert "Kalle" not in page and "viewer.kymenlaakso" not in page  # another county's people
    assert f'href="{ITA}/people/account-changes/"' in client.get(f"{ITA}/people/").content.decode()
