"""A resident on the public site with the keyboard alone (Tab, Shift+Tab, Enter and the arrow keys; no mouse
click anywhere), not signed in: from the skip link through the navigation to a theme and one of its measures,
then "what changes for you" searched by service, with axe-core checking each page on the way."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from karki.browser.pages import PUBLIC_PROGRAMME

from .conftest import MOBILE
from .keyboard import activate, choose, focused, tab_to
from .test_accessibility import assert_accessible

HOME = f"/public/{PUBLIC_PROGRAMME}/"
SERVICE = "Kotihoito"  # home care: the demo names it for measures 1.3.b and 4.1.a


def test_journey__keyboard_only__resident_finds_a_measure_and_what_changes_by_service(new_context):
    page = new_context(None)
    response = page.goto(HOME)
    assert "set-cookie" not in response.headers  # nothing of the visitor is kept
    assert_accessible(page, "the public home page")

    # The first Tab reaches the skip link; Enter takes the focus to the main content.
    page.keyboard.press("Tab")
    assert focused(page, "a.ds-skip-link"), "the first Tab does not reach the skip link"
    page.keyboard.press("Enter")
    assert focused(page, "main#main")

    # Back up to the site's navigation, then forward through it to the first theme.
    tab_to(page, page.locator("nav.public-nav a").first, what="the navigation's first link", backwards=True)
    activate(page, page.locator(f'main a[href="{HOME}themes/1/"]'), what="theme 1's card")
    page.wait_for_url(f"**{HOME}themes/1/")
    assert page.locator("h1").inner_text().startswith("1 ")
    assert_accessible(page, "the theme page")

    # A measure of the theme, from its table.
    activate(page, page.locator(f'main table a[href="{HOME}measures/1.3.b/"]'), what="measure 1.3.b")
    page.wait_for_url(f"**{HOME}measures/1.3.b/")
    assert "1.3.b" in page.locator("h1").inner_text()
    assert page.locator(".standing .status").count() == 1  # its status as a word and an icon
    assert_accessible(page, "the measure page")

    # "What changes for you" from the navigation, searched by service with the arrow keys and Enter.
    activate(page, page.locator(f'nav.public-nav a[href="{HOME}changes/"]'), what="What changes for you")
    page.wait_for_url(f"**{HOME}changes/")
    assert page.locator('nav.public-nav a[aria-current="page"]').get_attribute("href") == f"{HOME}changes/"
    choose(page, page.locator("#service"), SERVICE, what="the service")
    activate(page, page.locator("form.search-form button[type=submit]"), what="the search button")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("service") == [SERVICE])
    assert page.locator("#service").evaluate("el => el.value") == SERVICE  # the choice stays shown
    count = page.locator("#result-count")
    assert count.get_attribute("role") == "status"
    assert "2" in count.inner_text()
    found = page.locator(f'main .change-item h3 a[href^="{HOME}measures/"]')
    assert sorted(found.evaluate_all("links => links.map(a => a.getAttribute('href'))")) == [
        f"{HOME}measures/1.3.b/", f"{HOME}measures/4.1.a/"]
    assert_accessible(page, "the search results")

    # A result leads to its measure.
    activate(page, found.last, what="the second result")
    page.wait_for_url(f"**{HOME}measures/4.1.a/")


def test_public_pages__phone_width__keyboard_reaches_the_search_without_sideways_scrolling(new_context):
    page = new_context(None, viewport=MOBILE)
    page.goto(f"{HOME}sv/changes/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    tab_to(page, page.locator("#q"), what="the search words")
    page.keyboard.type("kotiin")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["kotiin"])
    assert urlsplit(page.url).path == f"{HOME}sv/changes/"
    assert page.locator("#result-count").inner_text().strip()
    assert_accessible(page, "the Swedish search results at 375 px")


def test_public_not_found__in_finnish_and_swedish__accessible_and_in_the_address_language(new_context):
    """The public site's own 404 (a measure that is not public, a programme that is not published)."""
    page = new_context(None)
    for address, lang in ((f"{HOME}measures/ei-ole/", "fi"), (f"{HOME}sv/measures/finns-inte/", "sv"),
                          ("/public/ita-uusimaa-2023-2026/sv/", "sv")):
        response = page.goto(address)
        assert response.status == 404, address
        assert page.locator("html").get_attribute("lang") == lang
        assert_accessible(page, f"the public 404 page ({address})")
