"""The public site's open data: every data set defined once, here.

A data set is a table: its columns (name, Table Schema type, an English description that the data page
shows translated), its keys, and how its rows are made from `reading.read_site()`, the one reader of what
is public. The CSV and JSON files, the data package (datapackage.json), the DCAT description and the data
page are all drawn from these definitions, so a column means the same in each of them. The format is
documented in docs/open-data.md and versioned by `reading.FORMAT_VERSION`.

Texts come in three columns, one per language (`name_fi`, `name_sv`, `name_en`), each made from the site
read in that language; a column holds only text written in its own language and is empty where the county
has not written one (the site itself shows a fallback in another language, marked as such; a file cannot
mark it, so it leaves it out). Codes (phase, status, basket…) are the stable values of Kärki's choices; the
data page and the data package list what each means.

Machine formats throughout: ISO 8601 dates (2024-12-31) and times with their offset from UTC
(2024-12-31T14:05:00+02:00, Finnish time), dots as decimal separators, euros as euros (not millions).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override, pgettext_lazy

from karki.audit.export import safe_cell
from karki.core.content import Text, translated
from karki.monitoring.enums import Phase, TrafficLight
from karki.programmes.enums import Basket, Direction, EstimateKind, Horizon, Recurrence

from . import cache
from .cache import Rendered
from .reading import FORMAT_VERSION, LANGUAGES, Site
from .views.common import NotPublic, absolute, public_url

FORMAT = "karki-public"
EXTENSIONS = ("csv", "json")
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"
# A byte-order mark before the CSV header: Excel, the spreadsheet most residents open a CSV in, reads a file
# without one in the computer's legacy code page and garbles å, ä and ö; tools that read CSV for a living
# (pandas, R's readr, LibreOffice, Frictionless, Power Query) take the mark as UTF-8 and skip it.
BOM = "\ufeff"

MONEY = Decimal("0.01")
SHARE = Decimal("0.1")

# Said after a text column's description: which language it holds, and that it is empty rather than filled
# with another language's text.
IN_LANGUAGE = {
    "fi": _("In Finnish; empty when not written in Finnish."),
    "sv": _("In Swedish; empty when not written in Swedish."),
    "en": _("In English; empty when not written in English."),
}
TYPE_LABELS = {
    "string": pgettext_lazy("data type", "text"),
    "integer": pgettext_lazy("data type", "whole number"),
    "number": pgettext_lazy("data type", "number"),
    "date": pgettext_lazy("data type", "date"),
    "datetime": pgettext_lazy("data type", "date and time"),
}


# -- definitions ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """A column of a data set, or three (`name_fi`, `name_sv`, `name_en`) when `translated`."""

    name: str
    type: str  # a Table Schema type: string, integer, number, date, datetime
    description: Promise  # English, translated on the data page
    translated: bool = False
    codes: type[models.TextChoices] | None = None  # the values it takes, with their meanings
    format: str = ""  # a Table Schema format ("uri")

    @property
    def columns(self) -> list[str]:
        return [f"{self.name}_{code}" for code in LANGUAGES] if self.translated else [self.name]

    def code_labels(self) -> list[tuple[str, str]]:
        """(value, meaning) of each code, in the active language."""
        # "A – primary measures" already names its code: the meaning is what follows it.
        return [(value, str(label).removeprefix(f"{value} – ")) for value, label in self.codes.choices] \
            if self.codes else []

    def column_descriptions(self) -> list[tuple[str, str]]:
        """(column, description) of each column, in the active language."""
        text = str(self.description)
        if self.codes:
            text += " " + str(_("Values:")) + " " + "; ".join(f"{v} = {label}" for v, label in self.code_labels())
        if not self.translated:
            return [(self.name, text)]
        return [(f"{self.name}_{code}", f"{text} {IN_LANGUAGE[code]}") for code in LANGUAGES]


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class DataSet:
    name: str  # in the file's address: /public/<programme>/data/<name>.csv
    title: Promise
    description: Promise  # in plain language: what a row is, where the figures come from
    fields: tuple[Field, ...]
    items: Callable[[Site], list]  # what the rows are made of, read from one language's site
    row: Callable[[object, Sites], dict]  # the values of one item's row, by column
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [column for f in self.fields for column in f.columns]

    def count(self, site: Site) -> int:
        return len(self.items(site))

    def rows(self, sites: Sites) -> list[dict]:
        return [self.row(item, sites) for item in self.items(sites.main)]


@dataclass
class Sites:
    """The public site read in each language: a text column in one language is filled from the site read in
    that language. `main` (Finnish) gives the structure, which is the same in every language."""

    by_language: dict[str, Site]

    @property
    def main(self) -> Site:
        return self.by_language[settings.LANGUAGE_CODE]

    def texts(self, name: str, find: Callable[[Site], Text | None]) -> dict[str, str]:
        """{name_fi: …, name_sv: …, name_en: …}: the text `find` reads in each language's site, when it is
        written in that language."""
        return {f"{name}_{code}": own(find(site)) for code, site in self.by_language.items()}

    def lists(self, name: str, find: Callable[[Site], object]) -> dict[str, str]:
        """As `texts()`, for a list of services or areas (item.services, item.services_lang)."""
        values = {}
        for code, site in self.by_language.items():
            item = find(site)
            written = item is not None and getattr(item, f"{name}_lang") == code
            values[f"{name}_{code}"] = ", ".join(getattr(item, name)) if written else ""
        return values

    def urls(self, page: str, **kwargs) -> dict[str, str]:
        slug = self.main.programme.slug
        return {f"page_url_{code}": absolute(public_url(page, code, slug=slug, **kwargs)) for code in LANGUAGES}


def read_sites(site: Site) -> Sites:
    """`site` and the same site read in the other languages."""
    by_language = {}
    for code in LANGUAGES:
        found = site if code == site.language else cache.kept_site(site.programme.pk, site.programme.organisation_id,
                                                                    code)
        if found is None:  # unpublished between the two reads: nothing is answered
            raise NotPublic
        by_language[code] = found
    return Sites(by_language)


def own(text: Text | None) -> str:
    """The text when it is written in the language asked for; "" for a fallback or nothing."""
    return text.text if text and not text.is_fallback else ""


def money(value) -> Decimal | None:
    return Decimal(value).quantize(MONEY) if value is not None else None


def share(value) -> Decimal | None:
    return Decimal(value).quantize(SHARE) if value is not None else None


# -- the data sets --------------------------------------------------------------------------------------

def _url_field() -> Field:
    return Field("page_url", "string", _("The address of its page on this site."), translated=True, format="uri")


def _theme_row(theme, sites: Sites) -> dict:
    find = lambda site: site.theme(theme.code)  # noqa: E731
    return {
        "code": theme.code,
        **sites.texts("name", lambda site: getattr(find(site), "name", None)),
        **sites.texts("description", lambda site: getattr(find(site), "description", None)),
        **sites.texts("resident_text", lambda site: getattr(find(site), "resident_text", None)),
        **sites.lists("services", find),
        **sites.lists("areas", find),
        "measure_count": len(theme.measures),
        **sites.urls("theme", code=theme.code),
    }


THEMES = DataSet(
    name="themes",
    title=_("Themes"),
    description=_("The programme's themes (spearheads): what each aims at and what it changes for residents. "
                  "One row per theme."),
    fields=(
        Field("code", "string", _("The theme's code in the programme.")),
        Field("name", "string", _("The theme's name."), translated=True),
        Field("description", "string", _("What the theme aims at."), translated=True),
        Field("resident_text", "string", _("What the theme changes for residents, written for them."),
              translated=True),
        Field("services", "string", _("The services it concerns, separated by commas."), translated=True),
        Field("areas", "string", _("The municipalities or areas it concerns, separated by commas; empty when it "
                                   "concerns the whole county."), translated=True),
        Field("measure_count", "integer", _("How many of its measures are public.")),
        _url_field(),
    ),
    items=lambda site: site.themes,
    row=_theme_row,
    primary_key=("code",),
)


def _measure_row(measure, sites: Sites) -> dict:
    find = lambda site: site.measures.get(measure.code)  # noqa: E731
    latest = measure.latest
    has_amount = measure.estimate_kind in (EstimateKind.POINT, EstimateKind.RANGE, EstimateKind.UPPER_BOUND)
    return {
        "code": measure.code,
        "theme_code": measure.theme_code,
        **sites.texts("name", lambda site: getattr(find(site), "name", None)),
        **sites.texts("description", lambda site: getattr(find(site), "description", None)),
        "basket": measure.basket,
        "horizon": measure.horizon,
        **sites.texts("org_unit", lambda site: getattr(find(site), "org_unit", None)),
        "estimate_kind": measure.estimate_kind,
        # An upper bound ("under 0.1 M€") has no lower end (reading.MeasureItem): summing its bound as a low
        # estimate would claim more.
        "estimate_low_eur": money(measure.estimate_low_eur),
        "estimate_high_eur": money(measure.estimate_high_eur),
        "recurrence": measure.recurrence if has_amount else "",
        "latest_report_number": latest.report_number if latest else None,
        "latest_phase": latest.phase if latest else "",
        "latest_status": latest.status if latest else "",
        **sites.texts("resident_text", lambda site: getattr(find(site), "resident_text", None)),
        **sites.lists("services", find),
        **sites.lists("areas", find),
        **sites.urls("measure", code=measure.code),
    }


MEASURES = DataSet(
    name="measures",
    title=_("Measures"),
    description=_("Each public measure of the programme: what it is, who carries it out, its savings estimate, and "
                  "its phase and status in the latest interim report to the regional council. One row per measure."),
    fields=(
        Field("code", "string", _("The measure's code in the programme.")),
        Field("theme_code", "string", _("The code of its theme (see themes); empty for a contingency measure of "
                                        "basket B or C, which belongs to no theme.")),
        Field("name", "string", _("The measure's name."), translated=True),
        Field("description", "string", _("What the measure does."), translated=True),
        Field("basket", "string", _("Its basket: A measures are carried out; B and C measures are prepared and "
                                    "started only if A measures do not save enough."), codes=Basket),
        Field("horizon", "string", _("When its savings are expected to be realised."), codes=Horizon),
        Field("org_unit", "string", _("The organisation unit responsible for it."), translated=True),
        Field("estimate_kind", "string", _("The kind of its savings estimate; empty when the estimate is given for "
                                           "its productivity target as a whole."), codes=EstimateKind),
        Field("estimate_low_eur", "number", _("The lower end of its yearly savings estimate, in euros; empty for an "
                                              "upper bound.")),
        Field("estimate_high_eur", "number", _("The upper end of its yearly savings estimate, in euros.")),
        Field("recurrence", "string", _("Whether the estimated savings recur every year or come once."),
              codes=Recurrence),
        Field("latest_report_number", "integer", _("The number of the latest interim report (see reports) that gave "
                                                   "its phase and status.")),
        Field("latest_phase", "string", _("Its phase in that report; empty when its report had not come in."),
              codes=Phase),
        Field("latest_status", "string", _("Its status in that report; empty when its report had not come in."),
              codes=TrafficLight),
        Field("resident_text", "string", _("What the measure changes for residents, written for them."),
              translated=True),
        Field("services", "string", _("The services it concerns, separated by commas."), translated=True),
        Field("areas", "string", _("The municipalities or areas it concerns, separated by commas; empty when it "
                                   "concerns the whole county."), translated=True),
        _url_field(),
    ),
    items=lambda site: list(site.measures.values()),
    row=_measure_row,
    primary_key=("code",),
    foreign_keys=(ForeignKey(("theme_code",), "themes", ("code",)),
                  ForeignKey(("latest_report_number",), "reports", ("number",))),
)


def _progress_items(site: Site) -> list[dict]:
    return list(site.latest_report.figures["by_year"]) if site.latest_report else []


def _progress_row(year: dict, sites: Sites) -> dict:
    report = sites.main.latest_report
    realised, one_off = year.get("realised_eur"), year.get("one_off_eur")
    return {
        "year": year["year"],
        "target_eur": money(report.figures.get("target_eur")),
        "target_year": report.figures.get("target_year"),
        "planned_eur": money(year.get("planned_eur")),
        "planned_cumulative_eur": money(year.get("planned_cumulative_eur")),
        "realised_eur": money(realised),
        "realised_cumulative_eur": money(year.get("realised_cumulative_eur")),
        "verified_eur": money(year.get("verified_eur")),
        "verified_cumulative_eur": money(year.get("verified_cumulative_eur")),
        "one_off_eur": money(one_off),
        "recurring_eur": money(realised - (one_off or 0)) if realised is not None else None,
        "report_number": report.number,
    }


PROGRESS = DataSet(
    name="progress",
    title=_("Progress by year"),
    description=_("Savings by year as the latest interim report to the regional council gave them: planned, "
                  "realised (as reported by those responsible for the measures) and verified by finance, split "
                  "into recurring and one-off savings, against the target. One row per year."),
    fields=(
        Field("year", "integer", _("The year.")),
        Field("target_eur", "number", _("The yearly savings the programme must reach by its target year, in euros "
                                        "(the same on every row): compare it with the recurring savings.")),
        Field("target_year", "integer", _("The year by which the target must be reached.")),
        Field("planned_eur", "number", _("Savings planned for the year, in euros.")),
        Field("planned_cumulative_eur", "number", _("Savings planned from the first year up to this year, in "
                                                    "euros.")),
        Field("realised_eur", "number", _("Savings realised in the year, in euros, as reported by those "
                                          "responsible for the measures.")),
        Field("realised_cumulative_eur", "number", _("Savings realised from the first year up to this year, in "
                                                     "euros.")),
        Field("verified_eur", "number", _("Of the realised savings, those finance has verified, in euros.")),
        Field("verified_cumulative_eur", "number", _("Verified savings from the first year up to this year, in "
                                                     "euros.")),
        Field("one_off_eur", "number", _("Of the realised savings, one-off savings that help only this year's "
                                         "result, in euros.")),
        Field("recurring_eur", "number", _("Of the realised savings, recurring savings that lower costs in the "
                                           "years after too (realised minus one-off), in euros.")),
        Field("report_number", "integer", _("The number of the interim report the figures come from (see "
                                            "reports).")),
    ),
    items=_progress_items,
    row=_progress_row,
    primary_key=("year",),
    foreign_keys=(ForeignKey(("report_number",), "reports", ("number",)),),
)


def _report_row(report, sites: Sites) -> dict:
    figures = report.figures
    return {
        "number": report.number,
        "period": report.period_key,
        "period_end": report.period_end,
        "issued_at": report.issued_at,
        "target_eur": money(figures.get("target_eur")),
        "target_year": figures.get("target_year"),
        "planned_year_eur": money(figures.get("planned_year_eur")),
        "realised_year_eur": money(figures.get("realised_year_eur")),
        "verified_year_eur": money(figures.get("verified_year_eur")),
        "one_off_year_eur": money(figures.get("one_off_year_eur")),
        "realised_year_pct": share(figures.get("realised_year_pct")),
        "planned_to_date_eur": money(figures.get("planned_to_date_eur")),
        "realised_total_eur": money(figures.get("realised_total_eur")),
        "verified_total_eur": money(figures.get("verified_total_eur")),
        "run_rate_eur": money(figures.get("run_rate_eur")),
        "run_rate_verified_eur": money(figures.get("run_rate_verified_eur")),
        "deficit_eur": money(figures.get("deficit_eur")),
        "deficit_year": figures.get("deficit_year"),
        "reports_expected": figures.get("reports_expected"),
        "reports_received": figures.get("reports_received"),
        **sites.urls("report", number=report.number),
    }


REPORTS = DataSet(
    name="reports",
    title=_("Interim reports"),
    description=_("The interim reports issued to the regional council and the programme's totals in each, as "
                  "issued: they never change afterwards. One row per report."),
    fields=(
        Field("number", "integer", _("The report's number, counting from 1.")),
        Field("period", "string", _("The month the report covers, as year-month (2024-12).")),
        Field("period_end", "date", _("The last day of that month.")),
        Field("issued_at", "datetime", _("When the report was issued.")),
        Field("target_eur", "number", _("The yearly savings the programme must reach by its target year, in "
                                        "euros.")),
        Field("target_year", "integer", _("The year by which the target must be reached.")),
        Field("planned_year_eur", "number", _("Savings planned for the report's year, in euros.")),
        Field("realised_year_eur", "number", _("Savings realised in the report's year up to its month, in euros, as "
                                               "reported by those responsible for the measures.")),
        Field("verified_year_eur", "number", _("Of those, the savings finance has verified, in euros; empty in "
                                               "reports issued before verification was recorded.")),
        Field("one_off_year_eur", "number", _("Of the year's realised savings, one-off savings, in euros.")),
        Field("realised_year_pct", "number", _("The year's realised recurring savings as a percentage of the "
                                               "target.")),
        Field("planned_to_date_eur", "number", _("Savings planned from the first year up to the report's month, in "
                                                 "euros.")),
        Field("realised_total_eur", "number", _("Savings realised from the first year up to the report's month, in "
                                                "euros.")),
        Field("verified_total_eur", "number", _("Of those, the savings finance has verified, in euros.")),
        Field("run_rate_eur", "number", _("The yearly level of recurring savings reached by the end of the "
                                          "report's month, in euros.")),
        Field("run_rate_verified_eur", "number", _("The same level counting verified savings only, in euros.")),
        Field("deficit_eur", "number", _("The accumulated deficit the programme must cover, in euros; empty when it "
                                         "has none.")),
        Field("deficit_year", "integer", _("The year by which the deficit must be covered.")),
        Field("reports_expected", "integer", _("How many measures were due to report for the month.")),
        Field("reports_received", "integer", _("How many of them had reported when the report was issued.")),
        _url_field(),
    ),
    items=lambda site: list(reversed(site.reports)),  # oldest first, as a table of a series reads
    row=_report_row,
    primary_key=("number",),
)


def _update_items(site: Site) -> list[tuple]:
    return [(report, row) for report in reversed(site.reports) for row in report.figures["measures"]]


MEASURE_UPDATES = DataSet(
    name="measure-updates",
    title=_("Measure updates"),
    description=_("The phase and status of each public measure in each interim report to the regional council. One "
                  "row per report and measure."),
    fields=(
        Field("report_number", "integer", _("The number of the interim report (see reports).")),
        Field("period", "string", _("The month the report covers, as year-month (2024-12).")),
        Field("measure_code", "string", _("The measure's code (see measures).")),
        Field("phase", "string", _("Its phase in the report; empty when its report had not come in."), codes=Phase),
        Field("status", "string", _("Its status in the report; empty when its report had not come in."),
              codes=TrafficLight),
    ),
    items=_update_items,
    row=lambda item, sites: {"report_number": item[0].number, "period": item[0].period_key,
                             "measure_code": item[1]["code"], "phase": item[1]["phase"],
                             "status": item[1]["status"]},
    primary_key=("report_number", "measure_code"),
    foreign_keys=(ForeignKey(("report_number",), "reports", ("number",)),
                  ForeignKey(("measure_code",), "measures", ("code",))),
)


def _indicator_row(indicator, sites: Sites) -> dict:
    def find(site):
        found = next((i for i in site.indicators if i.code == indicator.code), None)
        return found.name if found else None

    return {
        "code": indicator.code,
        "theme_code": indicator.theme_code,
        **sites.texts("name", find),
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline_value": indicator.baseline_value,
        "baseline_year": indicator.baseline_year,
        "target_value": indicator.target_value,
        "deadline": indicator.deadline,
        "value_count": len(indicator.values),
    }


INDICATORS = DataSet(
    name="indicators",
    title=_("Indicators"),
    description=_("The indicators the programme follows, with their baselines and targets. One row per "
                  "indicator; their measured values are in indicator values."),
    fields=(
        Field("code", "string", _("The indicator's code in the programme.")),
        Field("theme_code", "string", _("The code of the theme it belongs to (see themes); empty for an "
                                        "indicator of the whole programme.")),
        Field("name", "string", _("The indicator's name."), translated=True),
        Field("unit", "string", _("The unit of its values, as the programme writes it.")),
        Field("direction", "string", _("Whether a higher or a lower value is better."), codes=Direction),
        Field("baseline_value", "number", _("Its value at the start.")),
        Field("baseline_year", "integer", _("The year of that value.")),
        Field("target_value", "number", _("The value to reach.")),
        Field("deadline", "date", _("The day by which the target value should be reached.")),
        Field("value_count", "integer", _("How many measured values it has (see indicator values).")),
    ),
    items=lambda site: site.indicators,
    row=_indicator_row,
    primary_key=("code",),
    foreign_keys=(ForeignKey(("theme_code",), "themes", ("code",)),),
)


INDICATOR_VALUES = DataSet(
    name="indicator-values",
    title=_("Indicator values"),
    description=_("The measured values of each indicator, up to the end of the month of the latest interim "
                  "report. One row per indicator and day of measurement."),
    fields=(
        Field("indicator_code", "string", _("The indicator's code (see indicators).")),
        Field("measured_on", "date", _("The day the value was measured.")),
        Field("value", "number", _("The measured value, in the indicator's unit.")),
    ),
    items=lambda site: [(i.code, day, value) for i in site.indicators for day, value in i.values],
    row=lambda item, sites: {"indicator_code": item[0], "measured_on": item[1], "value": item[2]},
    primary_key=("indicator_code", "measured_on"),
    foreign_keys=(ForeignKey(("indicator_code",), "indicators", ("code",)),),
)

DATASETS: tuple[DataSet, ...] = (THEMES, MEASURES, PROGRESS, REPORTS, MEASURE_UPDATES, INDICATORS, INDICATOR_VALUES)
BY_NAME = {dataset.name: dataset for dataset in DATASETS}


# -- writing the files ----------------------------------------------------------------------------------

def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)  # a text a spreadsheet would run as a formula gets a leading apostrophe
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def number_text(value: Decimal) -> str:
    """78000000.00 → "78000000", 7516966.50 → "7516966.5": no exponent, no trailing zeros."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(number_text(value))
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def filename(dataset: DataSet, slug: str, extension: str) -> str:
    return f"{slug}-{dataset.name}.{extension}"


