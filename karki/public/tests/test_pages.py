"""The public site's pages as a resident meets them: the demo's Kymenlaakso programme is published with its
resident texts and two issued interim reports; Itä-Uusimaa's is not published. The demo's figures and periods are
read from the site, not written out here."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from karki.lib.formatting import format_meur, format_percent
from karki.monitoring.enums import Phase, TrafficLight
from karki.programmes.models import Measure, Theme
from karki.public import cache
from karki.public.enums import EntryKind, Visibility
from karki.public.models import PublicEntry, PublicSite
from karki.public.reading import compare as compare_reports
from karki.public.reading import public_programme, public_version, read_site
from karki.public.views.pages import theme_statuses

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


def demo_site(lang: str = "fi"):
    """The site as the reader gives it: the tests read the demo's figures and periods from it rather than
    writing them out, so that they hold when the demo's invented reports change."""
    return read_site(public_programme(SLUG), lang)


def latest_label(lang: str) -> str:
    return demo_site(lang).latest_report.period_label


# Each page type with what only it shows, in Finnish and in Swedish (a function of the site in that language).
# Interface words in Swedish come from the catalogue; content (names, resident texts) is the county's Finnish.
PAGES = {
    "home": ("", lambda site: [site.programme.organisation.name, site.latest_report.period_label]),
    "changes": ("changes/", lambda site: ["Pääset osallistumaan hoitoosi", 'name="service"']),
    "theme": ("themes/1/", lambda site: ["Digi ja asiakasohjaus", "1.3.b", "Digitalisoitujen palvelujen osuus"]),
    "measure": ("measures/1.3.b/", lambda site: ["Pääset osallistumaan hoitoosi",
                                                  *(u.phase_label for u in site.measures["1.3.b"].updates[-1:])]),
    "reports": ("reports/", lambda site: [*(r.period_label for r in site.reports), 'name="a"']),
    "report": ("reports/1/", lambda site: [site.report(1).period_label, "4.1.c"]),
    "compare": ("reports/compare/?a=1&b=2", lambda site: [site.report(1).period_label, site.report(2).period_label,
                                                           *(m.code for m, _a, _b in compare_reports(
                                                               site.report(1), site.report(2), site)["changed"][:1])]),
    "accessibility": ("accessibility/", lambda site: ["tuottavuusohjelma@example.org", "306/2019"]),
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
    for piece in expected(demo_site(lang)):
        assert piece in html, f"{name} ({lang}) lacks {piece!r}"
    # Every title is the page's own, then the programme's name.
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip().endswith("Kymenlaakson hyvinvointialueen tuottavuusohjelma 2023–2025")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_home__latest_report__realised_savings_against_target_with_source(client, lang):
    text = text_of(client.get(address(lang)))
    report = demo_site(lang).latest_report
    figures = report.figures
    # The latest issued report's frozen figures: realised in its year, of it recurring and one-off, verified by
    # finance, and the yearly target level they are set against.
    realised, one_off = figures["realised_year_eur"], figures["one_off_year_eur"]
    for amount in (realised, realised - one_off, one_off, figures["verified_year_eur"], figures["target_eur"]):
        assert plain(format_meur(amount, lang)) in text, amount
    # The recurring savings' share of the target level, as the council report gives it.
    assert plain(format_percent(figures["realised_year_pct"], lang)) in text
    source = {"fi": "Lähde: osavuosikatsaus", "sv": "Källa: delårsrapport"}[lang]
    where = f"{report.number} ({report.period_label})"
    # (until the catalogue has the new messages, the source line may be in English)
    assert f"{source} {where}" in text or f"interim report {where}" in text


@pytest.mark.django_db
def test_home__themes__status_counts_as_words_and_icons(client):
    html = client.get(address("fi")).content.decode()
    card = html[html.index('href="/public/kymenlaakso-2023-2025/themes/1/"'):]
    card = card[:card.index("</ul>")]  # the card up to the end of its list of statuses
    counts = theme_statuses(demo_site().theme("1"))
    assert counts.shown  # the demo's reports give theme 1's measures statuses
    icon = '<span class="status-icon" aria-hidden="true">'
    for count in counts.shown:
        assert f'status-{count.status}">{icon}{count.icon}</span> {count.label} <strong>{count.count}' in card


@pytest.mark.django_db
def test_measure_page__not_reported_in_latest__says_so_and_gives_the_earlier_status(client, kym):
    """A measure the latest report gives no status: the page says so, and what the report before said."""
    from karki.reports.models import CouncilReport

    latest = CouncilReport.objects.filter(programme=kym).order_by("-number").first()
    earlier = demo_site().report(latest.number - 1)
    before = next(row for row in earlier.figures["measures"] if row["code"] == "1.3.b")
    assert before["status"]
    figures = latest.figures
    for language in figures:
        for row in figures[language]["measures"]:
            if row["code"] == "1.3.b":
                row["phase"] = row["status"] = ""
    # Issued reports are frozen for Kärki's own writes; the test writes past that guard.
    QuerySet.update(CouncilReport.objects.filter(pk=latest.pk), figures=figures)
    cache.clear()
    text = text_of(client.get(address("fi", "measures/1.3.b/")))
    assert "Ei raportoitu" in text or "Not reported" in text
    phase = Phase(before["phase"]).label
    status = TrafficLight(before["status"]).label
    assert f"{earlier.period_label}: {phase}, {status}" in text


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
    site = demo_site()
    older, newer = site.report(1), site.report(2)
    text = text_of(client.get(address("fi", "reports/compare/"), {"a": "2", "b": "1"}))
    # Either order: the earlier report on the left.
    assert text.index(older.period_label) < text.index(newer.period_label)
    change = newer.figures["realised_year_eur"] - older.figures["realised_year_eur"]
    assert ("+" if change > 0 else "\u2212") + plain(format_meur(abs(change), "fi")) in text
    comparison = compare_reports(older, newer, site)
    changed = {m.code for m, _before, _after in comparison["changed"]}
    assert changed  # the demo's two reports differ
    html = client.get(address("fi", "reports/compare/"), {"a": "1", "b": "2"}).content.decode()
    section = html[html.index('id="changed-title"'):]
    shown = set(re.findall(r'href="/public/kymenlaakso-2023-2025/measures/([^/]+)/"', section))
    assert shown == changed


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


def test_changes__inflected_word__finds_its_text(client, db):
    """Residents write words as they say them: "kotihoitoon" finds the texts about "kotihoito"."""
    body = client.get("/public/kymenlaakso-2023-2025/changes/?q=kotihoitoon").content.decode()
    assert "Pääset osallistumaan hoitoosi" in body
    body = client.get("/public/kymenlaakso-2023-2025/changes/?q=toimipisteiden").content.decode()
    assert "Asiointipisteiden sijainnit saattavat muuttua" in body


def test_changes__place_the_programme_does_not_name__says_it_concerns_the_whole_county(client, db):
    body = client.get("/public/kymenlaakso-2023-2025/changes/?q=Kotka").content.decode()
    assert "Tekstejä ei löytynyt." in body and "koskevat koko hyvinvointialuetta" in body


def test_language_switch__keeps_the_search(client, db):
    body = client.get("/public/kymenlaakso-2023-2025/changes/?service=Kotihoito").content.decode()
    assert 'href="/public/kymenlaakso-2023-2025/sv/changes/?service=Kotihoito"' in body
    # The canonical address is the page itself, without the search.
    assert 'rel="canonical" href="http://' in body and '/changes/?service' not in body.split('rel="canonical"')[1][:120]
