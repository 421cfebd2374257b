"""Open data and what search engines read: each data set as CSV and JSON, the data package and its DCAT
description, the data page, the sitemap and robots.txt. All of it is made from `read_site()` through the data
set definitions of `karki.public.opendata`, and answered like every public page (`answer`): the same for
every visitor, kept until the programme's tokens change."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from karki.core.content import translated

from .. import opendata
from ..addresses import page_routes
from ..cache import Rendered
from ..reading import FORMAT_VERSION, LANGUAGES, Site, published_programmes, read_site
from .common import absolute, answer, answer_site, page_context, public_url, render_page

XML = "application/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


# -- the data page --------------------------------------------------------------------------------------

@require_safe
def data_page(request, slug: str, lang: str):
    """What a resident can download and whether they may use it: each data set, its columns, the licence."""
    return answer(request, slug, lang, ("data",), _data_page)


def data_file_url(slug: str, name: str, extension: str) -> str:
    # One address for every language: a file carries all three (its text columns).
    return reverse("public:data-file", kwargs={"slug": slug, "name": name, "extension": extension})


def _data_page(site: Site) -> Rendered:
    slug = site.programme.slug
    datasets = [{
        "name": dataset.name,
        "title": dataset.title,
        "description": dataset.description,
        "rows": dataset.count(site),
        "csv": data_file_url(slug, dataset.name, "csv"),
        "json": data_file_url(slug, dataset.name, "json"),
        "fields": [{"columns": f.columns, "type": opendata.TYPE_LABELS[f.type], "description": f.description,
                    "translated": f.translated, "codes": f.code_labels()} for f in dataset.fields],
    } for dataset in opendata.DATASETS]
    context = page_context(site, "data")
    context.update(
        datasets=datasets, format_version=FORMAT_VERSION,
        # The words "name the source" hold for the Creative Commons attribution licences (CC BY, the default).
        attribution=settings.PUBLIC_DATA_LICENCE["name"].upper().startswith("CC-BY"),
        organisation=translated(site.programme.organisation, "name", site.language),
        datapackage_url=reverse("public:datapackage", kwargs={"slug": slug}),
        dcat_url=reverse("public:dcat", kwargs={"slug": slug}),
        example_csv=data_file_url(slug, opendata.MEASURES.name, "csv"))
    return render_page("public/data.html", context)


# -- the files ------------------------------------------------------------------------------------------

@require_safe
def data_file(request, slug: str, name: str, extension: str):
    """/public/<programme>/data/<name>.csv or .json: one data set in every language."""
    dataset = opendata.BY_NAME.get(name)
    if dataset is None or extension not in opendata.EXTENSIONS:
        raise Http404
    return answer(request, slug, settings.LANGUAGE_CODE, ("data-file", name, extension),
                  lambda site: opendata.render_file(dataset, extension, opendata.read_sites(site)))


@require_safe
def datapackage(request, slug: str):
    """The Frictionless Data Package that describes the data sets (their columns, types and keys)."""
    return answer(request, slug, settings.LANGUAGE_CODE, ("datapackage",), opendata.render_datapackage)


@require_safe
def dcat(request, slug: str):
    """The same data described in DCAT-AP (JSON-LD), as open-data portals harvest it."""
    return answer(request, slug, settings.LANGUAGE_CODE, ("dcat",), opendata.render_dcat)


# -- search engines -------------------------------------------------------------------------------------

def published_sites() -> list[Site]:
    """Each published programme's site, read in Finnish (the pages are the same in every language)."""
    sites = (read_site(programme, settings.LANGUAGE_CODE) for programme in published_programmes())
    return [site for site in sites if site is not None]


def _url(paths: list[tuple[str, str]], lastmod: str) -> str:
    """One <url> per language, each naming all of them (and Finnish as the default) as alternates."""
    links = "".join(f'\n    <xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(absolute(path))}/>'
                    for code, path in [*paths, ("x-default", paths[0][1])])
    return "".join(f"  <url>\n    <loc>{escape(absolute(path))}</loc>\n    <lastmod>{lastmod}</lastmod>{links}\n"
                   f"  </url>\n" for _code, path in paths)


def render_sitemap() -> Rendered:
    sites = published_sites()
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n']
    if sites:
        newest = max(timezone.localdate(site.updated_at) for site in sites).isoformat()
        parts.append(_url([(code, public_url("index", code)) for code in LANGUAGES], newest))
    for site in sites:
        lastmod = timezone.localdate(site.updated_at).isoformat()
        slug = site.programme.slug
        for name, kwargs in page_routes(site):
            parts.append(_url([(code, public_url(name, code, slug=slug, **kwargs)) for code in LANGUAGES], lastmod))
    parts.append("</urlset>\n")
    return Rendered(content="".join(parts).encode(), content_type=XML)


@require_safe
def sitemap(request):
    """Every page of every published programme, in Finnish, Swedish and English."""
    return answer_site(request, ("sitemap",), render_sitemap)


def render_robots() -> Rendered:
    # The public site and the style sheets its pages need are for everyone; the signed-in app is not.
    lines = ["User-agent: *", "Allow: /public/", "Allow: /static/", "Disallow: /", "",
             "Sitemap: " + absolute(reverse("public:sitemap")), ""]
    return Rendered(content="\n".join(lines).encode(), content_type=TEXT)


@require_safe
def robots(request):
    return answer_site(request, ("robots",), render_robots)
