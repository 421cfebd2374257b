"""The public site's pages as a resident meets them: the demo's Kymenlaakso programme is published with its
resident texts and two issued interim reports (6/2024 and 12/2024); Itä-Uusimaa's is not published."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from karki.lib.formatting import format_meur
from karki.programmes.models import Measure, Theme
from karki.public import cache
from karki.public.enums import EntryKind, Visibility
from karki.public.models import PublicEntry, PublicSite
from karki.public.reading import public_version

SLUG = "kymenlaakso-2023-2025"
HIDDEN = "1.2.a"  # a measure of theme 1 with a resident text in the demo
ROOT = f"/public/{SLUG}/"


def address(lang: str, page: str = "") -> str:
    return ROOT + ("" if lang == "fi" else f"{lang}/") + page


@pytest.fixture(autouse=True)
def _fresh_cache():
    """A page kept by an earlier test was made from that test's (rolled back) data."""
    cache.clear()
    yield
    cache.clear()


def text_of(response) -> str:
    """The page's visible text with its spaces made plain (figures use no-break and narrow no-break spaces)."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", body, flags=re.S)
    return " ".join(body.replace("\u00a0", " ").replace("\u202f", " ").split())


def plain(value: str) -> str:
    return value.replace("\u00a0", " ").replace("\u202f", " ")


# Each page type with words or figures that only it shows, in Finnish and in Swedish. Interface words in
# Swedish come from the catalogue; content (names, resident texts) is the county's Finnish in both.
PAGES = {
    "home": ("", {"fi": ["Kymenlaakson hyvinvointialueen tuottavuusohjelma", "12/2024"],
                  "sv": ["Kymmenedalens välfärdsområde", "12/2024"]}),
    "changes": ("changes/", {"fi": ["Pääset osallistumaan hoitoosi", 'name="service"'],
                             "sv": ["Pääset osallistumaan hoitoosi", 'name="service"']}),
    "theme": ("themes/1/", {"fi": ["Digi ja asiakasohjaus", "1.3.b", "Digitalisoitujen palvelujen osuus"],
                            "sv": ["Digi ja asiakasohjaus", "1.3.b", "Digitalisoitujen palvelujen osuus"]}),
    "measure": ("measures/1.3.b/", {"fi": ["Pääset osallistumaan hoitoosi", "Hyödyt realisoituneet", "6/2024"],
                                    "sv": ["Pääset osallistumaan hoitoosi", "Nyttan realiserad", "6/2024"]}),
    "reports": ("reports/", {"fi": ["12/2024", "6/2024", 'name="a"'], "sv": ["12/2024", "6/2024", 'name="a"']}),
    "report": ("reports/1/", {"fi": ["6/2024", "4.1.c"], "sv": ["6/2024", "4.1.c"]}),
    "compare": ("reports/compare/?a=1&b=2", {"fi": ["6/2024", "12/2024", "1.1.a"],
                                             "sv": ["6/2024", "12/2024", "1.1.a"]}),
    "accessibility": ("accessibility/", {"fi": ["tuottavuusohjelma@example.org", "306/2019"],
                                         "sv": ["tuottavuusohjelma@example.org", "306/2019"]}),
}
CASES = [(name, lang) for name in PAGES for lang in ("fi", "sv")]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{n}-{lang}" for n, lang in CASES])
def test_page__published_programme__answers_with_its_content_in_the_language(client, name, lang):
    page, expected = PAGES[name]
    response = client.get(address(lang, page))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert response["Content-Language"] == lang
    for piece in expected[lang]:
        assert piece in html, f"{name} ({lang}) lacks {piece!r}"
    # Every title is the page's own, then the programme's name.
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip().endswith("Kymenlaakson hyvinvointialueen tuottavuusohjelma 2023–2025")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_home__latest_report__realised_savings_against_target_with_source(client, lang):
    text = text_of(client.get(address(lang)))
    # The frozen figures of interim report 2 (12/2024): 8,5 M€ realised in 2024, 0,2 M€ of it one-off,
    # 3,9 M€ verified by finance, against the yearly target level 78 M€ for 2025.
    for amount in ("8535185", "8307229", "227956", "3903462", "78000000"):
        assert plain(format_meur(Decimal(amount), lang)) in text, amount
    assert "11 %" in text  # the recurring savings' share of the target level, as the council report gives it
    source = {"fi": "Lähde: osavuosikatsaus 2 (12/2024)", "sv": "Källa: delårsrapport 2 (12/2024)"}[lang]
    assert source in text or "interim report 2 (12/2024)" in text  # (the Swedish catalogue may lag behind)


@pytest.mark.django_db
def test_home__themes__status_counts_as_words_and_icons(client):
    html = client.get(address("fi")).content.decode()
    # Theme 1's nine measures in report 2: one on track, four at risk, one off track, three not reported.
    card = html[html.index('href="/public/kymenlaakso-2023-2025/themes/1/"'):]
    card = card[:card.index("</li>\n    \n    <li")]
    icon = '<span class="status-icon" aria-hidden="true">'
    assert f'status-green">{icon}✔</span> Aikataulussa <strong>1' in card
    assert f'status-amber">{icon}▲</span> Riskissä <strong>4' in card
    assert f'status-red">{icon}✖</span> Ei aikataulussa <strong>1' in card


@pytest.mark.django_db
def test_measure_page__not_reported_in_latest__says_so_and_gives_the_earlier_status(client):
    text = text_of(client.get(address("fi", "measures/1.2.a/")))
    assert "Ei raportoitu" in text or "Not reported" in text
    assert "6/2024: Peruttu, Ei aikataulussa" in text


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_measure_page__hidden_measure__404_and_absent_elsewhere(client, kym, lang):
    PublicEntry.objects.filter(programme=kym, kind=EntryKind.MEASURE, code=HIDDEN).update(
        visibility=Visibility.PRIVATE)
    response = client.get(address(lang, f"measures/{HIDDEN}/"))
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.content.decode()
    for page in ("", "changes/", "changes/?service=Vastaanottopalvelut", "themes/1/", "reports/", "reports/1/",
                 "reports/2/", "reports/compare/?a=1&b=2"):
        html = client.get(address(lang, page)).content.decode()
        assert HIDDEN not in html, f"{page or 'home'} ({lang}) shows the hidden measure"
        assert "suunnitella ja rakentaa digitaalinen sote-keskus" not in html


@pytest.mark.django_db
def test_theme_page__hidden_theme__404_with_its_measures(client, kym):
    PublicEntry.objects.create(programme=kym, kind=EntryKind.THEME, code="2", visibility=Visibility.PRIVATE)
    assert client.get(address("fi", "themes/2/")).status_code == 404
    assert client.get(address("fi", "measures/2.1.a/")).status_code == 404
    assert "Ostopalvelut" not in client.get(address("fi")).content.decode()


@pytest.mark.django_db
def test_pages__owner_names__never_shown(client, kym):
    """Measure owners are staff, not published contact persons: neither the name written in the programme
    nor the owner's user account shows on any page."""
    version = public_version(kym)
    owner = get_user_model().objects.get(username="measure-owner.kymenlaakso")
    get_user_model().objects.filter(pk=owner.pk).update(first_name="Olavi", last_name="Omistajainen")
    # The approved version is frozen for Kärki's own writes; the test writes past that guard.
    QuerySet.update(Measure.objects.filter(version=version), owner_name="Ulla Vastuullinen-Testinen", owner=owner)
    QuerySet.update(Theme.objects.filter(version=version), owner_name="Teemu Teemanvetäjä")
    cache.clear()
    pages = ["", "changes/", "changes/?service=Kotihoito", "changes/?q=etänä", "reports/", "reports/1/",
             "reports/2/", "reports/compare/", "accessibility/", "measures/zz/"]
    pages += [f"themes/{code}/" for code in ("1", "2", "3", "4")]
    pages += [f"measures/{m.code}/" for m in Measure.objects.filter(version=version)]
    for lang in ("fi", "sv"):
        for page in pages:
            html = client.get(address(lang, page)).content.decode()
            for name in ("Vastuullinen-Testinen", "Omistajainen", "Olavi", "Teemanvetäjä", "measure-owner"):
                assert name not in html, f"{page} ({lang}) shows {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "sv/", "changes/", "themes/1/", "measures/1.1.a/", "reports/", "reports/1/",
                                  "sv/accessibility/"])
