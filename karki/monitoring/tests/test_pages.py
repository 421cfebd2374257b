import re

from django.urls import reverse

from karki.monitoring.models import StatusReport

P = "ita-uusimaa-2023-2026"


def test_status_page__shows_charts_with_tables_and_words(client_for, viewer):
    response = client_for(viewer).get(reverse("monitoring:status", args=[P]) + "?period=2024-12")
    html = response.content.decode()
    assert response.status_code == 200
    # Years against the target level, running sum, theme, unit, category; each drawn for wide and narrow screens.
    assert html.count('<figure class="chart">') == 5
    assert html.count('role="img"') == 10
    assert html.count("<table class=\"ds-table\">") >= 6
    assert "✔" in html and "✖" in html  # a status is an icon and a word, never colour alone


def test_status_page__outsider__not_found(client_for, outsider):
    assert client_for(outsider).get(reverse("monitoring:status", args=[P])).status_code == 404


def test_report_batch__prefilled_from_previous_report_and_submits(client_for, measure_owner, open_period):
    client = client_for(measure_owner)
    url = reverse("monitoring:report-batch", args=[P, "2024-12"])
    page = client.get(url).content.decode()
    assert "<legend>3.1.a" in page
    codes = [c for c in StatusReport.objects.filter(period__year=2024, period__month=11, period__programme__slug=P,
                                                    measure__owner=measure_owner)
             .values_list("measure_code", flat=True)]
    code = codes[0]
    revision = re.search(rf'name="{re.escape(code)}-revision" value="(\d+)"', page)[1]  # as the browser sends it
    response = client.post(url, {f"{code}-phase": "implemented", f"{code}-status": "green",
                                 f"{code}-saving_personnel": "1,5 M€", f"{code}-revision": revision,
                                 "action": "submit"})
    assert response.status_code == 302
    report = StatusReport.objects.get(period=open_period, measure_code=code)
    assert report.state == "submitted"
    assert report.savings.get().amount_eur == 1_500_000


def test_report_batch__status_without_phase__error_summary(client_for, measure_owner, open_period):
    url = reverse("monitoring:report-batch", args=[P, "2024-12"])
    response = client_for(measure_owner).post(url, {"3.1.a-status": "red", "action": "submit"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_period_reports__lists_who_has_not_reported(client_for, pmo):
    response = client_for(pmo).get(reverse("monitoring:period-reports", args=[P, "2024-12"]))
    assert response.status_code == 200
    assert response.context["picture"].missing


def test_review__pmo_returns_with_comment(client_for, pmo, open_period):
    report = StatusReport.objects.filter(period=open_period, state="submitted").first()
    url = reverse("monitoring:report-review", args=[P, "2024-12", report.measure_code])
    response = client_for(pmo).post(url, {"action": "return", "review_comment": "Tarkenna.",
                                          "revision": report.revision})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.review_comment) == ("returned", "Tarkenna.")


def test_status_page__savings_without_an_org_unit__named_in_words_in_each_language(client_for, viewer):
    """The demo's measures have no org unit: their row says so, as the overview does, never a bare dash."""
    client = client_for(viewer)
    for language, words in (("fi", "Ei määritetty"), ("sv", "Inte tilldelad")):
        client.cookies["karki_language"] = language
        html = client.get(reverse("monitoring:status", args=[P]) + "?period=2024-12").content.decode()
        table = html[html.index("<caption>", html.index('id="chart-units')):]
        table = table[:table.index("</table>")]
        assert f'<th scope="row">{words}</th>' in table
