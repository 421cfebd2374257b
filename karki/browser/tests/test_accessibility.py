"""axe-core on every page of `karki.browser.pages`, in Finnish and in Swedish: any violation of a
WCAG 2.0/2.1 level A or AA rule fails, naming the rule, its impact and the elements. Also: each
page answers 200 in the language asked for, breaks no Content Security Policy rule, marks content
in another language with its `lang`, and has a title of its own in each language."""

from __future__ import annotations

import html
import re
from collections import defaultdict

import pytest
from axe_playwright_python.sync_playwright import Axe

from karki.browser.pages import PAGES

from .conftest import LANGUAGES

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}

_axe = Axe()


def axe_violations(page) -> list[str]:
    """The violations axe-core finds on the page as it is now, one readable line per rule and element."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    lines = []
    for violation in results["violations"]:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            selector = " ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    {selector}    {node['html'][:200]}")
    return lines


def assert_accessible(page, where: str = "") -> None:
    found = axe_violations(page)
    assert not found, f"WCAG 2.1 A/AA violations on {where or page.url}:\n" + "\n".join(found)


# Each table wider than its box, named by its caption, with its width and the box's.
WIDE_TABLES = """Array.from(document.querySelectorAll("main table")).map(t => {
  const box = t.closest(".table-scroll") || t.parentElement;
  const name = t.caption ? t.caption.textContent.trim().slice(0, 60) : (t.className || "table");
  return box.scrollWidth > box.clientWidth + 1 ? `${name}: ${box.scrollWidth} > ${box.clientWidth} px` : null;
}).filter(Boolean)"""

CASES = [(page, language) for page in PAGES for language in LANGUAGES]


@pytest.mark.parametrize(("page_def", "language"), CASES, ids=[f"{p.name}-{lang}" for p, lang in CASES])
def test_page__axe_scan__no_wcag21_aa_violations(page_def, language, new_context, server):
    page = new_context(page_def.user, language=language)
    response = page.goto(server.address(page_def, language))
    assert response.status == 200, f"{page_def.name}: {response.status} at {page.url}"
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, f"{page_def.name} ({language}, {page.url})")
    assert not page.csp_errors, page.csp_errors
    # At the desktop width (1280) every table fits: none hides its columns in a box that scrolls sideways.
    wide = page.evaluate(WIDE_TABLES)
    assert not wide, f"{page_def.name} ({language}): tables scroll sideways at 1280 px: {wide}"
    # Content shown in another language than the page's is marked with its own lang (the {% tr %} tag).
    unmarked = page.locator(f'.fallback:not([lang]), .fallback[lang="{language}"]')
    assert unmarked.count() == 0, unmarked.first.evaluate("el => el.outerHTML")


TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def test_titles__every_scanned_page__unique_and_translated(new_context, server):
    titles: dict[str, dict[str, str]] = defaultdict(dict)  # language → page name → title
    tabs = {}
    for page_def in PAGES:
        for language in LANGUAGES:
            key = (page_def.user, language)
            if key not in tabs:
                tabs[key] = new_context(page_def.user, language=language)
            response = tabs[key].request.get(server.address(page_def, language))
            assert response.status == 200, f"{page_def.name} ({language}): {response.status}"
            found = TITLE.search(response.text())
            assert found, f"{page_def.name} ({language}) has no <title>"
            title = " ".join(html.unescape(found.group(1)).split())
            assert "<" not in title and title.endswith(page_def.title_end), f"{page_def.name} ({language}): {title!r}"
            titles[language][page_def.name] = title
    for language, by_page in titles.items():
        seen: dict[str, list[str]] = defaultdict(list)
        for name, title in by_page.items():
            seen[title].append(name)
        shared = {title: names for title, names in seen.items() if len(names) > 1}
        assert not shared, f"Pages sharing a title in {language}: {shared}"
    untranslated = [f"{name}: {title!r}" for name, title in titles["fi"].items() if titles["sv"][name] == title]
    assert not untranslated, "Titles the same in Finnish and Swedish:\n" + "\n".join(untranslated)
