"""Template filters for money, dates and translated content, following the active language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from karki.core.content import LANGUAGE_IN, Text, active_language, translated
from karki.lib import formatting
from karki.lib.money import Estimate, EstimateKind

register = template.Library()



@register.filter
def meur(value) -> str:
    return formatting.format_meur(None if value is None or value == "" else Decimal(value), active_language())


@register.filter
def eur(value) -> str:
    return formatting.format_eur(None if value is None or value == "" else Decimal(value), active_language())


@register.filter
def num(value, places=0) -> str:
    return formatting.format_number(None if value is None or value == "" else Decimal(value), active_language(),
                                    int(places))


@register.filter
def pct(value) -> str:
    return formatting.format_percent(None if value is None or value == "" else Decimal(value), active_language())


@register.filter
def share_of(value, total):
    """value as a percentage of total (for |pct); None when there is no total to compare with."""
    if value in (None, "") or not total:
        return None
    return Decimal(value) / Decimal(total) * 100


@register.filter
def fdate(value) -> str:
    return formatting.format_date(value, active_language())


@register.filter
def fdatetime(value) -> str:
    """A moment in Helsinki time: 5.10.2023 klo 14.05."""
    if value is None or value == "":
        return ""
    return formatting.format_datetime(timezone.localtime(value), active_language())


@register.simple_tag
def meur_range(low, high) -> str:
    if low is None and high is None:
        return ""
    if low == high:
        return formatting.format_meur(Decimal(low), active_language())
    return formatting.format_meur_range(Decimal(low), Decimal(high), active_language())


@register.filter
def estimate_text(estimate: Estimate | None) -> str:
    """"3,8 M€", "0–1,5 M€", "< 0,1 M€", "enabling measure – no direct savings", "to be specified"."""
    lang = active_language()
    if estimate is None:
        return _("no estimate")
    if estimate.kind == EstimateKind.POINT:
        return formatting.format_meur(estimate.amount, lang)
    if estimate.kind == EstimateKind.RANGE:
        return formatting.format_meur_range(estimate.low, estimate.high, lang)
    if estimate.kind == EstimateKind.UPPER_BOUND:
        return f"< {formatting.format_meur(estimate.amount, lang)}"
    if estimate.kind == EstimateKind.ENABLING:
        return _("enabling measure – no direct savings")
    return _("to be specified")


@register.filter
def estimate_recurrence_text(item) -> str:
    """The estimate of a target or a measure with whether it recurs: "1,4 M€ a year, recurring",
    "0,5 M€ one-off" (an enabling measure or one to be specified says only that)."""
    estimate = getattr(item, "estimate", None)
    text = estimate_text(estimate)
    if estimate is None or estimate.kind in (EstimateKind.ENABLING, EstimateKind.TO_BE_SPECIFIED):
        return text
    if item.estimate_recurrence == "one_off":
        return _("%(estimate)s one-off") % {"estimate": text}
    return _("%(estimate)s a year, recurring") % {"estimate": text}


def _render_text(obj, field: str, *, block: bool) -> str:
    return _render(translated(obj, field), block=block)


def _render(text: Text, *, block: bool) -> str:
    if not text:
        return ""
    body = mark_safe(linebreaks(text.text)) if block else text.text
    if not text.is_fallback:
        return format_html("{}", body)
    note = LANGUAGE_IN[text.lang]()
    tag = "div" if block else "span"
    return format_html(
        '<{tag} lang="{lang}" class="fallback">{body}</{tag}> <span class="fallback-note">({note})</span>',
        tag=tag, lang=text.lang, body=body, note=note,
    )


@register.simple_tag
def tr(obj, field: str) -> str:
    """Translated content in the reader's language, or marked as shown in another language."""
    return _render_text(obj, field, block=False)


@register.filter
def marked(value):
    """Content already looked up (a `Text`, e.g. a theme name in a comparison or the status picture),
    marked with its own `lang` when shown in another language; anything else unchanged."""
    if isinstance(value, Text):
        return _render(value, block=False)
    return value


@register.filter
def in_language(text, lang: str):
    """Stored text with the language it is written in (the frozen figures of a report): marked with
    its own `lang` when that is not the language of the page or document being rendered."""
    if not text or not lang or lang == active_language():
        return text
    return format_html('<span lang="{}">{}</span>', lang, text)


@register.simple_tag
def tr_block(obj, field: str) -> str:
    return _render_text(obj, field, block=True)


@register.simple_tag
def tr_plain(obj, field: str) -> str:
    """Plain text for places where markup cannot go (titles, attributes)."""
    return translated(obj, field).text


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
