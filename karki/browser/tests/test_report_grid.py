"""A measure owner's monthly report is a grid that fits in two screens: one row per measure, its details
closed until needed (issue 14). At 375 px the rows stack and the page is no wider than the screen."""

from __future__ import annotations

import pytest

from karki.browser.pages import P

from .conftest import ARTIFACTS, MOBILE
from .test_accessibility import assert_accessible

OWNER = "measure-owner.ita-uusimaa"  # runs eleven measures of the demo programme
DESKTOP_800 = {"width": 1280, "height": 800}
MAX_GRID_HEIGHT = 1600  # two screens of 800 px


def _open_report(new_context, server, *, language="fi", viewport=DESKTOP_800):
    page = new_context(OWNER, language=language, viewport=viewport)
    response = page.goto(f"{P}/periods/{server.values['period']}/report/")
    assert response.status == 200
    return page


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_report_grid__owner_with_eleven_measures__within_two_screens(language, new_context, server):
    page = _open_report(new_context, server, language=language)
    rows = page.locator("[data-report-grid] fieldset.report")
    assert rows.count() == 11
    assert page.locator("[data-report-grid] details[open]").count() == 0
    height = page.locator("[data-report-grid]").evaluate("el => el.getBoundingClientRect().height")
    assert height <= MAX_GRID_HEIGHT, f"the report grid is {height:.0f} px tall at 1280×800 ({language})"
    # Every phase and status, in words, fits its select: none is cut off at 1280 px.
    cut = page.evaluate("""() => {
        const canvas = document.createElement("canvas").getContext("2d");
        const cut = [];
        for (const select of document.querySelectorAll("[data-report-grid] select")) {
            const style = getComputedStyle(select);
            canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
            for (const option of select.options) {
                if (canvas.measureText(option.text).width > room) { cut.push(option.text); }
            }
        }
        return [...new Set(cut)];
    }""")
    assert not cut, f"cut off in the selects ({language}): {cut}"
    # "No change" fits its cell: its words wrap inside the button instead of running out of it.
    button = page.locator("[data-report-grid] button[name='same_as_last']").first
    assert button.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    assert_accessible(page, f"the report grid ({language})")


def test_report_grid__details_open_on_demand__and_pass_axe(new_context, server):
    page = _open_report(new_context, server)
    first = page.locator("[data-report-grid] fieldset.report").first
    first.locator("details.report-details > summary").click()
    assert first.locator("details.report-details").evaluate("el => el.open")
    assert first.locator("textarea[name$='-narrative']").is_visible()
    assert first.locator("input[name$='-saving_personnel']").is_visible()
    # The one-off amounts are folded under their own line until asked for (or filled in).
    one_off = first.locator("input[name$='-saving_rents_one_off']")
    assert not one_off.is_visible()
    first.locator("details.report-one-off > summary").click()
    assert one_off.is_visible()
    # The row's total follows the cost categories as they are typed, recurring and one-off.
    for index in range(first.locator("input[data-saving]").count()):
        first.locator("input[data-saving]").nth(index).fill("")
    first.locator("input[name$='-saving_personnel']").fill("1,5 M€")
    first.locator("input[name$='-saving_rents']").fill("2 000")
    one_off.fill("500")
    total = first.locator("[data-realised-total]")
    assert total.inner_text().replace("\u00a0", " ").replace("\u202f", " ") == "1 502 500 €"
    first.locator("input[name$='-saving_rents']").fill("paljon")
    assert total.inner_text() == "–"
    assert_accessible(page, "the report grid with a row's details open")


def test_report_grid__mobile__rows_stack_without_sideways_scrolling(new_context, server):
    page = _open_report(new_context, server, viewport=MOBILE)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the report page is {overflow} px wider than a 375 px screen"
    first = page.locator("[data-report-grid] fieldset.report").first
    phase, status = first.locator("select[name$='-phase']"), first.locator("select[name$='-status']")
    assert phase.bounding_box()["y"] < status.bounding_box()["y"]  # stacked, one above the other
    assert first.locator("label[for$='-phase']").is_visible()  # the labels show when the head row cannot
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / "report-grid-owner-mobile.png"), full_page=True)
    assert_accessible(page, "the report grid at 375 px")
