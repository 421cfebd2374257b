"""The measures table: filters and sorting in the address, the count and sums of what is shown, CSV and Excel."""

import io

from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from karki.lib.codes import code_order
from karki.monitoring.models import StatusReport
from karki.programmes.models import Measure

P = "/programmes/ita-uusimaa-2023-2026"


def _user(username):
    return get_user_model().objects.get(username=username)


def _codes(response) -> list[str]:
    return [row.measure.code for row in response.context["table"].rows]


def test_all_measures__one_table_with_count_and_links(client_for, pmo, ita):
    response = client_for(pmo).get(f"{P}/v/2/measures/")
    assert response.status_code == 200
    count = Measure.objects.filter(version__programme=ita, version__number=2).count()
    assert len(_codes(response)) == count
    html = response.content.decode()
    assert f"{count} toimenpidettä / {count}" in html
    assert f'href="{P}/v/2/measures/3.1.a/"' in html
    assert f'href="{P}/v/2/#tree-title"' in html  # the tree one click away
    assert client_for(pmo).get(f"{P}/measures/").status_code == 200  # the latest version, from the navigation


def test_filters__in_the_address_and_combined(client_for, pmo, measure_owner):
    client = client_for(pmo)
    theme3 = _codes(client.get(f"{P}/v/2/measures/?theme=3"))
    assert theme3 and all(code.startswith("3.") for code in theme3)
    mine = _codes(client.get(f"{P}/v/2/measures/?theme=3&owner={measure_owner.username}"))
    assert set(mine) == set(Measure.objects.filter(version__programme__slug="ita-uusimaa-2023-2026",
                                                    version__number=2, target__theme__code="3",
                                                    owner=measure_owner).values_list("code", flat=True))
    assert _codes(client.get(f"{P}/v/2/measures/?basket=B")) == sorted(
        Measure.objects.filter(version__programme__slug="ita-uusimaa-2023-2026", version__number=2, basket="B")
        .values_list("code", flat=True), key=code_order)
    found = _codes(client.get(f"{P}/v/2/measures/?q=3.1.a"))
    assert found == ["3.1.a"]
    nothing = client.get(f"{P}/v/2/measures/?q=ei-mitaan-tällaista")
    assert _codes(nothing) == [] and "Yksikään toimenpide ei vastaa" in nothing.content.decode()
    assert client.get(f"{P}/v/2/measures/?basket=Q&sort=bogus").status_code == 200  # an old bookmark still opens


def test_status_filter__by_the_latest_report(client_for, pmo):
    client = client_for(pmo)
    red = _codes(client.get(f"{P}/v/2/measures/?status=red"))
    reports = {}
    for r in StatusReport.objects.filter(period__programme__slug="ita-uusimaa-2023-2026").exclude(state="draft") \
            .order_by("period__year", "period__month", "pk"):
        reports[r.measure_code] = r.status
    v2 = set(Measure.objects.filter(version__programme__slug="ita-uusimaa-2023-2026", version__number=2)
             .values_list("code", flat=True))
    assert set(red) == {code for code, status in reports.items() if status == "red" and code in v2}
    unreported = _codes(client.get(f"{P}/v/2/measures/?status=none"))
    assert set(unreported) == v2 - set(reports)


def test_sorting__by_estimate_descending_and_the_header_says_so(client_for, pmo):
    response = client_for(pmo).get(f"{P}/v/2/measures/?sort=-expected")
    rows = response.context["table"].rows
    values = [r.estimate.expected for r in rows if r.estimate]
    assert values == sorted(values, reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()


def test_sums__of_the_filtered_measures_own_estimates(client_for, pmo):
    table = client_for(pmo).get(f"{P}/v/2/measures/?basket=B").context["table"]
    assert table.rollup.expected == sum(r.estimate.expected for r in table.rows if r.estimate)


def test_exports__csv_and_excel_of_the_filtered_rows(client_for, pmo):
    client = client_for(pmo)
    csv = client.get(f"{P}/v/2/measures/?theme=3&format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").strip().split("\r\n")
    assert lines[0].startswith("Tunnus;Nimi;Teema")
    theme3 = _codes(client.get(f"{P}/v/2/measures/?theme=3"))
    assert [line.split(";")[0] for line in lines[1:]] == theme3
    xlsx = client.get(f"{P}/v/2/measures/?basket=B&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == _codes(client.get(f"{P}/v/2/measures/?basket=B"))


def test_outsider__owners_as_written_never_accounts(client_for, pmo, outsider, measure_owner):
    client_for(pmo).post(f"{P}/v/2/publication/", {"confirm": "yes"})
    reader = client_for(outsider)
    page = reader.get(f"{P}/v/2/measures/")
    assert page.status_code == 200
    assert measure_owner.username not in page.content.decode()
    assert measure_owner.username not in reader.get(f"{P}/v/2/measures/?format=csv").content.decode("utf-8-sig")
    assert _codes(reader.get(f"{P}/v/2/measures/?owner={measure_owner.username}")) == []
