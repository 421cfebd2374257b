"""The funder's report of a project: issued by the programme office, frozen, as an accessible PDF and an
Excel workbook in Finnish or Swedish, read by the organisation's members."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from karki.monitoring.models import Period
from karki.projects import services as project_services
from karki.projects.tests.conftest import plan, project  # noqa: F401  (the small grant-funded plan)
from karki.reports import services
from karki.reports.models import FunderReport, FunderReportIssued
from karki.reports.tests.test_council import _elements

ORG = "ita-uusimaa"


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2010\n", "").split())


def _page(response) -> str:
    """A page's visible text on one line."""
    return _flat(re.sub(r"<[^>]+>", " ", response.content.decode()))


def _pdf(report) -> PdfReader:
    return PdfReader(BytesIO(bytes(report.files.get(kind="pdf").content)))


def _pdf_text(report) -> str:
    return _flat("\n".join(page.extract_text() for page in _pdf(report).pages))


def _xlsx(report):
    return load_workbook(BytesIO(bytes(report.files.get(kind="xlsx").content)))


@pytest.fixture
def followed(plan, ita, pmo, measure_owner):  # noqa: F811
    """December 2024's follow-up: 14 000 € spent (grant 12 000 €, own 2 000 €), M1 done in March, M2 late with
    its reason; an indicator measured and a risk with its owner and mitigation."""
    december = Period.objects.get(programme=ita, year=2024, month=12)
    milestones = {m.code: m for m in plan["project"].milestones.all()}
    project_services.save_project_report(
        project=plan["project"], period=december, by=measure_owner, status="amber",
        narrative="Etävastaanotto otettiin käyttöön kahdessa kunnassa.", submit=True,
        milestones={milestones["M1"]: ("done", date(2024, 3, 20), ""),
                    milestones["M2"]: ("late", None, "Toimittajan järjestelmä viivästyi.")},
        spending={("personnel", plan["grant"]): Decimal("8000"), ("personnel", plan["own"]): Decimal("2000"),
                  ("ict", plan["grant"]): Decimal("4000")})
    indicator = project_services.save_indicator(project=plan["project"], by=pmo, code="I1",
                                                name={"fi": "Etäkäyntien osuus", "sv": "Andel distansbesök"},
                                                unit="%", baseline_value=Decimal("5"), target_value=Decimal("30"))
    project_services.record_indicator_value(by=pmo, measured_on=date(2024, 11, 30), value=Decimal("12.5"),
                                            project_indicator=indicator)
    project_services.save_risk(project=plan["project"], by=pmo, code="R1", title={"fi": "Toimittaja myöhästyy"},
                               category="schedule", likelihood=3, impact=4, owner_name="Hankepäällikkö",
                               mitigation={"fi": "Sopimussakot ja viikkopalaverit"})
    return plan


def _issue(planned, by, language="fi", first=(2024, 1), last=(2024, 12)):
    return services.issue_funder_report(project=planned["project"], first=first, last=last, language=language, by=by)


def test_funder_report__issued__pdf_and_excel_hold_the_plan_and_the_spending(followed, pmo):
    report = _issue(followed, pmo)
    text = _pdf_text(report)
    assert "Rahoittajaraportti 1/2024–12/2024 – H-TEST Testihanke" in text
    assert "Suunniteltu, koko hanke 200 000 €" in text
    assert "Suunniteltu jaksolle 150 000 €" in text  # the whole of 2024's budget
    assert "Toteutunut jaksolla 14 000 €" in text
    assert "Toimittajan järjestelmä viivästyi." in text  # the late milestone's reason
    assert "Etävastaanotto otettiin käyttöön kahdessa kunnassa." in text
    assert "Sopimussakot ja viikkopalaverit" in text
    book = _xlsx(report)
    costs = book["Kustannuslajeittain"]
    rows = {row[0].value: row for row in costs.iter_rows(min_row=2)}
    total = rows["Yhteensä"]
    assert [total[i].value for i in (1, 2, 3, 4, 5)] == [200000, 150000, 14000, 14000, 186000]
    assert total[1].number_format == '#,##0 "€"'
    funders = {row[1].value: row for row in book["Rahoittajat"].iter_rows(min_row=2)}
    assert funders["Valtionavustus"][7].value == 12000  # spent to date
    assert funders["Valtionavustus"][3].value == pytest.approx(0.8)  # its allowed share, as a fraction


def test_funder_report__pdf__tagged_with_language_title_and_table_headers(followed, pmo):
    reader = _pdf(_issue(followed, pmo))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fi"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title == "Rahoittajaraportti 1/2024–12/2024 – H-TEST Testihanke"
    tags = [str(element["/S"]) for element in _elements(root["/StructTreeRoot"], [])]
    assert "/H1" in tags and "/H2" in tags
    assert "/Table" in tags and "/TH" in tags and "/Caption" in tags


