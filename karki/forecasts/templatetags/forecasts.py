"""Template filters of the forecast pages, following the active language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from karki.core.content import active_language
from karki.lib import formatting

register = template.Library()


@register.filter
def probability(value) -> str:
    """62 % (fi/sv) or 62% (en). Never a flat 0 % or 100 %: the draws only say it is below 0,1 % or above
    99,9 %, and a smaller probability rounded to a whole percent shows its first decimal."""
    if value is None or value == "":
        return "–"
    lang = active_language()
    p = float(value) * 100
    if p < 0.1:
        return f"< {formatting.format_percent(Decimal('0.1'), lang, 1)}"
    if p > 99.9:
        return f"> {formatting.format_percent(Decimal('99.9'), lang, 1)}"
    if p < 1 or p > 99:
        return formatting.format_percent(Decimal(f"{p:.1f}"), lang, 1)
    return formatting.format_percent(Decimal(f"{p:.0f}"), lang)


@register.filter
def share_pct(value) -> str:
    """A share written down as an assumption (0,75 → 75 %), shown as it is."""
    return formatting.format_percent(Decimal(str(value)) * 100, active_language())


@register.filter
def gap_at(forecast, certainty) -> Decimal | None:
    return forecast.gap_at(int(certainty))


@register.filter
def level_at(forecast, certainty) -> Decimal:
    return forecast.level_at(int(certainty))
