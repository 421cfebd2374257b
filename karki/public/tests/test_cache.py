"""Public pages are kept once rendered and made again as soon as what they show changes: a version
published, a report issued, the public settings changed — in this process and in any other (the tokens
in the database say so)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from karki.figures import marks
from karki.programmes.models import Programme, ProgrammeVersion
from karki.public import cache
from karki.public.enums import EntryKind
from karki.public.models import PublicEntry, PublicSite
from karki.reports.models import CouncilReport

pytestmark = pytest.mark.django_db

SLUG = "kymenlaakso-2023-2025"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _committed(programme) -> None:
    """What a commit does in a real request: the scope gets a new token (tests run in a transaction that is
    never committed, so it is done here)."""
    marks.pending().clear()
    marks.stamp({marks.programme_scope(programme.pk)})


def test_page__second_visit_served_from_memory_with_the_same_etag(client):
    first = client.get(f"/public/{SLUG}/")
    second = client.get(f"/public/{SLUG}/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert cache.stats()["hits"] >= 1


def test_page__unchanged_since_the_browser_got_it__304(client):
    etag = client.get(f"/public/{SLUG}/")["ETag"]
    response = client.get(f"/public/{SLUG}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_resident_text_changed__next_visit_shows_it(client):
    programme = Programme.objects.get(slug=SLUG)
    client.get(f"/public/{SLUG}/changes/")
    entry = PublicEntry.objects.get(programme=programme, kind=EntryKind.MEASURE, code="1.2.b")
    entry.resident_text_fi = "Uusi teksti asukkaille puhelinpalvelusta."
    entry.save()
    _committed(programme)
    assert "Uusi teksti asukkaille puhelinpalvelusta." in client.get(f"/public/{SLUG}/changes/").content.decode()


def test_kept_page__not_made_again_while_nothing_committed_changes(client):
    """The control of the test above: without a new token the kept page is served (it is really kept)."""
    programme = Programme.objects.get(slug=SLUG)
    before = client.get(f"/public/{SLUG}/changes/").content
    PublicEntry.objects.filter(programme=programme, code="1.2.b").update(resident_text_fi="Ei vielä näy")
    marks.pending().clear()  # as if another process wrote it and its commit had not yet been stamped
    assert client.get(f"/public/{SLUG}/changes/").content == before


def test_unpublished__next_visit_404_even_if_kept(client):
    programme = Programme.objects.get(slug=SLUG)
    assert client.get(f"/public/{SLUG}/").status_code == 200
    PublicSite.objects.filter(programme=programme).update(is_published=False)
    _committed(programme)
    assert client.get(f"/public/{SLUG}/").status_code == 404


def test_issuing_a_report_and_approving_a_version__give_the_programme_new_tokens():
    """The writes that change the public site mark the programme's scope (so kept pages are made again)."""
    programme = Programme.objects.get(slug=SLUG)
    report = CouncilReport.objects.for_programme(programme).first()
    version = ProgrammeVersion.objects.filter(programme=programme).first()
    site = PublicSite.objects.get(programme=programme)
    for row in (report, version, site):
        assert marks.programme_scope(programme.pk) in marks.scopes_of(row)


def test_public_page__made_without_the_visitor(client):
    """A signed-in visitor gets the very same page as anybody: nothing of the user is on it."""
    anonymous = client.get(f"/public/{SLUG}/").content
    cache.clear()
    client.force_login(get_user_model().objects.get(username="pmo.kymenlaakso"))
    signed_in = client.get(f"/public/{SLUG}/").content
    assert signed_in == anonymous
    assert b"pmo.kymenlaakso" not in signed_in
