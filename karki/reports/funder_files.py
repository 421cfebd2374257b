"""The funder's report as files: an accessible PDF (WeasyPrint, PDF/UA-1 like the council report: tagged,
language and title set, tables with header cells) and an Excel workbook (values, not formulas; euros as
numbers in a euro format). Both are made from the frozen figures (funder.py) only, in the report's language.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from karki.lib.formatting import format_date, format_datetime

from .council import FONT_FAMILY
from .excel import HEADER, TITLE, _Sheet
from .figures import Data
from .funder import headline
from .text import local_time


def title(data: Data) -> str:
    """"Rahoittajaraportti 1/2024–12/2024 – H-TEST Testihanke"."""
    return f"{_('Report to the funder')} {data.window.label} – {data.project.code} {data.project.name}"


def title_in(data: Data) -> str:
    """The title in the report's own language."""
    with translation.override(data.language):
        return title(data)


def filename(data: Data, extension: str) -> str:
    """rahoittajaraportti-h-test-2024-01-2024-12.pdf: ASCII-safe."""
    return (f"{slugify(_('Report to the funder'))}-{slugify(data.project.code)}-{data.window.first}-"
            f"{data.window.last}.{extension}")


def context(data: Data) -> dict:
    """What the report's body (reports/funder_body.html) needs, for the PDF and the page alike."""
    with translation.override(data.language):
        return {"figures": data, "language": data.language, "headline": headline(data),
                "issued_at": local_time(data.report.issued_at)}


def render_html(data: Data) -> str:
    with translation.override(data.language):
        return render_to_string("reports/funder_report.html",
                                {**context(data), "title": title(data), "font_family": FONT_FAMILY})


def render_pdf(data: Data, *, identifier: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(data), base_url=None).write_pdf(
        pdf_variant="pdf/ua-1",  # tagged PDF with language, title and structure
        pdf_identifier=hashlib.md5(identifier.encode()).hexdigest().encode(),  # noqa: S324 - an id, not a secret
        uncompressed_pdf=False,
    )


def workbook(data: Data) -> bytes:
    with translation.override(data.language):
        return _workbook(data)


