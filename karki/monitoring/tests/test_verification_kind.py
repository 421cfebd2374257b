"""The kind filter of the verification page (recurring or one-off savings), the one-off share of the tallies
and the kind of each claim in the list. Hand-computed on the demo: Itä-Uusimaa's 2024 has four one-off claims
(3/2024 1.1.c rents 7 000 €, 5/2024 1.1.a other 12 222 €, 8/2024 1.1.a rents 9 889 €, 10/2024 1.1.a other
25 556 €), together 54 667 €."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from karki.monitoring.enums import Verification
from karki.monitoring.models import RealisedSaving

pytestmark = pytest.mark.django_db
ONE_OFFS = {(3, "1.1.c", "rents", Decimal("7000")), (5, "1.1.a", "other", Decimal("12222")),
            (8, "1.1.a", "rents", Decimal("9889")), (10, "1.1.a", "other", Decimal("25556"))}


def _text(response) -> str:
    return response.content.decode().replace("\u202f", " ").replace("\u00a0", " ")


def _url(ita):
    return reverse("monitoring:verification", args=[ita.slug])


def test_kind_filter__one_off__narrows_the_list_and_the_tallies(client_for, ita, finance):
    response = client_for(finance).get(_url(ita), {"period": "2024", "show": "all", "kind": "one_off"})
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert {(s.report.period.month, s.report.measure_code, s.category, s.amount_eur) for s in rows} == ONE_OFFS
    summary = response.context["summary"]
    assert summary.total.claimed_eur == Decimal("54667") and summary.total.claimed_count == 4
    assert {g.key: g.tally.claimed_eur for g in summary.by_category} == {"rents": Decimal("16889"),
                                                                        "other": Decimal("37778")}
    text = _text(response)
    assert "Näytetään vain kertaluonteiset säästöt" in text
    assert 'data-color="warning">Kertaluonteinen</span>' in text  # the kind as a word in its own column
    # Everything is one-off here: no column repeating the claimed amounts.
    assert "Josta kertaluonteista" not in text


def test_kind_filter__recurring__leaves_the_one_offs_out(client_for, ita, finance):
    client = client_for(finance)
    everything = client.get(_url(ita), {"period": "2024", "show": "all"}).context["summary"].total
    response = client.get(_url(ita), {"period": "2024", "show": "all", "kind": "recurring"})
    total = response.context["summary"].total
    assert total.claimed_eur == everything.claimed_eur - Decimal("54667")
    assert total.claimed_count == everything.claimed_count - 4
    assert total.one_off_eur == 0
    assert response.context["page"].paginator.count == total.claimed_count
    assert "Josta kertaluonteista" not in _text(response)


def test_tallies__one_off_share_shown_when_one_offs_in_view(client_for, ita, finance):
    client = client_for(finance)
    response = client.get(_url(ita), {"period": "2024", "show": "all"})
    summary = response.context["summary"]
    assert summary.total.one_off_eur == Decimal("54667") and summary.total.one_off_count == 4
    by_category = {g.key: g.tally.one_off_eur for g in summary.by_category}
    assert by_category["rents"] == Decimal("16889") and by_category["other"] == Decimal("37778")
    assert by_category["personnel"] == 0
    text = _text(response)
    assert "Josta kertaluonteista" in text and "54 667 €" in text
    assert "Ilmoituksista 4, yhteensä 54 667 €, on kertaluonteisia säästöjä" in text
    assert "kind=one_off" in text  # the link to only them

    # A month without one-off claims shows neither the column nor the sentence.
    quiet = _text(client.get(_url(ita), {"period": "2024-04", "show": "all"}))
    assert "Josta kertaluonteista" not in quiet and "kertaluonteisia säästöjä" not in quiet


def test_kind_filter__bad_value__finnish_error_and_the_other_filters_kept(client_for, ita, finance):
    response = client_for(finance).get(_url(ita), {"period": "2024-10", "show": "all", "kind": "kertaluonteinen"})
    assert response.status_code == 200
    text = _text(response)
    assert ("”kertaluonteinen” ei ole vaihtoehtojen joukossa, joten tätä rajausta ei käytetty: valitse jokin "
            "luettelosta.") in text
    assert 'aria-describedby="id_kind_error"' in text and 'id="id_kind_error"' in text
    filters = response.context["filters"]
    assert filters.kind == "" and filters.period == "2024-10" and filters.show == "all"
    rows = list(response.context["page"].object_list)
    assert {s.recurrence for s in rows} == {"recurring", "one_off"}
    assert {s.report.period.month for s in rows} == {10}


def test_verify_all_shown__one_off_filter__verifies_only_the_one_offs(client_for, ita, finance):
    client = client_for(finance)
    recurring_waiting = RealisedSaving.objects.for_programme(ita).waiting().filter(recurrence="recurring").count()
    page = client.get(_url(ita), {"kind": "one_off"})
    bulk = page.context["bulk"]
    assert {(s.report.period.month, s.report.measure_code, s.category, s.amount_eur) for s in bulk} == ONE_OFFS
    items = [f"{s.pk}:{s.revision}" for s in bulk]
    url = reverse("monitoring:verification-bulk", args=[ita.slug])
    assert 'name="back" value="kind=one_off"' in _text(page)
    done = client.post(url, {"item": items, "back": "kind=one_off", "confirm": "yes"})
    assert done.status_code == 302 and done.url.endswith("?kind=one_off")
    one_offs = RealisedSaving.objects.for_programme(ita).received().filter(recurrence="one_off")
    assert {s.verification for s in one_offs} == {Verification.VERIFIED}
    assert sum(s.verified_amount_eur for s in one_offs) == Decimal("54667")
    assert RealisedSaving.objects.for_programme(ita).waiting().filter(recurrence="recurring").count() == \
        recurring_waiting


def test_page__kind_filter__bounded_queries(client_for, ita, finance, django_assert_max_num_queries):
    client = client_for(finance)
    counts = {}
    for name, query in {"default": {}, "all": {"show": "all"}, "one_off": {"kind": "one_off", "show": "all"},
                        "bad": {"kind": "x", "period": "2024"}}.items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(ita), query).status_code == 200
        counts[name] = len(captured)
    # One query for the tallies and one for the page of claims, whatever is chosen: the kind adds none.
    assert counts["one_off"] == counts["all"] == counts["default"] == counts["bad"], counts
    with django_assert_max_num_queries(12):
        client.get(_url(ita), {"show": "all"})
