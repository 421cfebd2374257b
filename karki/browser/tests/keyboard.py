"""Moving through a page as a keyboard user does: Tab, Shift+Tab, Enter, Space and the arrow keys."""

from __future__ import annotations

IS_FOCUSED = "el => el === document.activeElement"
# WCAG 2.4.7: the focused element shows where the focus is (Kärki draws a 3 px outline).
FOCUS_SHOWN = """el => {
  const style = getComputedStyle(el);
  return el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
}"""


def tab_to(page, locator, *, what: str = "", backwards: bool = False, limit: int = 250) -> None:
    """Press Tab (or Shift+Tab) until `locator` has the focus; fail if the keyboard never gets there."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if locator.evaluate(IS_FOCUSED):
            assert locator.evaluate(FOCUS_SHOWN), f"{what or locator} has the focus but shows no focus outline"
            return
    raise AssertionError(f"{what or locator} cannot be reached with {key} on {page.url}")


def activate(page, locator, *, what: str = "", key: str = "Enter") -> None:
    """Reach a link or button with Tab and press Enter (or Space)."""
    tab_to(page, locator, what=what)
    page.keyboard.press(key)


def choose(page, select, value: str, *, what: str = "") -> None:
    """Focus a <select> with Tab and move to an option with the arrow keys, as a keyboard user does."""
    tab_to(page, select, what=what)
    values = select.evaluate("el => Array.from(el.options).map(o => o.value)")
    assert value in values, f"{what or select} has no option {value!r}: {values}"
    current = select.evaluate("el => el.value")
    key = "ArrowDown" if values.index(value) > values.index(current) else "ArrowUp"
    for _ in range(len(values)):
        if select.evaluate("el => el.value") == value:
            return
        page.keyboard.press(key)
    assert select.evaluate("el => el.value") == value, f"{what or select}: could not choose {value!r}"


def type_into(page, field, text: str, *, what: str = "") -> None:
    """Tab to a text field, select what is in it and type over it."""
    tab_to(page, field, what=what)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def wait_for_focus(page, selector: str, *, seconds: float = 10) -> None:
    """Wait until the element matching `selector` has the focus. (Playwright's wait_for_function would
    evaluate a string in the page, which Kärki's Content Security Policy rightly refuses.)"""
    for _ in range(int(seconds * 20)):
        if focused(page, selector):
            return
        page.wait_for_timeout(50)
    active = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{selector} did not take the focus; the focus is on {active}")
