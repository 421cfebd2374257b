"""Exports for BI tools: the same tables as JSON (a list of flat objects) or CSV (`?format=csv`).

Who may read them: members of the programme's organisation, as for the monitoring they come from;
scripts and BI tools authenticate with a personal API token (README, "API access").
"""

from __future__ import annotations

from django.http import Http404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.response import Response

from karki.books.permissions import get_books_programme
from karki.core import api
from karki.core.api import JSONRenderer
from karki.monitoring.api import views as monitoring_api
from karki.monitoring.forms import parse_period
from karki.monitoring.models import Period
from karki.monitoring.permissions import get_period
from karki.monitoring.services import running_version
from karki.programmes.models import ProgrammeVersion

from ..permissions import get_reports_programme
from . import tables
from .renderers import CSVRenderer

FORMAT_PARAM = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv"],
    description="`csv` for CSV (UTF-8 with BOM, `;` between columns, numbers with a dot), `json` or left out for "
                "JSON; anything else is refused with 400. `Accept: text/csv` does the same as `csv`.")
PERIOD = monitoring_api.PERIOD
PERIOD_PARAM = PERIOD.openapi()

COLUMN_HELP = {
    "programme": "Programme identifier (slug).",
    "version": "Programme version number.",
    "level": "`target` (productivity target) or `measure`.",
    "theme_code": "Code of the theme (spearhead).",
    "target_code": "Code of the productivity target.",
    "code": "Code of the target or measure.",
    "name_fi": "Name in Finnish (empty when not given).",
    "name_sv": "Name in Swedish (empty when not given).",
    "name_en": "Name in English (empty when not given).",
    "basket": "A (primary), B or C (prepared contingency measures).",
    "org_unit_code": "Code of the org unit.",
    "owner": "Owner's name.",
    "horizon": "short, medium or long.",
    "difficulty": "not_demanding, demanding or very_demanding.",
    "estimate_kind": "point, range, upper_bound, enabling or to_be_specified; empty when there is no estimate.",
    "estimate_amount_eur": "Point estimate or upper bound (euros a year).",
    "estimate_min_eur": "Low end of a range (euros a year).",
    "estimate_max_eur": "High end of a range (euros a year).",
    "savings_min_eur": "Minimum the estimate adds to a sum (an upper bound adds 0).",
    "savings_expected_eur": "Expected figure (a range adds its midpoint, an upper bound its bound).",
    "savings_max_eur": "Maximum the estimate adds to a sum.",
    "potential_class": "large (> 1 M€), medium or small (< 0.2 M€), from the expected figure.",
    "counts_in_totals": "True for the rows whose figures the programme's totals add; summing savings_* over "
                        "them gives the version's totals.",
    "period": "Reporting period, YYYY-MM.",
    "year": "Year.",
    "month": "Month, 1–12.",
    "measure_code": "Code of the measure (reports follow a measure across versions by its code).",
    "phase": "planned, started, in_progress, implemented, benefits_realised or cancelled.",
    "status": "green (on track), amber (at risk) or red (off track).",
    "state": "draft, submitted, accepted or returned; the status picture counts submitted and accepted.",
    "escalation": "Escalated to the programme office.",
    "revised_expected_eur": "The owner's revised forecast of yearly savings, when given.",
    "language": "Language the owner wrote the texts in (fi, sv, en).",
    "narrative": "What happened in the month, as written.",
    "obstacles": "Obstacles, as written.",
    "submitted_at": "When the report was handed in (ISO 8601).",
    "reviewed_at": "When the programme office accepted or returned it (ISO 8601).",
    "realised_total_eur": "Realised savings of the month, all cost categories.",
    "planned_eur": "Planned savings in the year (the version's yearly ramp).",
    "planned_cumulative_eur": "Planned savings, cumulative to the end of the year.",
    "realised_eur": "Realised savings reported for the year up to the period.",
    "realised_cumulative_eur": "Realised savings, cumulative.",
    "planned_yearly_eur": "Planned yearly effect (expected figure of the version's roll-up).",
    "realised_to_date_eur": "Realised savings to the end of the period.",
    "verified_total_eur": "Of the month's realised savings, what finance has verified (an adjusted claim at its "
                          "verified amount, a rejected one at 0); empty while finance has decided on none.",
    "waiting_verification_eur": "Realised savings of the month that finance has not verified, adjusted or rejected "
                                "yet.",
    "verified_eur": "Of the year's realised savings, what finance has verified.",
    "verified_cumulative_eur": "Verified by finance, cumulative.",
    "one_off_eur": "Of the year's realised savings, one-off ones (claimed): the rest is recurring.",
    "verified_to_date_eur": "Of the realised savings to the end of the period, what finance has verified.",
    "cost_category": "Cost category code, e.g. personnel, purchased_agency_staff, rents.",
    # Savings in the books (karki/books/reconciliation.py: the books page's definitions).
    "row_kind": "`mapped` (an org unit and a cost category), `unmapped` (costs on cost centres or accounts finance "
                "has not mapped, one row a month, without org unit and category) or `no_org_unit` (claims of "
                "measures without an org unit, by cost category).",
    "service_area_code": "Code of the top-level org unit (service area) above `org_unit_code`, for rolling up.",
    "cost_category_group": "The cost category rolled up: `purchased_services` for its three kinds, otherwise the "
                           "same as `cost_category`.",
    "actual_eur": "Actual costs in the books in the month (costs positive, credits negative).",
    "baseline_eur": "What the baseline expects in the month (a whole-year baseline counts a twelfth a month).",
    "difference_eur": "actual − baseline: negative when costs are below the baseline.",
    "in_books_eur": "baseline − actual: the saving the books show, positive when costs fell.",
    "claimed_eur": "Realised savings the measures claim in the month (status reports submitted or accepted), placed "
                   "by the measure's org unit (or its target's) and the saving's cost category.",
    "gap_eur": "claimed − in_books: positive when the measures claim more than the books show.",
    "period_from": "First month of the year the books hold, YYYY-MM.",
    "period_to": "Last month of the year the books hold, YYYY-MM.",
    "cost_centre": "Cost centre as written in the books.",
    "account": "Account as written in the books.",
    "missing": "What the mapping lacks: `org_unit`, `cost_category` or `org_unit_and_cost_category`.",
}
# In the books' tables the same column names mean what the books page means (the context of the table).
BOOKS_HELP = {
    "verified_eur": "Of the claimed, what finance has verified (an adjusted claim at its verified amount, a rejected "
                    "one at 0, one still waiting not at all).",
    "org_unit_code": "Code of the org unit; empty on `unmapped` and `no_org_unit` rows.",
    "cost_category": "Cost category code (personnel, purchased_client_services, purchased_agency_staff, "
                     "purchased_other, purchased_services, materials, rents, other); empty on `unmapped` rows.",
    "year": "Year of the books.",
    "month": "Month of the books, 1–12.",
    "period": "Month of the books, YYYY-MM.",
}
BOOKS_UNMAPPED_HELP = {
    "org_unit_code": "The org unit of the cost centre when that side is mapped; else empty.",
    "cost_category": "The cost category of the account when that side is mapped; else empty.",
    "actual_eur": "Actual costs of the pair over the months the books hold in the year.",
    "baseline_eur": "Baseline of the pair over the same months (a whole-year baseline counts a twelfth a month).",
    "year": "Year of the books.",
}


