"""The programme workbook: its sheets and columns, in Finnish, Swedish and English.

This module is the format (docs/workbook.md describes it for people). Sheet names and column headers
are written here in all three languages rather than in the translation files: they are a contract
with the counties' spreadsheets, and a workbook made in Swedish must import in a Finnish session. The
explanations on the "read me" sheet are ordinary translated strings.

A translated text is three columns, one per content language: "Nimi (fi)", "Nimi (sv)", "Nimi (en)".
Every sheet has a header row (row 1) and one row per item below it; the programme sheet has exactly
one item row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from karki.programmes.enums import (
    Basket,
    CostCategory,
    Difficulty,
    Direction,
    EstimateKind,
    FundingKind,
    Horizon,
    PotentialClass,
    Recurrence,
    RiskCategory,
    ServiceLevelImpact,
    TopDownDimension,
)

FORMAT_VERSION = 1
LANGUAGES = ("fi", "sv", "en")
CONTENT_LANGUAGES = ("fi", "sv", "en")

# Kinds of column: how a cell is read and written.
TEXT = "text"  # plain text
CODE = "code"  # a code: letters, digits, dots, hyphens, underscores (1, 1.2, 1.2.b, R4)
SLUG = "slug"  # the programme's identifier in addresses
MONEY = "money"  # euros: a number, or text such as "1,4 M€" or "1 400 000"
INTEGER = "integer"
DECIMAL = "decimal"
PERCENT = "percent"
DATE = "date"
CHOICE = "choice"  # one of a list of values (a TextChoices); the value or its label in fi/sv/en
REF = "ref"  # the code of a row on another sheet
REFS = "refs"  # several codes of another sheet, separated by commas
ORG_UNIT = "org_unit"  # the code of an org unit of the organisation
PERSON = "person"  # the username of a person of the organisation

TEXT_MAX_LENGTH = 32000  # a little under what an Excel cell holds (32 767 characters)


@dataclass(frozen=True)
class Column:
    key: str
    headers: dict[str, str]
    kind: str = TEXT
    required: bool = False
    max_length: int | None = None
    choices: type[models.TextChoices] | None = None
    ref: str = ""  # the sheet a REF/REFS column points to
    places: int = 2  # decimals stored (money, decimals, percentages)
    minimum: int | None = None
    maximum: int | None = None
    range_high: str = ""  # this MONEY column also accepts a range ("−28…−89 M€") that fills itself and range_high
    help: object = ""  # lazily translated explanation for the read-me sheet
    group: str = ""  # a translated text: the field whose fi/sv/en columns these are
    language: str = ""  # which content language of the group
    # Added after workbooks were already in use: a workbook without the column still imports, and then
    # says nothing about it (stored values are kept, new rows get the model's default).
    optional: bool = False

    def header(self, language: str) -> str:
        return self.headers.get(language) or self.headers["en"]


def column(key: str, fi: str, sv: str, en: str, kind: str = TEXT, **options) -> Column:
    return Column(key=key, headers={"fi": fi, "sv": sv, "en": en}, kind=kind, **options)


def translated(key: str, fi: str, sv: str, en: str, **options) -> list[Column]:
    """Three text columns "Nimi (fi)", "Nimi (sv)", "Nimi (en)" (in the workbook's language)."""
    return [
        Column(key=f"{key}_{code}", headers={"fi": f"{fi} ({code})", "sv": f"{sv} ({code})", "en": f"{en} ({code})"},
               kind=TEXT, group=key, language=code, **options)
        for code in CONTENT_LANGUAGES
    ]


@dataclass(frozen=True)
class Sheet:
    key: str
    titles: dict[str, str]
    columns: tuple[Column, ...]
    help: object = ""
    identity: tuple[str, ...] = ("code",)  # the columns that identify a row when importing again
    numbered: bool = False  # rows with the same identity are told apart by their place in the list
    single_row: bool = False
    required_groups: tuple[str, ...] = ()  # translated texts that need at least one language

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles["en"]

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @cached_property
    def groups(self) -> dict[str, list[Column]]:
        found: dict[str, list[Column]] = {}
        for c in self.columns:
            if c.group:
                found.setdefault(c.group, []).append(c)
        return found


# -- Shared columns --------------------------------------------------------------------------------

def _code(help_text) -> Column:
    return column("code", "Koodi", "Kod", "Code", CODE, required=True, max_length=20, help=help_text)


def _owner() -> list[Column]:
    return [
        column("owner", "Omistaja (käyttäjätunnus)", "Ägare (användarnamn)", "Owner (username)", PERSON,
               help=_("The Kärki username of the owner, a person of the organisation. Leave empty if the "
                      "owner has no Kärki account yet.")),
        column("owner_name", "Omistaja (kuten kirjoitettu)", "Ägare (som skrivet)", "Owner (as written)", TEXT,
               max_length=200, help=_("The owner's name and title as the programme document writes them.")),
    ]


def _org_unit(help_text=None) -> Column:
    return column("org_unit", "Organisaatioyksikkö (koodi)", "Organisationsenhet (kod)", "Org unit (code)",
                  ORG_UNIT, help=help_text or _("The code of an org unit of the organisation (see the list "
                                                "below)."))


def _estimate() -> list[Column]:
    return [
        column("estimate_kind", "Arvion laji", "Typ av bedömning", "Estimate kind", CHOICE, choices=EstimateKind,
               help=_("Point, range, upper bound, enabling measure (no direct savings) or to be specified. "
                      "May be left empty when the figures say it: one amount is a point, a range or a "
                      "low and a high end is a range, \"< 0,1 M€\" is an upper bound. Empty with no figures: "
                      "no estimate.")),
        column("estimate_recurrence", "Pysyvä vai kertaluonteinen", "Bestående eller engångs",
               "Recurring or one-off", CHOICE, choices=Recurrence, optional=True,
               help=_("Recurring: a yearly saving that lowers the cost level from its start on. One-off: counts "
                      "once, in the year the measure takes effect. Empty: recurring.")),
        column("estimate_amount_eur", "Arvio (€)", "Bedömning (€)", "Estimate (€)", MONEY, minimum=0,
               range_high="estimate_max_eur",
               help=_("Savings a year, in euros (positive when costs fall): the amount of a point estimate or "
                      "the bound of an upper bound. \"1,4 M€\", \"1 400 000\", \"< 0,1 M€\" and a range such as "
                      "\"0,5–1,5 M€\" are also understood.")),
        column("estimate_min_eur", "Arvio, alaraja (€)", "Bedömning, nedre gräns (€)", "Estimate, low (€)", MONEY,
               minimum=0, help=_("The lower end of a range, in euros.")),
        column("estimate_max_eur", "Arvio, yläraja (€)", "Bedömning, övre gräns (€)", "Estimate, high (€)", MONEY,
               minimum=0, help=_("The upper end of a range, in euros.")),
        *translated("estimate_note", "Arvion huomautus", "Anmärkning om bedömningen", "Note on the estimate",
                    max_length=TEXT_MAX_LENGTH, help=_("The source's own words on the estimate, if any.")),
    ]


def _cost_range(low_help, high_help) -> list[Column]:
    return [
        column("cost_change_min_eur", "Kustannusmuutos, alaraja (€)", "Kostnadsförändring, nedre gräns (€)",
               "Cost change, low (€)", MONEY, required=True, range_high="cost_change_max_eur", help=low_help),
        column("cost_change_max_eur", "Kustannusmuutos, yläraja (€)", "Kostnadsförändring, övre gräns (€)",
               "Cost change, high (€)", MONEY, help=high_help),
    ]


_COST_LOW_HELP = _("Change in costs a year, in euros: negative when costs fall (a saving), positive for an "
                   "investment. A range such as \"−28…−89 M€\" may be written in this column alone; the ends "
                   "may be written either way round.")
_COST_HIGH_HELP = _("The other end of the range. Empty: the same as the low end.")
_TRANSLATED_HELP = _("Write the text in each language you have; Finnish, Swedish and English are shown to readers "
                     "of each language, falling back to another when one is missing.")


# -- The sheets --------------------------------------------------------------------------------------

PROGRAMME = Sheet(
    key="programme", titles={"fi": "Ohjelma", "sv": "Program", "en": "Programme"}, single_row=True, identity=(),
    required_groups=("name",),
    help=_("The programme and the version the workbook describes: one row under the headers."),
    columns=(
        column("identifier", "Tunniste", "Identifierare", "Identifier", SLUG, max_length=80,
               help=_("The programme's identifier in Kärki's addresses, for example ita-uusimaa-2023-2026. "
                      "Importing into an existing programme, it must be that programme's identifier or empty.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The programme's name.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH,
                    help=_TRANSLATED_HELP),
        column("period_start", "Ensimmäinen vuosi", "Första året", "First year", INTEGER, required=True,
               minimum=2000, maximum=2100, help=_("The first year of the programme's period, for example 2023.")),
        column("period_end", "Viimeinen vuosi", "Sista året", "Last year", INTEGER, required=True, minimum=2000,
               maximum=2100, help=_("The last year of the programme's period, for example 2026.")),
        column("target_eur", "Taloudellinen tavoite (€)", "Ekonomiskt mål (€)", "Financial target (€)", MONEY,
               help=_("The savings the programme must reach, in euros (\"27,6 M€\" is also understood).")),
        column("target_year", "Tavoitevuosi", "Målår", "Target year", INTEGER, minimum=2000, maximum=2100,
               help=_("The year by which the target must be reached.")),
        column("deficit_eur", "Katettava kertynyt alijäämä (€)", "Ackumulerat underskott att täcka (€)",
               "Accumulated deficit to cover (€)", MONEY, minimum=0, optional=True,
               help=_("An accumulated deficit the programme must cover, in euros (\"78 M€\" is also understood). "
                      "Empty: none.")),
        column("deficit_year", "Katettava vuoteen mennessä", "Täcks senast år", "Covered by year", INTEGER,
               minimum=2000, maximum=2100, optional=True,
               help=_("The year by which the deficit must be covered: one of the programme's years.")),
        *translated("target_description", "Tavoitteen muodostuminen", "Hur målet byggs upp", "How the target is built",
                    max_length=TEXT_MAX_LENGTH, help=_("For example: 50 + 15 + 12 M€.")),
        column("baseline_year", "Lähtötason vuosi", "Basår", "Baseline year", INTEGER, minimum=2000, maximum=2100,
               help=_("The year of the baseline budget.")),
        *translated("baseline_label", "Lähtötaso", "Utgångsnivå", "Baseline", max_length=200,
                    help=_("For example: TA 2023.")),
        column("baseline_operating_costs_eur", "Lähtötason toimintakulut (€)",
               "Verksamhetskostnader vid utgångsnivån (€)", "Baseline operating costs (€)", MONEY,
               help=_("Operating costs of the baseline year, in euros.")),
        *translated("decision_body", "Päättäjä", "Beslutande organ", "Decided by", max_length=200,
                    help=_("For example: Aluevaltuusto.")),
        column("decision_date", "Päätöspäivä", "Beslutsdatum", "Decision date", DATE,
               help=_("The date of the decision, for example 5.10.2023.")),
        column("decision_reference", "Päätöksen viite", "Beslutsreferens", "Decision reference", TEXT, max_length=200,
               help=_("For example the section of the minutes.")),
        *translated("version_label", "Version nimi", "Versionens namn", "Version label", max_length=200,
                    help=_("The name of this version, for example: Luonnos 5.10.2023.")),
        column("version_date", "Version päivämäärä", "Versionens datum", "Version date", DATE,
               help=_("The date of this version.")),
        column("version_source", "Version lähde", "Versionens källa", "Version source", TEXT, max_length=300,
               help=_("The document this version comes from.")),
        column("version_stated_total_eur", "Version ilmoitettu kokonaissumma (€)", "Versionens angivna totalsumma (€)",
               "Stated total of the version (€)", MONEY,
               help=_("The total the document states for the whole programme, in euros.")),
        column("effects_start_year", "Säästöjen ensimmäinen vuosi", "Första året med besparingar",
               "First year of savings", INTEGER, minimum=2000, maximum=2100,
               help=_("The year from which the measures' savings start to build up.")),
    ),
)

THEMES = Sheet(
    key="themes", titles={"fi": "Teemat", "sv": "Teman", "en": "Themes"}, required_groups=("name",),
    help=_("The themes (spearheads) of the programme, in the order they are shown."),
    columns=(
        _code(_("The theme's code, for example 1.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The theme's name.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH,
                    help=_TRANSLATED_HELP),
        *_owner(),
    ),
)

TARGETS = Sheet(
    key="targets", titles={"fi": "Tuottavuuskohteet", "sv": "Produktivitetsobjekt", "en": "Targets"},
    required_groups=("name",),
    help=_("The productivity targets under the themes. An estimate on a target covers its measures."),
    columns=(
        _code(_("The target's code, for example 1.2.")),
        column("theme", "Teema", "Tema", "Theme", REF, required=True, ref="themes",
               help=_("The code of the target's theme on the Themes sheet.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The target's name.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH,
                    help=_TRANSLATED_HELP),
        _org_unit(),
        column("potential_class_stated", "Potentiaaliluokka (lähteen mukaan)", "Potentialklass (enligt källan)",
               "Potential class (as stated)", CHOICE, choices=PotentialClass,
               help=_("The potential class as the source states it. Kärki also derives one from the estimate.")),
        column("difficulty", "Toteutuksen vaativuus", "Genomförandets svårighetsgrad", "Implementation difficulty",
               CHOICE, choices=Difficulty, help=_("How demanding the target is to carry out.")),
        *_estimate(),
    ),
)

MEASURES = Sheet(
    key="measures", titles={"fi": "Toimenpiteet", "sv": "Åtgärder", "en": "Measures"}, required_groups=("name",),
    help=_("The measures: basket A under a productivity target; baskets B and C are contingency measures, "
           "prepared for use if basket A under-delivers."),
    columns=(
        _code(_("The measure's code, for example 1.2.b, or B.1 for a basket B measure.")),
        column("basket", "Kori", "Korg", "Basket", CHOICE, choices=Basket,
               help=_("A, B or C. Empty: A.")),
        column("target", "Tuottavuuskohde", "Produktivitetsobjekt", "Productivity target", REF, ref="targets",
               help=_("The code of the measure's target on the Targets sheet. Required in basket A.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The measure's name.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH,
                    help=_TRANSLATED_HELP),
        column("horizon", "Toteutumisaikajänne", "Realiseringshorisont", "Realisation horizon", CHOICE,
               choices=Horizon, help=_("When the savings are realised.")),
        column("difficulty", "Toteutuksen vaativuus", "Genomförandets svårighetsgrad", "Implementation difficulty",
               CHOICE, choices=Difficulty, help=_("How demanding the measure is to carry out.")),
        _org_unit(),
        *_owner(),
        *_estimate(),
        column("contingency_rank", "Etusijajärjestys", "Prioritetsordning", "Order of preference", INTEGER,
               minimum=1, maximum=999,
               help=_("Baskets B and C: the order in which management prefers to activate the measure, 1 first. "
                      "Empty in basket A.")),
        column("service_level_impact", "Vaikutus palvelutasoon", "Inverkan på servicenivån", "Cost in service level",
               CHOICE, choices=ServiceLevelImpact,
               help=_("Baskets B and C: what the measure costs residents in service level, in a word.")),
        *translated("service_level_effect", "Mitä se maksaa palvelutasossa", "Vad den kostar i servicenivå",
                    "What it costs in service level", max_length=TEXT_MAX_LENGTH,
                    help=_("Baskets B and C: how the service level falls if the measure is activated.")),
    ),
)

DEPENDENCIES = Sheet(
    key="dependencies", titles={"fi": "Riippuvuudet", "sv": "Beroenden", "en": "Dependencies"},
    identity=("measure", "depends_on"),
    help=_("Which measure depends on which: one row per pair. A chain must not come back to where it started."),
    columns=(
        column("measure", "Toimenpide", "Åtgärd", "Measure", REF, required=True, ref="measures",
               help=_("The code of the measure that waits.")),
        column("depends_on", "Riippuu toimenpiteestä", "Beror på åtgärd", "Depends on measure", REF, required=True,
               ref="measures", help=_("The code of the measure it waits for.")),
        *translated("note", "Huomautus", "Anmärkning", "Note", max_length=TEXT_MAX_LENGTH, help=_TRANSLATED_HELP),
    ),
)

STATED_TOTALS = Sheet(
    key="stated_totals", titles={"fi": "Ilmoitetut summat", "sv": "Angivna summor", "en": "Stated totals"},
    identity=("theme",), numbered=True,
    help=_("Sums the source document states, compared with what Kärki computes."),
    columns=(
        column("theme", "Teema", "Tema", "Theme", REF, ref="themes",
               help=_("The theme the sum is stated for; empty for the whole programme.")),
        column("amount_eur", "Summa (€)", "Summa (€)", "Amount (€)", MONEY, required=True,
               help=_("The stated sum, in euros.")),
        column("source", "Missä ilmoitettu", "Var den anges", "Where it is stated", TEXT, max_length=200,
               help=_("For example: summary table p. 1.")),
    ),
)

RAMP = Sheet(
    key="ramp", titles={"fi": "Vuosittaiset säästöt", "sv": "Årliga besparingar", "en": "Yearly ramp"},
    identity=("year",),
    help=_("The programme's stated savings in each year (the annual effect in that year)."),
    columns=(
        column("year", "Vuosi", "År", "Year", INTEGER, required=True, minimum=2000, maximum=2100,
               help=_("The year, once per year.")),
        column("savings_eur", "Säästö vuonna (€)", "Besparing under året (€)", "Savings in the year (€)", MONEY,
               required=True, help=_("Savings in the year, in euros.")),
    ),
)

COST_EFFECTS = Sheet(
    key="cost_effects",
    titles={"fi": "Kustannuslajivaikutukset", "sv": "Effekter per kostnadsslag", "en": "Cost-category effects"},
    identity=("target", "measure", "category"), numbered=True,
    help=_("The effect of a target or a measure on one cost category, as a range of cost change."),
    columns=(
        column("target", "Tuottavuuskohde", "Produktivitetsobjekt", "Productivity target", REF, ref="targets",
               help=_("The target whose effect this is; or give a measure instead.")),
        column("measure", "Toimenpide", "Åtgärd", "Measure", REF, ref="measures",
               help=_("The measure whose effect this is; or give a target instead.")),
        column("category", "Kustannuslaji", "Kostnadsslag", "Cost category", CHOICE, required=True,
               choices=CostCategory, help=_("The cost category.")),
        *_cost_range(_COST_LOW_HELP, _COST_HIGH_HELP),
    ),
)

TOP_DOWN = Sheet(
    key="top_down", titles={"fi": "Ylhäältä asetetut tavoitteet", "sv": "Mål uppifrån", "en": "Top-down targets"},
    identity=("dimension", "category", "org_unit"), numbered=True,
    help=_("Targets set from above, by cost category or by service area, as a range of cost change."),
    columns=(
        column("dimension", "Ulottuvuus", "Dimension", "Dimension", CHOICE, required=True, choices=TopDownDimension,
               help=_("By cost category or by service area.")),
        column("category", "Kustannuslaji", "Kostnadsslag", "Cost category", CHOICE, choices=CostCategory,
               help=_("Required for a target by cost category.")),
        _org_unit(_("The service area's org-unit code; required for a target by service area.")),
        *_cost_range(_COST_LOW_HELP, _COST_HIGH_HELP),
        column("years", "Vuodet", "År", "Years", TEXT, max_length=20, help=_("For example 2023–2025.")),
        *translated("note", "Huomautus", "Anmärkning", "Note", max_length=TEXT_MAX_LENGTH, help=_TRANSLATED_HELP),
    ),
)

FUNDING = Sheet(
    key="funding", titles={"fi": "Rahoitus", "sv": "Finansiering", "en": "Funding"}, required_groups=("name",),
    help=_("State grants, project funding and own funding."),
    columns=(
        _code(_("The funding's code, for example F1.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The funding's name.")),
        column("kind", "Laji", "Typ", "Kind", CHOICE, required=True, choices=FundingKind,
               help=_("State grant, project funding or own funding.")),
        column("total_eur", "Kokonaissumma (€)", "Totalbelopp (€)", "Total (€)", MONEY, help=_("In euros.")),
        column("grant_share_eur", "Avustuksen osuus (€)", "Bidragsandel (€)", "Grant share (€)", MONEY,
               help=_("In euros.")),
        column("own_share_eur", "Omarahoitusosuus (€)", "Egen andel (€)", "Own share (€)", MONEY,
               help=_("In euros.")),
        *translated("note", "Huomautus", "Anmärkning", "Note", max_length=TEXT_MAX_LENGTH, help=_TRANSLATED_HELP),
    ),
)

ALLOCATIONS = Sheet(
    key="allocations",
    titles={"fi": "Rahoituksen kohdistus", "sv": "Fördelning av finansiering", "en": "Funding allocations"},
    identity=("funding", "theme"), numbered=True,
    help=_("How a funding is allocated: to a theme or to something named, as a share or an amount."),
    columns=(
        column("funding", "Rahoitus", "Finansiering", "Funding", REF, required=True, ref="funding",
               help=_("The code of the funding on the Funding sheet.")),
        column("theme", "Teema", "Tema", "Theme", REF, ref="themes", help=_("The theme it is allocated to, if any.")),
        column("project", "Hanke", "Projekt", "Project", REF, ref="projects",
               help=_("The code of the project on the Projects sheet that spends it, if any.")),
        *translated("label", "Kohdistettu", "Fördelat till", "Allocated to", max_length=300,
                    help=_("What it is allocated to, when not a theme.")),
        column("share_pct_min", "Osuus, alaraja (%)", "Andel, nedre gräns (%)", "Share, low (%)", PERCENT,
               help=_("A percentage of the funding, for example 30.")),
        column("share_pct_max", "Osuus, yläraja (%)", "Andel, övre gräns (%)", "Share, high (%)", PERCENT,
               help=_("The upper end when the share is a range.")),
        column("amount_eur", "Summa (€)", "Summa (€)", "Amount (€)", MONEY, help=_("An amount instead of a share.")),
        *translated("note", "Huomautus", "Anmärkning", "Note", max_length=TEXT_MAX_LENGTH, help=_TRANSLATED_HELP),
    ),
)

PROJECTS = Sheet(
    key="projects", titles={"fi": "Hankkeet", "sv": "Projekt", "en": "Projects"}, required_groups=("name",),
    help=_("Projects in which measures are carried out."),
    columns=(
        _code(_("The project's code, for example P1.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The project's name.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH,
                    help=_TRANSLATED_HELP),
        column("total_cost_eur", "Kokonaiskustannus (€)", "Totalkostnad (€)", "Total cost (€)", MONEY,
               help=_("In euros.")),
        column("grant_share_eur", "Avustuksen osuus (€)", "Bidragsandel (€)", "Grant share (€)", MONEY,
               help=_("In euros.")),
        column("own_share_eur", "Omarahoitusosuus (€)", "Egen andel (€)", "Own share (€)", MONEY,
               help=_("In euros.")),
        column("measures", "Toimenpiteet", "Åtgärder", "Measures", REFS, ref="measures",
               help=_("Codes of the measures carried out in the project, separated by commas.")),
    ),
)

INDICATORS = Sheet(
    key="indicators", titles={"fi": "Mittarit", "sv": "Indikatorer", "en": "Indicators"}, required_groups=("name",),
    help=_("Programme indicators: baseline, target and deadline."),
    columns=(
        _code(_("The indicator's code, for example I1.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The indicator's name.")),
        column("unit", "Yksikkö", "Enhet", "Unit", TEXT, max_length=40, help=_("For example %, € or days.")),
        column("direction", "Suunta", "Riktning", "Direction", CHOICE, choices=Direction,
               help=_("Whether a higher or a lower value is better.")),
        column("baseline_value", "Lähtöarvo", "Utgångsvärde", "Baseline", DECIMAL, places=4,
               help=_("A number, for example 6,76.")),
        column("baseline_year", "Lähtöarvon vuosi", "Utgångsvärdets år", "Baseline year", INTEGER, minimum=1900,
               maximum=2100, help=_("The year of the baseline value.")),
        column("target_value", "Tavoitearvo", "Målvärde", "Target", DECIMAL, places=4,
               help=_("A number, for example 30.")),
        column("deadline", "Määräaika", "Tidsfrist", "Deadline", DATE, help=_("For example 31.12.2025.")),
        column("theme", "Teema", "Tema", "Theme", REF, ref="themes", help=_("The theme it measures, if any.")),
        *translated("note", "Huomautus", "Anmärkning", "Note", max_length=TEXT_MAX_LENGTH, help=_TRANSLATED_HELP),
    ),
)

RISKS = Sheet(
    key="risks", titles={"fi": "Riskit", "sv": "Risker", "en": "Risks"}, required_groups=("title",),
    help=_("The risk register: the programme's risks and the themes' risks."),
    columns=(
        _code(_("The risk's code, for example R1.")),
        column("theme", "Teema", "Tema", "Theme", REF, ref="themes",
               help=_("The theme whose owner looks after the risk; empty for a risk of the whole programme.")),
        column("category", "Luokka", "Kategori", "Category", CHOICE, required=True, choices=RiskCategory,
               help=_("The kind of risk.")),
        *translated("title", "Riski", "Risk", "Risk", max_length=300, help=_("The risk in a few words.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH,
                    help=_TRANSLATED_HELP),
        column("likelihood", "Todennäköisyys (1–5)", "Sannolikhet (1–5)", "Likelihood (1–5)", INTEGER, minimum=1,
               maximum=5, help=_("1 = very unlikely … 5 = very likely.")),
        column("impact", "Vaikutus (1–5)", "Konsekvens (1–5)", "Impact (1–5)", INTEGER, minimum=1, maximum=5,
               help=_("1 = very small … 5 = very large.")),
        *translated("mitigation", "Hallintakeinot", "Riskhantering", "Mitigation", max_length=TEXT_MAX_LENGTH,
                    help=_("How the risk is reduced or handled.")),
        *_owner(),
    ),
)

IMPACTS = Sheet(
    key="impacts", titles={"fi": "Vaikutusten arviointi", "sv": "Konsekvensbedömning", "en": "Impact assessments"},
    identity=("measure", "theme"), numbered=True,
    help=_("Assessed effects on people, per measure, per theme or for the whole programme."),
    columns=(
        column("measure", "Toimenpide", "Åtgärd", "Measure", REF, ref="measures",
               help=_("The measure assessed; or a theme; or neither for the whole programme.")),
        column("theme", "Teema", "Tema", "Theme", REF, ref="themes", help=_("The theme assessed.")),
        *translated("clients", "Asiakkaat", "Klienter", "Clients", max_length=TEXT_MAX_LENGTH,
                    help=_("Effects on clients.")),
        *translated("staff", "Henkilöstö", "Personal", "Staff", max_length=TEXT_MAX_LENGTH,
                    help=_("Effects on staff.")),
        *translated("equality_language", "Yhdenvertaisuus ja kieliryhmät", "Jämlikhet och språkgrupper",
                    "Equality and language groups", max_length=TEXT_MAX_LENGTH,
                    help=_("Effects on equality and on the language groups.")),
        *translated("wellbeing", "Hyvinvointi ja terveys", "Välbefinnande och hälsa", "Wellbeing and health",
                    max_length=TEXT_MAX_LENGTH, help=_("Effects on wellbeing and health.")),
        *translated("finances", "Talous", "Ekonomi", "Finances", max_length=TEXT_MAX_LENGTH,
                    help=_("Effects on finances.")),
    ),
)

GOALS = Sheet(
    key="goals", titles={"fi": "Tavoitteet", "sv": "Mål", "en": "Goals"}, required_groups=("name",),
    help=_("The programme's goals as text."),
    columns=(
        _code(_("The goal's code, for example G1.")),
        *translated("name", "Tavoite", "Mål", "Goal", max_length=TEXT_MAX_LENGTH, help=_("The goal.")),
    ),
)

SHEETS: tuple[Sheet, ...] = (PROGRAMME, THEMES, TARGETS, MEASURES, DEPENDENCIES, STATED_TOTALS, RAMP, COST_EFFECTS,
                             TOP_DOWN, FUNDING, ALLOCATIONS, PROJECTS, INDICATORS, RISKS, IMPACTS, GOALS)
SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
README_TITLES = {"fi": "Lue minut", "sv": "Läs mig", "en": "Read me"}


def normalise(text: object) -> str:
    """How a header or sheet name is compared: "Nimi (fi)", "nimi_fi" and " NIMI  fi " are the same."""
    value = str(text or "").replace("\u00a0", " ").replace("\u202f", " ").casefold()
    value = re.sub(r"[()\[\]_*:]", " ", value)
    return " ".join(value.split())


def sheet_for_title(title: str) -> Sheet | None:
    return _SHEET_TITLES.get(normalise(title))


def is_readme(title: str) -> bool:
    return normalise(title) in {normalise(t) for t in README_TITLES.values()}


def column_for_header(sheet: Sheet, header: object) -> Column | None:
    return _HEADERS[sheet.key].get(normalise(header))


def _build() -> tuple[dict[str, Sheet], dict[str, dict[str, Column]]]:
    titles: dict[str, Sheet] = {}
    headers: dict[str, dict[str, Column]] = {}
    for sheet in SHEETS:
        for title in sheet.titles.values():
            found = titles.setdefault(normalise(title), sheet)
            if found is not sheet:
                raise ValueError(f"sheet title {title!r} is used twice")
        by_header: dict[str, Column] = {}
        for c in sheet.columns:
            for header in c.headers.values():
                found_column = by_header.setdefault(normalise(header), c)
                if found_column is not c:
                    raise ValueError(f"header {header!r} of sheet {sheet.key} names two columns")
        headers[sheet.key] = by_header
    return titles, headers


_SHEET_TITLES, _HEADERS = _build()


class Layout:
    """A workbook's set of sheets: the programme workbook here, the project workbook in karki/projects.
    The reader (`reading.read_workbook`) takes one, so every workbook of Kärki is read and checked alike.

    `widen(sheet, headers)` may give a sheet columns that depend on the workbook itself (the project
    workbook's budget has a share column per funder code); by default a sheet's columns are fixed."""

    def __init__(self, sheets: tuple[Sheet, ...], *, readme_titles: dict[str, str], foreign_sheet=None):
        self.sheets = sheets
        self.by_key = {sheet.key: sheet for sheet in sheets}
        self.readme_titles = readme_titles
        self.foreign_sheet = foreign_sheet or _("The sheet is not part of the programme workbook and was not read.")
        self._titles: dict[str, Sheet] = {}
        self._headers: dict[str, dict[str, Column]] = {}
        for sheet in sheets:
            for title in sheet.titles.values():
                if self._titles.setdefault(normalise(title), sheet) is not sheet:
                    raise ValueError(f"sheet title {title!r} is used twice")
            by_header: dict[str, Column] = {}
            for c in sheet.columns:
                for header in c.headers.values():
                    if by_header.setdefault(normalise(header), c) is not c:
                        raise ValueError(f"header {header!r} of sheet {sheet.key} names two columns")
            self._headers[sheet.key] = by_header

    def sheet_for_title(self, title: str) -> Sheet | None:
        return self._titles.get(normalise(title))

    def is_readme(self, title: str) -> bool:
        return normalise(title) in {normalise(t) for t in self.readme_titles.values()}

    def column_for_header(self, sheet: Sheet, header: object) -> Column | None:
        found = self._headers[sheet.key].get(normalise(header))
        if found is None:
            wanted = normalise(header)
            found = next((c for c in sheet.columns if any(normalise(h) == wanted for h in c.headers.values())),
                         None)
        return found

    def widen(self, sheet: Sheet, headers: list[object]) -> Sheet:
        return sheet


PROGRAMME_LAYOUT = Layout(SHEETS, readme_titles=README_TITLES)

