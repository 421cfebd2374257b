"""Every address of a programme's public site: the sitemap, the static export and the tests that try
them all read this list, so a page added to the site is in all three."""

from __future__ import annotations

from .reading import LANGUAGES, Site
from .views.common import public_url


def page_routes(site: Site) -> list[tuple[str, dict]]:
    """(page name, address arguments) of every public page of `site`, in any one language."""
    routes: list[tuple[str, dict]] = [("home", {}), ("changes", {}), ("reports", {}), ("data", {}),
                                      ("accessibility", {})]
    routes += [("theme", {"code": theme.code}) for theme in site.themes]
    routes += [("measure", {"code": code}) for code in site.measures]
    routes += [("report", {"number": report.number}) for report in site.reports]
    if len(site.reports) > 1:
        routes.append(("compare", {}))
    return routes


def page_paths(site: Site, languages=LANGUAGES) -> list[str]:
    slug = site.programme.slug
    return [public_url(name, lang, slug=slug, **kwargs) for name, kwargs in page_routes(site) for lang in languages]
