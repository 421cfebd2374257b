"""The verification page with its kind filter: finance picks the one-off claims with the keyboard, and a bad
kind in the address is an error state of its own; axe and the 1280 px table check scan both, in fi and sv."""

from __future__ import annotations

import pytest

from karki.browser.pages import FINANCE, PROGRAMME

from .keyboard import activate, choose
from .test_accessibility import WIDE_TABLES, assert_accessible

URL = f"/programmes/{PROGRAMME}/verification/"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_verification__kind_filter__one_offs_picked_with_the_keyboard(language, new_context, server):
    page = new_context(FINANCE, language=language)
    page.goto(URL)
    assert page.locator(".verification-tally th", has_text={"fi": "Josta kertaluonteista",
                                                            "sv": "Varav engångsbesparingar"}[language]).count()
    choose(page, page.locator("#id_kind"), "one_off", what="the kind filter")
    activate(page, page.locator("form.filters button[type=submit]"), what="Show")
    page.wait_for_url("**kind=one_off**")
    kinds = page.locator(".verification-list tbody td:nth-child(4)").all_inner_texts()
    assert kinds and set(kinds) == {{"fi": "Kertaluonteinen", "sv": "Engångsbesparing"}[language]}
    assert not page.evaluate(WIDE_TABLES)
    assert_accessible(page, f"the verification page, one-off savings only ({language})")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_verification__bad_kind__error_state_passes_axe(language, new_context, server):
    page = new_context(FINANCE, language=language)
    page.goto(URL + "?kind=bogus&show=all")
    error = page.locator("#id_kind_error")
    assert error.is_visible() and "bogus" in error.inner_text()
    assert page.locator("#id_kind").get_attribute("aria-invalid") == "true"
    assert not page.evaluate(WIDE_TABLES)
    assert_accessible(page, f"the verification page with a bad kind ({language})")
