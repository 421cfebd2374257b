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

from karki.monitoring.charts import bar_chart

from .figures import Data
from .text import forecast_basis, local_time, summary_rows

PDF = "application/pdf"
FONT_FAMILY = "DejaVu Sans"  # fonts-dejavu-core: on every Debian, covers fi/sv/en, € and the narrow no-break space


def chart_image(rows: list[tuple[str, list]], series: tuple[str, str], title: str, language: str) -> Data:
    """An SVG bar chart as a data: URI with its alternative text."""
    chart = bar_chart(rows, language)
    svg = render_to_string("reports/chart.svg", {"chart": chart, "series": series, "height": chart.height + 16,
                                                 "legend_x": 40 + 7 * len(series[0])})
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    alt = _("%(title)s, bar chart: %(first)s hatched, %(second)s solid. The same figures are in the table "
            "below.") % {"title": title, "first": series[0], "second": series[1]}
    return Data(uri=uri, alt=alt, width=chart.width, height=chart.height + 16)


def render_html(data: Data, *, language: str) -> str:
    theme_series = (_("Planned yearly effect"), _("Realised to date"))
    year_series = (_("Planned, cumulative"), _("Realised, cumulative"))
    charts = {
        "themes": chart_image([(r.label, [r.planned_eur, r.realised_eur]) for r in data.by_theme], theme_series,
                              _("Savings by theme"), language),
        "years": chart_image([(str(r.year), [r.planned_cumulative_eur, r.realised_cumulative_eur])
                              for r in data.by_year], year_series, _("Savings by year, cumulative"), language),
    }
    return render_to_string("reports/council_report.html", {
        "figures": data, "charts": charts, "language": language, "font_family": FONT_FAMILY,
        "summary": summary_rows(data), "forecast_basis": forecast_basis(data, language),
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