def _field(column: str, own_help: dict | None = None) -> serializers.Field:
    help_text = (own_help or {}).get(column) or COLUMN_HELP.get(column) or (
        f"Realised savings of the month in the cost category `{column[9:-4]}`." if column.startswith("realised_")
        else "")
    if column.endswith("_eur"):
        return serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, help_text=help_text)
    if column in ("year", "month", "version"):
        return serializers.IntegerField(help_text=help_text)
    if column in ("escalation", "counts_in_totals"):
        return serializers.BooleanField(help_text=help_text)
    if column.endswith("_at"):
        return serializers.DateTimeField(allow_null=True, help_text=help_text)
    return serializers.CharField(allow_null=True, allow_blank=True, help_text=help_text)


def _row_serializer(name: str, columns: list[str], own_help: dict | None = None):
    return type(name, (serializers.Serializer,), {column: _field(column, own_help) for column in columns})


MeasureRow = _row_serializer("ExportMeasureRow", tables.MEASURE_COLUMNS)
ReportRow = _row_serializer("ExportStatusReportRow", tables.REPORT_COLUMNS)
YearRow = _row_serializer("ExportSavingsByYearRow", tables.YEAR_COLUMNS)
ThemeRow = _row_serializer("ExportSavingsByThemeRow", tables.THEME_COLUMNS)
OrgUnitRow = _row_serializer("ExportSavingsByOrgUnitRow", tables.ORG_UNIT_COLUMNS)
CategoryRow = _row_serializer("ExportSavingsByCostCategoryRow", tables.CATEGORY_COLUMNS)
BooksRow = _row_serializer("ExportSavingsInTheBooksRow", tables.BOOKS_COLUMNS, BOOKS_HELP)
BooksUnmappedRow = _row_serializer("ExportBooksUnmappedRow", tables.BOOKS_UNMAPPED_COLUMNS, BOOKS_UNMAPPED_HELP)


def _respond(request, programme, rows: list[dict], columns: list[str], name: str) -> Response:
    response = Response(rows)
    response.csv_columns = columns
    extension = "csv" if request.accepted_renderer.format == "csv" else "json"
    response["Content-Disposition"] = content_disposition_header(False, f"{programme.slug}-{name}.{extension}")
    response["Cache-Control"] = "no-store"
    return response


def _export(summary: str, description: str, row, parameters: list):
    def decorate(view):
        view = renderer_classes([JSONRenderer, CSVRenderer])(view)
        view = api_view(["GET"])(view)
        return extend_schema(summary=summary, description=description, parameters=[FORMAT_PARAM, *parameters],
                             responses={(200, "application/json"): row(many=True),
                                        (200, "text/csv"): OpenApiTypes.STR},
                             tags=["exports"])(view)

    return decorate


