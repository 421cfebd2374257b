"""Platform staff (Django admin users of the operator) are out of reach of a county's administrators,
like superusers: they cannot be edited, removed, renamed or have their roles changed there."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from karki.accounts import permissions as perms
from karki.accounts import services
from karki.accounts.models import Membership
from karki.organisations.models import Organisation

User = get_user_model()
ITA = "/organisations/ita-uusimaa"


@pytest.fixture
def ita_org(db):
    return Organisation.objects.get(slug="ita-uusimaa")


@pytest.fixture
def admin_ita(db):
    return User.objects.get(username="admin.ita-uusimaa")


@pytest.fixture
def staff_member(ita_org):
    """An operator's support person who also reads Itä-Uusimaa's programme."""
    person = User.objects.create_user("tuki.operaattori", password=None, is_staff=True)
    Membership.objects.create(user=person, organisation=ita_org, role="viewer")
    return person


def test_people_page__staff_member__not_editable_by_the_county_admin(client_for, admin_ita, staff_member):
    client = client_for(admin_ita)
    client.cookies["karki_language"] = "en"
    page = client.get(f"{ITA}/people/").content.decode()
    assert f"{ITA}/people/{staff_member.pk}/" not in page
    assert "Platform administrator: managed elsewhere" in page
    assert client.get(f"{ITA}/people/{staff_member.pk}/").status_code == 403
    response = client.post(f"{ITA}/people/{staff_member.pk}/", {
        "roles": ["admin"], "roles_seen": "viewer", "first_name": "X", "first_name_seen": "",
        "last_name": "", "last_name_seen": "", "email": "attacker@example.org", "email_seen": "",
    })
    assert response.status_code == 403
    assert client.post(f"{ITA}/people/{staff_member.pk}/remove/").status_code == 403
    staff_member.refresh_from_db()
    assert staff_member.is_active and staff_member.email == "" and staff_member.first_name == ""
    assert set(staff_member.memberships.values_list("role", flat=True)) == {"viewer"}


def test_services__staff_member__refused_even_when_called_directly(admin_ita, staff_member, ita_org):
    with pytest.raises(PermissionDenied):
        services.edit_person(organisation=ita_org, person=staff_member, roles=["admin"], by=admin_ita,
                             expected_roles=["viewer"])
    with pytest.raises(PermissionDenied):
        services.remove_person(organisation=ita_org, person=staff_member, by=admin_ita)
    assert not services.details_editable(staff_member, ita_org)


def test_can_manage_person__superuser_may_manage_staff_admin_may_not(admin_ita, staff_member, ita_org, viewer):
    root = User.objects.get(username="admin")
    assert perms.can_manage_person(root, ita_org, staff_member)
    assert not perms.can_manage_person(admin_ita, ita_org, staff_member)
    assert not perms.can_manage_person(admin_ita, ita_org, root)
    assert perms.can_manage_person(admin_ita, ita_org, viewer)
    assert not perms.can_manage_person(viewer, ita_org, admin_ita)
