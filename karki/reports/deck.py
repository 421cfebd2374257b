"""The management team's slide deck of a period (python-pptx), drawn from `figures.report_figures()`.

Accessibility: every slide's title is the layout's real title placeholder (screen readers and the
outline read it); charts are native PowerPoint charts with a title and alternative text that lists the
same figures; traffic lights are an icon and a word, never colour alone; the two series of a chart
differ by pattern as well as colour; text is at least 14 pt; every run is tagged with the language.
Long tables continue on further slides ("(2/3)").

The story of the deck: the summary (the yearly target against the savings of a year, the running sum,
the forecast of the target year and its probability), the forecast by year against the target level, what
baskets B and C could close and management's latest decisions on them, then the details.
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from karki.books.reconciliation import UNMAPPED
from karki.lib import palette
from karki.lib.formatting import MILLION, format_date, format_meur

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
)

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
BODY_TOP = Inches(1.6)
ROW_HEIGHT = Inches(0.5)
TABLE_ROWS = 8  # data rows per slide; more continue on the next slide
DECISION_ROWS = 3  # the latest basket decisions that fit on one slide with their reasoning
LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
UNIT = {"fi": "M€", "sv": "mn €", "en": "€M"}
BOOK_COLUMNS = ("actual_eur", "baseline_eur", "difference_eur", "claimed_eur", "verified_eur", "gap_eur")


def _colour(role: str) -> RGBColor:
    """A colour of the charts' one palette (karki/lib/palette.py), as on the pages and in the PDF."""
    return RGBColor(*palette.rgb(role))


