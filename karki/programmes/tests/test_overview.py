"""The programme overview answers "are we on track, and by when?" with the forecast page's own figures."""

import re
from decimal import Decimal
from html import unescape

from django.contrib.auth import get_user_model

from karki.lib import formatting

K = "ita-uusimaa-2023-2026"


def _user(username):
    return get_user_model().objects.get(username=username)


def _text(html: str) -> str:
    return unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_overview__verdict_with_the_same_figures_as_the_forecast_api(client_for, ita):
    client = client_for(_user("pmo.ita-uusimaa"))
    version = ita.versions.filter(status="approved").order_by("-number").first()
    api = client.get(f"/api/v1/programmes/{K}/forecast/?version={version.number}").json()
    page = client.get(f"/programmes/{K}/v/{version.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    verdict = _text(html[html.index('id="verdict-title"'):html.index('id="figures-title"')])
    assert "Pysytäänkö tavoitteessa?" in verdict
    target_band = next(b for b in api["by_year"] if b["year"] == api["target_year"])
    assert formatting.format_meur(Decimal(str(target_band["p50_eur"])), "fi") in verdict
    probability = formatting.format_probability(float(api["probability_reaching_target"]), "fi")
    assert probability in verdict
    forecast = page.context["forecast"]
    assert (api["first_year_p50"], api["first_year_p80"]) == (forecast.first_year_reached, forecast.first_year_p80)
    assert "Mihin mennessä?" in verdict
    if forecast.first_year_reached:
        assert f"tavoitetason vuonna {forecast.first_year_reached}" in verdict
    else:
        assert "eivät saavuta tavoitetasoa ohjelmakauden aikana" in verdict
    # the plan's own gap says what it compares, apart from the forecast's gap
    assert "Suunnitellut arviot vs. tavoite" in _text(html)


def test_overview__first_year_at_a_certainty__never_earlier_for_more_certainty(ita):
    from karki.figures import read as figures

    version = ita.versions.filter(status="approved").order_by("-number").first()
    forecast = figures.forecast(version)
    p50, p80 = forecast.first_year_at(50), forecast.first_year_at(80)
    assert forecast.first_year_reached == p50
    if p80 is not None:
        assert p50 is not None and p80 >= p50
    for band in forecast.by_year:
        if p50 is not None and band.year < p50:
            assert band.probability < 0.5


def test_overview__sub_navigation__every_place_for_the_programme_office(client_for, ita):
    member = client_for(_user("pmo.ita-uusimaa")).get(f"/programmes/{K}/").content.decode()
    nav = member[member.index('class="programme-nav"'):]
    nav = nav[:nav.index("</nav>")]
    for label in ("Yleiskuva", "Toimenpiteet", "Tilannekuva", "Ennuste", "Korit", "Riskit", "Avaintulokset",
                  "Versiot ja historia", "Raportit ja tiedostot"):
        assert label in nav, label
    assert 'aria-current="page">Yleiskuva' in nav
