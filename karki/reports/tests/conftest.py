from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from karki.monitoring.models import Period

SLUG = "ita-uusimaa-2023-2026"


@pytest.fixture
def december(ita):
    """The demo's latest period, 12/2024: still open, about a third of the reports missing."""
    return Period.objects.get(programme=ita, year=2024, month=12)


@pytest.fixture
def november(ita):
    return Period.objects.get(programme=ita, year=2024, month=11)


@pytest.fixture
def produce(client_for):
    """Start a report from the Reports page as `user`; returns (job page response, downloaded file)."""

    def run(user, kind="deck", period="2024-12", language="fi"):
        client = client_for(user)
        response = client.post(reverse("reports:start", args=[SLUG]),
                               {"kind": kind, "period": period, "language": language})
        assert response.status_code == 302, response.content[:300]
        page = client.get(response["Location"])
        download = client.get(response["Location"] + "download/")
        return page, download

    return run


@pytest.fixture
def page_forecast(client_for, viewer):
    """The forecast page's own forecast of 12/2024 (its default draws and seed), as a reader sees it there."""
    response = client_for(viewer).get(reverse("forecasts:forecast", args=[SLUG]) + "?period=2024-12")
    assert response.status_code == 200
    return response.context["baseline"]


@pytest.fixture
def fixed_now(monkeypatch):
    """Today is 15.1.2025, 10.30 in Helsinki (the report date)."""
    moment = datetime(2025, 1, 15, 10, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
    monkeypatch.setattr("karki.lib.dates.now", lambda: moment)
    return moment
