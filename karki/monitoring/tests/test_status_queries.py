"""The status picture reads a fixed number of queries whatever the size of the programme (timing is
measured in benchmarks/status_picture.py, never here)."""

from django.urls import reverse

P = "ita-uusimaa-2023-2026"


def test_status_page__bounded_queries(client_for, viewer, django_assert_max_num_queries):
    client = client_for(viewer)
    url = reverse("monitoring:status", args=[P]) + "?period=2024-12"
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
    # Seen again with nothing changed, the figures are not computed again: the page reads the session,
    # the programme, its periods and the tokens of what its figures depend on (karki/figures).
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_status_api__bounded_queries(client_for, viewer, django_assert_max_num_queries):
    client = client_for(viewer)
    with django_assert_max_num_queries(27):
        assert client.get(reverse("api-programme-status", args=[P]) + "?period=2024-12").status_code == 200
