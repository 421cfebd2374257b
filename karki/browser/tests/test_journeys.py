"""What a programme-office user does, done with the keyboard alone (Tab, Shift+Tab, Enter, Space and
the arrow keys; no mouse click anywhere), with axe-core checking each page on the way."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import DEMO_PASSWORD
from karki.browser.pages import PMO, PROGRAMME

from .keyboard import activate, choose, focused, type_into, wait_for_focus
from .test_accessibility import assert_accessible

MEASURE = "3.1.a"


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    type_into(page, page.locator("#id_username"), username, what="the username field")
    type_into(page, page.locator("#id_password"), DEMO_PASSWORD, what="the password field")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")  # my work


def test_journey__keyboard_only__programme_office_corrects_an_estimate_and_compares(new_context, server):
    page = new_context()
    draft = server.values["draft"]
    approved = server.values["approved"]

    # Sign in; the sign-in page and the programme list pass axe.
    page.goto("/accounts/login/")
    assert_accessible(page, "the sign-in page")
    sign_in(page, PMO)
    assert_accessible(page, "my work")

    # Open the programme.
    activate(page, page.locator(f'main a[href="/programmes/{PROGRAMME}/"]'), what="the programme's link")
    page.wait_for_url(f"**/programmes/{PROGRAMME}/")
    assert page.locator("html").get_attribute("lang") == "fi"
    finnish_heading = page.locator("h1").inner_text()

    # Switch the language to Swedish and back; the page stays the same, its language changes.
    activate(page, page.locator('a[hreflang="sv"]'), what="the Swedish language link")
    page.wait_for_selector('html[lang="sv"]')
    assert page.url.endswith(f"/programmes/{PROGRAMME}/")
    assert page.locator('a[hreflang="sv"]').get_attribute("aria-current") == "true"
    assert "program" in page.title() and "version" in page.title()
    assert_accessible(page, "the programme page in Swedish")
    activate(page, page.locator('a[hreflang="fi"]'), what="the Finnish language link")
    page.wait_for_selector('html[lang="fi"]')
    assert page.locator("h1").inner_text() == finnish_heading

    # Edits go to a draft: start one if the programme has none (the prepared server has one).
    start = page.locator('form[action$="/versions/new/"] button')
    if start.count():
        activate(page, start, what="Start a new version")
        page.wait_for_load_state()
    activate(page, page.locator(f'nav.versions a[href$="/v/{draft}/"]'), what="the draft version's link")
    page.wait_for_url(f"**/v/{draft}/")

    # Open a measure and its estimate.
    activate(page, page.locator(f'.tree a[href$="/v/{draft}/measures/{MEASURE}/"]'), what=f"measure {MEASURE}")
    page.wait_for_url(f"**/measures/{MEASURE}/")
    assert_accessible(page, "the measure page")
    activate(page, page.locator('main a[href$="/estimate/"]'), what="Edit estimate")
    page.wait_for_url("**/estimate/")

    # An amount that is not one: the error summary takes the focus, the field says what is wrong.
    choose(page, page.locator("#id_estimate_kind"), "point", what="the estimate kind")
    amount = page.locator("#id_estimate_amount_eur")
    type_into(page, amount, "paljon", what="the amount")
    page.keyboard.press("Enter")
    wait_for_focus(page, "[data-error-summary]")
    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    assert amount.get_attribute("aria-invalid") == "true"
    described_by = (amount.get_attribute("aria-describedby") or "").split()
    error_id = "id_estimate_amount_eur_error"
    assert error_id in described_by, described_by
    error_text = page.locator(f"#{error_id}").inner_text()
    assert "euroina" in error_text, error_text
    assert error_text in summary.inner_text()
    assert_accessible(page, "the estimate form showing an error")

    # The summary's link takes the focus to the field; fix it and save.
    page.keyboard.press("Tab")
    assert focused(page, '[data-error-summary] a[href="#id_estimate_amount_eur"]')
    page.keyboard.press("Enter")
    assert focused(page, "#id_estimate_amount_eur"), "the error summary's link did not move the focus to the field"
    page.keyboard.press("Control+A")
    page.keyboard.type("1 250 000")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/v/{draft}/measures/{MEASURE}/")
    details = page.locator("dl.details").inner_text().replace("\xa0", " ")
    assert "1,3 M€" in details or "1,25 M€" in details, details
    assert MEASURE in page.locator(".messages").inner_text()

    # Compare the approved version with the draft: the new estimate is among the changes.
    activate(page, page.locator(f'nav[aria-label] a[href$="/v/{draft}/"]').first, what="the breadcrumb to the version")
    page.wait_for_url(f"**/v/{draft}/")
    activate(page, page.locator('main a[href$="/compare/"]'), what="Compare versions")
    page.wait_for_url("**/compare/")
    choose(page, page.locator("#id_a"), str(approved), what="the earlier version")
    choose(page, page.locator("#id_b"), str(draft), what="the later version")
    activate(page, page.locator("main form button[type=submit]"), what="Compare", key="Space")
    page.wait_for_url(f"**/compare/?a={approved}&b={draft}")
    changed = page.locator("main table").last.inner_text()
    assert MEASURE in changed, changed
    assert_accessible(page, "the comparison of versions")

    # Sign out.
    activate(page, page.locator("form.logout button"), what="Sign out")
    page.wait_for_url("**/accounts/login/")
    assert page.locator("#id_username").count() == 1


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_estimate_form__invalid_value__error_state_passes_axe(language, new_context, server):
    """The error state of a form is a page of its own for axe: scanned in both languages."""
    page = new_context(PMO, language=language)
    page.goto(f"/programmes/{PROGRAMME}/v/{server.values['draft']}/measures/3.1.b/estimate/")
    choose(page, page.locator("#id_estimate_kind"), "range", what="the estimate kind")
    type_into(page, page.locator("#id_estimate_min_eur"), "x", what="range from")
    page.keyboard.press("Enter")
    wait_for_focus(page, "[data-error-summary]")
    assert page.locator('[aria-invalid="true"]').count() >= 1
    assert_accessible(page, f"the estimate form with errors ({language})")