def updated(site: Site) -> str:
    return timezone.localtime(site.updated_at).isoformat(timespec="seconds")


def licence() -> dict:
    return dict(settings.PUBLIC_DATA_LICENCE)


def file_path(dataset: DataSet, extension: str) -> str:
    """The file's address relative to the programme's public root (/public/<programme>/)."""
    return f"data/{dataset.name}.{extension}"


def render_csv(dataset: DataSet, sites: Sites) -> Rendered:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    columns = dataset.columns
    writer.writerow(columns)
    for row in dataset.rows(sites):
        writer.writerow([csv_value(row[column]) for column in columns])
    return Rendered(content=buffer.getvalue().encode(), content_type=CSV_TYPE,
                    filename=filename(dataset, sites.main.programme.slug, "csv"))


def render_json(dataset: DataSet, sites: Sites) -> Rendered:
    site = sites.main
    slug = site.programme.slug
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "dataset": dataset.name,
        "programme": slug,
        "publisher": organisation_name(site, "fi"),
        "licence": licence(),
        "updated": updated(site),
        "schema": absolute(public_url("datapackage", "fi", slug=slug)),
        "rows": [{column: json_value(row[column]) for column in dataset.columns} for row in dataset.rows(sites)],
    }
    return Rendered(content=dumps(document), content_type=JSON_TYPE, filename=filename(dataset, slug, "json"))


