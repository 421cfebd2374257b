"""The programme and measure history pages as their readers see them (in Finnish)."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import timezone

from karki.audit.history import format_when
from karki.lib import dates
from karki.programmes import services
from karki.programmes.enums import Horizon
from karki.programmes.models import Measure, ProgrammeVersion


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def _entries(page: str) -> list[str]:
    """The HTML of each history entry on a page, in order."""
    return re.findall(r'<li id="entry-[^"]+">(.*?)</li>', page, flags=re.S)


def _rows(entry: str) -> dict[str, tuple[str, str]]:
    """{field label: (before, after)} from an entry's change table."""
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td></tr>', entry, flags=re.S)
    return {_text(label): (_text(old), _text(new)) for label, old, new in rows}


@pytest.fixture
def named_pmo(pmo):
    pmo.first_name, pmo.last_name = "Paula", "Pomo"
    pmo.save()
    return pmo


def _edit_measure_through_form(client, ita, draft, measure):
    url = f"/programmes/{ita.slug}/v/{draft.number}/measures/{measure.code}/edit/"
    response = client.post(url, {
        "code": measure.code, "name_fi": "Erikoissairaanhoidon käytön vähentäminen", "name_sv": measure.name_sv,
        "description_sv": measure.description_sv, "basket": measure.basket, "target": measure.target_id,
        "horizon": "long", "difficulty": measure.difficulty, "revision": measure.revision,
    })
    assert response.status_code == 302


def test_programme_history__change_through_edit_form__author_and_old_to_new_in_finnish(
        client_for, named_pmo, viewer, ita, draft):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    old_name = measure.name_fi
    _edit_measure_through_form(client_for(named_pmo), ita, draft, measure)

    response = client_for(viewer).get(f"/programmes/{ita.slug}/history/")
    assert response.status_code == 200
    newest = _entries(response.content.decode())[0]
    assert "Paula Pomo" in newest
    assert "1.1.a" in newest
    rows = _rows(newest)
    assert rows["Realisoitumisaika"] == (str(Horizon.MEDIUM.label), str(Horizon.LONG.label))
    assert rows["Nimi (suomeksi)"] == (old_name or "– tyhjä", "Erikoissairaanhoidon käytön vähentäminen")
    assert "Nimi" not in rows  # the untranslated base column is not shown
    record = Measure.history.model.objects.filter(id=measure.pk).latest("history_id")
    stamp = format_when(record.history_date, "fi")
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}", stamp)
    assert stamp in newest
    assert f'datetime="{timezone.localtime(record.history_date).isoformat()}"' in newest
    assert '<th scope="col">' in newest and "<caption>" in newest


def test_measure_history__shows_changes_of_that_measure_only(client_for, named_pmo, viewer, ita, draft):
    services.set_estimate(item=Measure.objects.get(version=draft, code="1.1.b"),
                          estimate={"kind": "point", "amount_eur": "100"}, by=named_pmo)
    services.set_estimate(item=Measure.objects.get(version=draft, code="1.1.a"),
                          estimate={"kind": "point", "amount_eur": "250000.50"}, by=named_pmo)
    response = client_for(viewer).get(f"/programmes/{ita.slug}/v/{draft.number}/measures/1.1.a/history/")
    assert response.status_code == 200
    entries = _entries(response.content.decode())
    assert all("1.1.a" in entry and "1.1.b" not in entry for entry in entries)
    assert "Paula Pomo" in entries[0]
    assert _rows(entries[0])["Summa (€)"][1] == "250 000,50 €"  # cents kept (spaces normalised here)
    # the copy that started version 3 is the oldest entry, and it links to version 2's history
    assert len(entries) == 2
    assert f"/programmes/{ita.slug}/v/2/measures/1.1.a/history/" in response.content.decode()


def test_measure_page__links_to_its_history(client_for, viewer, ita):
    page = client_for(viewer).get(f"/programmes/{ita.slug}/v/2/measures/1.1.a/").content.decode()
    assert f'href="/programmes/{ita.slug}/v/2/measures/1.1.a/history/"' in page


def test_programme_page__links_to_its_history(client_for, viewer, ita):
    page = client_for(viewer).get(f"/programmes/{ita.slug}/").content.decode()
    assert f'href="/programmes/{ita.slug}/history/"' in page


