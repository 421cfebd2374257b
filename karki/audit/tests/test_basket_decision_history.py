"""Management's decisions on baskets B and C are part of the programme's history: page, filters, export."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.utils import translation

from karki.audit import history
from karki.forecasts import services
from karki.forecasts.models import BasketDecision


def _decide(ita, pmo) -> BasketDecision:
    return services.record_basket_decision(
        programme=ita, basket="C", decision="activate", decided_on=date(2025, 2, 3),
        reasoning="Kuilu ei kuroudu ilman lisätoimia.", measure_codes=["C.1", "C.3"], by=pmo)


def test_programme_history__decision_entry_with_author_and_fields(ita, pmo):
    decision = _decide(ita, pmo)
    entry = history.history_page(history.programme_sources(ita)).entries[0]
    assert (entry.model, entry.object_id, entry.user, entry.action) == (BasketDecision, decision.pk, pmo, "created")
    changes = {c.field: c for c in entry.changes}
    assert changes["decision"].new_value == "activate" and changes["decision"].new == "Otetaan käyttöön"
    assert changes["reasoning"].new == "Kuilu ei kuroudu ilman lisätoimia."
    assert changes["measure_codes"].new == "C.1, C.3"
    assert entry.identifier.endswith("3.2.2025")
    with translation.override("en"):
        assert history.history_page(history.programme_sources(ita)).entries[0].what.startswith("Basket decision C")


def test_programme_history__filters(ita, pmo):
    _decide(ita, pmo)
    only = history.programme_sources(ita, history.HistoryFilters(kind="basketdecision"))
    assert [s.model for s in only] == [BasketDecision]
    assert history.history_page(only).paginator.count == 2  # the demo's invented decision and this one
    of_a_version = history.programme_sources(ita, history.HistoryFilters(version=2))
    assert BasketDecision not in {s.model for s in of_a_version}  # decisions belong to no version


def test_export__decision_rows(client_for, viewer, ita, pmo):
    decision = _decide(ita, pmo)
    response = client_for(viewer).get(f"/programmes/{ita.slug}/history/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = [r for r in csv.DictReader(io.StringIO(text), delimiter=";")
            if r["model"] == "basketdecision" and r["object_id"] == str(decision.pk)]
    assert {r["field"] for r in rows} >= {"basket", "decision", "decided_on", "reasoning", "recorded_by_id"}
    assert {r["username"] for r in rows} == {"pmo.ita-uusimaa"}
