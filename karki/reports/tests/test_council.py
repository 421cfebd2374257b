"""The council interim report: a frozen, accessible PDF that lists what changed since the previous one."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from karki.lib.formatting import format_meur
from karki.monitoring.models import RealisedSaving, StatusReport
from karki.reports import services
from karki.reports.models import CouncilReport, ReportIssued

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def fixed_now(monkeypatch):
    moment = datetime(2025, 1, 15, 10, 30, tzinfo=HELSINKI)
    monkeypatch.setattr("karki.lib.dates.now", lambda: moment)
    return moment


def _pdf(report, language="fi") -> PdfReader:
    return PdfReader(BytesIO(bytes(report.files.get(language=language).content)))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


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
    assert len(figures) == 2
    assert all(str(f.get("/Alt", "")).startswith(("Säästöt teemoittain", "Säästöt vuosittain")) for f in figures)


def test_council_report__text__figures_in_finnish_format_and_the_report_date_in_reading_order(
        ita, december, pmo, fixed_now):
    report = _issue(ita, december, pmo)
    text = _text(_pdf(report)).replace("\u00a0", " ").replace("\u202f", " ")
    figures = report.figures["fi"]
    from decimal import Decimal

    realised = format_meur(Decimal(figures["realised_total_eur"]), "fi").replace("\u00a0", " ")
    assert f"Toteutuneet säästöt tähän mennessä {realised}" in text
    assert "Tavoite 27,6 M€" in text
    assert "Raportin päivämäärä 15.1.2025" in text
    order = ["Osavuosikatsaus 12/2024", "Yhteenveto", "Edistyminen teemoittain", "Säästöt vuosittain",
             "Muutokset edelliseen katsaukseen", "Riskit"]
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
    assert not CouncilReport.objects.exists()


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
