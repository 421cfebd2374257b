"""The management team's slide deck: what a reader sees on the slides."""

from io import BytesIO

from django.utils import translation
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from karki.lib.formatting import MILLION
from karki.monitoring.models import StatusReport
from karki.monitoring.status import status_picture
from karki.reports import deck
from karki.reports.figures import freeze, report_figures, thaw


def _slides(content: bytes):
    return list(Presentation(BytesIO(content)).slides)


def _titles(slides) -> list[str]:
    return [slide.shapes.title.text for slide in slides]


def _chart(slide):
    return next(shape for shape in slide.shapes if shape.has_chart)


def test_deck__finnish__titles_are_real_title_placeholders_in_order(produce, pmo, ita):
    page, download = produce(pmo, "deck")
    assert "Lataa" in page.content.decode() and download.status_code == 200
    assert download["Content-Type"] == deck.PPTX
    slides = _slides(download.content)
    for slide in slides:
        assert slide.shapes.title.is_placeholder
        assert slide.shapes.title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    titles = _titles(slides)
    assert titles[0] == str(ita.name)
    assert titles[1:5] == ["Yhteenveto", "Säästöt vuosittain, kertymä", "Säästöt teemoittain",
                           "Jakson raportit tilanteen ja vaiheen mukaan"]
    assert any(t.startswith("Eskaloinnit") for t in titles)
    assert any(t.startswith("Vaarassa olevat avaintulokset") for t in titles)
    assert titles[-1].startswith("Puuttuvat raportit")


def test_deck__theme_chart__categories_and_values_are_the_status_picture(produce, pmo, ita, december):
    picture = status_picture(ita, december)
    slides = _slides(produce(pmo, "deck")[1].content)
    frame = _chart(slides[3])
    chart = frame.chart
    assert list(chart.plots[0].categories) == [str(row.label) for row in picture.by_theme]
    planned, realised = chart.plots[0].series
    assert [round(v, 6) for v in planned.values] == [round(float(r.planned_eur / MILLION), 6)
                                                      for r in picture.by_theme]
    assert [round(v, 6) for v in realised.values] == [round(float(r.realised_eur / MILLION), 6)
                                                       for r in picture.by_theme]
    assert chart.has_title and chart.chart_title.text_frame.text == "Säästöt teemoittain (M€)"
    # Alternative text on the chart shape names it and lists the figures.
    described = frame._element.nvGraphicFramePr.cNvPr.get("descr")
    first = picture.by_theme[0]
    assert described.startswith("Säästöt teemoittain.") and str(first.label) in described


def test_deck__year_chart__cumulative_planned_and_realised(produce, pmo, ita, december):
    picture = status_picture(ita, december)
    chart = _chart(_slides(produce(pmo, "deck")[1].content)[2]).chart
    assert list(chart.plots[0].categories) == [str(r.year) for r in picture.by_year]
    assert [s.name for s in chart.plots[0].series] == ["Suunniteltu, kertymä", "Toteutunut, kertymä"]
    realised = chart.plots[0].series[1].values
    assert round(realised[-1], 6) == round(float(picture.realised_total_eur / MILLION), 6)


def test_deck__summary__shows_target_realised_forecast_and_gap_in_finnish_format(produce, pmo, ita, december):
    figures = report_figures(ita, december)
    summary = _slides(produce(pmo, "deck")[1].content)[1]
    table = next(shape for shape in summary.shapes if shape.has_table).table
    cells = {table.cell(r, 0).text: table.cell(r, 1).text for r in range(1, len(table.rows))}
    assert cells["Tavoite"] == "27,6\u00a0M€"
    realised = f"{figures.realised_total_eur / MILLION:.1f}".replace(".", ",")
    assert cells["Toteutuneet säästöt tähän mennessä"] == f"{realised}\u00a0M€"
    assert "Ennuste vuoteen 2026" in cells and "Ero tavoitteeseen (ennuste)" in cells


def test_deck__escalations_and_missing__match_the_status_picture_and_use_words(produce, pmo, ita, december):
    picture = status_picture(ita, december)
    slides = _slides(produce(pmo, "deck")[1].content)
    escalation_text = " ".join(
        shape.table.cell(r, c).text for slide in slides if slide.shapes.title.text.startswith("Eskaloinnit")
        for shape in slide.shapes if shape.has_table for r in range(len(shape.table.rows)) for c in range(5))
    for report in picture.escalations:
        assert report.measure_code in escalation_text
    assert "✖ Ei aikataulussa" in escalation_text or not picture.escalations  # icon and word, not colour
    missing = slides[-1]
    assert missing.shapes.title.text == f"Puuttuvat raportit: {len(picture.missing)} / {picture.reports_expected}"


def test_deck__many_escalations__table_continues_on_further_slides(produce, pmo, ita, december):
    StatusReport.objects.filter(period=december, state__in=["submitted", "accepted"]).update(escalation=True)
    escalated = StatusReport.objects.filter(period=december, escalation=True).count()
    titles = _titles(_slides(produce(pmo, "deck")[1].content))
    pages = -(-escalated // deck.TABLE_ROWS)
    assert f"Eskaloinnit (1/{pages})" in titles and f"Eskaloinnit ({pages}/{pages})" in titles


def test_deck__swedish__is_swedish(produce, pmo):
    page, download = produce(pmo, "deck", language="sv")
    assert download["Content-Disposition"].endswith(".pptx\"") or ".pptx" in download["Content-Disposition"]
    titles = _titles(_slides(download.content))
    assert titles[1:4] == ["Sammanfattning", "Besparingar per år, kumulativt", "Besparingar per tema"]
    presentation = Presentation(BytesIO(download.content))
    assert presentation.core_properties.language == "sv-FI"


def test_deck__empty_sections__say_so_instead_of_an_empty_chart_or_table(ita, december):
    figures = report_figures(ita, december)
    figures.update(by_theme=[], by_year=[], escalations=[], key_results_at_risk=[], missing_by_org_unit=[],
                   version=None)
    with translation.override("fi"):
        slides = _slides(deck.build_deck(thaw(freeze(figures)), language="fi"))
    texts = [shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame]
    assert "Ei näytettävää." in texts and "Ei eskalointeja tällä jaksolla." in texts
    assert not any(shape.has_chart for slide in slides for shape in slide.shapes)
