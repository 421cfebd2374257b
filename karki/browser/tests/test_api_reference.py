"""The interactive API reference (/docs/api/) in a real browser: Swagger UI from Kärki's own static files
draws every operation under the site's Content Security Policy, with no violation."""

from __future__ import annotations

from karki.browser.pages import PMO


def test_api_reference__draws_the_operations_without_csp_violations(new_context):
    page = new_context(PMO)
    page.goto("/docs/api/")
    page.wait_for_selector(".opblock", timeout=30_000)
    assert page.locator(".opblock").count() >= 40
    assert "/api/v1/programmes/{slug}/summary/" in page.content()
    assert page.csp_errors == []
