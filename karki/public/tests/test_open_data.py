"""Open data of the public site: the CSV and JSON files, the data package, the DCAT description, the data
page, the sitemap and robots.txt; and that nothing private reaches any of them."""

import csv
import io
import json

import pytest
from django.urls import reverse
from lxml import etree

from karki.figures import marks
from karki.public import cache, opendata
from karki.public.models import PublicSite
from karki.public.reading import FORMAT_VERSION

from . import small_site
from .small_site import ESCALATION, FORMULA, HIDDEN, LATER_VALUE, OWNER, ROOT, SLUG, UNDECIDED


@pytest.fixture(autouse=True)
def _fresh_pages():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def small(db):
    return small_site.build()


def _csv(client, name: str) -> list[dict]:
    response = client.get(f"{ROOT}data/{name}.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    return json.loads(response.content)


def _every_address() -> list[str]:
    files = [f"{ROOT}data/{d.name}.{ext}" for d in opendata.DATASETS for ext in opendata.EXTENSIONS]
    return [*files, f"{ROOT}datapackage.json", f"{ROOT}dcat.jsonld", f"{ROOT}data/", f"{ROOT}sv/data/",
            f"{ROOT}en/data/"]


def test_measures_csv__public_measures__one_row_each_with_own_texts_per_language(client, small):
    rows = _csv(client, "measures")

    assert [row["code"] for row in rows] == ["M1", "M3"]
    m1 = rows[0]
    assert (m1["name_fi"], m1["name_sv"], m1["name_en"]) == ("Ajanvaraus verkkoon", "Tidsbokning på nätet", "")
    assert (m1["org_unit_fi"], m1["org_unit_sv"], m1["org_unit_en"]) == ("Terveyspalvelut", "Hälsotjänster", "")
    assert (m1["resident_text_fi"], m1["resident_text_sv"], m1["resident_text_en"]) == \
        ("Varaa aika verkossa.", "Boka tid på nätet.", "")
    # Services written in Finnish only are not passed off as Swedish or English.
    assert (m1["services_fi"], m1["services_sv"], m1["services_en"]) == ("terveysasemat, hammashoito", "", "")
    assert (m1["areas_fi"], m1["areas_sv"]) == ("Pikkula", "")
    assert (m1["theme_code"], m1["basket"], m1["horizon"]) == ("1", "A", "short")
    assert (m1["estimate_kind"], m1["estimate_low_eur"], m1["estimate_high_eur"], m1["recurrence"]) == \
        ("range", "100000", "200000.5", "recurring")
    assert (m1["latest_report_number"], m1["latest_phase"], m1["latest_status"]) == ("2", "in_progress", "green")
    assert m1["page_url_sv"].endswith(f"{ROOT}sv/measures/M1/")
    # An upper bound has no lower end: the file does not offer the bound as one.
    assert (rows[1]["estimate_kind"], rows[1]["estimate_low_eur"], rows[1]["estimate_high_eur"]) == \
        ("upper_bound", "", "100000")


def test_csv__text_a_spreadsheet_would_run__kept_from_running_but_as_written_in_json(client, small):
    (theme,) = _csv(client, "themes")
    assert theme["resident_text_fi"] == "'" + FORMULA

    (row,) = _json(client, f"{ROOT}data/themes.json")["rows"]
    assert row["resident_text_fi"] == FORMULA


def test_csv__header_is_the_data_set_columns_and_comma_separated(client, small):
    for dataset in opendata.DATASETS:
        content = client.get(f"{ROOT}data/{dataset.name}.csv").content.decode("utf-8-sig")
        assert content.split("\r\n", 1)[0] == ",".join(dataset.columns)


def test_progress__by_year_from_the_latest_report_with_recurring_as_realised_minus_one_off(client, small):
    rows = _csv(client, "progress")

    assert [(r["year"], r["realised_eur"], r["one_off_eur"], r["recurring_eur"]) for r in rows] == [
        ("2024", "180000", "30000", "150000"), ("2025", "150000.5", "25000", "125000.5")]
    assert {(r["target_eur"], r["target_year"], r["report_number"]) for r in rows} == {("1000000", "2026", "2")}
    assert rows[1]["realised_cumulative_eur"] == "330000.5"


def test_reports_and_updates__issued_report_with_public_totals_and_public_measures_only(client, small):
    first, report = _csv(client, "reports")
    assert (first["number"], first["period"], first["issued_at"]) == ("1", "2025-03", "2025-04-10T09:30:00+03:00")
    assert (report["number"], report["period"], report["period_end"]) == ("2", "2025-06", "2025-06-30")
    assert report["issued_at"] == "2025-07-10T09:30:00+03:00"
    assert (report["realised_year_eur"], report["verified_year_eur"], report["realised_year_pct"]) == \
        ("150000", "100000", "12.5")
    assert report["deficit_eur"] == ""

    updates = _csv(client, "measure-updates")
    assert [(u["report_number"], u["measure_code"], u["phase"], u["status"]) for u in updates] == [
        ("1", "M1", "started", "amber"), ("1", "M3", "", ""), ("2", "M1", "in_progress", "green"), ("2", "M3", "", "")]


def test_indicators__values_up_to_the_latest_reports_month_only(client, small):
    (indicator,) = _csv(client, "indicators")
    assert (indicator["code"], indicator["name_fi"], indicator["name_sv"], indicator["name_en"]) == \
        ("I1", "Digitaalisten palvelujen osuus", "", "Share of digital services")
    assert (indicator["target_value"], indicator["deadline"], indicator["value_count"]) == ("30", "2026-12-31", "1")

    assert _csv(client, "indicator-values") == [{"indicator_code": "I1", "measured_on": "2025-03-31", "value": "12.5"}]


def test_json__same_rows_as_the_csv_typed_with_licence_and_format_version(client, small, settings):
    document = _json(client, f"{ROOT}data/measures.json")

    assert (document["format"], document["version"], document["dataset"], document["programme"]) == \
        ("karki-public", FORMAT_VERSION, "measures", SLUG)
    assert document["licence"] == settings.PUBLIC_DATA_LICENCE
    assert document["publisher"] == "Pienen hyvinvointialue"
    assert [row["code"] for row in document["rows"]] == ["M1", "M3"]
    m1 = document["rows"][0]
    assert list(m1) == opendata.MEASURES.columns
    assert (m1["estimate_low_eur"], m1["estimate_high_eur"], m1["latest_report_number"]) == (100000, 200000.5, 2)
    assert document["rows"][1]["estimate_low_eur"] is None


def test_data_files__hidden_and_undecided_measures_names_and_escalations__never_in_any_file(client, small):
    for path in [*_every_address(), "/public/sitemap.xml"]:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode("utf-8-sig")
        for private in (HIDDEN, UNDECIDED, OWNER, "Omistaja", ESCALATION, "/measures/M2/", "/measures/C1/",
                        '"M2"', "M2,", '"C1"', "C1,", str(LATER_VALUE)):
            assert private not in text, (path, private)


def test_data_files__answered_alike_for_everyone_and_kept_by_caches(client, small):
    # As after the fixture's transaction committed: a transaction's own writes are not kept (figures/marks.py).
    marks.pending().clear()
    response = client.get(f"{ROOT}data/measures.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{SLUG}-measures.csv"' in response["Content-Disposition"]
    assert "public" in response["Cache-Control"] and response["ETag"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    assert client.get(f"{ROOT}data/measures.csv", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_data_file__unknown_data_set_or_format__404(client, small):
    for path in (f"{ROOT}data/owners.csv", f"{ROOT}data/measures.xlsx", f"{ROOT}data/measures.CSV"):
        assert client.get(path).status_code == 404, path


def test_unpublished_programme__every_data_address__404(client, small):
    PublicSite.objects.filter(programme=small).update(is_published=False)

    for path in [*_every_address(), "/public/ita-uusimaa-2023-2026/data/measures.csv",
                 "/public/ita-uusimaa-2023-2026/datapackage.json"]:
        assert client.get(path).status_code == 404, path
    assert SLUG not in client.get("/public/sitemap.xml").content.decode()


def test_datapackage__every_resource_resolves_and_its_header_is_its_schema(client, small, settings):
    package = _json(client, f"{ROOT}datapackage.json")

    assert (package["name"], package["version"], package["profile"]) == (SLUG, FORMAT_VERSION, "tabular-data-package")
    assert package["licenses"] == [settings.PUBLIC_DATA_LICENCE]
    assert [c["title"] for c in package["contributors"]] == ["Pienen hyvinvointialue"]
    assert package["created"]
    names = {resource["name"] for resource in package["resources"]}
    assert names == {d.name for d in opendata.DATASETS}
    for resource in package["resources"]:
        assert resource["profile"] == "tabular-data-resource"
        response = client.get(ROOT + resource["path"])
        assert response.status_code == 200, resource["path"]
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields]
        assert all(f["type"] in {"string", "integer", "number", "date", "datetime"} and f["description"]
                   for f in fields)
        keys = resource["schema"]["primaryKey"]
        assert set([keys] if isinstance(keys, str) else keys) <= set(header)
        for foreign in resource["schema"].get("foreignKeys", []):
            assert foreign["reference"]["resource"] in names
            assert foreign["fields"] in header


def test_datapackage__descriptions_in_english_and_codes_listed(client, small):
    package = _json(client, f"{ROOT}datapackage.json")
    measures = next(r for r in package["resources"] if r["name"] == "measures")
    fields = {f["name"]: f for f in measures["schema"]["fields"]}

    assert fields["name_sv"]["description"] == "The measure's name. In Swedish; empty when not written in Swedish."
    assert fields["latest_status"]["constraints"]["enum"] == ["green", "amber", "red"]
    assert "green = On track" in fields["latest_status"]["description"]
    assert fields["page_url_fi"]["format"] == "uri"


def test_dcat__a_dataset_with_a_distribution_per_file_licence_and_publisher(client, small, settings):
    document = _json(client, f"{ROOT}dcat.jsonld")

    assert document["@type"] == "dcat:Dataset"
    assert document["dct:license"] == {"@id": settings.PUBLIC_DATA_LICENCE["path"]}
    assert {"@value": "Lilla välfärdsområdet", "@language": "sv"} in document["dct:publisher"]["foaf:name"]
    assert {"@value": "Pienen tuottavuusohjelma", "@language": "fi"} in document["dct:title"]
    assert not any(title["@language"] == "en" for title in document["dct:title"])  # no English name written
    addresses = {d["dcat:downloadURL"]["@id"] for d in document["dcat:distribution"]}
    assert len(addresses) == 2 * len(opendata.DATASETS)
    assert settings.SITE_URL.rstrip("/") + f"{ROOT}data/progress.csv" in addresses
    assert document["dct:modified"]["@type"] == "xsd:dateTime"


def test_data_page__says_what_to_download_and_that_it_may_be_used(client, small, settings):
    response = client.get(f"{ROOT}data/")
    html = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Language"] == "fi"
    assert not response.cookies
    assert settings.PUBLIC_DATA_LICENCE["title"] in html and settings.PUBLIC_DATA_LICENCE["path"] in html
    for dataset in opendata.DATASETS:
        assert f'href="{ROOT}data/{dataset.name}.csv"' in html
        assert f'href="{ROOT}data/{dataset.name}.json"' in html
    assert "<code>estimate_low_eur</code>" in html and "<code>name_fi</code>" in html
    assert f'href="{ROOT}datapackage.json"' in html
    # "May I use it?" comes before what to download.
    assert html.index(settings.PUBLIC_DATA_LICENCE["path"]) < html.index(f"{ROOT}data/themes.csv")


def test_data_page__swedish__in_swedish_with_the_same_files(client, small):
    response = client.get(f"{ROOT}sv/data/")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert "Åtgärder" in html  # the measures data set, named in Swedish
    assert f'href="{ROOT}data/measures.csv"' in html


def test_sitemap__every_public_page_in_three_languages_with_alternates(client, small, settings):
    response = client.get("/public/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    tree = etree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    base = settings.SITE_URL.rstrip("/")
    urls = {u.findtext("s:loc", namespaces=ns): u for u in tree.findall("s:url", ns)}

    for path in ("", "changes/", "themes/1/", "measures/M1/", "measures/M3/", "reports/", "reports/1/",
                 "reports/2/", "reports/compare/", "data/", "accessibility/"):
        for prefix in ("", "sv/", "en/"):
            assert f"{base}{ROOT}{prefix}{path}" in urls, prefix + path
    assert f"{base}{ROOT}measures/M2/" not in urls and f"{base}{ROOT}measures/C1/" not in urls
    page = urls[f"{base}{ROOT}sv/measures/M1/"]
    links = {link.get("hreflang"): link.get("href") for link in page.findall("x:link", ns)}
    assert links == {"fi": f"{base}{ROOT}measures/M1/", "sv": f"{base}{ROOT}sv/measures/M1/",
                     "en": f"{base}{ROOT}en/measures/M1/", "x-default": f"{base}{ROOT}measures/M1/"}
    assert page.findtext("s:lastmod", namespaces=ns)


def test_robots__allows_the_public_site_keeps_out_of_the_app_and_names_the_sitemap(client, small, settings):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()

    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Allow: /public/" in lines and "Disallow: /" in lines
    assert f"Sitemap: {settings.SITE_URL.rstrip('/')}{reverse('public:sitemap')}" in lines


def test_sitemap__publishing_a_site__lists_it_at_once(client, small):
    PublicSite.objects.filter(programme=small).update(is_published=False)
    assert SLUG not in client.get("/public/sitemap.xml").content.decode()

    site = PublicSite.objects.get(programme=small)
    site.is_published = True
    site.save()
    assert f"{ROOT}measures/M1/" in client.get("/public/sitemap.xml").content.decode()
