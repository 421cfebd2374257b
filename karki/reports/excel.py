"""The status picture of a period as an Excel workbook: values, not formulas.

Headers are in the language the workbook is made in. Money is stored as numbers in euros with the
format `# ##0 €` (Excel shows the thousands separator and decimal mark of the reader's own locale, so
Finnish Excel shows 1 234 567 €); percentages as fractions with `0.0 %`. Text that people typed (measure
names, obstacles) is always stored as text, never as a formula, even when it starts with "=".
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from karki.lib.formatting import format_datetime

from .figures import Data
from .text import forecast_basis, local_time, state_label, summary_rows, title_of

EUR_FORMAT = '#,##0 "€"'
PCT_FORMAT = "0.0 %"
HEADER = Font(bold=True)
TITLE = Font(bold=True, size=14)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_title(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


class _Sheet:
    def __init__(self, workbook: Workbook, title: str, *, first: bool = False):
        self.ws = workbook.active if first else workbook.create_sheet()
        self.ws.title = _safe_title(title)
        self.row = 1
        self.widths: dict[int, int] = {}

    def _set(self, column: int, value, kind: str = ""):
        cell = self.ws.cell(row=self.row, column=column)
        if kind == "eur" and value is not None:
            cell.value = float(value) if value != int(value) else int(value)
            cell.number_format = EUR_FORMAT
        elif kind == "pct" and value is not None:
            cell.value = float(value) / 100
            cell.number_format = PCT_FORMAT
        elif kind == "probability" and value is not None:
            cell.value = float(value)  # already a fraction, as the forecast gives it
            cell.number_format = PCT_FORMAT
        elif isinstance(value, (int, float)) or value is None:
            cell.value = value
        else:
            cell.value = str(value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
        width = len(str(value)) if value is not None else 0
        self.widths[column] = max(self.widths.get(column, 8), min(width + 2, 60))
        return cell

    def line(self, *values, kinds: tuple[str, ...] = (), font: Font | None = None) -> None:
        for index, value in enumerate(values, start=1):
            cell = self._set(index, value, kinds[index - 1] if index - 1 < len(kinds) else "")
            if font is not None:
                cell.font = font
        self.row += 1

    def header(self, *labels) -> None:
        self.line(*labels, font=HEADER)
        self.ws.freeze_panes = self.ws.cell(row=self.row, column=1)

    def blank(self) -> None:
        self.row += 1

    def finish(self) -> None:
        for column, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = max(width, 14 if column > 1 else 10)
        for row in self.ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and len(cell.value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def status_workbook(figures: Data, *, language: str) -> bytes:
    """The workbook of one period's status picture, in the active language."""
    wb = Workbook()
    info = _Sheet(wb, _("Information"), first=True)
    info.line(title_of(figures, _("Status picture")), font=TITLE)
    info.blank()
    info.line(_("Programme"), figures.programme.name)
    info.line(_("Organisation"), figures.programme.organisation)
    info.line(_("Reporting period"), figures.period.label)
    if figures.version:
        info.line(_("Version"), figures.version.label)
    info.line(_("Produced at"), format_datetime(local_time(figures.produced_at), language))
    info.line(_("Produced by"), figures.produced_by)
    info.blank()
    info.line(_("Figures are in euros and are values, not formulas. Savings are positive when costs fall."))
    if figures.programme.is_sample_data:
        info.line(_("Invented sample data: the reports of this demo programme are made up."))
    info.finish()

    summary = _Sheet(wb, _("Summary"))
    summary.header(_("Figure"), _("Value"))
    for label, value, kind in summary_rows(figures, split=True):
        summary.line(label, value, kinds=("", kind))
    basis = forecast_basis(figures, language)
    if basis:
        summary.blank()
        summary.line(basis)
    summary.finish()

    years = _Sheet(wb, _("By year"))
    # The target is a yearly level: each year's savings are set against it; the cumulative columns are the
    # running sum.
    # One-offs help a year's result, never the level: the share counts the recurring savings only.
    one_offs = any(row.get("one_off_eur") for row in figures.by_year)
    years.header(_("Year"), _("Planned in the year"), _("Planned, share of the yearly target level"),
                 _("Realised in the year"),
                 _("Realised recurring, share of the yearly target level") if one_offs
                 else _("Realised, share of the yearly target level"), _("Planned, cumulative"),
                 _("Realised, cumulative"), *([_("Of which one-off")] if one_offs else []))
    for row in figures.by_year:
        years.line(row.year, row.planned_eur, row.get("planned_share_pct"), row.realised_eur,
                   row.get("realised_share_pct"), row.planned_cumulative_eur, row.realised_cumulative_eur,
                   *([row.get("one_off_eur")] if one_offs else []),
                   kinds=("", "eur", "pct", "eur", "pct", "eur", "eur", "eur"))
    if figures.target_eur is not None:
        years.blank()
        years.line(_("Yearly target level for %(year)s") % {"year": figures.target_year}, figures.target_eur,
                   kinds=("", "eur"), font=HEADER)
    years.finish()


    for title, head, rows in ((_("By theme"), _("Theme"), figures.by_theme),
                              (_("By org unit"), _("Org unit"), figures.by_org_unit),
                              (_("By cost category"), _("Cost category"), figures.by_category)):
        sheet = _Sheet(wb, title)
        sheet.header(_("Code"), head, _("Planned yearly effect"), _("Realised to date"))
        for row in rows:
            sheet.line(row.key, row.label, row.planned_eur, row.realised_eur, kinds=("", "", "eur", "eur"))
        sheet.finish()

    forecast = figures.get("forecast")
    if forecast is not None:
        _forecast_sheet(wb, forecast)

    states = _Sheet(wb, _("Status and phase"))
    states.header(_("Status"), _("Measures"))
    for row in figures.status_counts:
        states.line(f"{row.icon} {row.label}", row.count)
    states.blank()
    states.line(_("Phase"), _("Measures"), font=HEADER)
    for row in figures.phase_counts:
        states.line(row.label, row.count)
    states.finish()

    escalations = _Sheet(wb, _("Escalations"))
    escalations.header(_("Code"), _("Measure"), _("Status"), _("Phase"), _("Obstacles"))
    for row in figures.escalations:
        escalations.line(row.code, row.name, f"{row.icon} {row.status_label}", row.phase_label, row.obstacles)
    escalations.finish()

    key_results = _Sheet(wb, _("Key results at risk"))
    key_results.header(_("Key result"), _("Objective"), _("Org unit"), _("Why at risk"))
    for row in figures.key_results_at_risk:
        key_results.line(row.text, row.objective, row.org_unit, ", ".join(row.reasons))
    key_results.finish()

    missing = _Sheet(wb, _("Missing reports"))
    missing.header(_("Org unit"), _("Missing reports"))
    for row in figures.missing_by_org_unit:
        missing.line(row.label, row.count)
    missing.blank()
    missing.line(_("Code"), _("Measure"), _("Owner"), pgettext("report state", "State"), font=HEADER)
    for row in figures.missing:
        missing.line(row.code, row.name, row.owner, state_label(row.state))
    missing.finish()

    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _forecast_sheet(wb: Workbook, forecast) -> None:
    """The forecast page's figures: each year's P10/P50/P90 with the plan, the realised savings and the
    probability of reaching the target level, the running sums, and the gap at 50 % and 80 % certainty."""
    sheet = _Sheet(wb, _("Forecast"))
    has_target = forecast.target_eur is not None
    heads = [_("Year"), "P10", _("P50 (median)"), "P90", _("Plan"), _("Realised so far")]
    sheet.header(*heads, *([_("Probability of reaching the target level")] if has_target else []))
    for band in forecast.by_year:
        sheet.line(band.year, band.p10_eur, band.p50_eur, band.p90_eur, band.planned_eur, band.realised_eur,
                   *([band.probability] if has_target else []),
                   kinds=("", "eur", "eur", "eur", "eur", "eur", "probability"))
    sheet.blank()
    sheet.line(_("Cumulative savings"), font=HEADER)
    sheet.line(*heads, font=HEADER)
    for band in forecast.cumulative:
        sheet.line(band.year, band.p10_eur, band.p50_eur, band.p90_eur, band.planned_eur, band.realised_eur,
                   kinds=("", "eur", "eur", "eur", "eur", "eur"))
    if has_target:
        sheet.blank()
        year = {"year": forecast.target_year}
        sheet.line(_("Yearly target level for %(year)s") % year, forecast.target_eur, kinds=("", "eur"))
        sheet.line(_("Probability of reaching the target in %(year)s") % year, forecast.probability,
                   kinds=("", "probability"))
        for certainty in (80, 50):
            sheet.line(_("Savings in %(year)s reached with %(c)s %% certainty") % {**year, "c": certainty},
                       forecast[f"level_{certainty}_eur"], kinds=("", "eur"))
            sheet.line(_("Gap to the target in %(year)s with %(c)s %% certainty") % {**year, "c": certainty},
                       forecast[f"gap_{certainty}_eur"], kinds=("", "eur"))
    sheet.blank()
    sheet.line(_("Draws"), forecast.draws)
    sheet.line(_("Seed"), forecast.seed)
    sheet.finish()
