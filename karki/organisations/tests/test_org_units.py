"""The org-unit tree (toimiala → tulosalue) as administrators keep it: add, rename, move without
cycles, with history; members read it, other counties do not see it."""

import pytest
from django.contrib.auth import get_user_model

from karki.organisations import services
from karki.organisations.enums import OrgUnitLevel
from karki.organisations.models import Organisation, OrgUnit

KYM = "/organisations/kymenlaakso"


@pytest.fixture
def admin_kym(db):
    return get_user_model().objects.get(username="admin.kymenlaakso")


@pytest.fixture
def kym_org(db):
    return Organisation.objects.get(slug="kymenlaakso")


@pytest.fixture
def english(client_for):
    def login(user):
        client = client_for(user)
        client.cookies["karki_language"] = "en"
        return client

    return login


def _unit(code):
    return OrgUnit.objects.get(organisation__slug="kymenlaakso", code=code)


def test_organisation_page__member_reads_the_tree(english, db):
    viewer = get_user_model().objects.get(username="viewer.kymenlaakso")
    page = english(viewer).get(f"{KYM}/").content.decode()
    assert "Sosiaalipalvelut" in page and "Pelastustoimi" in page
    assert f"{KYM}/units/" not in page


def test_org_units__non_admin_forbidden_other_county_not_found(client_for, outsider, pmo):
    assert client_for(outsider).get(f"{KYM}/units/").status_code == 403  # pmo.kymenlaakso
    assert client_for(pmo).get(f"{KYM}/units/").status_code == 404  # pmo.ita-uusimaa
    assert client_for(pmo).post(f"{KYM}/units/new/", {"code": "X", "name_fi": "X"}).status_code == 404
    assert not OrgUnit.objects.filter(code="X").exists()


def test_add_result_area__under_a_service_area__level_follows(english, admin_kym):
    sos = _unit("SOSPA")
    response = english(admin_kym).post(f"{KYM}/units/new/", {
        "code": "SOSPA-AS", "name_fi": "Asumispalvelut", "name_sv": "Boendetjänster", "parent": sos.pk,
    })
    assert response.status_code == 302
    unit = _unit("SOSPA-AS")
    assert unit.parent == sos and unit.level == OrgUnitLevel.RESULT_AREA
    assert unit.name_sv == "Boendetjänster"
    assert unit.history.latest().history_user == admin_kym


def test_add__duplicate_code__refused(english, admin_kym):
    page = english(admin_kym).post(f"{KYM}/units/new/", {"code": "PELA", "name_fi": "Toinen"}).content.decode()
    assert "already has the code PELA" in page
    assert OrgUnit.objects.filter(code="PELA").count() == 1


def test_add__parent_of_another_county__refused(english, admin_kym, db):
    ita = Organisation.objects.get(slug="ita-uusimaa")
    foreign = services.create_org_unit(organisation=ita, code="ITA-X", name={"fi": "Itä"}, parent=None,
                                       by=admin_kym)
    response = english(admin_kym).post(f"{KYM}/units/new/", {"code": "NEW", "name_fi": "Uusi", "parent": foreign.pk})
    assert response.status_code == 200
    assert not OrgUnit.objects.filter(code="NEW").exists()


def test_rename_and_move__records_history_and_relevels_the_subtree(english, admin_kym, kym_org):
    client = english(admin_kym)
    sos, pela = _unit("SOSPA"), _unit("PELA")
    child = services.create_org_unit(organisation=kym_org, code="SOSPA-AS", name={"fi": "Asumis"}, parent=sos,
                                     by=admin_kym)
    response = client.post(f"{KYM}/units/{sos.pk}/edit/", {"code": "SOSPA", "name_fi": "Sosiaalipalvelut uusi",
                                                         "parent": pela.pk})
    assert response.status_code == 302
    sos.refresh_from_db()
    child.refresh_from_db()
    assert sos.name_fi == "Sosiaalipalvelut uusi" and sos.parent == pela
    assert sos.level == OrgUnitLevel.RESULT_AREA and child.level == OrgUnitLevel.UNIT
    assert sos.history.latest().history_user == admin_kym


