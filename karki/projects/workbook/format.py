"""The project workbook: a project plan's sheets and columns, in Finnish, Swedish and English.

It is made of the programme workbook's parts (`karki.workbooks.format`): the same kinds of column, the
same three-language headers that import in any session language, the same read-me sheet. The budget
sheet is the one difference: after its fixed columns it has one column per funder, headed by the
funder's code on the Funders sheet ("VA", "OMA"), holding that funder's share of the line in euros.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from karki.programmes.enums import Direction, RiskCategory
from karki.workbooks import format as wf
from karki.workbooks.format import (
    CHOICE,
    CODE,
    DATE,
    DECIMAL,
    INTEGER,
    MONEY,
    ORG_UNIT,
    PERCENT,
    PERSON,
    REF,
    SLUG,
    TEXT,
    TEXT_MAX_LENGTH,
    Column,
    Sheet,
    column,
    translated,
)

from ..enums import CostType, FunderKind, ItemKind, ProjectStatus

FORMAT_VERSION = 1
SHARE_PREFIX = "share:"  # the key of a budget share column: "share:VA"
_LONG = _("Write the text in each language you have; readers of each language see theirs, falling back to "
          "another when one is missing.")


def _code(help_text) -> Column:
    return column("code", "Koodi", "Kod", "Code", CODE, required=True, max_length=20, help=help_text)


def _owner() -> list[Column]:
    return [
        column("owner", "Omistaja (käyttäjätunnus)", "Ägare (användarnamn)", "Owner (username)", PERSON,
               help=_("The Kärki username of the owner, a person of the organisation. Leave empty if the "
                      "owner has no Kärki account yet.")),
        column("owner_name", "Omistaja (kuten kirjoitettu)", "Ägare (som skrivet)", "Owner (as written)", TEXT,
               max_length=200, help=_("The owner's name and title as the plan writes them.")),
    ]


PROJECT = Sheet(
    key="project", titles={"fi": "Hanke", "sv": "Projekt", "en": "Project"}, single_row=True, identity=(),
    required_groups=("name",), help=_("The project's facts: one row under the headers."),
    columns=(
        _code(_("The project's code in the organisation, for example H1.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The project's name.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH, help=_LONG),
        *translated("goals", "Tavoitteet", "Mål", "Goals", max_length=TEXT_MAX_LENGTH, help=_LONG),
        *translated("expected_results", "Odotetut tulokset", "Förväntade resultat", "Expected results",
                    max_length=TEXT_MAX_LENGTH, help=_LONG),
        *translated("impacts", "Vaikutukset", "Effekter", "Impacts", max_length=TEXT_MAX_LENGTH, help=_LONG),
        *translated("dependencies", "Riippuvuudet", "Beroenden", "Dependencies", max_length=TEXT_MAX_LENGTH,
                    help=_LONG),
        column("programme", "Ohjelma (tunniste)", "Program (identifierare)", "Programme (identifier)", SLUG,
               max_length=80, help=_("The identifier of the programme the project is followed in, for example "
                                     "ita-uusimaa-2023-2026. Empty: none.")),
        *_owner(),
        column("org_unit", "Organisaatioyksikkö (koodi)", "Organisationsenhet (kod)", "Org unit (code)", ORG_UNIT,
               help=_("The code of an org unit of the organisation.")),
        column("status", "Tila", "Status", "Status", CHOICE, required=True, choices=ProjectStatus,
               help=_("Planned, running, suspended, completed or cancelled.")),
        column("start_date", "Alkaa", "Börjar", "Starts", DATE, required=True, help=_("For example 1.1.2024.")),
        column("end_date", "Päättyy", "Slutar", "Ends", DATE, required=True, help=_("For example 31.12.2026.")),
    ),
)

STRUCTURE = Sheet(
    key="structure", titles={"fi": "Rakenne", "sv": "Struktur", "en": "Structure"}, required_groups=("name",),
    help=_("The plan's structure: sub-areas, development areas under them and work packages under those, in "
           "the order they are shown. A part comes after the item it is part of."),
    columns=(
        _code(_("The item's code, for example 1, 1.2 or 1.2.3.")),
        column("kind", "Taso", "Nivå", "Level", CHOICE, required=True, choices=ItemKind,
               help=_("Sub-area, development area or work package.")),
        column("parent", "Kuuluu kohteeseen", "Del av", "Part of", REF, ref="structure",
               help=_("The code of the item this one is part of; empty for a sub-area at the top.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The item's name.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH, help=_LONG),
    ),
)

FUNDERS = Sheet(
    key="funders", titles={"fi": "Rahoittajat", "sv": "Finansiärer", "en": "Funders"}, required_groups=("name",),
    help=_("Who pays the project: a state grant, EU funding, the county's own funding. Each funder's code is "
           "the header of its share column on the Budget sheet."),
    columns=(
        _code(_("The funder's code, for example VA or OMA.")),
        column("kind", "Laji", "Typ", "Kind", CHOICE, required=True, choices=FunderKind,
               help=_("State grant, EU / RRP funding, own funding or other funding.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The funder's name.")),
        column("max_share_pct", "Sallittu osuus (%)", "Tillåten andel (%)", "Allowed share (%)", PERCENT,
               minimum=0, maximum=100,
               help=_("The largest share of the project's total cost the funder may pay, for example 80. "
                      "Empty: no limit.")),
        column("funding_code", "Ohjelman rahoitus (koodi)", "Programmets finansiering (kod)",
               "Programme funding (code)", CODE, max_length=20,
               help=_("The code of the programme's funding this money comes from, if any.")),
    ),
)

BUDGET = Sheet(
    key="budget", titles={"fi": "Budjetti", "sv": "Budget", "en": "Budget"}, identity=("item", "year", "cost_type"),
    help=_("The planned cost of an item in a year and cost type, and each funder's share of it in the "
           "columns headed by the funders' codes. The shares must add up to the total."),
    columns=(
        column("item", "Kohde", "Post", "Item", REF, required=True, ref="structure",
               help=_("The code of an item on the Structure sheet.")),
        column("year", "Vuosi", "År", "Year", INTEGER, required=True, minimum=2000, maximum=2100,
               help=_("A year of the project.")),
        column("cost_type", "Kustannuslaji", "Kostnadsslag", "Cost type", CHOICE, required=True, choices=CostType,
               help=_("Personnel, purchased services, ICT or other costs.")),
        column("total_eur", "Yhteensä (€)", "Totalt (€)", "Total (€)", MONEY, required=True,
               help=_("The line's total cost in euros.")),
        column("note", "Huomautus", "Anmärkning", "Note", TEXT, max_length=TEXT_MAX_LENGTH,
               help=_("Anything to say about the line.")),
    ),
)

PHASES = Sheet(
    key="phases", titles={"fi": "Vaiheet", "sv": "Faser", "en": "Phases"}, required_groups=("name",),
    help=_("The project's schedule in phases."),
    columns=(
        _code(_("The phase's code, for example V1.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The phase's name.")),
        column("start_date", "Alkaa", "Börjar", "Starts", DATE, required=True, help=_("Within the project.")),
        column("end_date", "Päättyy", "Slutar", "Ends", DATE, required=True, help=_("Within the project.")),
    ),
)

MILESTONES = Sheet(
    key="milestones", titles={"fi": "Välitavoitteet", "sv": "Delmål", "en": "Milestones"},
    required_groups=("name",), help=_("Milestones with their due dates; the monthly follow-up reports on them."),
    columns=(
        _code(_("The milestone's code, for example M1.")),
        *translated("name", "Välitavoite", "Delmål", "Milestone", max_length=300, help=_("The milestone.")),
        column("due_date", "Määräpäivä", "Förfallodag", "Due date", DATE, required=True,
               help=_("Within the project.")),
        column("phase", "Vaihe", "Fas", "Phase", REF, ref="phases", help=_("The code of its phase, if any.")),
        column("item", "Kohde", "Post", "Item", REF, ref="structure",
               help=_("The code of the item of the structure it belongs to, if any.")),
        *_owner(),
        *translated("deliverable", "Tuotos", "Leverans", "Deliverable", max_length=TEXT_MAX_LENGTH, help=_LONG),
    ),
)

RISKS = Sheet(
    key="risks", titles={"fi": "Riskit", "sv": "Risker", "en": "Risks"}, required_groups=("title",),
    help=_("The project's risks, each with an owner."),
    columns=(
        _code(_("The risk's code, for example R1.")),
        column("category", "Luokka", "Kategori", "Category", CHOICE, required=True, choices=RiskCategory,
               help=_("The kind of risk.")),
        *translated("title", "Riski", "Risk", "Risk", max_length=300, help=_("The risk in a few words.")),
        *translated("description", "Kuvaus", "Beskrivning", "Description", max_length=TEXT_MAX_LENGTH, help=_LONG),
        column("likelihood", "Todennäköisyys (1–5)", "Sannolikhet (1–5)", "Likelihood (1–5)", INTEGER, minimum=1,
               maximum=5, help=_("1 = very unlikely … 5 = very likely.")),
        column("impact", "Vaikutus (1–5)", "Konsekvens (1–5)", "Impact (1–5)", INTEGER, minimum=1, maximum=5,
               help=_("1 = very small … 5 = very large.")),
        *translated("mitigation", "Hallintakeinot", "Riskhantering", "Mitigation", max_length=TEXT_MAX_LENGTH,
                    help=_("How the risk is reduced or handled.")),
        *_owner(),
    ),
)

INDICATORS = Sheet(
    key="indicators", titles={"fi": "Mittarit", "sv": "Indikatorer", "en": "Indicators"}, required_groups=("name",),
    help=_("The project's indicators: baseline, target and deadline."),
    columns=(
        _code(_("The indicator's code, for example I1.")),
        *translated("name", "Nimi", "Namn", "Name", max_length=300, help=_("The indicator's name.")),
        column("unit", "Yksikkö", "Enhet", "Unit", TEXT, max_length=40, help=_("For example %, € or days.")),
        column("direction", "Suunta", "Riktning", "Direction", CHOICE, choices=Direction,
               help=_("Whether a higher or a lower value is better.")),
        column("baseline_value", "Lähtöarvo", "Utgångsvärde", "Baseline", DECIMAL, places=4,
               help=_("A number, for example 6,76.")),
        column("baseline_date", "Lähtöarvon päivä", "Utgångsvärdets datum", "Baseline date", DATE,
               help=_("For example 1.1.2024.")),
        column("target_value", "Tavoitearvo", "Målvärde", "Target", DECIMAL, places=4,
               help=_("A number, for example 30.")),
        column("deadline", "Määräaika", "Tidsfrist", "Deadline", DATE, help=_("For example 31.12.2025.")),
    ),
)

VALUES = Sheet(
    key="values", titles={"fi": "Mittarien arvot", "sv": "Indikatorvärden", "en": "Indicator values"},
    identity=("indicator", "measured_on"), help=_("Measured values of the indicators, one per indicator and date."),
    columns=(
        column("indicator", "Mittari", "Indikator", "Indicator", REF, required=True, ref="indicators",
               help=_("The code of an indicator on the Indicators sheet.")),
        column("measured_on", "Mittauspäivä", "Mätdatum", "Measured on", DATE, required=True,
               help=_("Not in the future.")),
        column("value", "Arvo", "Värde", "Value", DECIMAL, required=True, places=4, help=_("The measured value.")),
        column("source", "Lähde", "Källa", "Source", TEXT, max_length=300, help=_("Where the value comes from.")),
    ),
)

SHEETS: tuple[Sheet, ...] = (PROJECT, STRUCTURE, FUNDERS, BUDGET, PHASES, MILESTONES, RISKS, INDICATORS, VALUES)
SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
README_TITLES = {"fi": "Lue minut", "sv": "Läs mig", "en": "Read me"}


def share_column(code: str) -> Column:
    """The budget column of one funder's share, headed by its code."""
    return Column(key=f"{SHARE_PREFIX}{code}", headers={"fi": code, "sv": code, "en": code}, kind=MONEY,
                  help=_("This funder's share of the line in euros."))