VERSION = api.VERSION.but(description="Version number, a whole number from 1 up; the version being run (latest "
                                      "approved) when left out. 404 when the programme has no such version.")
BOOKS_YEAR = api.integer_parameter(
    "year", low=2000, high=2100,
    description="Year of the books, e.g. 2024; every year the books hold when left out (a year without books gives "
                "no rows).",
    message=gettext_lazy("The year is a year written with four digits, for example 2024."))
ANY_PERIOD = PERIOD.but(description="YYYY-MM, a month 01–12; every period when left out.")


@_export("Targets and measures with their estimates (for BI tools)",
         "One row per productivity target and per measure of the version. " + tables.VALUES,
         MeasureRow, [VERSION.openapi()])
def export_measures(request, slug: str):
    programme = get_reports_programme(request, slug)
    number = api.read_query(request, VERSION)["version"]
    versions = ProgrammeVersion.objects.filter(programme=programme).select_related("programme")
    if number:
        version = versions.filter(number=number).first()
    else:
        version = running_version(programme) or versions.order_by("-number").first()
    if version is None:
        raise Http404
    return _respond(request, programme, tables.measure_rows(version), tables.MEASURE_COLUMNS,
                    f"measures-v{version.number}")


@_export("Status reports with realised savings by cost category (for BI tools)",
         "One row per measure and reporting period, every review state. Without `period`, every period.",
         ReportRow, [ANY_PERIOD.openapi()])
def export_status_reports(request, slug: str):
    programme = get_reports_programme(request, slug)
    periods = Period.objects.filter(programme=programme)
    key = api.read_query(request, ANY_PERIOD)["period"]
    if key:
        year, month = parse_period(key)
        periods = periods.filter(year=year, month=month)
    return _respond(request, programme, tables.report_rows(programme, list(periods)), tables.REPORT_COLUMNS,
                    f"status-reports{'-' + key if key else ''}")


def _rollup(request, slug: str, table: str, columns: list[str], name: str) -> Response:
    programme = get_reports_programme(request, slug)
    period = get_period(programme, api.read_query(request, PERIOD)["period"])
    return _respond(request, programme, tables.rollup_rows(programme, period, table), columns,
                    f"{name}-{period.key}")


@_export("Planned and realised savings by year (for BI tools)",
         "The status picture's yearly figures up to the period's year.", YearRow, [PERIOD_PARAM])
def export_savings_by_year(request, slug: str):
    return _rollup(request, slug, "years", tables.YEAR_COLUMNS, "savings-by-year")


@_export("Planned and realised savings by theme (for BI tools)",
         "Planned yearly effect and realised savings to the end of the period, by theme.", ThemeRow, [PERIOD_PARAM])
def export_savings_by_theme(request, slug: str):
    return _rollup(request, slug, "themes", tables.THEME_COLUMNS, "savings-by-theme")


@_export("Planned and realised savings by org unit (for BI tools)",
         "By top-level org unit (service area).", OrgUnitRow, [PERIOD_PARAM])
def export_savings_by_org_unit(request, slug: str):
    return _rollup(request, slug, "org_units", tables.ORG_UNIT_COLUMNS, "savings-by-org-unit")


@_export("Planned and realised savings by cost category (for BI tools)",
         "Planned: the midpoint of the bottom-up cost-change range, as savings.", CategoryRow, [PERIOD_PARAM])
def export_savings_by_cost_category(request, slug: str):
    return _rollup(request, slug, "categories", tables.CATEGORY_COLUMNS, "savings-by-cost-category")


@_export("Savings in the books: actual costs against the baseline with the claims, by month (for BI tools)",
         "One row per year, month, org unit and cost category: actual costs, baseline, claimed and verified savings "
         "and the gap, as the books page defines them, before any roll-up (sum the rows for any total). For finance "
         "and the programme office, as the books page (403 for other members). " + tables.VALUES,
         BooksRow, [BOOKS_YEAR.openapi()])
def export_books(request, slug: str):
    programme = get_books_programme(request, slug)
    year = api.read_query(request, BOOKS_YEAR)["year"]
    return _respond(request, programme, tables.books_rows(programme, year), tables.BOOKS_COLUMNS,
                    f"savings-in-the-books{'-' + str(year) if year else ''}")


@_export("Books: cost centres and accounts not mapped (for BI tools)",
         "One row per year and pair of a cost centre and an account that has no org unit or no cost category, with "
         "its costs and baseline over the months the books hold. For finance and the programme office.",
         BooksUnmappedRow, [BOOKS_YEAR.openapi()])
def export_books_unmapped(request, slug: str):
    programme = get_books_programme(request, slug)
    year = api.read_query(request, BOOKS_YEAR)["year"]
    return _respond(request, programme, tables.books_unmapped_rows(programme, year), tables.BOOKS_UNMAPPED_COLUMNS,
                    f"books-unmapped{'-' + str(year) if year else ''}")