class _Deck:
    def __init__(self, language: str):
        self.language = language
        self.locale = LOCALES.get(language, "fi-FI")
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT

    def _tag(self, text_frame, size: int | None = None, bold: bool | None = None) -> None:
        for paragraph in text_frame.paragraphs:
            for run in paragraph.runs:
                run.font._rPr.set("lang", self.locale)
                if size:
                    run.font.size = Pt(size)
                if bold is not None:
                    run.font.bold = bold

    def slide(self, title: str, layout: int = LAYOUT_TITLE_ONLY):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        heading = slide.shapes.title
        heading.text = title
        if layout == LAYOUT_TITLE_ONLY:
            heading.left, heading.top, heading.width, heading.height = MARGIN, Inches(0.4), WIDTH - 2 * MARGIN, \
                Inches(1.0)
        self._tag(heading.text_frame, size=30 if layout == LAYOUT_TITLE_ONLY else 36, bold=True)
        return slide

    def text(self, slide, lines: list[str], *, top=BODY_TOP, size: int = 20, height=None) -> None:
        box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, height or Inches(1))
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = line
        self._tag(frame, size=size)

    def table(self, slide, header: list[str], rows: list[list[str]], widths: list[float], *, top=BODY_TOP,
              numeric: set[int] = frozenset(), row_height=ROW_HEIGHT,
              languages: dict[tuple[int, int], str] | None = None, header_size: int = 16):
        """`languages`: {(row, column): "sv"} for cells written in another language than the deck's (a
        decision's reasoning), row counted from the first data row."""
        height = row_height * (len(rows) + 1)
        shape = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, top, WIDTH - 2 * MARGIN, height)
        table = shape.table
        table.first_row = True
        total = sum(widths)
        for index, width in enumerate(widths):
            table.columns[index].width = Emu(int((WIDTH - 2 * MARGIN) * width / total))
        for row_index, values in enumerate([header, *rows]):
            for col_index, value in enumerate(values):
                cell = table.cell(row_index, col_index)
                cell.text = str(value)
                if col_index in numeric and row_index > 0:
                    cell.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
                self._tag(cell.text_frame, size=header_size if row_index == 0 else 14, bold=row_index == 0 or None)
                other = (languages or {}).get((row_index - 1, col_index))
                if other:
                    for paragraph in cell.text_frame.paragraphs:
                        for run in paragraph.runs:
                            run.font._rPr.set("lang", LOCALES.get(other, other))
        return table

    def paged_table(self, title: str, header: list[str], rows: list[list[str]], widths: list[float], *,
                    empty: str, numeric: set[int] = frozenset()) -> None:
        if not rows:
            self.text(self.slide(title), [empty])
            return
        pages = [rows[i:i + TABLE_ROWS] for i in range(0, len(rows), TABLE_ROWS)]
        for number, page in enumerate(pages, start=1):
            heading = title if len(pages) == 1 else f"{title} ({number}/{len(pages)})"
            self.table(self.slide(heading), header, page, widths, numeric=numeric)

    def chart(self, slide, title: str, categories: list[str], series: list[tuple[str, list]], *,
              horizontal: bool) -> None:
        """A clustered bar chart in millions of euros, with alternative text that lists the figures."""
        if not categories:
            self.text(slide, [_("Nothing to show.")])
            return
        data = CategoryChartData(number_format='#,##0.0')
        data.categories = categories
        for name, values in series:
            data.add_series(name, [float((v or 0) / MILLION) for v in values])
        kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
        frame = slide.shapes.add_chart(kind, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, HEIGHT - BODY_TOP - Inches(0.4),
                                       data)
        chart = frame.chart
        chart.has_title = True
        chart.chart_title.text_frame.text = f"{title} ({UNIT.get(self.language, 'M€')})"
        self._tag(chart.chart_title.text_frame, size=18, bold=True)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(16)
        chart.font.size = Pt(14)
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format = '#,##0.0'
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(12)
        if horizontal:
            chart.category_axis.reverse_order = True  # first theme on top, as in the table
        if any((v or 0) < 0 for _name, values in series for v in values):
            # A negative bar (costs above the baseline) would run over labels drawn at the zero line.
            chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        # Planned: hatched with an outline; realised: solid. Told apart without colour, too.
        for index, plotted in enumerate(plot.series):
            fill = plotted.format.fill
            if index == 0:
                fill.patterned()
                fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
                fill.fore_color.rgb = _colour("planned")
                fill.back_color.rgb = _colour("paper")
                plotted.format.line.color.rgb = _colour("planned")
            else:
                fill.solid()
                fill.fore_color.rgb = _colour("realised")
                plotted.format.line.color.rgb = _colour("realised")
        described = "; ".join(
            f"{category}: " + ", ".join(f"{name} {format_meur(values[i] or 0, self.language)}"
                                        for name, values in series)
            for i, category in enumerate(categories))
        c_nv_pr = frame._element.nvGraphicFramePr.cNvPr
        c_nv_pr.set("title", title)
        c_nv_pr.set("descr", f"{title}. {described}")

    def forecast_chart(self, slide, title: str, forecast, *, top, height) -> None:
        """The forecast by year as a native line chart: P10, P50 and P90, and the target level as a line of
        its own. Told apart by line style and marker as well as colour; the alternative text lists every
        figure."""
        bands = forecast.by_year
        data = CategoryChartData(number_format='#,##0.0')
        data.categories = [str(band.year) for band in bands]
        series = [("P10", [band.p10_eur for band in bands]), (_("P50 (median)"), [band.p50_eur for band in bands]),
                  ("P90", [band.p90_eur for band in bands])]
        target_name = None
        if forecast.target_eur is not None:
            target_name = _("Yearly target for %(year)s:") % {"year": forecast.target_year} + " " + \
                format_meur(forecast.target_eur, self.language)
            series.append((target_name, [forecast.target_eur for _band in bands]))
        for name, values in series:
            data.add_series(name, [float(v / MILLION) for v in values])
        frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, MARGIN, top, WIDTH - 2 * MARGIN, height, data)
        chart = frame.chart
        chart.has_title = True
        chart.chart_title.text_frame.text = f"{title} ({UNIT.get(self.language, 'M€')})"
        self._tag(chart.chart_title.text_frame, size=18, bold=True)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(14)
        chart.font.size = Pt(14)
        styles = [  # (line dash, width, marker, colour): P10 and P90 are the band's edges, as on the page
            (MSO_LINE_DASH_STYLE.DASH, 1.75, XL_MARKER_STYLE.TRIANGLE, _colour("band_edge")),
            (MSO_LINE_DASH_STYLE.SOLID, 3.5, XL_MARKER_STYLE.CIRCLE, _colour("median")),
            (MSO_LINE_DASH_STYLE.DASH, 1.75, XL_MARKER_STYLE.SQUARE, _colour("band_edge")),
            (MSO_LINE_DASH_STYLE.LONG_DASH_DOT, 2.5, XL_MARKER_STYLE.NONE, _colour("target")),
        ]
        for plotted, (dash, width, marker, colour) in zip(chart.plots[0].series, styles, strict=False):
            plotted.smooth = False
            line = plotted.format.line
            line.dash_style, line.width = dash, Pt(width)
            line.color.rgb = colour
            plotted.marker.style = marker
            if marker != XL_MARKER_STYLE.NONE:
                plotted.marker.size = 9
                plotted.marker.format.fill.solid()
                plotted.marker.format.fill.fore_color.rgb = colour
                plotted.marker.format.line.color.rgb = colour
        median = chart.plots[0].series[1]
        median.data_labels.show_value = True
        median.data_labels.number_format = '#,##0.0'
        median.data_labels.number_format_is_linked = False
        median.data_labels.position = XL_LABEL_POSITION.ABOVE
        median.data_labels.font.size = Pt(12)
        described = "; ".join(
            f"{band.year}: P10 {format_meur(band.p10_eur, self.language)}, "
            f"P50 {format_meur(band.p50_eur, self.language)}, P90 {format_meur(band.p90_eur, self.language)}"
            for band in bands)
        if target_name:
            described += f"; {target_name}"
        c_nv_pr = frame._element.nvGraphicFramePr.cNvPr
        c_nv_pr.set("title", title)
        c_nv_pr.set("descr", f"{title}. {described}")

    def save(self) -> bytes:
        out = BytesIO()
        self.prs.save(out)
        return out.getvalue()


