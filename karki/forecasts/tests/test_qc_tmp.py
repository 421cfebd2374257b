from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

P = "ita-uusimaa-2023-2026"
def test_count(client_for, viewer):
    client = client_for(viewer)
    for url in [reverse("forecasts:forecast", args=[P]), reverse("api-programme-forecast", args=[P]), reverse("forecasts:baskets", args=[P]), reverse("programmes:programme-detail", args=[P])]:
        for i in range(2):
            with CaptureQueriesContext(connection) as c:
                assert client.get(url).status_code == 200
            print("QC", url, i, len(c.captured_queries))
