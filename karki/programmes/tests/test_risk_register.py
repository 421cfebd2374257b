"""The risk register: a likelihood × impact matrix whose counts match the risks, the same risks as a sortable
table, a category filter in the address, and no usernames for readers from other organisations."""

import re

import pytest

from karki.programmes import services
from karki.programmes.models import Risk

P = "/programmes/ita-uusimaa-2023-2026"


@pytest.fixture
def scored(draft):
    """Draft version 3 with its risks assessed: the first two in the same cell, the last one not at all."""
    risks = list(Risk.objects.filter(version=draft).order_by("code"))
    assert len(risks) >= 4
    for i, risk in enumerate(risks[:-1]):
        n = max(i - 1, 0)
        Risk.objects.filter(pk=risk.pk).update(likelihood=n % 5 + 1, impact=(n * 2 + 2) % 5 + 1)
    Risk.objects.filter(pk=risks[-1].pk).update(likelihood=None, impact=4)
    return draft


def _table_codes(html: str) -> list[str]:
    """The risk codes in the order the table shows them."""
    return re.findall(r'<tr id="risk-([^"]+)">', html)


def _cell(html: str, likelihood: int, impact: int) -> str:
    """The HTML of one matrix cell: rows run from impact 5 down to 1, columns from likelihood 1 to 5."""
    matrix = html[html.index('class="ds-table risk-matrix"'):]
    body = matrix[matrix.index("<tbody>"):matrix.index("</tbody>")]
    rows = body.split("<tr>")[1:]
    cells = rows[5 - impact].split("<td")[1:]
    return cells[likelihood - 1]


def test_register__matrix_counts_and_codes_match_the_risks(client_for, pmo, scored):
    response = client_for(pmo).get(f"{P}/v/3/risks/")
    assert response.status_code == 200
    html = response.content.decode()
    risks = list(Risk.objects.filter(version=scored))
    assert risks
    scored_risks = [r for r in risks if r.likelihood and r.impact]
    assert len(scored_risks) == len(risks) - 1
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            here = sorted(r.code for r in scored_risks if (r.likelihood, r.impact) == (likelihood, impact))
            cell = _cell(html, likelihood, impact)
            # Every cell says its score (and level) in words and numbers, not only in colour.
            score = likelihood * impact
            word = ("Matala" if score < 5 else "Kohtalainen" if score < 10 else "Korkea" if score < 20
                    else "Erittäin korkea")
            assert f'<span class="cell-score">{score}<span class="level-word"> · {word}</span>' in cell
            if here:
                assert f"{len(here)} riski" in cell
                assert sorted(re.findall(r'href="#risk-([^"]+)"', cell)) == here
            else:
                assert "ei riskejä" in cell
    assert f"{len(risks)} riskiä / {len(risks)}" in html


def test_register__sorted_by_score_highest_first__and_by_any_column(client_for, pmo, scored):
    client = client_for(pmo)
    html = client.get(f"{P}/v/3/risks/").content.decode()
    risks = {r.code: r for r in Risk.objects.filter(version=scored)}
    shown = _table_codes(html)
    assert sorted(shown) == sorted(risks)
    scores = [risks[code].score or 0 for code in shown]
    assert scores == sorted(scores, reverse=True)
    assert 'aria-sort="descending" class="num"><a href="?sort=score">Riskiluku' in html
    by_code = _table_codes(client.get(f"{P}/v/3/risks/?sort=code").content.decode())
    assert by_code == sorted(risks, key=str.casefold)
    assert client.get(f"{P}/v/3/risks/?sort=bogus&category=bogus").status_code == 200  # an old bookmark opens


def test_register__filter_by_category__without_javascript(client_for, pmo, scored):
    client = client_for(pmo)
    risks = list(Risk.objects.filter(version=scored))
    category = max({r.category for r in risks}, key=lambda c: sum(r.category == c for r in risks))
    html = client.get(f"{P}/v/3/risks/", {"category": category}).content.decode()
    expected = sorted(r.code for r in risks if r.category == category)
    assert sorted(_table_codes(html)) == expected
    matrix = html[html.index('class="ds-table risk-matrix"'):html.index("</table>")]
    matrix_codes = re.findall(r'href="#risk-([^"]+)"', matrix)
    assert set(matrix_codes) <= set(expected)
    assert f'<option value="{category}" selected>' in html
    assert f"{len(expected)} riski" in html and f"/ {len(risks)}" in html
    assert '<form method="get" class="filters"' in html and 'href="?">Tyhjennä rajaukset' in html


