"""Kymenlaakso's programme published to residents, with the county's own resident texts.

The texts are the county's, in Finnish as it wrote them: the slide "Mikä muuttuu sinulle
kymenlaaksolaisena?" of its programme (kymenlaakso-productivity-programme.fi.txt) and the promises of its
impact assessment ("Emme lopeta lakisääteisiä palveluita …"). Which measure each sentence belongs to, the
services named, the contact address and the two issued interim reports are this demo's own (INVENTED): the
document gives the sentences for the whole programme, and names no municipality for any measure, so no
measure is tied to an area. Idempotent: a programme that already has a public site is left as it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from karki.accounts.enums import Role
from karki.monitoring.models import Period
from karki.public.enums import EntryKind, Visibility
from karki.public.models import PublicSite
from karki.public.services import save_entry, save_site

PROGRAMME = "kymenlaakso-2023-2025"
# Invented: an address of the reserved example domain (RFC 2606), so nothing reaches a real mailbox.
CONTACT_EMAIL = "tuottavuusohjelma@example.org"

PROGRAMME_TEXT = (
    "Tuottavuusohjelman tavoitteena on varmistaa, että sosiaali-, terveys- ja pelastustoimen palvelut ovat "
    "jatkossakin saatavilla ja omassa ohjauksessamme Kymenlaakson alueella. Palvelut nykyaikaistuvat ja "
    "palvelujen rahoitus riittää.\n\n"
    "Tuottavuusohjelman myötä emme lopeta lakisääteisiä palveluita vaan ennaltaehkäisemme raskaampien palvelujen "
    "tarvetta ja vähennämme palvelujen häiriökysyntää. Emme toimi jatkossa vain digikanavissa, vaan "
    "digipalvelujen rinnalla on jatkossakin fyysisen kohtaamisen ja puhelinpalveluita."
)

# (kind, code): (resident text, services) — the sentences of "Mikä muuttuu sinulle kymenlaaksolaisena?".
ENTRIES = {
    (EntryKind.THEME, "1"): (
        "Voit asioida hyvinvointialueen kanssa jatkossa entistä laajemmin sähköisissä kanavissa ja "
        "itseasiointina. Kaikille löytyy jatkossa kanava olla yhteydessä ja saada palvelua, esim. puhelimitse.",
        "Sähköinen asiointi, Neuvonta ja asiakasohjaus"),
    (EntryKind.MEASURE, "1.1.a"): (
        "Voit asioida hyvinvointialueen kanssa jatkossa entistä laajemmin sähköisissä kanavissa ja itseasiointina.",
        "Sähköinen asiointi"),
    (EntryKind.MEASURE, "1.2.a"): (
        "Saat tilanteesi perusteella entistä nopeammin lähipalveluja aiempaa enemmän etänä. Asiasi otetaan "
        "aiempaa paremmin kerralla haltuun.",
        "Vastaanottopalvelut, Sähköinen asiointi"),
    (EntryKind.MEASURE, "1.2.b"): (
        "Kaikille löytyy jatkossa kanava olla yhteydessä ja saada palvelua, esim. puhelimitse.",
        "Neuvonta ja asiakasohjaus"),
    (EntryKind.MEASURE, "1.2.c"): (
        "Voit jatkossa seurata omaistesi kanssa palvelun kulkua digikanavissa entistä laajemmin.",
        "Sähköinen asiointi"),
    (EntryKind.MEASURE, "1.3.b"): (
        "Pääset osallistumaan hoitoosi ja vointisi seurantaan valituissa palveluissa.",
        "Vastaanottopalvelut, Kotihoito"),
    (EntryKind.THEME, "4"): (
        "Saat kasvokkain palvelua yhä niissä palveluissa kuin on tarve. Asiointipisteiden sijainnit saattavat "
        "muuttua. Tiivis toimipisteverkko ja sähköiset palvelut vapauttavat henkilökuntamme työaikaa sinun "
        "palvelemiseesi.",
        "Toimipisteet, Kotiin vietävät palvelut"),
    (EntryKind.MEASURE, "4.1.a"): (
        "Saat tilanteesi perusteella entistä nopeammin lähipalveluja aiempaa enemmän etänä tai kotiin tuotuna.",
        "Kotiin vietävät palvelut, Kotihoito"),
    (EntryKind.MEASURE, "4.1.b"): (
        "Saat kasvokkain palvelua yhä niissä palveluissa kuin on tarve. Asiointipisteiden sijainnit saattavat "
        "muuttua. Emme yksioikoisesti ja ilman kokonaisarviointia sulje toimipisteitä tai palveluita, vaan "
        "teemme palvelukohtaisesti harkintaa ja selvitystä siitä, mikä on kunkin palvelun toimitilojen tarve "
        "jatkossa.",
        "Toimipisteet"),
}

# The interim reports the council has had (invented): January–April and January–August of the demo's year
# 2024, as counties report to their councils between the budget and the financial statements.
REPORT_PERIODS = [(2024, 4), (2024, 8)]

# Measured values of two of the programme's indicators (INVENTED), so that the public pages show a series:
# the share of digitalised services (%, target 30 % in 2025) and the staff's eNPS (baseline −9 in 2022).
INDICATOR_VALUES = {
    "I2": [("2023-12-31", "12"), ("2024-06-30", "17"), ("2024-12-31", "21")],
    "I7": [("2023-12-31", "-6"), ("2024-06-30", "-1"), ("2024-12-31", "4")],
}
INDICATOR_SOURCE = "Esimerkkiaineisto (keksitty)"


def publish_demo_site(programme, *, users: dict) -> bool:
    """Publish Kymenlaakso's programme with its resident texts and issue its two interim reports."""
    if programme.slug != PROGRAMME or PublicSite.objects.filter(programme=programme).exists():
        return False
    by = users[Role.PMO]
    _record_indicator_values(programme, by=by)
    _issue_reports(programme, by=by)
    with transaction.atomic():  # through the services the programme office uses, so the history says who
        save_site(programme, by=by, revision=None, is_published=True, resident_text={"fi": PROGRAMME_TEXT},
                  contact_name="", contact_email=CONTACT_EMAIL, feedback_url="")
        for (kind, code), (text, services) in ENTRIES.items():
            save_entry(programme, kind=kind, code=code, by=by, revision=None, visibility=Visibility.DEFAULT,
                       resident_text={"fi": text}, services={"fi": services}, areas={})
    return True


def _record_indicator_values(programme, *, by) -> None:
    from karki.projects.models import IndicatorValue
    from karki.projects.services import record_indicator_value

    if IndicatorValue.objects.filter(programme=programme).exists():
        return
    for code, values in INDICATOR_VALUES.items():
        for measured_on, value in values:
            record_indicator_value(by=by, programme=programme, indicator_code=code, measured_on=date.fromisoformat(
                measured_on), value=Decimal(value), source=INDICATOR_SOURCE)


def _issue_reports(programme, *, by) -> None:
    from karki.reports.models import CouncilReport
    from karki.reports.services import issue_council_report

    if CouncilReport.objects.for_programme(programme).exists():
        return
    for year, month in REPORT_PERIODS:
        period = Period.objects.filter(programme=programme, year=year, month=month).first()
        if period is not None:
            issue_council_report(programme=programme, period=period, languages=["fi", "sv"], by=by)
