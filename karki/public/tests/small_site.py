"""A small programme published to residents, for the open-data and export tests: what may show and what must
not (a hidden measure, an undecided basket C measure, a person's name, an escalation text, a later value)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from karki.monitoring.models import Period
from karki.organisations.models import Organisation, OrgUnit
from karki.programmes import services
from karki.programmes.models import Indicator
from karki.projects.models import IndicatorValue
from karki.public.models import PublicEntry, PublicSite
from karki.reports.models import CouncilReport

SLUG = "pieni-2024-2026"
ROOT = f"/public/{SLUG}/"
OWNER = "Olli Omistaja"
HIDDEN = "Salainen siirto"  # the name of a measure the programme office hid
UNDECIDED = "Palvelupisteen sulkeminen"  # a basket C measure management has not decided on
ESCALATION = "Esteenä neuvottelut"  # an owner's escalation text in the issued report
LATER_VALUE = Decimal("99.5")  # an indicator value measured after the latest report's month
FORMULA = "=1+1 ei ole kaava"  # a text a spreadsheet would run as a formula


def _figures() -> dict:
    """An issued report's frozen figures as reports/figures.py freezes them, with what residents may read and
    what they may not (names, escalations, a hidden and an undecided measure)."""
    return {
        "target_eur": "1000000.00", "target_year": 2026, "first_year": 2024,
        "realised_year_eur": "150000.00", "verified_year_eur": "100000.00", "planned_year_eur": "300000.00",
        "realised_year_pct": "12.5", "planned_year_pct": "30", "realised_total_eur": "330000.00",
        "verified_total_eur": "250000.00", "planned_to_date_eur": "500000.00", "one_off_year_eur": "25000.00",
        "run_rate_eur": "140000.00", "run_rate_verified_eur": "90000.00", "deficit_eur": None, "deficit_year": None,
        "reports_expected": 3, "reports_received": 2,
        "by_year": [
            {"year": 2024, "planned_eur": "200000.00", "planned_cumulative_eur": "200000.00",
             "realised_eur": "180000.00", "realised_cumulative_eur": "180000.00", "verified_eur": "150000.00",
             "verified_cumulative_eur": "150000.00", "one_off_eur": "30000.00"},
            {"year": 2025, "planned_eur": "300000.00", "planned_cumulative_eur": "500000.00",
             "realised_eur": "150000.50", "realised_cumulative_eur": "330000.50", "verified_eur": "100000.00",
             "verified_cumulative_eur": "250000.00", "one_off_eur": "25000.00"},
        ],
        "measures": [
            {"code": "M1", "name": "Ajanvaraus verkkoon", "phase": "in_progress", "status": "green"},
            {"code": "M2", "name": HIDDEN, "phase": "started", "status": "red"},
            {"code": "M3", "name": "Paperilomakkeista luopuminen", "phase": "", "status": ""},  # no report came
            {"code": "C1", "name": UNDECIDED, "phase": "planned", "status": ""},
        ],
        "missing": [{"code": "M2", "name": HIDDEN, "owner": OWNER}],
        "escalations": [{"code": "M2", "name": HIDDEN, "obstacles": ESCALATION}],
        "report": {"number": 1, "issued_by": OWNER},
        "produced_by": OWNER,
    }


def build():
    """A small programme published to residents: an approved version with a theme, a public measure written in
    Finnish and Swedish, a measure the office hid, an undecided basket C measure, an indicator with values
    and two issued interim reports. Its owner, a person, is named on the measures."""
    person = get_user_model().objects.create(username="olli", first_name="Olli", last_name="Omistaja")
    organisation = Organisation.objects.create(slug="pieni", name="Pienen hyvinvointialue",
                                               name_fi="Pienen hyvinvointialue", name_sv="Lilla välfärdsområdet")
    unit = OrgUnit.objects.create(organisation=organisation, code="SOTE", name="Terveyspalvelut",
                                  name_fi="Terveyspalvelut", name_sv="Hälsotjänster")
    programme = services.create_programme(organisation=organisation, slug=SLUG, period_start=2024, period_end=2026,
                                          name={"fi": "Pienen tuottavuusohjelma",
                                                "sv": "Lilla produktivitetsprogrammet"},
                                          target_eur=Decimal("1000000"), target_year=2026, by=person)
    version = services.create_version(programme=programme, by=person, label={"fi": "Versio 1"})
    theme = services.create_theme(version=version, code="1", name={"fi": "Digipalvelut", "sv": "Digitala tjänster"},
                                  description={"fi": "Palvelut verkkoon."}, owner_name=OWNER, by=person)
    target = services.create_target(theme=theme, code="1.1", name={"fi": "Asiointi verkossa"}, by=person)
    services.create_measure(version=version, code="M1", target=target, by=person, horizon="short", org_unit=unit,
                            name={"fi": "Ajanvaraus verkkoon", "sv": "Tidsbokning på nätet"},
                            estimate={"kind": "range", "min_eur": "100000", "max_eur": "200000.50"},
                            owner_name=OWNER)
    services.create_measure(version=version, code="M2", target=target, by=person, name={"fi": HIDDEN},
                            estimate={"kind": "point", "amount_eur": "50000"}, owner_name=OWNER)
    services.create_measure(version=version, code="M3", target=target, by=person,
                            name={"fi": "Paperilomakkeista luopuminen"},
                            estimate={"kind": "upper_bound", "amount_eur": "100000"})
    services.create_measure(version=version, code="C1", basket="C", by=person, name={"fi": UNDECIDED},
                            owner_name=OWNER)
    services.create_content(version=version, model=Indicator, by=person,
                            values={"code": "I1", "unit": "%", "direction": "up", "target_value": Decimal("30"),
                                    "deadline": date(2026, 12, 31), "theme": theme},
                            translations={"name": {"fi": "Digitaalisten palvelujen osuus",
                                                   "en": "Share of digital services"}})
    services.approve_version(version=version, by=person)

    PublicSite.objects.create(programme=programme, is_published=True, contact_email="kirjaamo@pieni.example",
                              resident_text_fi="Mikä muuttuu sinulle?")
    PublicEntry.objects.create(programme=programme, kind="measure", code="M1", resident_text_fi="Varaa aika verkossa.",
                               resident_text_sv="Boka tid på nätet.", services_fi="terveysasemat, hammashoito",
                               areas_fi="Pikkula")
    PublicEntry.objects.create(programme=programme, kind="measure", code="M2", visibility="private")

    PublicEntry.objects.create(programme=programme, kind="theme", code="1", resident_text_fi=FORMULA)

    # Two interim reports, of March and June 2025; in the first, M1 had only started.
    helsinki = ZoneInfo("Europe/Helsinki")
    earlier = _figures()
    earlier["measures"][0].update(phase="started", status="amber")
    for number, month, issued, figures in ((1, 3, datetime(2025, 4, 10, 9, 30, tzinfo=helsinki), earlier),
                                           (2, 6, datetime(2025, 7, 10, 9, 30, tzinfo=helsinki), _figures())):
        period = Period.objects.create(programme=programme, year=2025, month=month, opened_at=issued,
                                       opened_by=person)
        CouncilReport.objects.create(programme=programme, number=number, period=period, languages=["fi", "sv"],
                                     issued_at=issued, issued_by=person, figures={"fi": figures, "sv": figures})
    IndicatorValue.objects.create(programme=programme, indicator_code="I1", measured_on=date(2025, 3, 31),
                                  value=Decimal("12.5"), recorded_by=person)
    IndicatorValue.objects.create(programme=programme, indicator_code="I1", measured_on=date(2025, 9, 30),
                                  value=LATER_VALUE, recorded_by=person)
    return programme