def test_funder_report__window__spending_before_it_counts_to_date_only(followed, pmo):
    report = _issue(followed, pmo, first=(2025, 1), last=(2025, 12))
    totals = report.figures["totals"]
    assert Decimal(totals["spent_window_eur"]) == 0
    assert Decimal(totals["planned_window_eur"]) == Decimal("50000")


def test_funder_report__milestones__reached_and_late_with_reasons(followed, pmo):
    figures = _issue(followed, pmo).figures["milestones"]
    assert [row["code"] for row in figures["reached"]] == ["M1"]
    late = {row["code"]: row for row in figures["attention"]}
    assert late["M2"]["note"] == "Toimittajan järjestelmä viivästyi."


def test_funder_report__frozen__a_later_budget_change_does_not_touch_it(followed, pmo, client_for):
    report = _issue(followed, pmo)
    pdf_before = bytes(report.files.get(kind="pdf").content)
    project_services.set_budget_line(project=followed["project"], by=pmo, item=followed["items"]["2.1"], year=2025,
                                     cost_type="other", total_eur=Decimal("100000"),
                                     shares={followed["grant"]: Decimal("80000"), followed["own"]: Decimal("20000")})
    report = FunderReport.objects.get(pk=report.pk)
    assert Decimal(report.figures["totals"]["planned_eur"]) == Decimal("200000")
    assert bytes(report.files.get(kind="pdf").content) == pdf_before
    page = _page(client_for(pmo).get(reverse("projects:funder-report", args=[ORG, "H-TEST", report.pk])))
    assert "Suunniteltu, koko hanke 200 000 €" in page and "300 000 €" not in page
    with pytest.raises(FunderReportIssued):
        report.save()
    with pytest.raises(FunderReportIssued):
        report.delete()
    # A report issued now has the new plan.
    assert Decimal(_issue(followed, pmo).figures["totals"]["planned_eur"]) == Decimal("300000")


def test_funder_report__swedish__headings_and_sheets_in_swedish(followed, pmo):
    report = _issue(followed, pmo, language="sv")
    reader = _pdf(report)
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    text = _pdf_text(report)
    assert "Rapport till finansiären 1/2024–12/2024" in text
    assert "Testprojekt" in text  # the project's Swedish name
    assert "Kostnader per kostnadsslag" in text
    sheets = _xlsx(report).sheetnames
    assert "Finansiärer" in sheets and "Per kostnadsslag" in sheets


def test_funder_report__only_the_programme_office_issues(followed, measure_owner):
    with pytest.raises(PermissionDenied):
        _issue(followed, measure_owner)


def test_funder_reports_page__pmo_issues_and_the_owner_reads(followed, pmo, measure_owner, client_for):
    url = reverse("projects:funder-reports", args=[ORG, "H-TEST"])
    client = client_for(pmo)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["first"].value() == "2024-01"  # the project's start
    assert page.context["form"]["last"].value() == "2024-12"  # the latest month with a follow-up
    response = client.post(url, {"first": "2024-01", "last": "2024-12", "language": "fi"})
    assert response.status_code == 302
    report = FunderReport.objects.get(project=followed["project"])
    owner = client_for(measure_owner)
    listing = owner.get(url)
    assert listing.status_code == 200 and listing.context["form"] is None
    assert "1/2024–12/2024" in listing.content.decode()
    shown = owner.get(reverse("projects:funder-report", args=[ORG, "H-TEST", report.pk]))
    assert shown.status_code == 200
    assert "Toteutunut jaksolla 14 000 €" in _page(shown)
    download = owner.get(reverse("projects:funder-report-file", args=[ORG, "H-TEST", report.pk, "xlsx"]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('.xlsx"')
    assert owner.post(url, {"first": "2024-01", "last": "2024-12", "language": "fi"}).status_code == 403


def test_funder_reports_page__last_before_first__says_so(followed, pmo, client_for):
    response = client_for(pmo).post(reverse("projects:funder-reports", args=[ORG, "H-TEST"]),
                                    {"first": "2024-06", "last": "2024-02", "language": "fi"})
    assert response.status_code == 400
    assert "Viimeinen kuukausi ei voi olla ennen ensimmäistä." in response.content.decode()
    assert not FunderReport.objects.filter(project__code="H-TEST").exists()


def test_funder_report__outsider__not_found(followed, pmo, outsider, client_for):
    report = _issue(followed, pmo)
    client = client_for(outsider)
    for url in (reverse("projects:funder-reports", args=[ORG, "H-TEST"]),
                reverse("projects:funder-report", args=[ORG, "H-TEST", report.pk]),
                reverse("projects:funder-report-file", args=[ORG, "H-TEST", report.pk, "pdf"])):
        assert client.get(url).status_code == 404
