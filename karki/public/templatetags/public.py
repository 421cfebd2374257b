from django import template
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

from karki.core.content import LANGUAGE_IN, Text, translated

from ..views.common import public_url

register = template.Library()


@register.simple_tag(takes_context=True)
def purl(context, name: str, **kwargs) -> str:
    """`{% purl 'measure' code=m.code %}`: a public page of this site in the page's language."""
    return public_url(name, context["lang"], slug=context["slug"], **kwargs)


@register.simple_tag(takes_context=True)
def purl_in(context, lang: str, name: str, **kwargs) -> str:
    return public_url(name, lang, slug=context["slug"], **kwargs)


@register.simple_tag(takes_context=True)
def index_url(context) -> str:
    """The list of published programmes, in the page's language."""
    return public_url("index", context["lang"])


@register.filter
def in_own_language(value):
    """Content (a `Text`) in a list or a table: marked with its own `lang` when it is not in the page's
    language. The page says once, above its content, that some texts are in another language (pages._context),
    so a table of Finnish names in a Swedish page does not repeat "(på finska)" on every row."""
    if isinstance(value, Text):
        if value.is_fallback and value.text:
            return format_html('<span lang="{}" class="fallback">{}</span>', value.lang, value.text)
        return value.text
    return value


@register.filter
def block(value):
    """A longer text (a resident text, a description) as paragraphs, marked like `{% tr_block %}` when shown in
    another language than the page's: its own `lang` and "(in Finnish)" after it."""
    if not isinstance(value, Text):
        return mark_safe(linebreaks(str(value or ""), autoescape=True))
    if not value.text:
        return ""
    body = mark_safe(linebreaks(value.text, autoescape=True))
    if not value.is_fallback:
        return body
    return format_html('<div lang="{}" class="fallback">{}</div><p class="fallback-note">({})</p>', value.lang, body,
                       LANGUAGE_IN[value.lang]())


@register.filter
def content(obj, field: str) -> Text:
    """A translated field of a model in the page's language, falling back as `translated()` does:
    `{{ programme.organisation|content:"name"|in_own_language }}`."""
    return translated(obj, field)


@register.filter
def fallback_note(value) -> str:
    """"(in Finnish)" after a text shown in another language than the page's; "" otherwise."""
    if isinstance(value, Text) and value.text and value.is_fallback:
        return format_html('<span class="fallback-note">({})</span>', LANGUAGE_IN[value.lang]())
    return ""
