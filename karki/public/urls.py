"""The public site: /public/<programme>/… in Finnish, /public/<programme>/sv/… and /en/… in Swedish and
English. The language is in the address, not in a cookie, so that a page is the same for every visitor,
search engines find each language (hreflang) and caches can keep it. Data files have one address for all
languages (their rows carry every language)."""

from django.urls import path, register_converter

from .views import data, office, pages


class LanguageConverter:
    regex = "sv|en"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LanguageConverter, "publiclang")

app_name = "public"

P = "public/<slug:slug>/"
PAGES = [
    ("", pages.home, "home"),
    ("changes/", pages.changes, "changes"),
    ("themes/<str:code>/", pages.theme, "theme"),
    ("measures/<str:code>/", pages.measure, "measure"),
    ("reports/", pages.reports, "reports"),
    ("reports/compare/", pages.compare, "compare"),
    ("reports/<int:number>/", pages.report, "report"),
    ("data/", data.data_page, "data"),
    ("accessibility/", pages.accessibility, "accessibility"),
]

urlpatterns = [
    path("public/", pages.index, {"lang": "fi"}, name="index"),
    path("public/<publiclang:lang>/", pages.index, name="index-lang"),
    path("public/sitemap.xml", data.sitemap, name="sitemap"),
    path("robots.txt", data.robots, name="robots"),
    path(P + "datapackage.json", data.datapackage, name="datapackage"),
    path(P + "dcat.jsonld", data.dcat, name="dcat"),
    path(P + "data/<str:name>.<str:extension>", data.data_file, name="data-file"),
    # The programme office's settings of the site, signed in.
    path("programmes/<slug:slug>/public-site/", office.settings_page, name="office"),
    path("programmes/<slug:slug>/public-site/<str:kind>/<str:code>/", office.entry_edit, name="office-entry"),
]
for route, view, name in PAGES:
    urlpatterns += [
        path(P + route, view, {"lang": "fi"}, name=name),
        path(P + "<publiclang:lang>/" + route, view, name=f"{name}-lang"),
    ]
