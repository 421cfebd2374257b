"""The owner's optional confidence (0–100) on a status report, which the forecast reads as the measure's
chance of delivering its savings."""

import json
import re

from django.urls import reverse

from karki.monitoring.models import StatusReport

P = "ita-uusimaa-2023-2026"


def test_report_batch__confidence_saved_and_out_of_range_refused(client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    url = reverse("monitoring:report-batch", args=[P, "2024-12"])
    response = client.post(url, {"3.1.a-phase": "in_progress", "3.1.a-status": "amber", "3.1.a-confidence": "140",
                                 "action": "draft"})
    assert response.status_code == 400
    assert 'id="id_3.1.a-confidence"' in response.content.decode()
    revision = re.search(r'name="3.1.a-revision" value="(\d+)"', client.get(url).content.decode())[1]
    response = client.post(url, {"3.1.a-phase": "in_progress", "3.1.a-status": "amber", "3.1.a-confidence": "65",
                                 "3.1.a-revision": revision, "action": "draft"})
    assert response.status_code == 302
    assert StatusReport.objects.get(period=open_period, measure_code="3.1.a").confidence == 65
    assert 'value="65"' in client.get(url).content.decode()  # the form shows what was saved


def test_report_api__confidence_in_and_out(client_for, measure_owner, open_period):
    url = reverse("api-measure-report", args=[P, "3.1.a"])
    revision = StatusReport.objects.filter(period=open_period, measure_code="3.1.a").values_list(
        "revision", flat=True).first()
    response = client_for(measure_owner).post(url, data=json.dumps(
        {"period": "2024-12", "phase": "started", "status": "green", "confidence": 80, "revision": revision}),
        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["confidence"] == 80