def test_move_under_own_descendant__refused(english, admin_kym, kym_org):
    sos = _unit("SOSPA")
    child = services.create_org_unit(organisation=kym_org, code="SOSPA-AS", name={"fi": "Asumis"}, parent=sos,
                                     by=admin_kym)
    client = english(admin_kym)
    page = client.get(f"{KYM}/units/{sos.pk}/edit/").content.decode()
    assert f'<option value="{child.pk}"' not in page  # not offered
    response = client.post(f"{KYM}/units/{sos.pk}/edit/", {"code": "SOSPA", "name_fi": "S", "parent": child.pk})
    assert response.status_code == 200
    sos.refresh_from_db()
    assert sos.parent is None


def test_service__cycle_refused_even_when_called_directly(admin_kym, kym_org):
    from django.core.exceptions import ValidationError

    sos = _unit("SOSPA")
    child = services.create_org_unit(organisation=kym_org, code="A", name={"fi": "A"}, parent=sos, by=admin_kym)
    with pytest.raises(ValidationError, match="itsensä eikä oman alayksikkönsä alle"):
        services.update_org_unit(unit=sos, code="SOSPA", name={"fi": "S"}, parent=child, by=admin_kym)
    with pytest.raises(ValidationError):
        services.update_org_unit(unit=sos, code="SOSPA", name={"fi": "S"}, parent=sos, by=admin_kym)


def test_edit__saved_by_someone_else_meanwhile__refused_listing_the_changes_and_keeping_the_input(
        english, admin_kym, kym_org):
    sos = _unit("SOSPA")
    client = english(admin_kym)
    page = client.get(f"{KYM}/units/{sos.pk}/edit/").content.decode()
    assert f'name="revision" value="{sos.revision}"' in page
    opened_at = sos.revision
    # Meanwhile a second administrator renames the unit.
    services.update_org_unit(unit=_unit("SOSPA"), code="SOSPA", name={"fi": "Sosiaali- ja perhepalvelut"},
                             parent=None, by=get_user_model().objects.get(username="admin"),
                             expected_revision=opened_at)

    response = client.post(f"{KYM}/units/{sos.pk}/edit/", {
        "code": "SOS", "name_fi": "Sosiaalipalvelut (oma)", "revision": opened_at,
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this after you opened it" in page
    assert "Saved by someone else while you were editing" in page
    assert "Sosiaali- ja perhepalvelut" in page  # the table of what changed
    assert 'value="Sosiaalipalvelut (oma)"' in page and 'value="SOS"' in page  # the input is kept
    current = _unit("SOSPA")
    assert current.name_fi == "Sosiaali- ja perhepalvelut"
    assert f'name="revision" value="{current.revision}"' in page  # saving again is deliberate

    again = client.post(f"{KYM}/units/{sos.pk}/edit/", {
        "code": "SOS", "name_fi": "Sosiaalipalvelut (oma)", "revision": current.revision,
    })
    assert again.status_code == 302
    assert OrgUnit.objects.get(pk=sos.pk).name_fi == "Sosiaalipalvelut (oma)"


def test_service__stale_revision__nothing_saved(admin_kym, kym_org):
    from karki.core.conflicts import StaleEdit

    sos = _unit("SOSPA")
    services.update_org_unit(unit=sos, code="SOSPA", name={"fi": "Uusi nimi"}, parent=None, by=admin_kym,
                             expected_revision=sos.revision)
    with pytest.raises(StaleEdit) as refused:
        services.update_org_unit(unit=_unit("SOSPA"), code="X", name={"fi": "Vanha"}, parent=None, by=admin_kym,
                                 expected_revision=1)
    assert any(now == "Uusi nimi" for _label, _then, now in refused.value.changes)
    assert _unit("SOSPA").name_fi == "Uusi nimi"


def test_moving_a_unit__raises_the_revision_of_its_sub_units(admin_kym, kym_org):
    sos, pela = _unit("SOSPA"), _unit("PELA")
    child = services.create_org_unit(organisation=kym_org, code="A", name={"fi": "A"}, parent=sos, by=admin_kym)
    services.update_org_unit(unit=sos, code="SOSPA", name={"fi": "S"}, parent=pela, by=admin_kym,
                             expected_revision=sos.revision)
    child.refresh_from_db()
    assert child.revision == 2  # its level changed: a form opened before the move is stale
