from django import template

from ..views.common import public_url

register = template.Library()


@register.simple_tag(takes_context=True)
def purl(context, name: str, **kwargs) -> str:
    """`{% purl 'measure' code=m.code %}`: a public page of this site in the page's language."""
    return public_url(name, context["lang"], slug=context["slug"], **kwargs)


@register.simple_tag(takes_context=True)
def purl_in(context, lang: str, name: str, **kwargs) -> str:
    return public_url(name, lang, slug=context["slug"], **kwargs)
