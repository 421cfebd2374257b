"""The management team's slide deck: what a reader sees on the slides."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils import translation
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_FILL
from pptx.enum.shapes import PP_PLACEHOLDER

from karki.forecasts import services as forecast_services
from karki.lib.formatting import MILLION, format_meur, format_meur_range, format_percent, format_probability
from karki.lib.tests.test_palette import css_chart_colours
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


def _slide(slides, title: str):
    return next(slide for slide in slides if slide.shapes.title.text == title)


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def _table(slide) -> dict[str, str]:
    table = next(shape for shape in slide.shapes if shape.has_table).table
    return {table.cell(r, 0).text: table.cell(r, 1).text for r in range(1, len(table.rows))}


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
    assert titles[1:8] == ["Yhteenveto", "Pysyvät ja kertaluonteiset säästöt", "Ennuste: saavutetaanko tavoite?",
                           "Korit B ja C: mikä kattaisi vajeen", "Säästöt vuosittain, kertymä", "Säästöt teemoittain",
                           "Jakson raportit tilanteen ja vaiheen mukaan"]
    lasting = _slide(slides, "Pysyvät ja kertaluonteiset säästöt")
    assert any("Voimassa olevat pysyvät säästöt jakson" in shape.text_frame.text
               for shape in lasting.shapes if shape.has_text_frame)
    assert any(t.startswith("Eskaloinnit") for t in titles)
    assert any(t.startswith("Vaarassa olevat avaintulokset") for t in titles)
    assert titles[-1].startswith("Puuttuvat raportit")


def test_deck__theme_chart__categories_and_values_are_the_status_picture(produce, pmo, ita, december):
    picture = status_picture(ita, december)
    slides = _slides(produce(pmo, "deck")[1].content)
    frame = _chart(_slide(slides, "Säästöt teemoittain"))
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
    chart = _chart(_slide(_slides(produce(pmo, "deck")[1].content), "Säästöt vuosittain, kertymä")).chart
    assert list(chart.plots[0].categories) == [str(r.year) for r in picture.by_year]
    assert [s.name for s in chart.plots[0].series] == ["Suunniteltu, kertymä", "Toteutunut, kertymä"]
    realised = chart.plots[0].series[1].values
    assert round(realised[-1], 6) == round(float(picture.realised_total_eur / MILLION), 6)


def test_deck__summary__yearly_target_against_a_years_savings_and_the_forecast_pages_figures(
        produce, pmo, ita, december, page_forecast):
    figures = report_figures(ita, december)
    cells = _table(_slide(_slides(produce(pmo, "deck")[1].content), "Yhteenveto"))
    assert cells["Tavoite: vuosisäästö, joka on saavutettava vuonna 2026"] == "27,6\u00a0M€"
    realised = f"{figures.realised_year_eur / MILLION:.1f}".replace(".", ",")
    assert cells["Toteutunut vuonna 2024, ilmoitettu"] == f"{realised}\u00a0M€"
    recurring = figures.realised_year_eur - figures.one_off_year_eur
    assert cells["Toteutunut pysyvä vuonna 2024, osuus tavoitteen vuositasosta"] == format_percent(
        recurring / figures.target_eur * 100, "fi", 1)
    assert cells["Toteutunut 2023–2024, kertymä"] == format_meur(figures.realised_total_eur, "fi")
    band = page_forecast.target_band
    assert cells["Ennuste vuoden 2026 säästöistä, P50 (mediaani)"] == format_meur(band.p50_eur, "fi")
    assert cells["Ennuste vuoden 2026 säästöistä, P10–P90"] == format_meur_range(band.p10_eur, band.p90_eur, "fi")
    assert cells["Todennäköisyys saavuttaa tavoite vuonna 2026"] == format_probability(page_forecast.probability, "fi")
    assert cells["Vaje tavoitteeseen vuonna 2026 80 %:n varmuudella"] == format_meur(page_forecast.gap_at(80), "fi")
    assert cells["Vaje tavoitteeseen vuonna 2026 50 %:n varmuudella"] == format_meur(page_forecast.gap_at(50), "fi")
    # Never the running sum of the plan (52,3 M€) as a forecast of the yearly target, never a zero gap from it.
    assert "52,3\u00a0M€" not in cells.values()
    assert page_forecast.gap_at(50) > 0


def test_deck__forecast_slide__native_chart_of_the_forecast_pages_figures_with_the_target_level(
        produce, pmo, page_forecast):
    slide = _slide(_slides(produce(pmo, "deck")[1].content), "Ennuste: saavutetaanko tavoite?")
    frame = _chart(slide)
    chart = frame.chart
    assert list(chart.plots[0].categories) == [str(b.year) for b in page_forecast.by_year]
    series = {s.name: [round(v, 6) for v in s.values] for s in chart.plots[0].series}
    for name, field in (("P10", "p10_eur"), ("P50 (mediaani)", "p50_eur"), ("P90", "p90_eur")):
        assert series[name] == [round(float(getattr(b, field) / MILLION), 6) for b in page_forecast.by_year]
    assert series["Vuositavoite 2026: 27,6\u00a0M€"] == [27.6] * len(page_forecast.by_year)
    described = frame._element.nvGraphicFramePr.cNvPr.get("descr")
    assert described.startswith("Ennuste säästöistä vuosittain.")
    assert f"2026: P10 {format_meur(page_forecast.target_band.p10_eur, 'fi')}".replace("\u00a0", " ") in \
        described.replace("\u00a0", " ")
    assert any("todennäköisyys sille, että vuoden 2026 säästöt yltävät tavoitetasolle" in t for t in _texts(slide))


def test_deck__basket_slide__the_gap_plan_and_managements_latest_decisions(produce, pmo, ita, fixed_now):
    forecast_services.record_basket_decision(programme=ita, basket="C", decision="activate",
                                             decided_on=date(2025, 1, 14), reasoning="Vaje ei kuroudu umpeen.",
                                             by=pmo, measure_codes=["C.1"], certainty=80,
                                             gap_eur=Decimal("8500000"), probability_pct=Decimal("0.0"))
    slide = _slide(_slides(produce(pmo, "deck")[1].content), "Korit B ja C: mikä kattaisi vajeen")
    texts = " ".join(_texts(slide))
    assert "80 %:n varmuudella vaje vuonna 2026 on" in texts
    table = next(shape for shape in slide.shapes if shape.has_table).table
    newest = [table.cell(1, c).text for c in range(5)]
    assert newest[:3] == ["14.1.2025", "C", "Otetaan käyttöön"] and newest[3] == "Vaje ei kuroudu umpeen."
    assert newest[4] == "vaje 8,5\u00a0M€ 80 %:n varmuudella; todennäköisyys 0\u00a0%"
    assert table.cell(2, 0).text == "10.12.2024"


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
    assert titles[1:7] == ["Sammanfattning", "Bestående besparingar och engångsbesparingar", "Prognos: når vi målet?",
                           "Korgarna B och C: vad skulle täcka gapet", "Besparingar per år, kumulativt",
                           "Besparingar per tema"]
    presentation = Presentation(BytesIO(download.content))
    assert presentation.core_properties.language == "sv-FI"


def test_deck__empty_sections__say_so_instead_of_an_empty_chart_or_table(ita, december):
    figures = report_figures(ita, december)
    figures.update(by_theme=[], by_year=[], escalations=[], key_results_at_risk=[], missing_by_org_unit=[],
                   version=None, forecast=None, basket_decisions=[])
    with translation.override("fi"):
        slides = _slides(deck.build_deck(thaw(freeze(figures)), language="fi"))
    texts = [shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame]
    assert "Ei näytettävää." in texts and "Ei eskalointeja tällä jaksolla." in texts
    assert "Ohjelmalla ei ole hyväksyttyä versiota, joten ennustetta ei ole." in texts
    assert not any(shape.has_chart for slide in slides for shape in slide.shapes)


def test_deck__chart_colours__are_the_pages_colours(produce, pmo):
    """The deck's charts take the colours of the page's charts (the --chart-* properties of karki.css)."""
    page_colours = {name: RGBColor.from_string(colour[1:]) for name, colour in css_chart_colours().items()}
    slides = _slides(produce(pmo, "deck")[1].content)
    planned, realised = _chart(_slide(slides, "Säästöt teemoittain")).chart.plots[0].series
    assert planned.format.fill.type == MSO_FILL.PATTERNED  # hatched, as on the page and in the PDF
    assert planned.format.fill.fore_color.rgb == page_colours["planned"]
    assert planned.format.fill.back_color.rgb == page_colours["paper"]
    assert planned.format.line.color.rgb == page_colours["planned"]
    assert realised.format.fill.type == MSO_FILL.SOLID
    assert realised.format.fill.fore_color.rgb == page_colours["realised"]
    forecast = _chart(_slide(slides, "Ennuste: saavutetaanko tavoite?")).chart.plots[0].series
    lines = {series.name: series.format.line.color.rgb for series in forecast}
    assert lines["P10"] == lines["P90"] == page_colours["band_edge"]
    assert lines["P50 (mediaani)"] == page_colours["median"]
    assert lines["Vuositavoite 2026: 27,6\u00a0M€"] == page_colours["target"]