@pytest.mark.parametrize("path", [
    "/programmes/{slug}/history/",
    "/programmes/{slug}/history/export.csv",
    "/programmes/{slug}/history/export.json",
    "/programmes/{slug}/v/2/measures/1.1.a/history/",
    "/api/v1/programmes/{slug}/history/",
])
def test_outsider__gets_404_for_history_and_export(client_for, outsider, ita, path):
    assert client_for(outsider).get(path.format(slug=ita.slug)).status_code == 404


def test_anonymous__sent_to_login(client, ita):
    response = client.get(f"/programmes/{ita.slug}/history/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_viewer__reads_history(client_for, viewer, ita):
    response = client_for(viewer).get(f"/programmes/{ita.slug}/history/")
    assert response.status_code == 200
    assert len(_entries(response.content.decode())) == 25
    assert "pmo.ita-uusimaa" in response.content.decode()


def test_history__pagination__accessible_links_and_pages_differ(client_for, viewer, ita):
    client = client_for(viewer)
    first = client.get(f"/programmes/{ita.slug}/history/?kind=measure").content.decode()
    assert re.search(r'<a href="\?kind=measure&amp;page=1" aria-current="page" aria-label="[^"]+">1</a>', first)
    assert re.search(r'<a href="\?kind=measure&amp;page=2" aria-label="[^"]+">2</a>', first)
    assert '<nav class="pagination" aria-label="' in first
    second = client.get(f"/programmes/{ita.slug}/history/?kind=measure&page=2").content.decode()
    assert 'aria-current="page" aria-label="' in second and "page=1" in second
    assert set(_entries(first)).isdisjoint(_entries(second))
    # a page past the end shows the last page instead of an error
    assert client.get(f"/programmes/{ita.slug}/history/?page=9999").status_code == 200


def test_history__filters__kind_version_person_dates(client_for, named_pmo, viewer, ita, draft):
    services.set_estimate(item=Measure.objects.get(version=draft, code="1.1.a"),
                          estimate={"kind": "point", "amount_eur": "1"}, by=viewer)
    client = client_for(viewer)
    url = f"/programmes/{ita.slug}/history/"

    by_kind = _entries(client.get(url, {"kind": "risk", "version": "2"}).content.decode())
    assert by_kind and all(re.search(r"R\d", _text(e)) and "versio 2" in _text(e) for e in by_kind)

    mine = _entries(client.get(url, {"user": viewer.pk}).content.decode())
    assert len(mine) == 1 and "1.1.a" in mine[0] and "viewer.ita-uusimaa" in mine[0]

    # the demo's own programme rows may be from yesterday (a run that crosses midnight): change it today
    ita.save()
    today = dates.today().isoformat()
    assert _entries(client.get(url, {"date_from": today, "kind": "programme"}).content.decode())
    assert not _entries(client.get(url, {"date_to": "2000-01-01"}).content.decode())

    # the filter form keeps what was chosen
    page = client.get(url, {"kind": "risk"}).content.decode()
    assert '<option value="risk" selected>' in page


def test_history__invalid_filter__shown_as_error_and_ignored(client_for, viewer, ita):
    response = client_for(viewer).get(f"/programmes/{ita.slug}/history/", {"date_from": "eilen", "kind": "measure"})
    page = response.content.decode()
    assert response.status_code == 200 and "data-error-summary" in page
    assert _entries(page) and all("Toimenpide" in _text(e) for e in _entries(page))  # the valid filter applies


def test_approved_version__history_shows_approver_and_time(client_for, named_pmo, viewer, ita, draft):
    services.create_theme(version=draft, code="9", name={"fi": "Uusi"}, by=named_pmo)
    services.approve_version(version=draft, by=named_pmo)
    version = ProgrammeVersion.objects.get(pk=draft.pk)
    page = client_for(viewer).get(f"/programmes/{ita.slug}/history/").content.decode()
    newest = _entries(page)[0]
    assert "Paula Pomo" in newest and format_when(version.approved_at, "fi") in newest
    rows = _rows(newest)
    assert rows["Tila"] == ("Luonnos", "Hyväksytty")
    assert rows["Hyväksyjä"][1] == "Paula Pomo"
    assert rows["Hyväksymisaika"][1] == format_when(version.approved_at, "fi")
    # and the table of approved versions at the top
    approvals = page.split("<caption>", 2)[1]
    assert "Paula Pomo" in approvals.split("</table>")[0]


def test_history_page__query_count_does_not_grow_with_history(client_for, viewer, ita, draft,
                                                               django_assert_max_num_queries):
    client = client_for(viewer)
    with django_assert_max_num_queries(30):
        assert client.get(f"/programmes/{ita.slug}/history/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"/programmes/{ita.slug}/history/?page=40").status_code == 200