def build_deck(figures: Data, *, language: str) -> bytes:
    """The deck in the active language (the caller activates `language`)."""
    deck = _Deck(language)
    props = deck.prs.core_properties
    status_picture, management_team = _("Status picture"), _("Management team")
    props.title = f"{status_picture} {figures.period.label} – {figures.programme.name}"
    props.language = deck.locale
    props.author = figures.produced_by or "Kärki"
    produced = format_date(local_time(figures.produced_at).date(), language)

    title = deck.slide(figures.programme.name, LAYOUT_TITLE)
    subtitle = title.placeholders[1]
    subtitle.text = "\n".join(filter(None, [
        f"{status_picture} {figures.period.label} · {management_team}",
        figures.programme.organisation,
        _("Produced %(date)s by %(person)s") % {"date": produced, "person": figures.produced_by}
        if figures.produced_by else produced,
        _("Invented sample data") if figures.programme.is_sample_data else "",
    ]))
    deck._tag(subtitle.text_frame, size=22)

    summary = deck.slide(_("Summary"))
    rows = [[label, value_text(value, kind, language)]
            for label, value, kind in summary_rows(figures, recurrence=False)]
    row_height = Inches(0.4)
    deck.table(summary, [_("Figure"), _("Value")], rows, [3, 2], numeric={1}, row_height=row_height)
    deck.text(summary, [realised_sentence(figures, language)],
              top=BODY_TOP + row_height * (len(rows) + 1) + Inches(0.2), size=16)

    lasting = [text for text in (recurrence_sentence(figures, language), deficit_sentence(figures, language)) if text]
    if lasting:
        slide = deck.slide(_("Recurring savings and the deficit") if figures.get("deficit_eur") is not None
                           else _("Recurring and one-off savings"))
        deck.text(slide, lasting, top=Inches(1.35), size=18, height=HEIGHT - Inches(1.6))

    forecast = figures.get("forecast")
    forecast_slide = deck.slide(_("Forecast: will we reach the target?"))
    deck.text(forecast_slide, [forecast_answer(forecast, language)], top=Inches(1.35), height=Inches(1.1), size=16)
    if forecast is not None:
        deck.forecast_chart(forecast_slide, _("Forecast of the savings by year"), forecast, top=Inches(2.55),
                            height=HEIGHT - Inches(2.55) - Inches(0.2))
        forecast_slide.notes_slide.notes_text_frame.text = forecast_basis(figures, language)
        deck._tag(forecast_slide.notes_slide.notes_text_frame)
        _basket_slide(deck, figures, forecast, language)

    planned_name, realised_name = _("Planned, cumulative"), _("Realised, cumulative")
    years = deck.slide(_("Savings by year, cumulative"))
    deck.chart(years, _("Savings by year, cumulative"), [str(r.year) for r in figures.by_year],
               [(planned_name, [r.planned_cumulative_eur for r in figures.by_year]),
                (realised_name, [r.realised_cumulative_eur for r in figures.by_year])], horizontal=False)

    themes = deck.slide(_("Savings by theme"))
    deck.chart(themes, _("Savings by theme"), [r.label for r in figures.by_theme],
               [(_("Planned yearly effect"), [r.planned_eur for r in figures.by_theme]),
                (_("Realised to date"), [r.realised_eur for r in figures.by_theme])], horizontal=True)

    if figures.get("books"):
        _books_slides(deck, figures.books, language)

    states = deck.slide(_("Reports of the period by status and phase"))
    deck.table(states, [_("Status"), _("Measures"), _("Phase"), _("Measures")], [
        [f"{s.icon} {s.label}" if s else "", str(s.count) if s else "", p.label if p else "", str(p.count) if p else ""]
        for s, p in _zip_longest(figures.status_counts, figures.phase_counts)], [3, 1, 3, 1], numeric={1, 3})

    deck.paged_table(_("Escalations"), [_("Code"), _("Measure"), _("Status"), _("Phase"), _("Obstacles")],
                     [[r.code, r.name, f"{r.icon} {r.status_label}", r.phase_label, _short(r.obstacles)]
                      for r in figures.escalations], [1, 4, 2, 2, 4],
                     empty=_("No escalations in this period."))
    deck.paged_table(_("Key results at risk"), [_("Key result"), _("Org unit"), _("Why at risk")],
                     [[_short(r.text), r.org_unit, ", ".join(r.reasons)] for r in figures.key_results_at_risk],
                     [5, 2, 3], empty=_("No key results at risk."))
    missing_title = _("Missing reports: %(missing)s of %(expected)s") % {
        "missing": figures.missing_count, "expected": figures.reports_expected}
    deck.paged_table(missing_title, [_("Org unit"), _("Missing reports")],
                     [[r.label, str(r.count)] for r in figures.missing_by_org_unit], [4, 1], numeric={1},
                     empty=_("Every measure has reported."))
    return deck.save()