def test_register__table_alternative_has_the_same_data(client_for, pmo, scored):
    html = client_for(pmo).get(f"{P}/v/3/risks/").content.decode()
    table = html[html.index('class="ds-table measure-table risk-table"'):]
    for risk in Risk.objects.filter(version=scored).select_related("theme"):
        row = table[table.index(f'<tr id="risk-{risk.code}">'):]
        row = row[:row.index("</tr>")]
        if risk.score:
            assert f"<strong>{risk.score}</strong>" in row
            assert f'<td class="num">{risk.likelihood}</td>' in row and f'<td class="num">{risk.impact}</td>' in row
        if risk.theme:
            # The theme, and its measures one click away.
            assert f"{risk.theme.code}. " in row
            assert f"{P}/v/3/measures/?theme={risk.theme.code}" in row
        else:
            assert "Koko ohjelma" in row


def test_register__owner_account_only_for_members(client_for, pmo, outsider, measure_owner, scored):
    Risk.objects.filter(version=scored, code="R1").update(owner=measure_owner, owner_name="Hoitotyön johtaja")
    services.approve_version(version=scored, by=pmo)
    services.publish_version(version=scored, by=pmo)
    name = measure_owner.get_full_name() or measure_owner.get_username()
    member = client_for(pmo).get(f"{P}/v/3/risks/").content.decode()
    assert f"{name} (Hoitotyön johtaja)" in member
    other = client_for(outsider).get(f"{P}/v/3/risks/")
    assert other.status_code == 200
    page = other.content.decode()
    assert "Hoitotyön johtaja" in page
    assert measure_owner.get_username() not in page and name not in page


def test_register__latest_version_and_navigation__edit_links_for_those_who_may(client_for, pmo, viewer, draft):
    client = client_for(pmo)
    latest = client.get(f"{P}/risks/")
    assert latest.status_code == 200 and latest.context["version"] == draft
    html = latest.content.decode()
    assert f'href="{P}/v/{draft.number}/risks/" aria-current="page">Riskit' in html
    assert f"{P}/v/{draft.number}/risks/new/" in html and f"{P}/v/{draft.number}/risks/R1/edit/" in html
    approved = client.get(f"{P}/v/2/risks/").content.decode()
    assert "/risks/new/" not in approved and "/edit/" not in approved  # an approved version is not edited
    reader = client_for(viewer).get(f"{P}/v/{draft.number}/risks/").content.decode()
    assert "/risks/new/" not in reader and "/edit/" not in reader


def test_overview__short_risk_section_links_to_the_register(client_for, pmo, scored):
    html = client_for(pmo).get(f"{P}/v/3/").content.decode()
    section = html[html.index('id="risk-title"'):]
    section = section[:section.index("</section>")]
    assert f'<a href="{P}/v/3/risks/">Kaikki riskit matriisina ja taulukkona</a>' in section
    assert section.count("<tr>") == 1 + 5  # the header and the five highest scores
    top = sorted(Risk.objects.filter(version=scored), key=lambda r: (-(r.score or 0), r.code))[:5]
    assert [section.index(f"{r.code} ") for r in top] == sorted(section.index(f"{r.code} ") for r in top)


def test_outsider_of_an_unpublished_version__not_found(client_for, outsider):
    assert client_for(outsider).get(f"{P}/v/2/risks/").status_code == 404
    assert client_for(outsider).get(f"{P}/risks/").status_code == 404


def test_register__none_assessed__says_so_instead_of_an_empty_matrix(client_for, pmo, ita):
    html = client_for(pmo).get(f"{P}/v/2/risks/").content.decode()
    assert not Risk.objects.filter(version__programme=ita, version__number=2, likelihood__isnull=False).exists()
    assert 'class="ds-table risk-matrix"' not in html
    assert "Yhdellekään näistä riskeistä ei ole vielä annettu" in html
    assert _table_codes(html)  # the table still lists them
