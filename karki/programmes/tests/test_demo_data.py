"""The demo programmes carry the figures of the county documents."""

from decimal import Decimal

import pytest

from karki.programmes.models import Measure, ProgrammeVersion, Risk, Target, Theme
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
    assert Measure.objects.filter(version=version, basket="B").exists()
    assert Measure.objects.filter(version=version, basket="C").exists()
    assert Risk.objects.filter(version=version).count() >= 5


def _measure(ita, number, code):
    return Measure.objects.get(version__programme=ita, version__number=number, code=code)


def test_ita_uusimaa_v2__kept_measure__the_drafts_finnish_name_beside_the_swedish_documents(ita):
    measure = _measure(ita, 2, "1.1.a")
    assert measure.name_fi == _measure(ita, 1, "1.1.a").name_fi
    assert measure.name_fi.startswith("HUS-omistajaohjauksen kehittäminen")
    assert measure.name_sv.startswith("Vi utvecklar HUS-ägarstyrningen")
    theme = Theme.objects.get(version__programme=ita, version__number=2, code="1")
    assert (theme.name_fi, theme.name_sv) == (
        "Palvelurakenteen kehittäminen toiminnanohjauksen ja palveluintegraation keinoin",
        "Utvecklande av servicestrukturen med hjälp av verksamhetsstyrning och serviceintegration")


def test_ita_uusimaa_v2__measure_lettered_anew__finnish_name_of_the_drafts_same_measure_not_its_same_code(ita):
    # The Swedish document's 4.2.d is the draft's 4.2.e; the draft's 4.2.d is another measure.
    assert _measure(ita, 2, "4.2.d").name_fi == _measure(ita, 1, "4.2.e").name_fi
    assert _measure(ita, 2, "4.2.d").name_fi != _measure(ita, 1, "4.2.d").name_fi


def test_ita_uusimaa_v2__only_in_the_swedish_document__swedish_only(ita):
    assert _measure(ita, 2, "3.3.b").name_fi == ""  # never machine-translated
    assert _measure(ita, 2, "B.1").name_fi == ""
    assert Risk.objects.filter(version__programme=ita, version__number=2).exclude(title_fi="").count() == 0
    # A Swedish description that adds a goal says more than the draft's: not replaced by the draft's words.
    assert _measure(ita, 2, "1.2.a").description_fi == ""
    assert "3 000" in _measure(ita, 2, "1.2.a").description_sv


def test_ita_uusimaa_v2__every_finnish_text_is_the_drafts_own(ita):
    """Nothing in Finnish that the county did not write: each Finnish text of version 2 is the draft's."""
    # (Basket B and C measures are only in version 2: their invented sample figures carry our own note.)
    fields = [(Theme.objects, ("name", "description")), (Target.objects, ("name", "description", "estimate_note")),
              (Measure.objects.filter(basket="A"), ("name", "description", "estimate_note"))]
    for objects, names in fields:
        draft = {(name, getattr(obj, f"{name}_fi")) for obj in objects.filter(version__programme=ita,
                                                                              version__number=1)
                 for name in names}
        later = {(name, getattr(obj, f"{name}_fi")) for obj in objects.filter(version__programme=ita,
                                                                              version__number=2)
                 for name in names if getattr(obj, f"{name}_fi")}
        assert later <= draft, sorted(later - draft)[:3]
    assert Measure.objects.filter(version__programme=ita, version__number=2, basket="A").exclude(
        name_fi="").count() == 77  # all 78 but 3.3.b


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


@pytest.mark.parametrize("slug", ["ita-uusimaa-2023-2026", "kymenlaakso-2023-2025"])
def test_demo__a_few_one_off_claims_in_rents_or_other_costs(slug, db):
    from karki.monitoring.models import RealisedSaving

    one_offs = RealisedSaving.objects.filter(report__period__programme__slug=slug, recurrence="one_off")
    assert 3 <= one_offs.count() <= 6
    assert set(one_offs.values_list("category", flat=True)) <= {"rents", "other"}


def test_demo__kymenlaakso_covers_its_accumulated_deficit_by_2025(kym):
    assert (kym.deficit_eur, kym.deficit_year) == (Decimal("78000000"), 2025)