def render_file(dataset: DataSet, extension: str, sites: Sites) -> Rendered:
    return render_csv(dataset, sites) if extension == "csv" else render_json(dataset, sites)


def dumps(document) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


# -- describing them ------------------------------------------------------------------------------------

def table_schema(dataset: DataSet) -> dict:
    """The data set's Table Schema (https://specs.frictionlessdata.io/table-schema/), in English."""
    fields = []
    for f in dataset.fields:
        for column, description in f.column_descriptions():
            item = {"name": column, "type": f.type, "description": description}
            if f.format:
                item["format"] = f.format
            if f.codes:
                item["constraints"] = {"enum": [value for value, _label in f.code_labels()]}
            fields.append(item)
    schema = {"fields": fields, "missingValues": [""],
              "primaryKey": list(dataset.primary_key) if len(dataset.primary_key) > 1 else dataset.primary_key[0]}
    if dataset.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": list(fk.fields) if len(fk.fields) > 1 else fk.fields[0],
             "reference": {"resource": fk.resource,
                           "fields": list(fk.reference) if len(fk.reference) > 1 else fk.reference[0]}}
            for fk in dataset.foreign_keys]
    return schema


def organisation_name(site: Site, language: str) -> str:
    return translated(site.programme.organisation, "name", language).text


