"""Template filters of the forecast pages, following the active language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from karki.core.content import active_language
from karki.lib import formatting

register = template.Library()


@register.filter
def probability(value) -> str:
    """62 % (fi/sv) or 62% (en); below 0,1 % and above 99,9 % said so (see `formatting.format_probability`)."""
    return formatting.format_probability(value, active_language())


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
