"""Screenshots of the main pages at desktop and mobile widths, saved in test-artifacts/screenshots/ (not
committed) so that a person can look at what users see. At the mobile width the page must not be wider
than the screen (WCAG 1.4.10 Reflow), except that a wide table may scroll sideways in its own box."""

from __future__ import annotations

import pytest

from karki.browser.pages import PAGES

from .conftest import ARTIFACTS, DESKTOP, MOBILE

SCREENSHOTS = ARTIFACTS / "screenshots"
WIDTHS = {"desktop": DESKTOP, "mobile": MOBILE}
CASES = [(page, width) for page in PAGES if page.screenshot for width in WIDTHS]


@pytest.mark.parametrize(("page_def", "width"), CASES, ids=[f"{p.name}-{w}" for p, w in CASES])
def test_screenshot__main_page__saved(page_def, width, new_context, server):
    page = new_context(page_def.user, viewport=WIDTHS[width])
    response = page.goto(server.address(page_def))
    assert response.status == 200
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{page_def.name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page_def.name} is {overflow} px wider than a {WIDTHS[width]['width']} px screen"
