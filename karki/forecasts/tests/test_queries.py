"""The forecast pages read a fixed number of queries whatever the size of the programme (their speed is
measured in benchmarks/forecast.py, never here)."""

from django.urls import reverse

P = "ita-uusimaa-2023-2026"


def test_forecast_page__bounded_queries(client_for, viewer, django_assert_max_num_queries):
    client = client_for(viewer)
    with django_assert_max_num_queries(31):
        assert client.get(reverse("forecasts:forecast", args=[P])).status_code == 200
    with django_assert_max_num_queries(12):  # seen again: the kept figures, read by their tokens
        assert client.get(reverse("forecasts:forecast", args=[P])).status_code == 200


def test_forecast_api__bounded_queries(client_for, viewer, django_assert_max_num_queries):
    client = client_for(viewer)
    with django_assert_max_num_queries(26):
        assert client.get(reverse("api-programme-forecast", args=[P])).status_code == 200
    with django_assert_max_num_queries(8):  # seen again: the kept figures, read by their tokens
        assert client.get(reverse("api-programme-forecast", args=[P])).status_code == 200


def test_baskets_page__bounded_queries(client_for, viewer, django_assert_max_num_queries):
    client = client_for(viewer)
    with django_assert_max_num_queries(31):
        assert client.get(reverse("forecasts:baskets", args=[P])).status_code == 200
    with django_assert_max_num_queries(13):  # seen again: the kept figures, read by their tokens
        assert client.get(reverse("forecasts:baskets", args=[P])).status_code == 200
