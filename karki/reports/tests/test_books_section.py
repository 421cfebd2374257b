"""Savings in the books in the council report, the deck and the BI export: what a reader of Kymenlaakso's
reports sees, checked against the demo's ledger rows and its baseline (karki/demo/books.py)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation

from karki.books import services as books_services
from karki.books.models import LedgerEntry
from karki.books.reconciliation import reconcile
from karki.lib.formatting import format_meur
from karki.monitoring.models import Period
from karki.reports import council
from karki.reports.deck import build_deck
from karki.reports.figures import report_figures, thaw

from .test_council import _elements, _flat, _issue, _pdf, _text
from .test_deck import _chart, _slide, _slides, _titles

KYM = "kymenlaakso-2023-2025"
# The demo's baseline of rents (karki/demo/books.py): TESPA 520 M€ × 5 %, SOSPA 330 × 7 %, PELA 35 × 8 %,
# STRIN 15 × 3 %, KOPA 45 × 20 % a year = 61,35 M€; ten twelfths of it by the end of October.
RENTS_BASELINE_TO_OCTOBER = Decimal("61350000") * 10 / 12


def _user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def october(kym):
    return Period.objects.get(programme=kym, year=2024, month=10)


def _ledger_rents(kym, *, through: int) -> Decimal:
    """Rents straight from the imported rows: accounts 47xx of 2024 up to the month (every cost centre with
    those accounts is mapped in the demo)."""
    return LedgerEntry.objects.filter(organisation=kym.organisation, year=2024, month__lte=through,
                                      key__account__startswith="47").aggregate(s=Sum("amount_eur"))["s"]


def _row(books, key):
    return next(r for r in books["by_category"] if r["key"] == key and r["level"] == 0)


def test_council_report__kymenlaakso__savings_in_the_books_answer_first_and_by_cost_category(kym, october,
                                                                                            fixed_now):
    report = _issue(kym, october, _user("pmo.kymenlaakso"))
    books = thaw(report.figures["fi"])["books"]
    assert (books.year, books.months, books.period_text) == (2024, list(range(1, 11)), "1–10/2024")
    # The figures are the books page's for January–October, not the year the books hold (1–12/2024).
    page = reconcile(kym, year=2024, through_month=10)
    assert books.total.actual_eur == page.total.actual and books.total.gap_eur == page.total.gap
    # One figure by hand from the ledger rows and the baseline.
    rents = _row(books, "rents")
    assert rents.actual_eur == _ledger_rents(kym, through=10)
    assert rents.baseline_eur.quantize(Decimal("0.01")) == RENTS_BASELINE_TO_OCTOBER.quantize(Decimal("0.01"))
    assert rents.difference_eur == rents.actual_eur - rents.baseline_eur

    text = _flat(_text(_pdf(report)))
    section = text[text.index("Säästöt kirjanpidossa"):]
    total = books.total
    assert section.startswith(
        f"Säästöt kirjanpidossa Kirjanpidon mukaan kustannukset olivat 10/2024 loppuun mennessä "
        f"{_flat(format_meur(total.in_books_eur, 'fi'))} perustason alapuolella; toimenpiteet ilmoittavat samoilta "
        f"kuukausilta säästöjä {_flat(format_meur(total.claimed_eur, 'fi'))}, joista talous on todentanut "
        f"{_flat(format_meur(total.verified_eur, 'fi'))}.")
    assert "Suurin ero ilmoitettujen säästöjen ja kirjanpidon välillä on kustannuslajissa palvelujen ostot" in section
    # The demo leaves grants and a new cost centre unmapped on purpose: said plainly, and a row of its own.
    unmapped = _flat(format_meur(books.unmapped.actual_eur, "fi"))
    assert f"Kustannuksista {unmapped} on 3 kustannuspaikan ja tilin parilla, joita talous ei ole kohdistanut" \
        in section
    assert f"Kohdistamatta organisaatioyksikölle tai kustannuslajille {unmapped}" in section
    row = " ".join(_flat(format_meur(v, "fi")) for v in (rents.actual_eur, rents.baseline_eur, rents.difference_eur,
                                                          rents.claimed_eur, rents.verified_eur, rents.gap_eur))
    assert f"Vuokrat {row}" in section
    assert "Vuokrat 48,8 M€ 51,1 M€ −2,3 M€" in section  # as a council member reads it


def test_council_report__kymenlaakso__chart_tagged_with_its_alt_text_and_headings_in_order(kym, october, fixed_now):
    reader = _pdf(_issue(kym, october, _user("pmo.kymenlaakso")))
    elements = _elements(reader.trailer["/Root"]["/StructTreeRoot"], [])
    headings = [str(e["/S"]) for e in elements if str(e["/S"])[:2] == "/H"]
    assert headings[0] == "/H1" and set(headings) <= {"/H1", "/H2", "/H3"}
    alts = [str(e.get("/Alt", "")) for e in elements if e["/S"] == "/Figure"]
    assert len(alts) == 4  # the forecast, themes, years and the books
    assert any(alt.startswith("Ilmoitetut säästöt ja säästöt kirjanpidossa kustannuslajeittain, pylväskaavio")
               for alt in alts), alts


def test_council_report__issued__keeps_its_book_figures_after_the_books_are_imported_again(kym, october, fixed_now):
    report = _issue(kym, october, _user("pmo.kymenlaakso"))
    before = _row(report.figures["fi"]["books"], "rents")
    # Finance imports March again: one row of rents is all it holds now.
    books_services.import_file(organisation=kym.organisation, kind="actuals",
                               data=b"Vuosi;Kuukausi;Kustannuspaikka;Tili;Summa\n2024;3;210100;4700;1 000,00\n",
                               file_name="maaliskuu-korjattu.csv", by=_user("finance.kymenlaakso"))
    rents_now = _ledger_rents(kym, through=10)
    assert rents_now < Decimal(before["actual_eur"])

    report.refresh_from_db()
    assert _row(report.figures["fi"]["books"], "rents") == before
    html = council.render_html(thaw(report.figures["fi"]), language="fi")
    assert _flat(format_meur(Decimal(before["actual_eur"]), "fi")) in _flat(html)
    # The next report shows the books as they are now.
    later = _issue(kym, october, _user("pmo.kymenlaakso"))
    assert Decimal(_row(later.figures["fi"]["books"], "rents")["actual_eur"]) == rents_now


def test_council_report__no_books__no_section(ita, december, pmo, fixed_now):
    report = _issue(ita, december, pmo)
    assert report.figures["fi"]["books"] is None
    text = _flat(_text(_pdf(report)))
    assert "kirjanpido" not in text.lower()


def test_council_report__swedish__savings_in_the_books_in_swedish(kym, october, fixed_now):
    report = _issue(kym, october, _user("pmo.kymenlaakso"), languages=("fi", "sv"))
    text = _flat(_text(_pdf(report, "sv")))
    section = text[text.index("Besparingar i bokföringen"):]
    assert section.startswith("Besparingar i bokföringen Enligt bokföringen var kostnaderna till och med 10/2024")
    assert "Den största skillnaden mellan de uppgivna besparingarna och bokföringen finns i kostnadsslaget köpta " \
           "tjänster" in section
    for heading in ("Kostnadsslag", "Jämförelsenivå", "Skillnad (utfall − jämförelsenivå)", "Personalkostnader",
                    "Inte kopplat till en organisationsenhet eller ett kostnadsslag"):
        assert heading in section.replace("\u00ad", "").replace("- ", "").replace("-", ""), heading
    assert "In the books" not in text and "Säästöt kirjanpidossa" not in text
    # The same figures in both languages.
    assert report.figures["sv"]["books"]["total"] == report.figures["fi"]["books"]["total"]


def test_deck__kymenlaakso__savings_in_the_books_slides(kym, october):
    with translation.override("fi"):
        figures = report_figures(kym, october)
        slides = _slides(build_deck(figures, language="fi"))
    titles = _titles(slides)
    assert "Säästöt kirjanpidossa 1–10/2024" in titles and "Säästöt kirjanpidossa kustannuslajeittain" in titles
    slide = _slide(slides, "Säästöt kirjanpidossa 1–10/2024")
    texts = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
    assert "Kirjanpidon mukaan kustannukset olivat 10/2024 loppuun mennessä" in texts
    table = next(shape for shape in slide.shapes if shape.has_table).table
    rows = {table.cell(r, 0).text: [table.cell(r, c).text for c in range(1, 7)] for r in range(1, len(table.rows))}
    rents = _row(figures.books, "rents")
    assert rows["Vuokrat"][:2] == [format_meur(rents.actual_eur, "fi"), format_meur(rents.baseline_eur, "fi")]
    assert rows["Yhteensä"][-1] == format_meur(figures.books.total.gap_eur, "fi")
    chart = _chart(_slide(slides, "Säästöt kirjanpidossa kustannuslajeittain")).chart
    assert list(chart.plots[0].categories) == ["Henkilöstökulut", "Palvelujen ostot", "Vuokrat",
                                               "Aineet ja tarvikkeet", "Muut kulut"]
    assert [s.name for s in chart.plots[0].series] == ["Toimenpiteiden ilmoittama säästö",
                                                      "Perustason alitus kirjanpidossa"]


def test_deck__no_books__no_books_slide(ita, december):
    with translation.override("fi"):
        slides = _slides(build_deck(report_figures(ita, december), language="fi"))
    assert not any(title.startswith("Säästöt kirjanpidossa") for title in _titles(slides))


BOOKS_COLUMNS = ["programme", "year", "month", "period", "row_kind", "service_area_code", "org_unit_code",
                 "cost_category", "cost_category_group", "actual_eur", "baseline_eur", "difference_eur", "in_books_eur",
                 "claimed_eur", "verified_eur", "gap_eur"]


def test_export_books__csv__documented_columns_and_a_hand_computed_row(client_for, kym):
    response = client_for(_user("finance.kymenlaakso")).get(reverse("api-export-books", args=[KYM]) + "?format=csv")
    assert response.status_code == 200
    lines = [line.split(";") for line in response.content.decode("utf-8")[1:].splitlines()]
    assert lines[0] == BOOKS_COLUMNS
    rows = [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]
    # KOPA's rents: a baseline of 45 M€ × 20 % a year, a twelfth of it in January.
    kopa = next(r for r in rows
                if (r["period"], r["org_unit_code"], r["cost_category"]) == ("2024-01", "KOPA", "rents"))
    assert kopa["baseline_eur"] == "750000.00" and kopa["row_kind"] == "mapped" and kopa["service_area_code"] == "KOPA"
    actual = LedgerEntry.objects.filter(organisation=kym.organisation, year=2024, month=1,
                                        key__cost_centre__startswith="61", key__account__startswith="47"
                                        ).aggregate(s=Sum("amount_eur"))["s"]
    assert kopa["actual_eur"] == f"{actual:.2f}"
    assert Decimal(kopa["difference_eur"]) == actual - Decimal("750000")
    # The rows add up to the books page's totals.
    page = reconcile(kym, year=2024)
    assert sum(Decimal(r["actual_eur"]) for r in rows) == page.total.actual
    assert sum(Decimal(r["claimed_eur"]) for r in rows) == page.total.claimed
    assert sum(Decimal(r["verified_eur"]) for r in rows) == page.total.verified
    assert {r["row_kind"] for r in rows} >= {"mapped", "unmapped"}


def test_export_books_unmapped__the_three_pairs_left_unmapped(client_for, kym):
    rows = client_for(_user("pmo.kymenlaakso")).get(reverse("api-export-books-unmapped", args=[KYM])).json()
    assert {(r["cost_centre"], r["account"], r["missing"]) for r in rows} == {
        ("310200", "4900", "cost_category"), ("610100", "4900", "cost_category"), ("799900", "4000", "org_unit")}
    new_centre = next(r for r in rows if r["cost_centre"] == "799900")
    assert (new_centre["cost_category"], new_centre["period_from"], new_centre["period_to"]) == (
        "personnel", "2024-01", "2024-12")
    assert Decimal(new_centre["actual_eur"]) == LedgerEntry.objects.filter(
        organisation=kym.organisation, key__cost_centre="799900").aggregate(s=Sum("amount_eur"))["s"]


def test_export_books__a_member_who_may_not_read_the_books__refused(client_for, kym):
    client = client_for(_user("viewer.kymenlaakso"))
    assert client.get(reverse("api-export-books", args=[KYM])).status_code == 403
    assert client.get(reverse("api-export-books-unmapped", args=[KYM])).status_code == 403
