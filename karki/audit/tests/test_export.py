"""The auditor's export: CSV that Finnish Excel opens, and JSON, streamed, one row per change."""

from __future__ import annotations

import csv
import io
import json

from karki.programmes import services
from karki.programmes.models import Measure


def _body(response) -> str:
    assert response.streaming  # written while the history is read, never held whole
    return b"".join(response.streaming_content).decode("utf-8")


def test_export_csv__parses_and_contains_the_change(client_for, pmo, viewer, ita, draft):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "250000"}, by=pmo)
    response = client_for(viewer).get(f"/programmes/{ita.slug}/history/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    text = _body(response)
    assert text.startswith("\ufeff")  # the BOM that makes Excel read UTF-8
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows and list(rows[0]) == [
        "date", "user_id", "username", "full_name", "action", "model", "object_id", "object_code", "version",
        "field", "field_label", "old", "new", "old_value", "new_value", "change_reason"]
    change = [r for r in rows if r["model"] == "measure" and r["object_id"] == str(measure.pk)
              and r["field"] == "estimate_amount_eur" and r["action"] == "changed"]
    assert len(change) == 1
    row = change[0]
    assert (row["username"], row["user_id"]) == ("pmo.ita-uusimaa", str(pmo.pk))
    assert (row["old_value"], row["new_value"]) == ("", "250000.00")
    assert row["new"] == "250\u202f000\u00a0€" and row["field_label"] == "Summa (€)"
    assert (row["object_code"], row["version"], row["change_reason"]) == ("1.1.a", "3", "estimate")
    assert row["date"].endswith("+02:00") or row["date"].endswith("+03:00")  # ISO 8601, Helsinki offset
    # oldest first: the change is after the demo data was loaded
    assert rows[0]["change_reason"].startswith("load_demo")
    assert rows.index(row) > 0


def test_export_csv__same_filters_as_the_page(client_for, viewer, ita):
    text = _body(client_for(viewer).get(f"/programmes/{ita.slug}/history/export.csv?kind=risk&version=2"))
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows and {r["model"] for r in rows} == {"risk"} and {r["version"] for r in rows} == {"2"}


def test_export_csv__text_that_looks_like_a_formula__is_neutralised(client_for, pmo, viewer, ita, draft):
    services.create_theme(version=draft, code="9", name={"fi": '=HYPERLINK("http://example.org")'}, by=pmo)
    text = _body(client_for(viewer).get(f"/programmes/{ita.slug}/history/export.csv?kind=theme"))
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    row = next(r for r in rows if r["object_code"] == "9" and r["field"] == "name_fi")
    assert row["new"] == '\'=HYPERLINK("http://example.org")'


def test_export_json__rows_with_the_change(client_for, pmo, viewer, ita, draft):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "250000"}, by=pmo)
    response = client_for(viewer).get(f"/programmes/{ita.slug}/history/export.json?kind=measure&version=3")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(_body(response))
    assert data["meta"]["programme"] == ita.slug and data["meta"]["filters"] == {"kind": "measure", "version": 3}
    change = [r for r in data["changes"] if r["field"] == "estimate_amount_eur" and r["action"] == "changed"]
    assert change[0]["user_id"] == pmo.pk and change[0]["new_value"] == "250000.00"
    assert {r["model"] for r in data["changes"]} == {"measure"}