def test_pages__unpublished_programme__404(client, page):
    response = client.get(f"/public/ita-uusimaa-2023-2026/{page}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Itä-Uusimaa" not in html and "Itä-Uudenmaan" not in html
    assert f'<html lang="{"sv" if page.startswith("sv/") else "fi"}">' in html


@pytest.mark.django_db
def test_changes__search_by_service__finds_the_texts_that_name_it(client):
    response = client.get(address("fi", "changes/"), {"service": "Kotihoito"})
    html = response.content.decode()
    found = set(re.findall(r'href="/public/kymenlaakso-2023-2025/measures/([^/]+)/"', html))
    # The demo names Kotihoito (home care) for 1.3.b and 4.1.a only.
    assert found == {"1.3.b", "4.1.a"}
    assert 'role="status"' in html and "2" in re.search(r'id="result-count">(.*?)</p>', html, re.S).group(1)
    assert '<option value="Kotihoito" selected>' in html


@pytest.mark.django_db
def test_changes__words_and_service__both_must_match(client):
    html = client.get(address("fi", "changes/"), {"q": "kotiin", "service": "Kotihoito"}).content.decode()
    found = set(re.findall(r'href="/public/kymenlaakso-2023-2025/measures/([^/]+)/"', html))
    assert found == {"4.1.a"}


@pytest.mark.django_db
def test_changes__no_areas_named__no_area_select(client, kym):
    assert 'name="area"' not in client.get(address("fi", "changes/")).content.decode()
    PublicEntry.objects.filter(programme=kym, kind=EntryKind.MEASURE, code="4.1.b").update(areas_fi="Kotka")
    html = client.get(address("fi", "changes/"), {"area": "Kotka"}).content.decode()
    assert 'name="area"' in html and '<option value="Kotka" selected>' in html
    found = set(re.findall(r'href="/public/kymenlaakso-2023-2025/measures/([^/]+)/"', html))
    assert "4.1.b" in found  # named for Kotka
    assert "1.1.a" in found  # names no area: it concerns the whole county


@pytest.mark.django_db
def test_changes__unknown_service__shows_everything_unfiltered(client):
    html = client.get(address("fi", "changes/"), {"service": "<script>"}).content.decode()
    assert "<script>" not in html
    assert "1.1.a" in html and "4.1.b" in html


@pytest.mark.django_db
def test_compare__two_reports__totals_side_by_side_and_changed_measures(client):
    text = text_of(client.get(address("fi", "reports/compare/"), {"a": "2", "b": "1"}))
    # Either order: the earlier report on the left.
    assert text.index("6/2024") < text.index("12/2024")
    assert "+6,0 M€" in text  # realised in 2024: 2,5 M€ by June, 8,5 M€ by December
    assert "1.3.b" not in text  # benefits realised and at risk in both reports: unchanged
    assert "1.2.a" in text


@pytest.mark.django_db
def test_compare__unknown_report__404(client):
    assert client.get(address("fi", "reports/compare/"), {"a": "1", "b": "9"}).status_code == 404
    assert client.get(address("fi", "reports/9/")).status_code == 404


@pytest.mark.django_db
def test_swedish_page__finnish_content__marked_with_its_language(client):
    html = client.get(address("sv", "themes/1/")).content.decode()
    assert '<span lang="fi" class="fallback">Digi ja asiakasohjaus</span>' in html
    assert '<div lang="fi" class="fallback"><p>Voit asioida' in html


PUBLIC_ADDRESSES = ["", "sv/", "en/", "changes/", "changes/?service=Kotihoito", "changes/?q=koti", "themes/1/",
                    "measures/1.1.a/", "reports/", "reports/2/", "reports/compare/?a=1&b=2", "accessibility/",
                    "measures/zz/", "sv/reports/9/"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PUBLIC_ADDRESSES)
def test_public_response__no_cookie_and_no_vary_on_cookie(client, page):
    response = client.get(address("fi", page))
    assert response.status_code in (200, 404)
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/public/", "/public/sv/", "/public/ita-uusimaa-2023-2026/"])
def test_public_response__index_and_unpublished__no_cookie(client, url):
    response = client.get(url)
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()


@pytest.mark.django_db
def test_index__lists_published_programmes_only(client):
    html = client.get("/public/").content.decode()
    assert f'href="/public/{SLUG}/"' in html
    assert "ita-uusimaa" not in html


@pytest.mark.django_db
def test_not_found__in_the_address_language__links_home(client):
    response = client.get(address("sv", "measures/zz/"))
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert f'href="/public/{SLUG}/sv/"' in html


@pytest.mark.django_db
def test_measure_page__estimate_and_horizon__in_finnish_formats(client, ita):
    """Itä-Uusimaa published: its basket B measures carry their own estimates (a range, recurring)."""
    PublicSite.objects.create(programme=ita, is_published=True)
    text = text_of(client.get("/public/ita-uusimaa-2023-2026/measures/B.1/"))
    assert "0,6–1,2 M€" in text
    assert "Lyhyt (noin 1 vuosi)" in text
    sv = text_of(client.get("/public/ita-uusimaa-2023-2026/sv/measures/B.1/"))
    assert "0,6–1,2 mn €" in sv
    # A basket C measure management has not decided on stays private.
    assert client.get("/public/ita-uusimaa-2023-2026/measures/C.1/").status_code == 404


@pytest.mark.django_db
def test_pages__no_report_issued_yet__say_so_instead_of_figures(client, ita):
    from karki.reports.models import CouncilReport

    PublicSite.objects.create(programme=ita, is_published=True)
    assert not CouncilReport.objects.filter(programme=ita).exists()
    root = "/public/ita-uusimaa-2023-2026/"
    for page in ("", "themes/1/", "measures/3.1.a/", "reports/", "reports/compare/", "changes/"):
        response = client.get(root + page)
        assert response.status_code == 200, page
    text = text_of(client.get(root))
    assert "M€" not in text  # no figures without an issued report
    assert "Osavuosikatsauksia ei ole vielä julkaistu" in text or "No interim report has been issued yet" in text
