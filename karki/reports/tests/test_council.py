"""The council interim report: a frozen, accessible PDF that lists what changed since the previous one."""

import base64
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from pypdf import PdfReader

from karki.figures.read import status_picture
from karki.forecasts import services as forecast_services
from karki.lib.formatting import format_meur, format_meur_range, format_probability
from karki.lib.tests.test_palette import css_chart_colours
from karki.monitoring.models import RealisedSaving, StatusReport
from karki.organisations.models import OrgUnit
from karki.programmes import services as programme_services
from karki.programmes.models import Measure, Programme, Theme
from karki.reports import council, services
from karki.reports.figures import thaw
from karki.reports.models import CouncilReport, ReportIssued


def _pdf(report, language="fi") -> PdfReader:
    return PdfReader(BytesIO(bytes(report.files.get(language=language).content)))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """The PDF's text on one line, with plain spaces: table cells and wrapped lines read as one sentence."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2010\n", "").split())


def _elements(node, found):
    node = node.get_object()
    if isinstance(node, dict) or hasattr(node, "keys"):
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, list) else [kids]:
                if hasattr(kid, "get_object") and not isinstance(kid.get_object(), int):
                    _elements(kid, found)
    return found


def _issue(ita, period, by, languages=("fi",)):
    return services.issue_council_report(programme=ita, period=period, languages=list(languages), by=by)


def test_council_report__pdf__tagged_with_language_title_and_alt_text(ita, december, pmo, fixed_now):
    reader = _pdf(_issue(ita, december, pmo))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fi"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == f"Osavuosikatsaus 12/2024 – {ita.name}"
    elements = _elements(root["/StructTreeRoot"], [])
    tags = [str(e["/S"]) for e in elements]
    headings = [t for t in tags if t[:2] == "/H"]
    assert headings[0] == "/H1" and set(headings) <= {"/H1", "/H2", "/H3"}
    assert "/Table" in tags and "/TH" in tags and "/Caption" in tags
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == 3  # the forecast, progress by theme, savings by year
    assert all(str(f.get("/Alt", "")).startswith(("Ennuste säästöistä vuosittain", "Säästöt teemoittain",
                                                  "Säästöt vuosittain")) for f in figures)


def test_council_report__text__figures_in_finnish_format_and_the_report_date_in_reading_order(
        ita, december, pmo, fixed_now):
    report = _issue(ita, december, pmo)
    text = _flat(_text(_pdf(report)))
    figures = report.figures["fi"]
    realised = _flat(format_meur(Decimal(figures["realised_total_eur"]), "fi"))
    assert f"Toteutunut 2023–2024, kertymä {realised}" in text
    assert "Tavoite: vuosisäästö, joka on saavutettava vuonna 2026 27,6 M€" in text
    assert "Raportin päivämäärä 15.1.2025" in text
    order = ["Osavuosikatsaus 12/2024", "Yhteenveto", "Ennuste: saavutetaanko tavoite?", "Edistyminen teemoittain",
             "Säästöt vuosittain", "Muutokset edelliseen katsaukseen", "Riskit"]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "Tämä on ohjelman ensimmäinen osavuosikatsaus" in text


def test_council_report__second__lists_the_changes_since_the_first(ita, november, december, pmo, fixed_now):
    first = _issue(ita, november, pmo)
    # A report of December that was missing arrives, with a realised saving, escalated and off track.
    report = StatusReport.objects.filter(period=december, state="submitted").order_by("measure_code").first()
    StatusReport.objects.filter(pk=report.pk).update(escalation=True, status="red", phase="cancelled")
    second = _issue(ita, december, pmo)
    assert second.number == first.number + 1 and second.previous == first
    changes = second.figures["fi"]["changes"]
    labels = [row["label"] for row in changes["figures"]]
    assert "Toteutuneet säästöt tähän mennessä" in labels
    assert report.measure_code in [row["code"] for row in changes["new_escalations"]]
    assert report.measure_code in [row["code"] for row in changes["measures"]]
    assert report.measure_code in [row["code"] for row in changes["attention"]]
    text = _text(_pdf(second)).replace("\u00a0", " ")
    assert "Verrattu katsaukseen 1 jaksolta 11/2024, julkaistu 15.1.2025." in text
    assert "Luvut, jotka muuttuivat" in text
    assert f"{report.measure_code}" in text and "✖ Ei aikataulussa" in text
    assert "Toimenpiteet, jotka joutuivat pois aikataulusta tai peruttiin" in text
    assert "Vaihe: " in text and " → Peruttu" in text


def test_council_report__issued__never_changes(ita, december, pmo, fixed_now):
    report = _issue(ita, december, pmo)
    before = bytes(report.files.get().content)
    RealisedSaving.objects.filter(report__period=december).delete()  # later corrections …
    report.refresh_from_db()
    assert bytes(report.files.get().content) == before  # … do not touch the issued report
    with pytest.raises(ReportIssued):
        report.save()
    with pytest.raises(ReportIssued):
        report.delete()


def test_council_report__swedish__is_swedish(ita, december, pmo, fixed_now):
    report = _issue(ita, december, pmo, languages=("fi", "sv"))
    assert report.languages == ["fi", "sv"]
    reader = _pdf(report, "sv")
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    text = _text(reader).replace("\u00a0", " ")
    assert "Delårsrapport 12/2024" in text and "Sammanfattning" in text and "Rapportdatum 15.1.2025" in text
    assert "mn €" in text
    assert report.files.get(language="sv").filename.startswith("delarsrapport-")


def test_council_report__not_the_programme_office__refused(ita, december, viewer):
    with pytest.raises(PermissionDenied):
        _issue(ita, december, viewer)
    assert not CouncilReport.objects.for_programme(ita).exists()


def test_council_report__issued_from_the_page__job_offers_the_pdf_and_the_list_shows_it(
        client_for, ita, pmo, viewer, fixed_now):
    client = client_for(pmo)
    response = client.post(reverse("reports:council-list", args=[ita.slug]),
                           {"period": "2024-12", "languages": ["fi", "sv"]})
    assert response.status_code == 302
    job_page = client.get(response["Location"]).content.decode()
    assert "Osavuosikatsaus 1 on julkaistu." in job_page
    download = client.get(response["Location"] + "download/")
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF")
    listing = client_for(viewer).get(reverse("reports:council-list", args=[ita.slug])).content.decode()
    assert "Osavuosikatsaus 1" in listing and "15.1.2025" in listing
    pdf = client_for(viewer).get(reverse("reports:council-pdf", args=[ita.slug, 1, "sv"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_for(viewer).get(reverse("reports:council-pdf", args=[ita.slug, 1, "en"])).status_code == 404


def test_council_report__no_language_chosen__says_so(client_for, ita, pmo):
    response = client_for(pmo).post(reverse("reports:council-list", args=[ita.slug]), {"period": "2024-12"})
    assert response.status_code == 400
    assert "Valitse katsaukselle vähintään yksi kieli." in response.content.decode()


def test_council_report__forecast_section__answers_with_the_forecast_pages_figures(
        ita, december, pmo, fixed_now, page_forecast):
    report = _issue(ita, december, pmo)
    frozen = report.figures["fi"]["forecast"]
    band = page_forecast.target_band
    assert (Decimal(frozen["p10_eur"]), Decimal(frozen["p50_eur"]), Decimal(frozen["p90_eur"])) == (
        band.p10_eur, band.p50_eur, band.p90_eur)
    assert frozen["probability"] == page_forecast.probability
    assert Decimal(frozen["gap_80_eur"]) == page_forecast.gap_at(80)
    text = _flat(_text(_pdf(report)))
    section = text[text.index("Ennuste: saavutetaanko tavoite?"):text.index("Edistyminen teemoittain")]
    assert ("Jakson lopun tietojen perusteella todennäköisyys sille, että vuoden 2026 säästöt yltävät "
            f"tavoitetasolle 27,6 M€, on {_flat(format_probability(page_forecast.probability, 'fi'))}.") in section
    assert (f"Vuoden 2026 säästöjen mediaaniennuste on {_flat(format_meur(band.p50_eur, 'fi'))} "
            f"(P10–P90 {_flat(format_meur_range(band.p10_eur, band.p90_eur, 'fi'))}).") in section
    # The same numbers as a table: the target year's row.
    assert (f"2026 (tavoitevuosi) {_flat(format_meur(band.p10_eur, 'fi'))} {_flat(format_meur(band.p50_eur, 'fi'))} "
            f"{_flat(format_meur(band.p90_eur, 'fi'))} 27,6 M€") in section
    # The gap, and what baskets B and C could close in management's order of preference.
    assert f"80 %:n varmuudella vaje vuonna 2026 on {_flat(format_meur(page_forecast.gap_at(80), 'fi'))}" in section
    assert "Korien B ja C toimenpiteet, jos ne otetaan käyttöön 1/2025 alkaen" in section
    assert "kattaa vajeen" in section
    # Management's decisions up to the report date, the reasoning marked with its language.
    assert "Johdon päätökset korien B ja C käyttöönotosta" in section and "10.12.2024 B Ei oteta käyttöön" in section


def test_council_report__basket_decision__in_the_next_report_and_in_its_changes(ita, november, december, pmo,
                                                                                 fixed_now):
    _issue(ita, november, pmo)
    forecast_services.record_basket_decision(
        programme=ita, basket="C", decision="activate", decided_on=date(2025, 1, 15), language="sv",
        reasoning="Gapet är för stort; vi tar C.1 i bruk.", measure_codes=["C.1"], certainty=80,
        gap_eur=Decimal("8476297.60"), probability_pct=Decimal("0.0"), by=pmo)
    second = _issue(ita, december, pmo)
    figures = second.figures["fi"]
    assert [d["decided_on"] for d in figures["basket_decisions"]] == ["2024-12-10", "2025-01-15"]
    assert [d["decided_on"] for d in figures["changes"]["new_decisions"]] == ["2025-01-15"]
    text = _flat(_text(_pdf(second)))
    assert "15.1.2025 C Otetaan käyttöön (C.1) Gapet är för stort; vi tar C.1 i bruk. (ruotsiksi)" in text
    assert "vaje 8,5 M€ 80 %:n varmuudella; todennäköisyys 0 %" in text
    changes = text[text.index("Muutokset edelliseen katsaukseen"):]
    assert "Korien B ja C päätökset edellisen katsauksen jälkeen 15.1.2025: kori C, Otetaan käyttöön" in changes
    assert "10.12.2024: kori B" not in changes  # already in the previous report


def test_council_report__changes__the_probability_and_the_median_moved(ita, november, december, pmo, fixed_now):
    _issue(ita, november, pmo)
    Programme.objects.filter(pk=ita.pk).update(target_eur=Decimal("20000000"))  # the council lowers the level
    ita.refresh_from_db()
    second = _issue(ita, december, pmo)
    moved = {row["label"]: row for row in second.figures["fi"]["changes"]["figures"]}
    probability = moved["Todennäköisyys saavuttaa tavoite vuonna 2026"]
    assert probability["kind"] == "probability" and probability["now"] > probability["then"]
    assert probability["change"] == round((probability["now"] - probability["then"]) * 100, 1)
    assert "Ennuste vuoden 2026 säästöistä, P50 (mediaani)" in moved
    assert "prosenttiyksikköä" in _flat(_text(_pdf(second)))


def test_council_report__previous_report_without_a_forecast__says_so_instead_of_failing(
        ita, november, december, pmo, fixed_now):
    first = _issue(ita, november, pmo)
    # A report issued before the Monte Carlo forecast: its figures had a planned ramp as "forecast", a gap
    # against it and no basket decisions.
    old = first.figures["fi"]
    old["forecast"] = {"year": 2026, "planned_eur": "52300000.00", "forecast_eur": "52300000.00"}
    old["gap_eur"] = "0.00"
    del old["basket_decisions"]
    CouncilReport.objects.filter(pk=first.pk).update(figures={"fi": old})
    second = _issue(ita, december, pmo)
    changes = second.figures["fi"]["changes"]
    assert "ennen kuin Kärki ennusti tavoitteen saavuttamisen todennäköisyyttä" in changes["forecast_note"]
    assert not any("Ennuste" in row["label"] for row in changes["figures"])
    assert changes["new_decisions"] == []  # the demo decision of 10.12.2024 is older than the first report
    assert "todennäköisyyttä ja mediaaniennustetta ei verrata siihen" in _flat(_text(_pdf(second)))


def test_council_report__missing_reports_in_a_named_org_unit__issued(ita, december, pmo, draft, fixed_now):
    # Org-unit names come with their language; the frozen figures must still be plain JSON.
    unit = OrgUnit.objects.create(organisation=ita.organisation, code="SOS", name_fi="Sosiaalipalvelut",
                                  name_sv="Socialtjänster")
    Measure.objects.filter(version=draft).update(org_unit=unit)
    programme_services.approve_version(version=draft, by=pmo)
    missing = status_picture(ita, december).missing
    report = _issue(ita, december, pmo, languages=("fi", "sv"))
    assert {"label": "Sosiaalipalvelut", "label_lang": "fi", "count": len(missing)} in \
        report.figures["fi"]["missing_by_org_unit"]
    assert report.figures["sv"]["missing_by_org_unit"][0]["label"] == "Socialtjänster"


EARLIER_FI = ("Osavuosikatsaus 1 on jo julkaistu myöhemmältä jaksolta 12/2024. Aiemman jakson katsausta ei voi "
              "julkaista sen jälkeen: sen muutokset edelliseen katsaukseen verrattuna kulkisivat taaksepäin.")


def test_council_report__earlier_period_than_the_latest__refused_and_nothing_stored(
        ita, november, december, pmo, fixed_now):
    from django.core.exceptions import ValidationError

    _issue(ita, december, pmo)
    with pytest.raises(ValidationError) as refused:
        _issue(ita, november, pmo)
    assert refused.value.messages == [EARLIER_FI]
    assert list(CouncilReport.objects.for_programme(ita).values_list("number", flat=True)) == [1]


def test_council_report__same_period_again__issued_and_compared_with_the_first(ita, december, pmo, fixed_now):
    first = _issue(ita, december, pmo)
    second = _issue(ita, december, pmo)
    assert (second.number, second.previous) == (2, first)


def test_council_report__earlier_period_from_the_page__form_says_so_and_no_work_starts(
        client_for, ita, november, december, pmo, fixed_now):
    from karki.jobs.models import Job

    _issue(ita, december, pmo)
    response = client_for(pmo).post(reverse("reports:council-list", args=[ita.slug]),
                                    {"period": "2024-11", "languages": ["fi"]})
    assert response.status_code == 400
    assert EARLIER_FI in response.content.decode().replace("&#x27;", "'")
    assert not Job.objects.filter(kind="reports.council").exists()
    assert CouncilReport.objects.for_programme(ita).count() == 1


def test_council_report__issuer_renamed_later__report_and_list_keep_the_name_it_was_issued_with(
        client_for, ita, december, pmo, viewer, fixed_now):
    pmo.first_name, pmo.last_name = "Paula", "Virtanen"
    pmo.save()
    report = _issue(ita, december, pmo, languages=("sv",))
    pmo.first_name, pmo.last_name = "Paula", "Korhonen"  # married, renamed in the user admin
    pmo.save()
    listing = client_for(viewer).get(reverse("reports:council-list", args=[ita.slug])).content.decode()
    assert "Paula Virtanen" in listing and "Korhonen" not in listing
    page = client_for(viewer).get(reverse("reports:reports", args=[ita.slug])).content.decode()
    assert "Paula Virtanen" in page and "Korhonen" not in page
    text = _flat(_text(_pdf(CouncilReport.objects.get(pk=report.pk), "sv")))
    assert "Paula Virtanen" in text and "Korhonen" not in text


def test_council_report__two_languages__figures_read_once_and_the_same_in_both(ita, december, pmo, fixed_now):
    from unittest import mock

    from karki.reports import figures as report_figures

    read = report_figures.figures  # karki.figures.read, where every report reads its figures
    with mock.patch.object(read, "status_picture", wraps=read.status_picture) as picture, \
            mock.patch.object(read, "forecast", wraps=read.forecast) as forecast:
        report = _issue(ita, december, pmo, languages=("fi", "sv"))
    assert picture.call_count == 1 and forecast.call_count == 1
    fi, sv = report.figures["fi"], report.figures["sv"]
    for key in ("realised_total_eur", "planned_to_date_eur", "reports_received", "produced_at", "missing_count"):
        assert fi[key] == sv[key]
    assert fi["forecast"]["p50_eur"] == sv["forecast"]["p50_eur"]
    assert [r["realised_eur"] for r in fi["by_theme"]] == [r["realised_eur"] for r in sv["by_theme"]]
    assert [r["key"] for r in fi["by_org_unit"]] == [r["key"] for r in sv["by_org_unit"]]
    # … each written in its own language.
    assert [r["label"] for r in fi["by_category"]] != [r["label"] for r in sv["by_category"]]
    assert fi["status_counts"][0]["label"] != sv["status_counts"][0]["label"]
    assert _flat(_text(_pdf(report, "sv"))).count("Sammanfattning") >= 1


def test_report_figures_in__each_language__labelled_as_the_status_page_labels_it(ita, december, pmo, fixed_now):
    from django.utils import translation

    from karki.reports.figures import report_figures_in

    figures = report_figures_in(["fi", "sv"], ita, december, by=pmo)
    for language in ("fi", "sv"):
        with translation.override(language):
            picture = status_picture(ita, december)
        for name in ("by_theme", "by_org_unit", "by_category"):
            assert [r["label"] for r in figures[language][name]] == [str(r.label) for r in getattr(picture, name)]
        assert [r["label"] for r in figures[language]["missing_by_org_unit"]] == [
            str(label) for label, _count in picture.missing_by_org_unit]


def _chart_svgs(html: str) -> list[str]:
    return [base64.b64decode(uri).decode() for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]


def test_council_report__charts__the_pages_palette_and_whole_theme_names(ita, december, pmo, fixed_now):
    long_name = "Palveluverkon uudistaminen ja tilojen käytön tehostaminen koko hyvinvointialueella v. 2026"
    # Set-up only: the demo's approved version stands in for one approved with a 90-character theme name.
    QuerySet.update(Theme.objects.filter(version__programme=ita, code="1"), name_fi=long_name)
    report = _issue(ita, december, pmo)
    # The HTML the PDF was made from, out of the report's frozen figures.
    svgs = _chart_svgs(council.render_html(thaw(report.figures["fi"]), language="fi"))
    assert len(svgs) == 3  # the forecast, the themes, the years
    page = {name: colour.upper() for name, colour in css_chart_colours().items()}
    forecast, themes, years = svgs
    for role in ("band", "band_edge", "median", "planned", "target"):
        assert page[role] in forecast.upper(), role
    for svg in (themes, years):
        assert f'fill="{page["realised"]}"'.upper() in svg.upper()  # realised solid
        assert f'stroke="{page["planned"]}"'.upper() in svg.upper() and 'fill="url(#hatch)"' in svg  # planned hatched
    label = re.search(r"<text [^>]*>((?:<tspan[^>]*>[^<]*</tspan>)+)</text>", themes).group(1)
    assert " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", label)) == f"1. {long_name}"


def test_council_report__says_which_realised_savings_it_uses(kym, fixed_now):
    """Kymenlaakso's finance has verified part of 2024: the report uses the claimed figures, says so, and
    gives what finance verified beside them."""
    from django.contrib.auth import get_user_model

    from karki.monitoring.models import Period

    period = Period.objects.get(programme=kym, year=2024, month=12)
    picture = status_picture(kym, period)
    report = _issue(kym, period, get_user_model().objects.get(username="pmo.kymenlaakso"))
    figures = report.figures["fi"]
    assert Decimal(figures["verified_year_eur"]) == picture.verified_year_eur
    assert Decimal(figures["realised_year_eur"]) == picture.realised_year_eur
    text = _flat(_text(_pdf(report)))
    claimed = _flat(format_meur(picture.realised_year_eur, "fi"))
    verified = _flat(format_meur(picture.verified_year_eur, "fi"))
    waiting = _flat(format_meur(picture.waiting_year_eur, "fi"))
    assert (f"Katsauksen toteutuneet säästöt ovat toimenpiteiden omistajien ilmoittamia: vuonna 2024 ilmoitetut "
            f"{claimed}, joista talouden todentamat {verified}.") in text
    assert f"{waiting} ilmoitetuista odottaa vielä todentamista." in text
    assert f"Joista talouden todentamat {verified}" in text  # the summary table
