"""The accessibility statement: public, in every language, linked from every page, with the feedback
channel and the supervisory authority from the settings."""

import pytest
from django.urls import reverse


def _get(client, language, url=None):
    client.cookies["karki_language"] = language
    return client.get(url or reverse("core:accessibility"))


@pytest.mark.parametrize(("language", "heading"), [
    ("fi", "Saavutettavuusseloste"), ("sv", "Tillgänglighetsutlåtande"), ("en", "Accessibility statement"),
])
def test_statement__anonymous_visitor__reads_it_in_their_language(client, language, heading):
    response = _get(client, language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<html lang="{language}">' in html
    assert "WCAG 2.1" in html


def test_statement__feedback_address_set__shown_as_mail_link(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "saavutettavuus@ita-uusimaa.example"
    html = _get(client, "fi").content.decode()
    assert 'href="mailto:saavutettavuus@ita-uusimaa.example"' in html


def test_statement__no_feedback_address__points_to_the_programme_office(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = ""
    html = _get(client, "en").content.decode()
    assert "mailto:" not in html.split("Enforcement procedure")[0].split("Feedback")[-1]
    assert "programme office of your organisation" in html


def test_statement__authority_from_settings__replaces_the_default(client, settings):
    settings.ACCESSIBILITY_AUTHORITY_NAME = "Saavutettavuusvalvonta"
    settings.ACCESSIBILITY_AUTHORITY_EMAIL = "valvonta@example.fi"
    html = _get(client, "fi").content.decode()
    assert "Saavutettavuusvalvonta" in html and "mailto:valvonta@example.fi" in html
    assert "Lupa- ja valvontavirasto" not in html


def test_statement__default_authority__named_with_its_site(client):
    html = _get(client, "sv").content.decode()
    assert "Lupa- ja valvontavirasto" in html
    assert 'href="https://www.saavutettavuusvaatimukset.fi/"' in html


@pytest.mark.parametrize("url_name", ["accounts:login", "core:accessibility"])
def test_footer__pages_without_sign_in__link_to_the_statement(client, url_name):
    html = _get(client, "fi", reverse(url_name)).content.decode()
    footer = html.split('<footer class="site-footer">')[1]
    assert f'href="{reverse("core:accessibility")}"' in footer


def test_footer__signed_in_page__links_to_the_statement(client_for, pmo):
    html = client_for(pmo).get(reverse("programmes:programme-list")).content.decode()
    assert f'href="{reverse("core:accessibility")}"' in html.split('<footer class="site-footer">')[1]
