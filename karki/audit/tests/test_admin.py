"""The history cannot be edited or deleted through the Django admin."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model

from karki.organisations.models import Organisation


@pytest.fixture
def superuser(db):
    return get_user_model().objects.get(username="admin")


def test_admin__history_is_readable(client_for, superuser):
    organisation = Organisation.objects.get(slug="ita-uusimaa")
    client = client_for(superuser)
    assert client.get(f"/admin/organisations/organisation/{organisation.pk}/history/").status_code == 200
    record = organisation.history.earliest("history_id")
    url = f"/admin/organisations/organisation/{organisation.pk}/history/{record.history_id}/"
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()  # no button that would revert


def test_admin__cannot_revert_history(client_for, superuser):
    organisation = Organisation.objects.get(slug="ita-uusimaa")
    organisation.name_fi = "Uusi nimi"
    organisation._history_user = superuser
    organisation.save()
    first = organisation.history.earliest("history_id")
    rows_before = organisation.history.count()
    url = f"/admin/organisations/organisation/{organisation.pk}/history/{first.history_id}/"
    response = client_for(superuser).post(url, {"slug": first.slug, "name_fi": first.name_fi, "_save": "1"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name_fi == "Uusi nimi" and organisation.history.count() == rows_before


def test_admin__history_rows_themselves_are_not_in_the_admin():
    registered = admin.site._registry
    assert not [model for model in registered if model.__name__.startswith("Historical")]
    for model_admin in registered.values():
        if hasattr(model_admin, "history_form_view"):
            assert model_admin.revert_disabled(None), f"{type(model_admin).__name__} allows revert"