def _workbook(data: Data) -> bytes:
    lang = data.language
    p, totals, funding = data.project, data.totals, data.funding
    wb = Workbook()
    info = _Sheet(wb, _("Information"), first=True)
    info.line(title(data), font=TITLE)
    info.blank()
    info.line(_("Project"), f"{p.code} {p.name}")
    info.line(_("Organisation"), p.organisation)
    if p.programme:
        info.line(_("Programme"), p.programme)
    info.line(_("Project owner"), p.owner)
    info.line(_("Project status"), p.status)
    info.line(_("Project duration"), f"{format_date(p.start_on, lang)}–{format_date(p.end_on, lang)}")
    info.line(_("Reporting period"), data.window.label)
    info.line(_("Issued at"), format_datetime(local_time(data.report.issued_at), lang))
    info.line(_("Issued by"), data.report.issued_by)
    info.blank()
    info.line(headline(data))
    info.line(_("Figures are in euros and are values, not formulas."))
    info.line(_("Planned for the period: each year's budget spread evenly over the project's months in that year."))
    if p.is_sample_data:
        info.line(_("Invented sample data: this demo project is made up."))
    info.finish()

    summary = _Sheet(wb, _("Summary"))
    summary.header(_("Figure"), _("Value"))
    for label, value, kind in (
        (_("Planned, whole project"), totals.planned_eur, "eur"),
        (_("Planned for the period"), totals.planned_window_eur, "eur"),
        (_("Spent in the period"), totals.spent_window_eur, "eur"),
        (_("Spent to date"), totals.spent_to_date_eur, "eur"),
        (_("Remaining"), totals.remaining_eur, "eur"),
        (_("Spent to date, share of the plan"), totals.used_pct, "pct"),
        (_("Forecast of the total cost at completion"), totals.forecast_total_eur, "eur"),
        (_("Grants, planned"), funding.grant_planned_eur, "eur"),
        (_("Grants, spent to date"), funding.grant_spent_eur, "eur"),
        (_("Own funding, planned"), funding.own_planned_eur, "eur"),
        (_("Own funding, spent to date"), funding.own_spent_eur, "eur"),
    ):
        summary.line(label, value, kinds=("", kind))
    summary.finish()

    funders = _Sheet(wb, _("Funders"))
    funders.header(_("Code"), _("Funder"), _("Kind"), _("Allowed share"), _("Planned"), _("Share of the plan"),
                   _("Spent in the period"), _("Spent to date"), _("Used of its plan"), _("Share of spending"),
                   _("Above the allowed share"))
    for f in data.funders:
        funders.line(f.code, f.name, f.kind_label, f.allowed_share_pct, f.planned_eur, f.planned_share_pct,
                     f.spent_window_eur, f.spent_to_date_eur, f.used_pct, f.spent_share_pct,
                     _("yes") if f.above_allowed else _("no"),
                     kinds=("", "", "", "pct", "eur", "pct", "eur", "eur", "pct", "pct", ""))
    funders.finish()

    items = _Sheet(wb, _("By item"))
    years = [row.year for row in data.years]
    items.header(_("Code"), _("Item"), _("Level"), _("Planned, whole project"), _("Planned for the period"),
                 _("Grants"), _("Own funding"), *[str(y) for y in years])
    for row in data.structure:
        items.line(row.code, "  " * row.depth + row.name, row.kind_label, row.planned_eur, row.planned_window_eur,
                   row.grant_eur, row.own_eur, *[y.planned_eur for y in row.by_year],
                   kinds=("", "", "", "eur", "eur", "eur", "eur", *["eur"] * len(years)))
    items.finish()

    costs = _Sheet(wb, _("By cost type"))
    costs.header(_("Cost type"), _("Planned, whole project"), _("Planned for the period"), _("Spent in the period"),
                 _("Spent to date"), _("Remaining"), _("Used of the plan"))
    for row in data.cost_types:
        costs.line(row.label, row.planned_eur, row.planned_window_eur, row.spent_window_eur, row.spent_to_date_eur,
                   row.remaining_eur, row.used_pct, kinds=("", "eur", "eur", "eur", "eur", "eur", "pct"))
    costs.line(_("Total"), totals.planned_eur, totals.planned_window_eur, totals.spent_window_eur,
               totals.spent_to_date_eur, totals.remaining_eur, totals.used_pct,
               kinds=("", "eur", "eur", "eur", "eur", "eur", "pct"), font=HEADER)
    costs.finish()

    by_year = _Sheet(wb, _("By year"))
    by_year.header(_("Year"), _("Planned"), _("Grants"), _("Own funding"), _("Share of the year in the period"))
    for row in data.years:
        by_year.line(row.year, row.planned_eur, row.grant_eur, row.own_eur, row.window_share_pct,
                     kinds=("", "eur", "eur", "eur", "pct"))
    by_year.finish()

    milestones = _Sheet(wb, _("Milestones"))
    milestones.header(_("Code"), _("Milestone"), _("Due date"), _("Status"), _("Done on"), _("Reason or note"),
                      _("Owner"))
    for row in data.milestones.reached + data.milestones.attention:
        milestones.line(row.code, row.name, format_date(row.due_on, lang), row.status_label,
                        format_date(row.done_on, lang) if row.done_on else "", row.note, row.owner)
    milestones.finish()

    indicators = _Sheet(wb, _("Indicators"))
    indicators.header(_("Code"), _("Indicator"), _("Unit"), _("Baseline"), _("Latest value"), _("Measured on"),
                      _("Target"), _("Deadline"), _("Direction"))
    for row in data.indicators:
        indicators.line(row.code, row.name, row.unit, _num(row.baseline), _num(row.latest),
                        format_date(row.measured_on, lang) if row.measured_on else "", _num(row.target),
                        format_date(row.deadline_on, lang) if row.deadline_on else "", row.direction)
    indicators.finish()

    risks = _Sheet(wb, _("Risks"))
    risks.header(_("Code"), _("Risk"), _("Category"), _("Likelihood (1–5)"), _("Impact (1–5)"), _("Score"),
                 _("Owner"), _("Mitigation"))
    for row in data.risks:
        risks.line(row.code, row.title, row.category, row.likelihood, row.impact, row.score, row.owner,
                   row.mitigation)
    risks.finish()

    follow_ups = _Sheet(wb, _("Follow-ups"))
    follow_ups.header(_("Month"), _("Status"), _("What happened"), _("Obstacles"), _("State"))
    for row in data.follow_ups:
        follow_ups.line(row.period, f"{row.icon} {row.status_label}", row.narrative, row.obstacles, row.state_label)
    follow_ups.finish()

    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _num(text: str | None):
    """An indicator's value as a number in the cell (it was frozen as exact text)."""
    if text in (None, ""):
        return None
    number = float(text)
    return int(number) if number == int(number) else number
