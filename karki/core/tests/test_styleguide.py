"""The style guide: the staff who build and theme Kärki see every component live, in their language;
nobody else sees it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff", password="x", is_staff=True)


@pytest.mark.parametrize(("language", "heading", "section"), [
    ("fi", "Tyyliopas", "Lomakkeet ja painikkeet"), ("sv", "Stilguide", "Formulär och knappar"),
    ("en", "Style guide", "Forms and buttons"),
])
def test_styleguide__staff__every_component_in_their_language(client, staff, language, heading, section):
    client.force_login(staff)
    client.cookies["karki_language"] = language
    html = client.get(reverse("core:styleguide")).content.decode()
    assert f"<h1>{heading}</h1>" in html and section in html
    for component in ('class="figure"', 'class="rag rag-green"',
                      'class="ds-alert"', "ds-error-summary", 'class="ds-table"', 'class="ds-button"',
                      'bar-chart', 'band-chart'):
        assert component in html, component


def test_styleguide__linked_from_the_footer_for_staff_only(client, staff, pmo):
    url = reverse("core:styleguide")
    client.force_login(staff)
    assert f'href="{url}"' in client.get(reverse("core:accessibility")).content.decode()
    client.force_login(pmo)
    assert f'href="{url}"' not in client.get(reverse("core:accessibility")).content.decode()


def test_styleguide__not_staff__refused_in_their_language(client, pmo):
    client.force_login(pmo)
    response = client.get(reverse("core:styleguide"))
    assert response.status_code == 403 and "<html" in response.content.decode()


def test_styleguide__anonymous__sent_to_sign_in(client):
    response = client.get(reverse("core:styleguide"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
