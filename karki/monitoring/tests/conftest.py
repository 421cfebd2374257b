import pytest


@pytest.fixture
def open_period(ita):
    """December 2024 of Itä-Uusimaa: the demo's open period, with some reports still missing."""
    from karki.monitoring.models import Period

    return Period.objects.get(programme=ita, year=2024, month=12)


@pytest.fixture
def owners_measure(ita):
    from karki.monitoring.services import reporting_measures, running_version

    return reporting_measures(running_version(ita)).get(code="3.1.a")
