"""Writes to the public site's settings: publishing and its conditions, stale saves, the history of who and
when, and which themes and measures residents see (through the one reader, `read_site`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from karki.audit import history
from karki.core.conflicts import NOT_YET_SAVED, StaleEdit
from karki.public import services
from karki.public.models import PublicEntry, PublicSite
from karki.public.reading import public_programme, read_site


@pytest.fixture(autouse=True)
def _english():
    """Messages are read in English here, so that the assertions hold whatever the translations say."""
    from django.utils import translation

    translation.activate("en")


CONTACT = {"contact_name": "Muutostoimisto", "contact_email": "muutos@example.fi", "feedback_url": ""}


def _publish(programme, by, **changes):
    values = {"revision": None, "is_published": True, "resident_text": {"fi": "Palveluja verkossa."}, **CONTACT,
              **changes}
    return services.save_site(programme, by=by, **values)


def _entry(programme, by, kind, code, **changes):
    values = {"revision": None, "visibility": "default", "resident_text": {}, "services": {}, "areas": {}, **changes}
    return services.save_entry(programme, kind=kind, code=code, by=by, **values)


@pytest.fixture
def unapproved(ita, pmo):
    """A programme of Itä-Uusimaa with a draft and nothing approved yet."""
    from karki.programmes import services as programme_services

    programme = programme_services.create_programme(
        organisation=ita.organisation, slug="luonnos-2026-2028", name={"fi": "Luonnosohjelma"}, period_start=2026,
        period_end=2028, by=pmo)
    version = programme_services.create_version(programme=programme, by=pmo)
    programme_services.create_theme(version=version, code="1", name={"fi": "Digi"}, by=pmo)
    return programme


def test_save_site__published_with_contact__residents_can_read_it(ita, pmo):
    assert read_site(ita, "fi") is None

    site = _publish(ita, pmo)

    assert site.is_published and site.updated_by == pmo
    assert public_programme(ita.slug) == ita
    public = read_site(ita, "fi")
    assert public is not None and public.version.number == 2  # the latest approved, not a draft
    assert public.resident_text.text == "Palveluja verkossa."
    assert public.settings.contact_email == "muutos@example.fi"


def test_save_site__feedback_form_alone__is_a_contact(ita, pmo):
    site = _publish(ita, pmo, contact_email="", feedback_url="https://www.example.fi/palaute")

    assert site.is_published


def test_save_site__no_approved_version__refused_with_message(unapproved, pmo):
    with pytest.raises(ValidationError) as refused:
        _publish(unapproved, pmo)

    assert "no approved version" in " ".join(refused.value.message_dict["is_published"])
    assert not PublicSite.objects.filter(programme=unapproved).exists()
    # Its settings can be prepared all the same, unpublished.
    assert not _publish(unapproved, pmo, is_published=False).is_published


def test_save_site__no_contact__refused_with_message(ita, pmo):
    with pytest.raises(ValidationError) as refused:
        _publish(ita, pmo, contact_email="", feedback_url="")

    assert "contact" in " ".join(refused.value.message_dict["contact_email"])
    assert read_site(ita, "fi") is None


def test_save_site__contact_removed_while_published__refused(ita, pmo):
    site = _publish(ita, pmo)

    with pytest.raises(ValidationError):
        _publish(ita, pmo, revision=site.revision, contact_email="")

    site.refresh_from_db()
    assert site.contact_email == "muutos@example.fi"


def test_save_site__stale_revision__refused_and_nothing_saved(ita, pmo, finance):
    site = _publish(ita, pmo, is_published=False)
    opened_on = site.revision
    _publish(ita, pmo, revision=opened_on, contact_name="Ohjelmatoimisto")

    with pytest.raises(StaleEdit) as refused:
        _publish(ita, pmo, revision=opened_on, contact_name="Joku muu")

    assert ("contact person", "Muutostoimisto", "Ohjelmatoimisto") in refused.value.changes
    site.refresh_from_db()
    assert site.contact_name == "Ohjelmatoimisto"


def test_save_site__first_save_when_someone_else_created_it__stale(ita, pmo):
    _publish(ita, pmo, is_published=False)

    with pytest.raises(StaleEdit):
        _publish(ita, pmo, revision=NOT_YET_SAVED)


def test_save_site__history__records_who_when_and_why(ita, pmo):
    site = _publish(ita, pmo)
    services.save_site(ita, by=pmo, revision=site.revision, is_published=False, resident_text={}, **CONTACT)

    records = list(site.history.order_by("history_date", "history_id"))
    assert [r.history_user for r in records] == [pmo, pmo]
    assert [r.history_change_reason for r in records] == [services.PUBLISHED, services.WITHDRAWN]
    assert all(r.history_date is not None for r in records)
    # The programme's history page reads it as one of the programme's own rows.
    entries = history.history_page(history.programme_sources(ita, history.HistoryFilters(kind="publicsite"))).entries
    assert [entry.who for entry in entries][:2] == [history.person_name(pmo)] * 2
    assert entries[0].reason_text and entries[0].what


def test_save_site__measure_owner__not_allowed(ita, measure_owner):
    with pytest.raises(PermissionDenied):
        _publish(ita, measure_owner)


def test_save_entry__resident_text_and_lists__read_by_the_public_site(ita, pmo):
    _publish(ita, pmo)
    entry = _entry(ita, pmo, "measure", "3.1.a", resident_text={"fi": "Asioi verkossa.", "sv": "Uträtta på nätet."},
                   services={"fi": "terveysasemat ,kotihoito;"}, areas={"fi": "Loviisa"})

    assert entry.services_fi == "terveysasemat, kotihoito"
    measure = read_site(ita, "sv").measures["3.1.a"]
    assert measure.resident_text.text == "Uträtta på nätet."
    assert read_site(ita, "fi").measures["3.1.a"].services == ["terveysasemat", "kotihoito"]


def test_save_entry__unknown_code__refused(ita, pmo):
    with pytest.raises(ValidationError):
        _entry(ita, pmo, "measure", "9.9.z")
    with pytest.raises(ValidationError):
        _entry(ita, pmo, "target", "1.1")
    assert not PublicEntry.objects.filter(programme=ita).exists()


def test_save_entry__code_only_in_the_draft__accepted(ita, pmo, draft):
    from karki.programmes import services as programme_services

    programme_services.create_theme(version=draft, code="8", name={"fi": "Uusi teema"}, by=pmo)

    entry = _entry(ita, pmo, "theme", "8", resident_text={"fi": "Tulossa."})

    assert entry.pk is not None


def test_save_entry__stale_revision__refused(ita, pmo):
    entry = _entry(ita, pmo, "theme", "1", resident_text={"fi": "Ensimmäinen."})
    _entry(ita, pmo, "theme", "1", revision=entry.revision, resident_text={"fi": "Toinen."})

    with pytest.raises(StaleEdit):
        _entry(ita, pmo, "theme", "1", revision=entry.revision, resident_text={"fi": "Kolmas."})

    entry.refresh_from_db()
    assert entry.resident_text_fi == "Toinen." and entry.revision == 2


def test_set_visibility__many_rows_in_one_save__residents_see_the_result(ita, pmo):
    _publish(ita, pmo)
    assert "C.1" not in read_site(ita, "fi").measures  # basket C, not decided: private by default

    saved = services.set_visibility(ita, by=pmo, changes={
        ("theme", "2"): "private", ("measure", "3.1.a"): "private", ("measure", "C.1"): "public",
        ("measure", "3.1.b"): "default"}, revisions={})

    assert {(e.kind, e.code) for e in saved} == {("theme", "2"), ("measure", "3.1.a"), ("measure", "C.1")}
    site = read_site(ita, "fi")
    assert site.theme("2") is None
    assert not any(code.startswith("2.") for code in site.measures)  # a hidden theme hides its measures
    assert "3.1.a" not in site.measures and "3.1.b" in site.measures and "C.1" in site.measures
    assert all(e.updated_by == pmo and e.history.first().history_user == pmo for e in saved)


def test_set_visibility__one_row_saved_meanwhile__nothing_saved(ita, pmo):
    entry = _entry(ita, pmo, "measure", "3.1.a")
    services.set_visibility(ita, by=pmo, changes={("measure", "3.1.a"): "public"},
                            revisions={("measure", "3.1.a"): entry.revision})

    with pytest.raises(services.VisibilityConflict) as refused:
        services.set_visibility(ita, by=pmo, changes={("theme", "2"): "private", ("measure", "3.1.a"): "private"},
                                revisions={("theme", "2"): NOT_YET_SAVED, ("measure", "3.1.a"): entry.revision})

    assert list(refused.value.current) == [("measure", "3.1.a")]
    assert "3.1.a" in refused.value.messages[0]
    assert not PublicEntry.objects.filter(programme=ita, kind="theme", code="2").exists()
    entry.refresh_from_db()
    assert entry.visibility == "public"


def test_set_visibility__unknown_choice__refused(ita, pmo):
    with pytest.raises(ValidationError):
        services.set_visibility(ita, by=pmo, changes={("theme", "1"): "everyone"})
