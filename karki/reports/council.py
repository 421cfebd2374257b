"""The council interim report (osavuosikatsaus / delårsrapport) as an accessible PDF (WeasyPrint).

Made from frozen figures only (see figures.py), so the PDF shows exactly what is stored with the
issued report. The PDF is PDF/UA-1: tagged (headings, lists, tables with header cells, figures),
with the document language and title; charts are SVG images whose alternative text says what they
show, and the same numbers follow each chart in a table.

WeasyPrint needs Pango from the operating system (`make system-libs` checks it); it is imported only
here, when a PDF is made, so the rest of Kärki runs without it.
"""

from __future__ import annotations

import base64
import hashlib

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from karki.books.reconciliation import UNMAPPED
from karki.forecasts import charts as forecast_charts
from karki.lib import palette
from karki.lib.formatting import format_meur
from karki.lib.svgtext import text_width
from karki.monitoring import charts as bar_charts

from .figures import Data
from .text import (
    basket_sentences,
    books_sentences,
    decision_forecast_text,
    deficit_sentence,
    forecast_answer,
    forecast_basis,
    local_time,
    realised_sentence,
    recurrence_sentence,
    summary_rows,
    value_text,
    verification_sentence,
)

PDF = "application/pdf"
FONT_FAMILY = "DejaVu Sans"  # fonts-dejavu-core: on every Debian, covers fi/sv/en, € and the narrow no-break space


def chart_image(rows: list[tuple[str, list]], series: tuple[str, str], title: str, language: str) -> Data:
    """An SVG bar chart as a data: URI with its alternative text."""
    chart = bar_charts.bar_chart(rows, language, layout=bar_charts.PRINT)
    # The legend under the bars: both series on one line when they fit, else one under the other.
    second_x = 20 + int(text_width(series[0], chart.label_size)) + 24
    side_by_side = second_x + 20 + text_width(series[1], chart.label_size) <= chart.width
    legend = [{"x": 0, "y": chart.height, "series": 0, "text": series[0]},
              {"x": second_x if side_by_side else 0, "y": chart.height + (0 if side_by_side else 18), "series": 1,
               "text": series[1]}]
    height = legend[-1]["y"] + 16
    svg = render_to_string("reports/chart.svg", {"chart": chart, "legend": legend, "height": height,
                                                 "palette": palette.colours()})
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    alt = _("%(title)s, bar chart: %(first)s hatched, %(second)s solid. The same figures are in the table "
            "below.") % {"title": title, "first": series[0], "second": series[1]}
    return Data(uri=uri, alt=alt, width=chart.width, height=height)


def forecast_image(forecast, language: str) -> Data:
    """The forecast by year as an SVG data: URI, with alternative text that gives every figure."""
    chart = forecast_charts.band_chart(forecast.by_year, forecast.target_eur, language,
                                       layout=forecast_charts.PRINT)
    target = (_("Yearly target for %(year)s:") % {"year": forecast.target_year} + " "
              + format_meur(forecast.target_eur, language)) if forecast.target_eur is not None else ""
    labels = {"band": _("P10–P90: 8 draws in 10 fall here"), "median": _("P50 (median)"), "plan": _("Plan"),
              "target": target}
    legend = [chart.height + 6 + 18 * index for index in range(4)]
    svg = render_to_string("reports/forecast_chart.svg", {"chart": chart, "labels": labels, "legend": legend,
                                                          "height": legend[-1] + 18, "palette": palette.colours()})
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    figures = "; ".join(
        f"{band.year}: P10 {format_meur(band.p10_eur, language)}, P50 {format_meur(band.p50_eur, language)}, "
        f"P90 {format_meur(band.p90_eur, language)}, {_('Plan')} "
        + (format_meur(band.planned_eur, language) if band.planned_eur is not None else "–")
        for band in forecast.by_year)
    alt = _("Forecast of the savings by year, chart: for each year the band from P10 to P90 hatched, the median "
            "P50 as a thick line, the plan as a ring and the yearly target level as a dashed line. %(figures)s. "
            "The same figures are in the table below.") % {"figures": "; ".join(filter(None, [figures, target]))}
    return Data(uri=uri, alt=alt, width=chart.width, height=legend[-1] + 18)


def render_html(data: Data, *, language: str) -> str:
    theme_series = (_("Planned yearly effect"), _("Realised to date, claimed"))
    year_series = (_("Planned, cumulative"), _("Realised, cumulative, claimed"))
    charts = {
        "themes": chart_image([(r.label, [r.planned_eur, r.realised_eur]) for r in data.by_theme], theme_series,
                              _("Savings by theme"), language),
        "years": chart_image([(str(r.year), [r.planned_cumulative_eur, r.realised_cumulative_eur])
                              for r in data.by_year], year_series, _("Savings by year, cumulative"), language),
    }
    forecast = data.get("forecast")
    if forecast is not None:
        charts["forecast"] = forecast_image(forecast, language)
    books = data.get("books")
    if books:
        # The books page's chart: by cost category, the claims hatched and the books solid.
        rows = [(r.label, [r.claimed_eur, r.in_books_eur]) for r in books.by_category
                if r.level == 0 and r.key != UNMAPPED]
        if rows:
            charts["books"] = chart_image(rows, (_("Claimed by measures"), _("Below the baseline in the books")),
                                          _("Claimed savings and savings in the books by cost category"), language)
    decisions = [(decision, decision_forecast_text(decision, language))
                 for decision in data.get("basket_decisions", [])]
    changes = data.get("changes")
    new_decisions = [(decision, decision_forecast_text(decision, language))
                     for decision in (changes.get("new_decisions", []) if changes else [])]
    return render_to_string("reports/council_report.html", {
        "figures": data, "charts": charts, "language": language, "font_family": FONT_FAMILY,
        "summary": [(label, value_text(value, kind, language)) for label, value, kind in summary_rows(data)],
        "realised_sentence": realised_sentence(data, language),
        "verification_sentence": verification_sentence(data, language),
        "recurrence_sentence": recurrence_sentence(data, language),
        "deficit_sentence": deficit_sentence(data, language),
        "has_verified": data.get("verified_total_eur") is not None,
        "books": books, "books_sentences": books_sentences(books, language),
        "forecast": forecast, "forecast_answer": forecast_answer(forecast, language),
        "forecast_basis": forecast_basis(data, language), "basket_sentences": basket_sentences(forecast, language),
        "decisions": decisions, "new_decisions": new_decisions,
        "issued_at": local_time(data.report.issued_at),
        "previous_issued_at": local_time(data.previous.issued_at) if data.get("previous") else None,
    })


def render_pdf(data: Data, *, language: str, identifier: str) -> bytes:
    from weasyprint import HTML

    html = render_html(data, language=language)
    return HTML(string=html, base_url=None).write_pdf(
        pdf_variant="pdf/ua-1",  # tagged PDF with language, title and structure (implies pdf_tags)
        pdf_identifier=hashlib.md5(identifier.encode()).hexdigest().encode(),  # noqa: S324 - an id, not a secret
        uncompressed_pdf=False,
    )
