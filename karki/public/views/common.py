"""How every public page and data file is answered: from the cache when it can, made from `read_site()`
when it must, the same for every visitor (no session, no cookie, no user: the language is in the address)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override

from .. import cache
from ..cache import Rendered
from ..reading import LANGUAGES, Site, published_programmes

HTML = "text/html; charset=utf-8"


class NotPublic(Exception):
    """What was asked is not on the public site (a hidden measure, a report that does not exist)."""


def public_url(name: str, lang: str, **kwargs) -> str:
    """The address of a public page in `lang` (Finnish has no language segment)."""
    if lang == settings.LANGUAGE_CODE:
        return reverse(f"public:{name}", kwargs=kwargs)
    return reverse(f"public:{name}-lang", kwargs={**kwargs, "lang": lang})


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def page_context(site: Site, name: str, *, query: dict | None = None, **kwargs) -> dict:
    """What every public page's layout needs: the site, its language, the page's address in each language
    (hreflang) and its canonical address. `query`: the choices the page was asked with (a search, two reports),
    which the language switch keeps; the canonical address is the page without them."""
    slug = site.programme.slug
    addresses = [(code, public_url(name, code, slug=slug, **kwargs)) for code in LANGUAGES]
    here = dict(addresses)[site.language]
    asked = urlencode({key: value for key, value in (query or {}).items() if value not in ("", None)})
    switch = [(code, f"{href}?{asked}" if asked else href) for code, href in addresses]
    return {"site": site, "lang": site.language, "slug": slug, "page": name,
            "alternates": addresses, "switch": switch, "path": here, "canonical": absolute(here),
            "SITE_NAME": settings.SITE_NAME, "SITE_URL_BASE": settings.SITE_URL.rstrip("/"),
            "licence": settings.PUBLIC_DATA_LICENCE}


def render_page(template: str, context: dict, *, status: int = 200) -> Rendered:
    """A page rendered without the request: nothing of the visitor can reach it."""
    with override(context["lang"]):
        content = render_to_string(template, context)
    return Rendered(content=content.encode(), content_type=HTML, language=context["lang"], status=status)


def not_found(site: Site | None, lang: str) -> Rendered:
    context = {"site": site, "lang": lang, "page": "not-found", "alternates": [], "SITE_NAME": settings.SITE_NAME,
               "slug": site.programme.slug if site else "", "licence": settings.PUBLIC_DATA_LICENCE}
    return render_page("public/not_found.html", context, status=404)


def _programme_row(slug: str) -> tuple[int, int] | None:
    """(programme, organisation) of a programme whose public site can be read; None for any other slug."""
    return published_programmes().filter(slug=slug).values_list("pk", "organisation_id").first()


def _maker(row, lang: str, make: Callable[[Site], Rendered]) -> Callable[[], Rendered]:
    def render() -> Rendered:
        site = cache.kept_site(*row, lang)
        if site is None:
            return not_found(None, lang)
        try:
            with override(lang):
                return make(site)
        except NotPublic:
            return not_found(site, lang)

    return render


def answer_uncached(request, slug: str, lang: str, make: Callable[[Site], Rendered]):
    """As `answer()`, made afresh every time (a free-text search)."""
    row = _programme_row(slug)
    if row is None:
        return cache.serve(request, not_found(None, lang))
    return cache.serve(request, _maker(row, lang, make)())


def answer(request, slug: str, lang: str, key: tuple, make: Callable[[Site], Rendered]):
    """The response for one public address of programme `slug`: `make(site)` renders it when the cache has
    not kept it; a `NotPublic` from it, or a programme that is not public (or does not exist), is the public
    site's own 404 page in the address's language, never kept: no sign-in page, nothing that varies by visitor."""
    row = _programme_row(slug)
    if row is None:
        return cache.serve(request, not_found(None, lang))
    render = _maker(row, lang, make)
    # `key` names the page and only the query values it reads, checked: any other query string is the same
    # page, so nobody can fill the cache by asking with made-up queries.
    return cache.respond(request, (slug, lang, *key), cache.scopes(*row), render)


def answer_site(request, key: tuple, make: Callable[[], Rendered]):
    """The response for an address of the whole public site (the sitemap, robots.txt), made from every published
    programme: kept under the tokens of every programme that has a public site, published or not, so that
    publishing one, approving a version or issuing a report gives it new ones."""
    from ..models import PublicSite

    rows = PublicSite.objects.values_list("programme_id", "programme__organisation_id")
    scope = set().union(*(cache.scopes(*row) for row in rows))
    return cache.respond(request, ("site", *key), scope, make)
