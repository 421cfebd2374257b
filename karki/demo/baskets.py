"""Planning figures for the basket B and C measures of the Itä-Uusimaa demo, and a decision of the
management team on them: INVENTED SAMPLE DATA.

The county's document lists the contingency measures (B.1–B.4, C.1–C.5, transcribed in
data/ita-uusimaa.v2.json) without euro figures, an order of preference or service-level costs. The
baskets view needs them to show what would close a gap, so they are made up here, kept apart from the
transcribed JSON, and every estimate says so in its note. They are written through the same services
the application uses, before the version is approved.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from karki.accounts.enums import Role
from karki.programmes import services
from karki.programmes.models import Measure

INVENTED_NOTE = {
    "fi": "Keksitty esimerkkiluku – ei lähdeasiakirjasta.",
    "sv": "Påhittad exempelsiffra – inte ur källdokumentet.",
    "en": "Invented sample figure – not from the source document.",
}

# code: (order of preference, horizon, (min €, max €), service-level impact, what it costs {fi, sv, en})
INVENTED_BASKET_FIGURES = {
    ("ita-uusimaa-2023-2026", 2): {
        "B.1": (1, "short", ("600000", "1200000"), "minor", {
            "fi": "Esimerkki: perusterveydenhuollon toimipisteet auki tunnin lyhyemmin; omaishoidon vapaapäiviä "
                  "järjestetään harvemmin.",
            "sv": "Exempel: primärvårdens verksamhetsställen har en timme kortare öppettider; ledigheter för "
                  "närståendevårdare ordnas mer sällan.",
            "en": "Example: primary care units open an hour less a day; respite days for family carers are "
                  "arranged less often."}),
        "B.2": (2, "short", ("800000", "1500000"), "moderate", {
            "fi": "Esimerkki: ikäihmisten päivätoimintaa kolme päivää viikossa viiden sijaan; perheneuvolan "
                  "jonot pitenevät.",
            "sv": "Exempel: dagverksamhet för äldre tre dagar i veckan i stället för fem; köerna till "
                  "familjerådgivningen blir längre.",
            "en": "Example: day activities for older people three days a week instead of five; longer queues "
                  "to family counselling."}),
        "B.4": (3, "medium", ("400000", "900000"), "minor", {
            "fi": "Esimerkki: uusia asiakkuuksia alueen ulkopuolelta ei oteta; nykyiset asiakkaat eivät muutu.",
            "sv": "Exempel: inga nya klientrelationer utanför området; nuvarande klienter berörs inte.",
            "en": "Example: no new clients from outside the region; current clients are not affected."}),
        "B.3": (4, "medium", ("1500000", "3000000"), "major", {
            "fi": "Esimerkki: asumispalveluihin pääsee tiukemmin perustein; noin 40 asiakasta vuodessa jää "
                  "kotihoitoon.",
            "sv": "Exempel: strängare grunder för boendeservice; ungefär 40 klienter om året får hemvård i "
                  "stället.",
            "en": "Example: stricter criteria for housing services; about 40 clients a year stay with home care "
                  "instead."}),
        "C.1": (5, "short", ("1500000", "2500000"), "moderate", {
            "fi": "Esimerkki: hallinnon ja tukipalvelujen henkilöstö lomautetaan kahdeksi viikoksi; palvelut "
                  "hidastuvat lomautusten aikana.",
            "sv": "Exempel: personalen inom förvaltning och stödtjänster permitteras i två veckor; tjänsterna "
                  "blir långsammare under permitteringarna.",
            "en": "Example: administrative and support staff are laid off temporarily for two weeks; services "
                  "slow down meanwhile."}),
        "C.3": (6, "short", ("1000000", "2000000"), "major", {
            "fi": "Esimerkki: ei-lakisääteiset palvelut, kuten järjestöavustukset ja kerhot, lopetetaan.",
            "sv": "Exempel: icke-lagstadgade tjänster, såsom understöd till organisationer och klubbar, upphör.",
            "en": "Example: non-statutory services such as grants to associations and clubs end."}),
        "C.5": (7, "medium", ("1500000", "3000000"), "major", {
            "fi": "Esimerkki: asumispalvelupaikkoja vähennetään 30; jonot ympärivuorokautiseen hoitoon pitenevät.",
            "sv": "Exempel: 30 platser inom boendeservicen dras in; köerna till vård dygnet runt blir längre.",
            "en": "Example: 30 places in housing services are cut; queues to round-the-clock care grow."}),
        "C.2": (8, "medium", ("3000000", "6000000"), "major", {
            "fi": "Esimerkki: muutosneuvottelut johdossa ja hallinnossa; noin 60 tehtävää vähemmän.",
            "sv": "Exempel: förändringsförhandlingar inom ledning och förvaltning; ungefär 60 befattningar färre.",
            "en": "Example: change negotiations in management and administration; about 60 fewer posts."}),
        "C.4": (9, "long", ("2000000", "5000000"), "major", {
            "fi": "Esimerkki: kaksi terveysasemaa ja yksi sosiaalitoimisto suljetaan; matkat palveluihin pitenevät.",
            "sv": "Exempel: två hälsostationer och en socialbyrå stängs; resorna till tjänsterna blir längre.",
            "en": "Example: two health centres and one social services office close; longer journeys to "
                  "services."}),
    },
}


def apply_invented_basket_figures(version, *, by) -> int:
    """Give the version's basket B and C measures their invented figures (while it is still a draft)."""
    figures = INVENTED_BASKET_FIGURES.get((version.programme.slug, version.number))
    if not figures:
        return 0
    for measure in Measure.objects.filter(version=version, code__in=figures):
        rank, horizon, (low, high), impact, effect = figures[measure.code]
        services.update_measure(
            measure=measure, code=measure.code, by=by,
            name={c: getattr(measure, f"name_{c}") for c in ("fi", "sv", "en")},
            description={c: getattr(measure, f"description_{c}") for c in ("fi", "sv", "en")},
            horizon=horizon, difficulty=measure.difficulty, org_unit=measure.org_unit, owner=measure.owner,
            owner_name=measure.owner_name,
            estimate={"kind": "range", "min_eur": low, "max_eur": high, "note": INVENTED_NOTE},
            contingency_rank=rank, service_level_impact=impact, service_level_effect=effect,
        )
    return len(figures)


INVENTED_DECISIONS = {
    "ita-uusimaa-2023-2026": [
        (date(2024, 12, 10), "B", "do_not_activate", ["B.1", "B.2"], "fi",
         "Esimerkkiaineisto (keksitty): johtoryhmä ei vielä ota korin B toimenpiteitä käyttöön. Vuoden 2024 "
         "säästöt ylittivät suunnitelman; tilanne arvioidaan uudelleen ensimmäisen vuosineljänneksen "
         "toteutuman jälkeen. Toimenpiteet B.1 ja B.2 valmistellaan niin, että ne voidaan aloittaa kuukauden "
         "varoitusajalla."),
    ],
}


@transaction.atomic
def load_demo_basket_decisions(programme, *, users: dict) -> int:
    """Invented decisions of the management team; idempotent (a programme with decisions is left alone)."""
    from karki.forecasts import services as forecast_services
    from karki.forecasts.models import BasketDecision

    rows = INVENTED_DECISIONS.get(programme.slug)
    if not rows or BasketDecision.objects.filter(programme=programme).exists():
        return 0
    for decided_on, basket, decision, codes, language, reasoning in rows:
        forecast_services.record_basket_decision(
            programme=programme, basket=basket, decision=decision, decided_on=decided_on, reasoning=reasoning,
            language=language, measure_codes=codes, by=users[Role.PMO])
    return len(rows)