def _books_slides(deck: _Deck, books: Data, language: str) -> None:
    """Savings in the books: the answer and the table by cost category (the main categories: their parts
    and the cost centres are in Kärki), then the books page's chart of the claims against the books."""
    slide = deck.slide(f"{_('Savings in the books')} {books.period_text}")
    deck.text(slide, books_sentences(books, language), top=Inches(1.3), height=Inches(1.6), size=14)
    rows = [r for r in books.by_category if r.level == 0]
    table_rows = [[r.label, *[format_meur(r[key], language) for key in BOOK_COLUMNS]] for r in rows]
    table_rows.append([_("Total"), *[format_meur(books.total[key], language) for key in BOOK_COLUMNS]])
    deck.table(slide, [_("Cost category"), _("Actual costs"), pgettext("books", "Baseline"),
                       _("Difference (actual − baseline)"), _("Claimed by measures"), _("Of which verified by finance"),
                       _("Gap (claimed − below the baseline)")],
               table_rows, [3, 2, 2, 2, 2, 2, 2], top=Inches(3.0), numeric={1, 2, 3, 4, 5, 6},
               row_height=Inches(0.36), header_size=12)
    chart_rows = [r for r in rows if r.key != UNMAPPED]
    if chart_rows:
        title = f"{_('Claimed savings and savings in the books by cost category')}, {books.period_text}"
        deck.chart(deck.slide(_("Savings in the books by cost category")), title,
                   [r.label for r in chart_rows],
                   [(_("Claimed by measures"), [r.claimed_eur for r in chart_rows]),
                    (_("Below the baseline in the books"), [r.in_books_eur for r in chart_rows])], horizontal=True)


def _basket_slide(deck: _Deck, figures: Data, forecast: Data, language: str) -> None:
    """What baskets B and C could close and management's latest decisions, on one slide: the decisions that
    fit with their reasoning, the rest counted (they are all in Kärki and in the council report)."""
    slide = deck.slide(_("Baskets B and C: what would close the gap"))
    lines = basket_sentences(forecast, language)
    decisions = figures.basket_decisions
    shown = decisions[-DECISION_ROWS:]
    if len(decisions) > len(shown):
        lines.append(_("The latest %(shown)s of %(count)s decisions on the baskets:") % {
            "shown": len(shown), "count": len(decisions)})
    deck.text(slide, lines or [_("The programme has no financial target, so there is no gap to close.")],
              top=Inches(1.35), height=Inches(1.2), size=16)
    if not shown:
        deck.text(slide, [_("No decision on baskets B and C has been recorded.")], top=Inches(2.7), size=16)
        return
    rows = [[format_date(d.decided_on, language), d.basket, d.decision_label, _short(d.reasoning, 150),
             decision_forecast_text(d, language)] for d in reversed(shown)]
    languages = {(index, 3): d.reasoning_lang for index, d in enumerate(reversed(shown))
                 if d.reasoning_lang and d.reasoning_lang != language}
    table = deck.table(slide, [_("Decided on"), _("Basket"), _("Decision"), _("Reasoning"), _("The forecast then")],
                       rows, [2, 1, 2, 6, 3], top=Inches(2.7), languages=languages)
    for index, decision in enumerate(reversed(shown)):
        if decision.reasoning_note:  # "(in Finnish)", in the deck's own language
            run = table.cell(index + 1, 3).text_frame.paragraphs[-1].add_run()
            run.text = f" ({decision.reasoning_note})"
            run.font.size = Pt(14)
            run.font._rPr.set("lang", deck.locale)


def _zip_longest(first: list, second: list) -> list[tuple]:
    length = max(len(first), len(second))
    return [(first[i] if i < len(first) else None, second[i] if i < len(second) else None) for i in range(length)]


def _short(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