def budget_sheet(codes: list[str]) -> Sheet:
    """The Budget sheet with a share column for each funder code."""
    return replace(BUDGET, columns=(*BUDGET.columns, *(share_column(code) for code in codes)))


def share_codes(sheet: Sheet) -> list[str]:
    return [c.key[len(SHARE_PREFIX):] for c in sheet.columns if c.key.startswith(SHARE_PREFIX)]


class ProjectLayout(wf.Layout):
    def widen(self, sheet: Sheet, headers: list[object]) -> Sheet:
        """The budget's headers other than its fixed columns are funder codes (checked against the Funders
        sheet when the workbook is compared)."""
        if sheet.key != "budget":
            return sheet
        codes = []
        for header in headers:
            text = str(header or "").strip()
            if not text or self.column_for_header(sheet, header) is not None or text in codes:
                continue
            codes.append(text)
        return budget_sheet(codes)


LAYOUT = ProjectLayout(SHEETS, readme_titles=README_TITLES,
                       foreign_sheet=_("The sheet is not part of the project workbook and was not read."))

__all__ = ["LAYOUT", "SHEETS", "SHEETS_BY_KEY", "FORMAT_VERSION", "budget_sheet", "share_codes", "share_column",
           "CHOICE", "CODE", "DATE", "DECIMAL", "INTEGER", "MONEY", "ORG_UNIT", "PERCENT", "PERSON", "REF", "SLUG",
           "TEXT"]
