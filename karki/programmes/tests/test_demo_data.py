"""The demo programmes carry the figures of the county documents."""

from decimal import Decimal

from karki.programmes.models import Measure, ProgrammeVersion, Risk
from karki.programmes.summary import summarise

M = Decimal("1000000")


def _sums(programme, number):
    summary = summarise(ProgrammeVersion.objects.get(programme=programme, number=number))
    return summary, [row.rollup.expected / M for row in summary.themes]


def test_ita_uusimaa_v1__spearhead_sums_and_total_match_the_finnish_draft(ita):
    summary, sums = _sums(ita, 1)
    assert sums == [Decimal(x) for x in ("10.6", "3.4", "4.9", "3.0", "3.2", "1.5", "1.0")]
    assert summary.total.expected == Decimal("27600000")
    assert summary.warnings == []
    version = summary.version
    assert version.status == "approved" and version.date.isoformat() == "2023-10-05"
    assert summary.measure_count == 88


def test_ita_uusimaa_v2__stated_sums_and_the_two_known_discrepancies(ita):
    summary, sums = _sums(ita, 2)
    stated = [row.stated_savings_eur / M for row in summary.themes]
    assert stated == [Decimal(x) for x in ("8.3", "3.4", "4.9", "2.3", "6.3", "1.5", "0.9")]
    joined = " ".join(summary.warnings)
    assert "2,3" in joined and "2,4" in joined  # spearhead 4 states 2,3 M€, its targets add up to 2,4 M€
    assert "8,1" in joined  # the chart's 8,1 M€ for the 8,3 M€ spearhead 1
    assert len(summary.warnings) == 2
    assert [(y.year, y.savings_expected_eur / M) for y in summary.by_year] == [
        (2024, Decimal("7.2")), (2025, Decimal("17.5")), (2026, Decimal("27.6"))]


def test_ita_uusimaa_v2__swedish_texts_baskets_and_risks(ita):
    version = ProgrammeVersion.objects.get(programme=ita, number=2)
    measure = Measure.objects.get(version=version, code="1.1.a")
    assert measure.name_sv.startswith("Vi utvecklar HUS-ägarstyrningen")
    assert measure.name_fi == ""  # never machine-translated
    assert Measure.objects.filter(version=version, basket="B").exists()
    assert Measure.objects.filter(version=version, basket="C").exists()
    assert Risk.objects.filter(version=version).count() >= 5


def test_kymenlaakso__target_cost_categories_service_areas_grant_and_risks(kym):
    summary, _ = _sums(kym, 1)
    assert kym.target_eur == Decimal("78000000")
    rows = {row.category: row.top_down for row in summary.by_cost_category}
    assert (rows["personnel"].low, rows["personnel"].high) == (Decimal("12000000"), Decimal("16000000"))
    purchased = rows["purchased_services"]
    assert (purchased.low, purchased.high) == (Decimal("-89000000"), Decimal("-28000000"))
    assert (rows["rents"].low, rows["rents"].high) == (Decimal("-5000000"), Decimal("-1000000"))
    assert (rows["total"].low, rows["total"].high) == (Decimal("-78000000"), Decimal("-17000000"))
    assert any(row.top_down for row in summary.by_org_unit)
    assert Risk.objects.filter(version=summary.version).count() == 6
