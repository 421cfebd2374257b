"""A sample project of Kymenlaakso: INVENTED SAMPLE DATA.

The county's document names its stabilisation grant (10,9 M€, allocated by theme in percentages) and
the projects that carry measures (ICT change, Tulsote, RRP), but no project plan. This module invents one
grant-funded plan in the shape such plans have (four sub-areas, eleven development areas, forty work
packages, costs by year and cost type with the grant and own-funding shares, phases, milestones, risks,
indicators) and half a year of monthly follow-up, so that every project page has something to show. Its
name says it is invented. It is written through the same services the application uses.

- `apply_invented_project_links(version)` runs while a version is still a draft: it creates the project (once)
  and links it in the version: the programme's project list names it (by its code) with the measures it
  carries, and the stabilisation grant's allocation to theme 1 is spent by it.
- `write_invented_follow_up(period)` runs for each demo reporting month before the month is closed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from karki.accounts.enums import Role
from karki.programmes import services as programme_services
from karki.programmes.models import FundingAllocation, Measure, ProjectMeasure
from karki.programmes.models import Project as ProgrammeProject
from karki.projects import services
from karki.projects.models import Project

PROGRAMME = "kymenlaakso-2023-2025"
CODE = "DIGI-1"
NAME = {
    "fi": "Esimerkkihanke: digitaaliset palvelut ja asiakasohjaus (keksitty)",
    "sv": "Exempelprojekt: digitala tjänster och kundstyrning (påhittat)",
    "en": "Sample project: digital services and client guidance (invented)",
}
MEASURES = ["1.1.a", "1.1.b", "1.2.a", "1.2.b", "1.2.c", "1.3.a"]
START, END = date(2024, 1, 1), date(2025, 12, 31)

# (code, name fi, name sv, development areas: (name fi, name sv, work packages (fi)))
STRUCTURE = [
    ("1", "Digitaaliset palvelut", "Digitala tjänster", [
        ("Etävastaanotto", "Distansmottagning", ["Etävastaanoton toimintamalli", "Laitteet ja tilat",
                                                 "Ammattilaisten koulutus", "Pilotti kahdessa sote-keskuksessa"]),
        ("Digitaalinen sote-keskus", "Digitalt social- och hälsovårdscenter", [
            "Palveluvalikoima ja palvelupolut", "Asiointialusta", "Henkilöstön mitoitus", "Avaus ja viestintä"]),
        ("Omahoito ja etäseuranta", "Egenvård och distansuppföljning", [
            "Etäseurannan mittarit", "Omahoito-ohjelmat", "Kotihoidon etäkäynnit"]),
    ]),
    ("2", "Neuvonta ja asiakasohjaus", "Rådgivning och kundstyrning", [
        ("Yhteinen asiakasohjausmalli", "Gemensam modell för kundstyrning", [
            "Nykytilan kartoitus", "Mallin suunnittelu", "Käyttöönotto toimialoittain", "Laadun seuranta"]),
        ("Chat ja chatbot", "Chatt och chattbot", [
            "Chat-palvelun hankinta", "Chatbotin sisällöt", "Päivystävä chat", "Saavutettavuuden varmistus"]),
        ("Takaisinsoitto", "Återuppringning", ["Takaisinsoittojärjestelmä", "Jonojen hallinta",
                                              "Puhelinpalvelujen yhdistäminen"]),
    ]),
    ("3", "Automaatio ja tiedolla johtaminen", "Automatisering och kunskapsbaserad ledning", [
        ("Ohjelmistorobotiikka", "Programvarurobotik", [
            "Prosessien valinta", "Laskutuksen robotit", "Lähetteiden käsittely", "Robottien ylläpitomalli"]),
        ("Tiedolla johtaminen", "Kunskapsbaserad ledning", [
            "Tietovarasto", "Johdon raportit", "Tietosuoja ja käyttöoikeudet"]),
        ("Ajanvarauksen automatisointi", "Automatiserad tidsbokning", [
            "Sähköinen ajanvaraus", "Muistutusviestit", "Peruutusaikojen täyttö", "Integraatiot"]),
    ]),
    ("4", "Hankehallinto ja arviointi", "Projektadministration och utvärdering", [
        ("Projektinhallinta", "Projektledning", [
            "Hankepäällikkö ja hankeassistentti", "Ohjausryhmä", "Talouden seuranta", "Raportointi rahoittajalle"]),
        ("Arviointi ja viestintä", "Utvärdering och kommunikation", [
            "Ulkoinen arviointi", "Asukasviestintä", "Tulosten levittäminen"]),
    ]),
]
# A work package's cost type by its place in its development area, and its cost in 2024 and 2025 (€).
COST_TYPES = ["personnel", "services", "ict", "personnel"]
COSTS = [(Decimal(a), Decimal(b)) for a, b in (("120000", "80000"), ("60000", "90000"), ("150000", "50000"),
                                               ("40000", "60000"))]

PHASES = [
    ("V1", {"fi": "Suunnittelu", "sv": "Planering", "en": "Planning"}, date(2024, 1, 1), date(2024, 4, 30)),
    ("V2", {"fi": "Toteutus", "sv": "Genomförande", "en": "Implementation"}, date(2024, 5, 1), date(2025, 8, 31)),
    ("V3", {"fi": "Käyttöönotto ja arviointi", "sv": "Införande och utvärdering", "en": "Roll-out and evaluation"},
     date(2025, 9, 1), date(2025, 12, 31)),
]
# (code, fi, sv, due, phase, item, deliverable fi)
MILESTONES = [
    ("M1", "Hankesuunnitelma hyväksytty", "Projektplanen godkänd", date(2024, 2, 15), "V1", "4.1",
     "Ohjausryhmän hyväksymä hankesuunnitelma"),
    ("M2", "Etävastaanoton pilotti käynnissä", "Pilot för distansmottagning igång", date(2024, 5, 31), "V2", "1.1",
     "Pilotti kahdessa sote-keskuksessa"),
    ("M3", "Chat-palvelu avattu", "Chattjänsten öppnad", date(2024, 8, 31), "V2", "2.2", "Chat auki arkisin 8–16"),
    ("M4", "Ohjelmistorobotit tuotannossa", "Programvarurobotar i drift", date(2024, 10, 31), "V2", "3.1",
     "Kolme robottia laskutuksessa ja lähetteissä"),
    ("M5", "Digitaalinen sote-keskus avattu", "Digitalt social- och hälsovårdscenter öppnat", date(2024, 12, 15),
     "V2", "1.2", "Asiointialusta ja palveluvalikoima"),
    ("M6", "Väliraportti rahoittajalle", "Mellanrapport till finansiären", date(2025, 1, 31), "V2", "4.1",
     "Väliraportti"),
    ("M7", "Asiakasohjausmalli koko alueella", "Kundstyrningsmodellen i hela området", date(2025, 6, 30), "V2",
     "2.1", "Malli käytössä kaikilla toimialoilla"),
    ("M8", "Loppuraportti", "Slutrapport", date(2025, 12, 31), "V3", "4.2", "Loppuraportti ja arviointi"),
]
# The follow-up of each month (2024): traffic light, narrative, milestones (code: (status, done on, reason)),
# and the month's spending as a share of the year's plan.
FOLLOW_UP = {
    7: ("green", "Esimerkkiaineisto: etävastaanoton pilotti eteni suunnitellusti.",
        {"M1": ("done", date(2024, 2, 12), ""), "M2": ("done", date(2024, 6, 10), "")}, Decimal("0.07")),
    8: ("amber", "Esimerkkiaineisto: chat-palvelun hankinta viivästyi valituksen vuoksi.",
        {"M3": ("late", None, "Hankintapäätöksestä valitettiin markkinaoikeuteen.")}, Decimal("0.08")),
    9: ("amber", "Esimerkkiaineisto: chat avataan lokakuussa.",
        {"M3": ("late", None, "Markkinaoikeuden päätöstä odotetaan."),
         "M4": ("at_risk", None, "Laskutusjärjestelmän rajapinta valmistuu myöhässä.")}, Decimal("0.09")),
    10: ("green", "Esimerkkiaineisto: chat avattiin ja kaksi robottia otettiin käyttöön.",
         {"M3": ("done", date(2024, 10, 7), ""), "M4": ("done", date(2024, 10, 30), "")}, Decimal("0.09")),
    11: ("green", "Esimerkkiaineisto: digitaalisen sote-keskuksen avaus valmistelussa.",
         {"M5": ("on_time", None, "")}, Decimal("0.10")),
    12: ("amber", "Esimerkkiaineisto: sote-keskuksen avaus siirtyi tammikuulle; ICT-kulut ylittyvät.",
         {"M5": ("late", None, "Asiointialustan tietoturva-auditointi kesken.")}, Decimal("0.12")),
}


def _owner(programme):
    from django.contrib.auth import get_user_model

    slug = programme.organisation.slug
    return get_user_model().objects.filter(username=f"measure-owner.{slug}").first()


def sample_project(programme, *, by) -> Project | None:
    """The invented project of the programme (made on first call)."""
    if programme.slug != PROGRAMME:
        return None
    found = Project.objects.filter(organisation=programme.organisation, code=CODE).first()
    if found is not None:
        return found
    owner = _owner(programme)
    project = services.create_project(
        organisation=programme.organisation, programme=programme, code=CODE, name=NAME, by=by,
        start_date=START, end_date=END, owner=owner, status="running", is_sample_data=True,
        translated={
            "description": {"fi": "Keksitty esimerkki: hanke, jolla toteutetaan teeman 1 digitaalisia toimenpiteitä "
                                  "vakauttamisrahalla.",
                            "sv": "Påhittat exempel: ett projekt som genomför tema 1:s digitala åtgärder med "
                                  "stabiliseringsstödet."},
            "goals": {"fi": "30 % palveluista digitaalisina vuoden 2025 loppuun mennessä; asiakasohjaus yhdestä "
                            "numerosta ja chatista.",
                      "sv": "30 % av tjänsterna digitala före utgången av 2025; kundstyrning via ett nummer och "
                            "en chatt."},
            "expected_results": {"fi": "Etävastaanotto kaikissa sote-keskuksissa, digitaalinen sote-keskus, "
                                       "chat ja takaisinsoitto, kolme ohjelmistorobottia.",
                                 "sv": "Distansmottagning vid alla centraler, ett digitalt social- och "
                                       "hälsovårdscenter, chatt och återuppringning, tre programvarurobotar."},
            "impacts": {"fi": "Vastaanottokäyntien kustannukset laskevat; henkilöstön aikaa vapautuu "
                              "asiakastyöhön.",
                        "sv": "Kostnaderna för mottagningsbesök sjunker; personalen får mer tid för kundarbete."},
            "dependencies": {"fi": "Asiakastietojärjestelmän rajapinnat (ICT-muutoshanke).",
                             "sv": "Gränssnitten i klientdatasystemet (IKT-förändringsprojektet)."},
        })
    grant = services.save_funder(project=project, by=by, code="VA", kind="state", funding_code="F1",
                                 name={"fi": "Vakauttamisraha", "sv": "Stabiliseringsstöd",
                                       "en": "Stabilisation grant"}, max_share_pct=Decimal("80"))
    own = services.save_funder(project=project, by=by, code="OMA", kind="own",
                               name={"fi": "Omarahoitus", "sv": "Egen finansiering", "en": "Own funding"})
    items = {}
    for code, fi, sv, areas in STRUCTURE:
        sub = services.save_item(project=project, by=by, code=code, kind="sub_area", name={"fi": fi, "sv": sv})
        items[code] = sub
        for a, (afi, asv, packages) in enumerate(areas, start=1):
            area = services.save_item(project=project, by=by, code=f"{code}.{a}", kind="dev_area", parent=sub,
                                      name={"fi": afi, "sv": asv})
            items[area.code] = area
            for p, pfi in enumerate(packages, start=1):
                package = services.save_item(project=project, by=by, code=f"{code}.{a}.{p}", kind="package",
                                             parent=area, name={"fi": pfi})
                items[package.code] = package
                for year, total in zip((2024, 2025), COSTS[(p + a) % len(COSTS)], strict=True):
                    granted = (total * Decimal("0.8")).quantize(Decimal("1"))
                    services.set_budget_line(project=project, by=by, item=package, year=year,
                                             cost_type=COST_TYPES[(p - 1) % len(COST_TYPES)], total_eur=total,
                                             shares={grant: granted, own: total - granted})
    phases = {code: services.save_phase(project=project, by=by, code=code, name=name, start_date=start,
                                        end_date=end) for code, name, start, end in PHASES}
    for code, fi, sv, due, phase, item, deliverable in MILESTONES:
        services.save_milestone(project=project, by=by, code=code, name={"fi": fi, "sv": sv}, due_date=due,
                                phase=phases[phase], item=items[item], owner=owner, deliverable={"fi": deliverable})
    for code, category, fi, sv, likelihood, impact, mitigation in (
        ("R1", "schedule", "Hankinnat viivästyvät", "Upphandlingarna försenas", 4, 3,
         "Hankinnat aloitetaan ajoissa; varasuunnitelma väliaikaisesta ratkaisusta."),
        ("R2", "personnel", "Ammattilaisia ei ehditä kouluttaa", "Personalen hinner inte utbildas", 3, 3,
         "Koulutus työvuorojen sisällä; lähitukihenkilöt."),
        ("R3", "financial", "ICT-kulut ylittyvät", "IKT-kostnaderna överskrids", 3, 4,
         "Kuukausittainen kustannusseuranta ja muutospyynnöt ohjausryhmään."),
    ):
        services.save_risk(project=project, by=by, code=code, category=category, title={"fi": fi, "sv": sv},
                           likelihood=likelihood, impact=impact, owner=owner, mitigation={"fi": mitigation})
    digital = services.save_indicator(project=project, by=by, code="I1", unit="%", direction="up",
                                      name={"fi": "Digitaalisten asiointien osuus", "sv": "Andelen digitala ärenden"},
                                      baseline_value=Decimal("12"), baseline_date=date(2023, 12, 31),
                                      target_value=Decimal("30"), deadline=date(2025, 12, 31))
    for day, value in ((date(2024, 3, 31), "13.5"), (date(2024, 6, 30), "15.2"), (date(2024, 9, 30), "17.8"),
                       (date(2024, 12, 31), "19.6")):
        services.record_indicator_value(project_indicator=digital, by=by, measured_on=day, value=Decimal(value),
                                        source="Esimerkkiaineisto: asiointitilasto")
    services.save_indicator(project=project, by=by, code="I2", unit="min", direction="down",
                            name={"fi": "Puhelinjonon keskimääräinen odotusaika", "sv": "Genomsnittlig väntetid i "
                                  "telefonkön"}, baseline_value=Decimal("14"), target_value=Decimal("5"),
                            deadline=date(2025, 12, 31))
    return project


def apply_invented_project_links(version, *, by) -> None:
    """While `version` is a draft: the programme's project list names the sample project with the measures it
    carries, and the stabilisation grant's share for theme 1 is spent by it."""
    project = sample_project(version.programme, by=by)
    if project is None:
        return
    listed = programme_services.create_content(
        version=version, model=ProgrammeProject, by=by, values={"code": CODE},
        translations={"name": NAME})
    for measure in Measure.objects.filter(version=version, code__in=MEASURES):
        programme_services.create_content(version=version, model=ProjectMeasure, by=by,
                                          values={"project": listed, "measure": measure})
    for allocation in FundingAllocation.objects.filter(version=version, funding__code="F1", theme__code="1"):
        programme_services.update_content(obj=allocation, by=by, values={"project": listed})


