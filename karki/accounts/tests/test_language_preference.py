"""The interface language a signed-in person chooses is kept with their account: it follows them to
another browser at sign-in and e-mails to them are written in it."""

from django.test import Client
from django.urls import reverse

from conftest import DEMO_PASSWORD
from karki.accounts.models import Preferences


def test_language_switch__signed_in__remembered_with_the_account(viewer, client_for):
    response = client_for(viewer).get(reverse("core:set-language", args=["sv"]) + "?next=/programmes/")
    assert response.status_code == 302 and response.cookies["karki_language"].value == "sv"
    assert Preferences.objects.get(user=viewer).language == "sv"
    client_for(viewer).get(reverse("core:set-language", args=["en"]))
    assert Preferences.objects.get(user=viewer).language == "en"


def test_language_switch__anonymous_or_unknown_language__nothing_remembered(viewer, client):
    client.get(reverse("core:set-language", args=["sv"]))
    client.force_login(viewer)
    client.get(reverse("core:set-language", args=["de"]))
    assert not Preferences.objects.filter(user=viewer).exists()


def test_sign_in__on_another_browser__the_chosen_language_is_used(viewer, client_for):
    client_for(viewer).get(reverse("core:set-language", args=["sv"]))
    other = Client()
    other.cookies["karki_language"] = "fi"  # left on a shared computer by someone else
    response = other.post(reverse("accounts:login"), {"username": viewer.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.cookies["karki_language"].value == "sv"
    page = other.get(response.url).content.decode()
    assert '<html lang="sv">' in page


def test_sign_in__nothing_chosen__browser_language_left_alone(viewer):
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": viewer.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and "karki_language" not in response.cookies
