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
