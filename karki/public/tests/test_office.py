"""The programme office's settings pages of the public site, as the office uses them: the answer first,
publishing and its refusals, one theme or measure's texts, many rows' visibility in one save, stale saves
that keep what was typed, and who may open the pages. Pages are read in English here, so that the
assertions hold whatever the translations say."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse

from karki.public import services
from karki.public.models import PublicEntry, PublicSite
from karki.public.reading import read_site

P = "ita-uusimaa-2023-2026"
SETTINGS = reverse("public:office", args=[P])


def entry_url(kind: str, code: str, slug: str = P) -> str:
    return reverse("public:office-entry", args=[slug, kind, code])


@pytest.fixture
def signed_in(client):
    def login(user, language: str = "en"):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


def _site_post(**changes) -> dict:
    return {"save": "site", "revision": "0", "is_published": "on", "contact_name": "Muutostoimisto",
            "contact_email": "muutos@example.fi", "feedback_url": "", "resident_text_fi": "Palveluja verkossa.",
            "resident_text_sv": "", "resident_text_en": "", **changes}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_settings_page__not_published__answers_what_publishing_needs_first(signed_in, pmo):
    response = signed_in(pmo).get(SETTINGS)

    assert response.status_code == 200
    page = _text(response)
    assert "Not published" in page and "a contact address or a feedback form" in page
    assert page.index("Not published") < page.index('value="site"') < page.index("<table")
    assert "Public themes" in page and "Public measures" in page
    # Basket C measures management has not decided on are private by default, said in words.
    assert "Not public: basket C not yet decided" in page and "Public (by default)" in page


def test_settings_page__publish__residents_can_read_the_site(signed_in, pmo, ita):
    client = signed_in(pmo)

    response = client.post(SETTINGS, _site_post())

    assert response.status_code == 302
    assert read_site(ita, "fi").resident_text.text == "Palveluja verkossa."
    page = _text(client.get(SETTINGS))
    assert "Published to residents" in page and f'href="/public/{P}/"' in page
    assert "Residents read version 2 of the programme" in page


def test_settings_page__published__public_home_answers(signed_in, pmo, client):
    try:
        get_template("public/home.html")
    except TemplateDoesNotExist:
        pytest.skip("the public pages' templates are not in this tree yet")
    signed_in(pmo).post(SETTINGS, _site_post())
    client.logout()

    assert client.get(f"/public/{P}/").status_code == 200


def test_settings_page__publish_without_contact__refused_and_typed_kept(signed_in, pmo, ita):
    response = signed_in(pmo).post(SETTINGS, _site_post(contact_email="", resident_text_sv="Tjänster på nätet."))

    assert response.status_code == 400
    page = _text(response)
    assert "Give a contact and feedback address or the address of a feedback form before publishing" in page
    assert "data-error-summary" in page and "Tjänster på nätet." in page
    assert not PublicSite.objects.filter(programme=ita).exists()


def test_settings_page__publish_without_approved_version__refused_with_message(signed_in, pmo, ita):
    from karki.programmes import services as programme_services

    programme = programme_services.create_programme(
        organisation=ita.organisation, slug="luonnos-2026-2028", name={"fi": "Luonnosohjelma"}, period_start=2026,
        period_end=2028, by=pmo)
    programme_services.create_version(programme=programme, by=pmo)
    url = reverse("public:office", args=[programme.slug])
    client = signed_in(pmo)
    assert "an approved version of the programme" in _text(client.get(url))

    response = client.post(url, _site_post())

    assert response.status_code == 400
    assert "The programme has no approved version yet" in _text(response)


def test_settings_page__stale_save__refused_and_typed_kept(signed_in, pmo, ita):
    site = services.save_site(ita, by=pmo, revision=None, is_published=False, resident_text={}, contact_name="",
                              contact_email="muutos@example.fi", feedback_url="")
    services.save_site(ita, by=pmo, revision=site.revision, is_published=False, resident_text={},
                       contact_name="Ohjelmatoimisto", contact_email="muutos@example.fi", feedback_url="")

    response = signed_in(pmo).post(SETTINGS, _site_post(revision=str(site.revision), contact_name="Minun nimeni",
                                                        resident_text_en="My own text."))

    assert response.status_code == 400
    page = _text(response)
    assert "Saved by someone else while you were editing" in page
    assert "Ohjelmatoimisto" in page  # what was saved meanwhile
    assert 'value="Minun nimeni"' in page and "My own text." in page  # what was typed
    site.refresh_from_db()
    assert site.contact_name == "Ohjelmatoimisto" and not site.is_published


def _list_post(rows: dict[tuple[str, str], tuple[str, str, int]]) -> dict:
    """{(kind, code): (chosen, opened with, revision)} as the list posts them."""
    data = {"save": "visibility"}
    for (kind, code), (chosen, was, revision) in rows.items():
        data |= {f"v-{kind}-{code}": chosen, f"was-{kind}-{code}": was, f"rev-{kind}-{code}": str(revision)}
    return data


def test_settings_page__visibility_of_many_rows__one_save(signed_in, pmo, ita):
    client = signed_in(pmo)

    response = client.post(SETTINGS, _list_post({
        ("theme", "2"): ("private", "default", 0), ("measure", "3.1.a"): ("private", "default", 0),
        ("measure", "C.1"): ("public", "default", 0), ("measure", "3.1.b"): ("default", "default", 0)}))

    assert response.status_code == 302
    stored = dict(PublicEntry.objects.filter(programme=ita).values_list("code", "visibility"))
    assert stored == {"2": "private", "3.1.a": "private", "C.1": "public"}
    page = _text(client.get(SETTINGS))
    assert "Not public: its theme is not public" in page and "Public (chosen)" in page


def test_settings_page__visibility_saved_meanwhile__nothing_saved_and_choices_kept(signed_in, pmo, ita):
    services.set_visibility(ita, by=pmo, changes={("measure", "3.1.a"): "public"})

    response = signed_in(pmo).post(SETTINGS, _list_post({
        ("theme", "2"): ("private", "default", 0), ("measure", "3.1.a"): ("private", "default", 0)}))

    assert response.status_code == 400
    page = _text(response)
    assert "Someone else saved the public site settings of 3.1.a meanwhile" in page
    assert "Saved meanwhile: Public" in page
    assert re.search(r'name="v-theme-2"[^>]*>.*?<option value="private" selected>', page)  # the choices stay
    assert not PublicEntry.objects.filter(programme=ita, code="2").exists()
    # Saving again builds on what is stored now.
    assert re.search(r'name="rev-measure-3\.1\.a" value="1"', page)


def test_settings_page__filter__public_without_resident_text(signed_in, pmo, ita):
    services.save_entry(ita, kind="measure", code="3.1.a", by=pmo, revision=None, visibility="default",
                        resident_text={"fi": "Asioi verkossa."}, services={}, areas={})

    page = _text(signed_in(pmo).get(SETTINGS + "?show=no-text"))

    assert 'id="row-measure-3.1.b"' in page and 'id="row-measure-3.1.a"' not in page
    assert 'id="row-measure-C.1"' not in page  # not public: no text needed


def test_entry_edit__saves_texts_in_each_language(signed_in, pmo, ita):
    client = signed_in(pmo)
    page = _text(client.get(entry_url("measure", "3.1.a")))
    assert "Measure 3.1.a" in page and "In Swedish" in page and "Residents see" in page

    response = client.post(entry_url("measure", "3.1.a"), {
        "revision": "0", "visibility": "public", "resident_text_fi": "Asioi verkossa.",
        "resident_text_sv": "Uträtta på nätet.", "resident_text_en": "", "services_fi": "kotihoito",
        "services_sv": "hemvård", "services_en": "", "areas_fi": "", "areas_sv": "", "areas_en": ""})

    assert response.status_code == 302 and response["Location"].endswith("#row-measure-3.1.a")
    entry = PublicEntry.objects.get(programme=ita, kind="measure", code="3.1.a")
    assert (entry.visibility, entry.resident_text_sv, entry.services_sv) == ("public", "Uträtta på nätet.", "hemvård")
    assert entry.updated_by == pmo


def test_entry_edit__stale_save__refused_and_typed_kept(signed_in, pmo, ita):
    entry = services.save_entry(ita, kind="theme", code="1", by=pmo, revision=None, visibility="default",
                                resident_text={"fi": "Ensimmäinen."}, services={}, areas={})
    services.save_entry(ita, kind="theme", code="1", by=pmo, revision=entry.revision, visibility="default",
                        resident_text={"fi": "Toisen tallentama."}, services={}, areas={})

    response = signed_in(pmo).post(entry_url("theme", "1"), {
        "revision": str(entry.revision), "visibility": "private", "resident_text_fi": "Minun tekstini."})

    assert response.status_code == 400
    page = _text(response)
    assert "Saved by someone else while you were editing" in page and "Toisen tallentama." in page
    assert "Minun tekstini." in page
    entry.refresh_from_db()
    assert entry.resident_text_fi == "Toisen tallentama."


@pytest.mark.parametrize(("kind", "code"), [("measure", "9.9.z"), ("target", "1.1"), ("theme", "3.1.a")])
def test_entry_edit__not_a_theme_or_measure__404(signed_in, pmo, kind, code):
    assert signed_in(pmo).get(entry_url(kind, code)).status_code == 404


def test_entry_edit__code_only_in_the_draft__editable(signed_in, pmo, draft):
    from karki.programmes import services as programme_services

    programme_services.create_theme(version=draft, code="8", name={"fi": "Uusi teema"}, by=pmo)

    response = signed_in(pmo).get(entry_url("theme", "8"))

    assert response.status_code == 200 and "only in draft version 3" in _text(response)


@pytest.mark.parametrize("url", [SETTINGS, entry_url("measure", "3.1.a")])
def test_office_pages__measure_owner_and_viewer__403(signed_in, measure_owner, viewer, url):
    assert signed_in(measure_owner).get(url).status_code == 403
    assert signed_in(viewer).post(url, _site_post()).status_code == 403


@pytest.mark.parametrize("url", [SETTINGS, entry_url("measure", "3.1.a")])
def test_office_pages__another_county__404(signed_in, outsider, url):
    assert signed_in(outsider).get(url).status_code == 404


def test_office_pages__not_signed_in__sent_to_sign_in(client):
    response = client.get(SETTINGS)

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_programme_history__shows_who_published(signed_in, pmo, ita):
    client = signed_in(pmo)
    client.post(SETTINGS, _site_post())

    page = _text(client.get(reverse("audit:programme-history", args=[P]) + "?kind=publicsite"))

    assert "published to residents" in page and "muutos@example.fi" in page
    assert (pmo.get_full_name() or pmo.get_username()) in page


def test_programme_nav__public_site_for_the_programme_office_only(signed_in, pmo, viewer):
    programme_page = reverse("programmes:programme-detail", args=[P])

    assert f'href="{SETTINGS}"' in signed_in(pmo).get(programme_page).content.decode()
    assert f'href="{SETTINGS}"' not in signed_in(viewer).get(programme_page).content.decode()
