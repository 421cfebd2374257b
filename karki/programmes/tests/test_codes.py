"""Codes that differ only by case or surrounding spaces are one code to a reader: Kärki keeps them unique."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from karki.organisations.models import OrgUnit
from karki.programmes import services
from karki.programmes.models import Measure, Target, Theme

P = "/programmes/ita-uusimaa-2023-2026/v/3"


def _english(client):
    client.cookies["karki_language"] = "en"
    return client


def test_new_measure__same_code_in_other_case__refused_with_the_stored_code(pmo, draft):
    target = Target.objects.filter(version=draft).first()
    stored = Measure.objects.filter(version=draft).first().code
    with pytest.raises(ValidationError) as refused:
        services.create_measure(version=draft, target=target, code=f" {stored.upper()} ", name={"fi": "Toinen"}, by=pmo)
    assert stored in str(refused.value.message_dict["code"])
    assert Measure.objects.filter(version=draft, code__iexact=stored).count() == 1


def test_new_measure__surrounding_spaces__stored_without_them(pmo, draft):
    target = Target.objects.filter(version=draft).first()
    measure = services.create_measure(version=draft, target=target, code="  9.9.z\u00a0", name={"fi": "Uusi"}, by=pmo)
    measure.refresh_from_db()
    assert measure.code == "9.9.z"


def test_changed_code__own_code_in_another_case__allowed_but_not_another_rows(pmo, draft):
    first, second = Theme.objects.filter(version=draft).order_by("order")[:2]
    services.update_theme(theme=first, by=pmo, code=first.code.upper(), name={"fi": "Teema yksi"})
    with pytest.raises(ValidationError):
        services.update_theme(theme=second, by=pmo, code=f" {first.code.lower()}", name={"fi": "Teema kaksi"})


def test_theme_form__clashing_code__says_so_in_the_users_language(client_for, pmo, draft):
    theme = Theme.objects.filter(version=draft).first()
    before = Theme.objects.filter(version=draft).count()
    page = _english(client_for(pmo)).post(f"{P}/themes/new/", {"code": f" {theme.code} ", "name_fi": "X"})
    assert page.status_code == 400
    assert f"The code {theme.code} is already used in this version" in page.content.decode()
    assert Theme.objects.filter(version=draft).count() == before


def test_org_unit__same_code_in_other_case__refused(client_for, db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin.kymenlaakso")
    page = _english(client_for(admin)).post("/organisations/kymenlaakso/units/new/", {"code": "pela ",
                                                                                      "name_fi": "Toinen"})
    assert "already has the code PELA" in page.content.decode()
    assert OrgUnit.objects.filter(code__iexact="pela").count() == 1


def test_code_clashes__lists_clashes_already_stored_and_fails(draft, capsys):
    call_command("code_clashes")
    assert "No codes clash" in capsys.readouterr().out
    first, second = Measure.objects.filter(version=draft).order_by("pk")[:2]
    Measure.objects.filter(pk=second.pk).update(code=first.code.upper() + " ")  # as stored before the check
    with pytest.raises(CommandError):
        call_command("code_clashes")
    out = capsys.readouterr().out
    assert f"ita-uusimaa-2023-2026 v{draft.number}" in out and first.code in out
