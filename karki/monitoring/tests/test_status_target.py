"""The status picture compares the target, a yearly savings level to reach in the target year, with the
savings of a year; the running sum is shown as such and never set against the target."""

from decimal import Decimal

from django.urls import reverse

from karki.monitoring import services
from karki.monitoring.status import status_picture

P = "ita-uusimaa-2023-2026"


def _flat(html: str) -> str:
    return " ".join(html.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_status_picture__a_second_year__its_own_savings_against_the_yearly_level(ita, pmo, owners_measure,
                                                                                  open_period):
    before = status_picture(ita, open_period)
    january = services.open_period(programme=ita, year=2025, month=1, by=pmo)
    services.record_status_report(owners_measure, period=january, by=pmo, phase="in_progress", status="green",
                                  savings={"personnel": Decimal("1380000")}, submit=True)
    picture = status_picture(ita, january)
    assert picture.realised_year_eur == Decimal("1380000")
    assert picture.realised_year_pct == Decimal("5")  # 1,38 M€ of the 27,6 M€ a year, not the running sum
    assert picture.realised_total_eur == before.realised_total_eur + Decimal("1380000")
    assert picture.planned_year_eur == Decimal("17500000")  # the plan of 2025 in the ramp 7,2 → 17,5 → 27,6
    assert picture.realised_year_text == ("Toteutuneet säästöt vuonna 2025 jakson 1/2025 loppuun mennessä: "
                                          "1,4\u00a0M€ – 5\u00a0% vuositasosta 27,6\u00a0M€, joka on tavoitteena "
                                          "saavuttaa vuonna 2026")


def test_status_page__finnish__the_years_savings_against_the_yearly_target_level(client_for, viewer, ita,
                                                                                open_period):
    picture = status_picture(ita, open_period)
    html = _flat(client_for(viewer).get(reverse("monitoring:status", args=[P]) + "?period=2024-12").content.decode())
    def meur(amount):
        return _flat(f"{amount / 1000000:.1f}".replace(".", ",") + " M€")

    # The demo's 2024 has one-off savings: only the recurring ones are set against the yearly level.
    one_off = picture.year_row.one_off_eur
    assert one_off > 0
    share = f"{(picture.realised_year_eur - one_off) / picture.target_eur * 100:.0f} %"
    assert picture.realised_year_pct == (picture.realised_year_eur - one_off) / picture.target_eur * 100
    assert (f"Toteutuneet säästöt vuonna 2024: {meur(picture.realised_year_eur)}, josta kertaluonteista "
            f"{meur(one_off)} – pysyvät {meur(picture.realised_year_eur - one_off)} ovat {share} vuositasosta "
            "27,6 M€, joka on tavoitteena saavuttaa vuonna 2026.") in html
    assert "27,6 M€ vuodessa: vuosisäästö, joka on tavoitteena saavuttaa vuonna 2026" in html
    assert f"pysyvät {share} tavoitteen vuositasosta" in html
    # The target's line is drawn on the chart of each year's savings, labelled as the yearly target.
    yearly = html[html.index('id="chart-years-title"'):html.index('id="chart-cumulative-title"')]
    assert "chart-marker" in yearly and "Vuositavoite 2026: 27,6 M€" in yearly
    cumulative = html[html.index('id="chart-cumulative-title"'):]
    assert "chart-marker" not in cumulative[:cumulative.index("</figure>")]
    assert "Sitä ei verrata tavoitteeseen, joka on vuositaso." in html


def test_status_page__swedish__the_years_savings_against_the_yearly_target_level(client_for, viewer, ita,
                                                                                open_period):
    picture = status_picture(ita, open_period)
    client = client_for(viewer)
    client.get(reverse("core:set-language", args=["sv"]))
    html = _flat(client.get(reverse("monitoring:status", args=[P]) + "?period=2024-12").content.decode())
    def mn(amount):
        return f"{amount / 1000000:.1f}".replace(".", ",") + " mn €"

    one_off = picture.year_row.one_off_eur
    share = f"{picture.realised_year_pct:.0f} %"
    assert (f"Realiserade besparingar år 2024: {mn(picture.realised_year_eur)}, varav engångsbesparingar "
            f"{mn(one_off)} – de bestående {mn(picture.realised_year_eur - one_off)} är {share} av årsnivån "
            "27,6 mn € som ska nås år 2026.") in html
    assert "Årsmål för 2026: 27,6 mn €" in html
    assert "Realiserat 2023–2024, kumulativt" in html


def test_status_api__target_year_beside_the_yearly_target(client_for, viewer, open_period):
    data = client_for(viewer).get(reverse("api-programme-status", args=[P]) + "?period=2024-12").json()
    assert (data["target_eur"], data["target_year"]) == ("27600000.00", 2026)
