"""Figures of an imported table shown as the page's language writes them: 6,75 in Finnish, 6.75 in English,
whether the table was a .csv or an .xlsx."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

from karki.lib.formatting import format_date, format_number

register = template.Library()


@register.filter
def figure(value) -> str:
    """A number with its own decimals (at most four)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    places = max(0, -number.normalize().as_tuple().exponent)
    return format_number(number, get_language(), min(places, 4))


@register.filter
def last_column(row) -> str:
    """The last column as written, its figure in the page's language when it is a plain number."""
    return figure(row.number_value) if row.raw_is_number else row.raw


@register.filter
def iso_date(value) -> str:
    from datetime import date

    return format_date(date.fromisoformat(value), get_language()) if value else ""


@register.filter
def fields_of(corrections: dict, number):
    """The correction fields of one row of the preview (none when it cannot be corrected there)."""
    return (corrections or {}).get(number)