def datapackage(site: Site) -> dict:
    """The Frictionless Data Package (v1) of the programme's open data, in English: one tabular data resource
    per CSV file, its paths relative to the package's own address."""
    slug = site.programme.slug
    with override("en"):
        resources = [{
            "name": dataset.name,
            "path": file_path(dataset, "csv"),
            "profile": "tabular-data-resource",
            "title": str(dataset.title),
            "description": str(dataset.description),
            "format": "csv",
            "mediatype": "text/csv",
            "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
            "schema": table_schema(dataset),
        } for dataset in DATASETS]
        organisation = organisation_name(site, "fi")
        contributor = {"title": organisation, "role": "publisher",
                       "path": absolute(public_url("home", "fi", slug=slug))}
        if site.settings.contact_email:
            contributor["email"] = site.settings.contact_email
        return {
            "profile": "tabular-data-package",
            "name": slug.lower(),
            "title": site.name.text,
            "description": f"Open data of {organisation}'s productivity programme: its themes and measures, what "
                           "they change for residents, and the savings and statuses reported to the regional council.",
            "homepage": absolute(public_url("data", "fi", slug=slug)),
            "version": FORMAT_VERSION,
            "created": updated(site),
            "licenses": [licence()],
            "sources": [{"title": "Interim reports issued to the regional council and the programme approved by it, "
                                  f"published by {organisation}",
                         "path": absolute(public_url("reports", "fi", slug=slug))}],
            "contributors": [contributor],
            "keywords": ["productivity programme", "tuottavuusohjelma", "produktivitetsprogram",
                         "wellbeing services county", "hyvinvointialue", "välfärdsområde"],
            "resources": resources,
        }


