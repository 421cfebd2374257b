"""Comparing two versions: a language filled in is a translation added, not a change of content."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from karki.core.content import translations
from karki.programmes import services
from karki.programmes.comparison import compare
from karki.programmes.models import ProgrammeVersion, Theme


def _version(programme, number):
    return ProgrammeVersion.objects.get(programme=programme, number=number)


def _rename(theme, by, **name):
    """The theme's name in the languages given (the others emptied), the rest of it as it was."""
    return services.update_theme(theme=theme, by=by, code=theme.code, name=name,
                                 description=translations(theme, "description"), owner=theme.owner,
                                 owner_name=theme.owner_name)


@pytest.fixture
def kym_draft(kym):
    """A draft version 2 of Kymenlaakso (Finnish only), copied from its approved version 1."""
    return services.start_new_version(programme=kym, by=get_user_model().objects.get(username="pmo.kymenlaakso"))


def test_compare__version_that_only_added_swedish__no_change_and_the_translations_listed(kym, kym_draft):
    pmo = get_user_model().objects.get(username="pmo.kymenlaakso")
    for theme in Theme.objects.filter(version=kym_draft, code__in=["1", "2"]):
        _rename(theme, pmo, fi=theme.name_fi, sv=f"Svenska {theme.code}")
    result = compare(_version(kym, 1), kym_draft)
    assert result.changed == [] and result.added == [] and result.removed == []
    assert [(item.code, item.status) for item in result.translated] == [("1", "translated"), ("2", "translated")]
    added = result.translated[0].translations[0]
    assert (added.field, added.added, added.removed) == ("name", ["sv"], [])
    assert str(added) == "käännös lisätty (ruotsi)"
    with translation.override("sv"):
        assert str(added) == "översättning tillagd (svenska)"


def test_compare__demo_v1_to_v2__the_swedish_document_changes_no_name_it_kept(ita):
    result = compare(_version(ita, 1), _version(ita, 2))
    translated = {item.code: item for item in result.translated}
    assert [(t.field, t.added) for t in translated["1.1.a"].translations] == [("name", ["sv"])]
    assert "1" in translated and "7.6.a" in translated
    changed = {item.code: item for item in result.changed}
    # Targets gained the difficulty and potential class the Swedish document states: changes, and their
    # Swedish names are translations beside them.
    fields = [c.field for c in changed["1.1"].changes]
    assert {"difficulty", "potential_class_stated"} <= set(fields) and "name" not in fields
    assert [t.field for t in changed["1.1"].translations] == ["name"]
    # A measure lettered anew is another measure under the same code: its name changed.
    name = next(c for c in changed["4.2.d"].changes if c.field == "name")
    assert (str(name.old), str(name.new)) == ("Säädellään tehostetun palveluasumisen ostoja",
                                              "Tiivistetään Uudenmaan hyvinvointialueiden sekä YTA-alueiden "
                                              "yhteistyötä yhteistoimintapotentiaalin täysimääräiseksi "
                                              "hyödyntämiseksi valituissa palveluissa ja hankinnoissa (mm. ICT)")
    assert (len(result.changed), len(result.translated), len(result.added), len(result.removed)) == (36, 78, 15, 11)


def test_compare__finnish_name_edited_under_the_same_swedish__a_change_shown_in_finnish_to_swedish_readers(
        ita, pmo, draft):
    theme = Theme.objects.get(version=draft, code="1")
    _rename(theme, pmo, fi="Palvelurakenne uudistetaan", sv=theme.name_sv)
    with translation.override("sv"):
        result = compare(_version(ita, 2), draft)
    change = result.changed[0].changes[0]
    assert (result.changed[0].code, change.field, result.translated) == ("1", "name", [])
    assert (change.new.text, change.new.lang, change.new.is_fallback) == ("Palvelurakenne uudistetaan", "fi", True)
    assert change.old.text.startswith("Palvelurakenteen kehittäminen")


def test_compare__text_replaced_by_one_in_another_language__a_change(ita, pmo, draft):
    """With no language in both versions there is nothing to tell a translation from a new text."""
    theme = Theme.objects.get(version=draft, code="1")
    _rename(theme, pmo, en="Service structure")
    result = compare(_version(ita, 2), draft)
    assert [(item.code, [c.field for c in item.changes]) for item in result.changed] == [("1", ["name"])]
    assert result.translated == []


def test_compare__translation_removed__listed_apart(ita, pmo, draft):
    theme = Theme.objects.get(version=draft, code="1")
    _rename(theme, pmo, fi=theme.name_fi)
    result = compare(_version(ita, 2), draft)
    assert result.changed == []
    assert str(result.translated[0].translations[0]) == "käännös poistettu (ruotsi)"


def test_compare_page__finnish__translations_listed_apart_from_changes(client_for, viewer):
    page = client_for(viewer).get("/programmes/ita-uusimaa-2023-2026/compare/?a=1&b=2").content.decode()
    assert "Muutettu (36)" in page
    assert "Vain käännökset (78)" in page
    assert "<h3>Nimi: käännös lisätty (ruotsi)</h3>" in page
    assert "Käännös lisätty (ruotsi)" in page  # a target's Swedish name beside its changes
    assert "Utvecklande av servicestrukturen" not in page  # theme 1 in Finnish, its Swedish name no change
    assert "Palvelurakenteen kehittäminen toiminnanohjauksen ja palveluintegraation keinoin" in page