def write_invented_follow_up(period, *, users: dict) -> None:
    """The sample project's follow-up of a demo month (July–December), written before the month closes."""
    if period.programme.slug != PROGRAMME or period.month not in FOLLOW_UP:
        return
    project = Project.objects.filter(organisation=period.programme.organisation, code=CODE).first()
    if project is None or project.reports.filter(period=period).exists():
        return
    from karki.projects import reading

    status, narrative, updates, share = FOLLOW_UP[period.month]
    planned = reading.plan(project)
    funders = {f.code: f for f in planned.funders}
    spending = {}
    for cost_type, amount in planned.by_year_cost_type.items():
        year, kind = cost_type
        if year != period.year:
            continue
        month = (amount * share).quantize(Decimal("1"))
        if kind == "ict" and period.month == 12:
            month = (month * Decimal("1.6")).quantize(Decimal("1"))  # the overrun the narrative speaks of
        granted = (month * Decimal("0.8")).quantize(Decimal("1"))
        spending[(kind, funders["VA"])] = granted
        spending[(kind, funders["OMA"])] = month - granted
    milestones = {m.code: m for m in project.milestones.all()}
    owner = project.owner or users[Role.PMO]
    report = services.save_project_report(
        project=project, period=period, by=owner, status=status, narrative=narrative,
        escalation=period.month == 12,
        obstacles="Esimerkkiaineisto: ICT-kulut ylittyvät." if period.month == 12 else "",
        forecast_total_eur=planned.planned_eur + Decimal("180000") if period.month == 12 else None,
        milestones={milestones[code]: value for code, value in updates.items()},
        spending=spending, submit=True)
    if period.month != 12:
        services.review_project_report(report=report, by=users[Role.PMO], accept=True)


def issue_invented_funder_report(programme, *, users: dict) -> None:
    """The sample project's interim report to its funder for 2024, in Finnish (as the M6 milestone asks)."""
    if programme.slug != PROGRAMME:
        return
    from karki.reports.models import FunderReport
    from karki.reports.services import issue_funder_report

    project = Project.objects.filter(organisation=programme.organisation, code=CODE).first()
    if project is None or FunderReport.objects.filter(project=project).exists():
        return
    issue_funder_report(project=project, first=(2024, 1), last=(2024, 12), language="fi", by=users[Role.PMO])