def dcat(site: Site) -> dict:
    """A DCAT-AP description (JSON-LD) of the same data: a dcat:Dataset with a distribution per file."""
    slug = site.programme.slug
    root = absolute(public_url("home", "fi", slug=slug))
    texts = {code: (translated(site.programme, "name", code), organisation_name(site, code)) for code in LANGUAGES}
    licence_ref = {"@id": settings.PUBLIC_DATA_LICENCE["path"]}

    def localised(values: dict[str, Text | str]) -> list[dict]:
        return [{"@value": str(value), "@language": code} for code, value in values.items()
                if value and not getattr(value, "is_fallback", False)]

    distributions = []
    with override("en"):
        for dataset in DATASETS:
            for extension, media in (("csv", "text/csv"), ("json", "application/json")):
                address = root + file_path(dataset, extension)
                distributions.append({
                    "@id": address,
                    "@type": "dcat:Distribution",
                    "dct:title": f"{dataset.title} ({extension.upper()})",
                    "dct:description": str(dataset.description),
                    "dcat:accessURL": {"@id": address},
                    "dcat:downloadURL": {"@id": address},
                    "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
                    "dct:format": {"@id": "http://publications.europa.eu/resource/authority/file-type/"
                                          + extension.upper()},
                    "dct:license": licence_ref,
                    "dct:conformsTo": {"@id": root + "datapackage.json"},
                })
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": root + "dcat.jsonld#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": root + "datapackage.json",
        "dct:title": localised({code: name for code, (name, _org) in texts.items()}),
        "dct:description": [{"@value": "Open data of the productivity programme: its themes and measures, what they "
                                       "change for residents, and the savings and statuses reported to the regional "
                                       "council.", "@language": "en"}],
        "dct:publisher": {"@type": "foaf:Organization",
                          "foaf:name": localised({code: org for code, (_name, org) in texts.items()})},
        **({"dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": organisation_name(site, "fi"),
                                  "vcard:hasEmail": {"@id": "mailto:" + site.settings.contact_email}}}
           if site.settings.contact_email else {}),
        "dct:license": licence_ref,
        "dct:modified": {"@value": updated(site), "@type": "xsd:dateTime"},
        "dct:language": [{"@id": f"http://publications.europa.eu/resource/authority/language/{code}"}
                         for code in ("FIN", "SWE", "ENG")],
        "dcat:landingPage": {"@id": absolute(public_url("data", "fi", slug=slug))},
        "dcat:keyword": ["tuottavuusohjelma", "produktivitetsprogram", "productivity programme"],
        "dcat:distribution": distributions,
    }


def render_datapackage(site: Site) -> Rendered:
    return Rendered(content=dumps(datapackage(site)), content_type=JSON_TYPE, filename="datapackage.json")


def render_dcat(site: Site) -> Rendered:
    return Rendered(content=dumps(dcat(site)), content_type="application/ld+json", filename="dcat.jsonld")
