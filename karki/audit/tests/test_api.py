"""The audit trail in the API: /api/v1/programmes/<slug>/history/."""

from __future__ import annotations

from karki.programmes import services
from karki.programmes.models import Measure


def test_api_history__newest_first_with_changes(client_for, pmo, viewer, ita, draft):
    measure = Measure.objects.get(version=draft, code="1.1.a")
    services.set_estimate(item=measure, estimate={"kind": "point", "amount_eur": "250000"}, by=pmo)
    data = client_for(viewer).get(f"/api/v1/programmes/{ita.slug}/history/?kind=measure").json()
    assert data["page"] == 1 and data["count"] > len(data["results"]) == 25
    newest = data["results"][0]
    assert (newest["model"], newest["object_code"], newest["version"], newest["action"]) == (
        "measure", "1.1.a", 3, "changed")
    assert newest["user"] == {"id": pmo.pk, "username": "pmo.ita-uusimaa", "full_name": ""}
    change = {c["field"]: c for c in newest["changes"]}["estimate_amount_eur"]
    assert (change["old_value"], change["new_value"]) == ("", "250000.00")
    assert {r["model"] for r in data["results"]} == {"measure"}


def test_api_history__anonymous_refused(client, ita):
    assert client.get(f"/api/v1/programmes/{ita.slug}/history/").status_code == 401
