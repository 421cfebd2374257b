"""What the public sees of a programme: the one place that decides it.

Every public page, every open-data file, the sitemap and the static export are made from `read_site()`,
and nothing else of a programme reaches them. It reads only what is public by nature or by the
programme office's choice:

- the programme when its public site is published (`PublicSite.is_published`), and of it the latest
  **approved** version: drafts never;
- its themes and measures that are public (`is_public`): by default every theme, and every measure of a
  public theme except a basket C measure management has not decided on; the programme office can hide
  any of them or show a basket C measure;
- figures only from **issued** council reports, frozen as the council read them, and of them only the
  programme's totals and the phase and status of public measures: no names (owners, who issued), no
  escalation texts, risks, books or missing reports;
- of people, only the contact person the programme office named for the site;
- indicator values measured up to the end of the latest issued report's period.

The figures are the same for every visitor: nothing here reads the request.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import override

from karki.core.content import Text, translated
from karki.lib.money import Estimate, EstimateKind
from karki.monitoring.enums import TRAFFIC_LIGHT_ICONS, Phase, TrafficLight
from karki.programmes.enums import Basket, Horizon
from karki.programmes.models import Goal, Indicator, Measure, Programme, ProgrammeVersion, Theme

from .enums import EntryKind, Visibility
from .models import PublicEntry, PublicSite, split_list

LANGUAGES = ("fi", "sv", "en")
# The version of the open-data format (docs/open-data.md): raised when a field is removed or changes meaning.
FORMAT_VERSION = "1.0"

# The totals of an issued report a resident may read: no names, no texts written by owners, nothing of a
# single measure but its phase and status (and that only for public measures).
REPORT_TOTALS = (
    "target_eur", "target_year", "first_year", "realised_year_eur", "verified_year_eur", "planned_year_eur",
    "realised_year_pct", "planned_year_pct", "realised_total_eur", "verified_total_eur", "planned_to_date_eur",
    "one_off_year_eur", "run_rate_eur", "run_rate_verified_eur", "deficit_eur", "deficit_year",
    "reports_expected", "reports_received",
)
YEAR_FIELDS = ("year", "planned_eur", "planned_cumulative_eur", "realised_eur", "realised_cumulative_eur",
               "verified_eur", "verified_cumulative_eur", "one_off_eur")


@dataclass
class Update:
    """A measure's phase and status as an issued council report gave them."""

    report_number: int
    period_key: str
    period_label: str
    issued_on: date
    phase: str
    phase_label: str
    status: str
    status_label: str
    status_icon: str


@dataclass
class IndicatorItem:
    code: str
    name: Text
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    deadline: date | None
    theme_code: str
    values: list[tuple[date, Decimal]] = field(default_factory=list)

    @property
    def latest(self) -> tuple[date, Decimal] | None:
        return self.values[-1] if self.values else None


@dataclass
class MeasureItem:
    code: str
    name: Text
    description: Text
    theme_code: str
    theme_name: Text
    target_name: Text
    basket: str
    basket_label: str
    horizon: str
    horizon_label: str
    org_unit: Text
    estimate: Estimate | None  # the measure's own yearly estimate (None: given for its target, or none)
    recurrence: str
    resident_text: Text
    services: list[str]
    areas: list[str]
    updates: list[Update] = field(default_factory=list)
    # The language `services` and `areas` are written in: they fall back fi → sv → en, as texts do.
    services_lang: str = ""
    areas_lang: str = ""

    @property
    def latest(self) -> Update | None:
        return self.updates[-1] if self.updates else None

    @property
    def estimate_kind(self) -> str:
        return self.estimate.kind.value if self.estimate else ""

    @property
    def estimate_low_eur(self) -> Decimal | None:
        """The low end: none for an upper bound ("at most 0,1 M€"), nor without an amount."""
        has_low = self.estimate and self.estimate.kind in (EstimateKind.POINT, EstimateKind.RANGE)
        return self.estimate.minimum if has_low else None

    @property
    def estimate_high_eur(self) -> Decimal | None:
        has_high = self.estimate and self.estimate.kind in (EstimateKind.POINT, EstimateKind.RANGE,
                                                            EstimateKind.UPPER_BOUND)
        return self.estimate.maximum if has_high else None


@dataclass
class ThemeItem:
    code: str
    name: Text
    description: Text
    resident_text: Text
    services: list[str]
    areas: list[str]
    measures: list[MeasureItem] = field(default_factory=list)
    indicators: list[IndicatorItem] = field(default_factory=list)
    services_lang: str = ""
    areas_lang: str = ""


@dataclass
class ReportItem:
    number: int
    period_key: str
    period_label: str
    period_end: date
    issued_at: datetime
    figures: dict  # the public totals (REPORT_TOTALS), "by_year" and "measures" (public ones: code, phase, status)


@dataclass
class Site:
    language: str
    programme: Programme
    version: ProgrammeVersion
    settings: PublicSite
    name: Text
    description: Text
    target_description: Text
    resident_text: Text
    goals: list[Text]
    themes: list[ThemeItem]
    measures: dict[str, MeasureItem]
    indicators: list[IndicatorItem]
    reports: list[ReportItem]  # newest first
    updated_at: datetime

    @property
    def latest_report(self) -> ReportItem | None:
        return self.reports[0] if self.reports else None

    def theme(self, code: str) -> ThemeItem | None:
        return next((theme for theme in self.themes if theme.code == code), None)

    def report(self, number: int) -> ReportItem | None:
        return next((report for report in self.reports if report.number == number), None)

    @property
    def services(self) -> list[str]:
        """Every service named in a public resident text, in alphabetical order (the search offers them)."""
        return sorted({s for item in [*self.themes, *self.measures.values()] for s in item.services}, key=str.lower)

    @property
    def areas(self) -> list[str]:
        return sorted({a for item in [*self.themes, *self.measures.values()] for a in item.areas}, key=str.lower)


def published_programmes():
    """Programmes whose public site is published and which have an approved version."""
    return (Programme.objects.filter(public_site__is_published=True, versions__status="approved")
            .distinct().select_related("organisation").order_by("slug"))


def public_programme(slug: str) -> Programme | None:
    return published_programmes().filter(slug=slug).first()


def public_version(programme) -> ProgrammeVersion | None:
    """The version the public reads: the latest approved one (never a draft)."""
    return ProgrammeVersion.objects.for_programme(programme).approved().latest_first().first()


def decided_codes(programme) -> set[str]:
    """Codes of basket C measures management has decided on (activate or not); "" when a decision covers the
    whole basket."""
    from karki.forecasts.baskets import basket_decisions

    codes: set[str] = set()
    for decision in basket_decisions(programme):
        if decision.basket == Basket.C:
            codes |= set(decision.measure_code_list) if decision.measure_code_list else {""}
    return codes


def is_public(kind: str, obj, entry: PublicEntry | None, *, theme_public: bool = True,
              decided: set[str] = frozenset()) -> bool:
    """Whether a theme or measure shows on the public site (the programme's own site being published)."""
    visibility = entry.visibility if entry is not None else Visibility.DEFAULT
    if kind == EntryKind.MEASURE and not theme_public:
        return False  # a measure of a hidden theme would show the theme through its name and code
    if visibility == Visibility.PRIVATE:
        return False
    if visibility == Visibility.PUBLIC:
        return True
    if kind == EntryKind.MEASURE and obj.basket == Basket.C:
        return "" in decided or obj.code in decided
    return True


def _period_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _report_items(programme, public_codes: set[str], language: str) -> list[ReportItem]:
    from karki.reports.figures import thaw
    from karki.reports.models import CouncilReport

    items = []
    for report in (CouncilReport.objects.for_programme(programme).select_related("period")
                   .order_by("-number")):
        frozen = report.figures.get(language) or report.figures.get("fi") or next(iter(report.figures.values()), {})
        figures = thaw(frozen)
        public = {key: figures.get(key) for key in REPORT_TOTALS}
        public["by_year"] = [{key: row.get(key) for key in YEAR_FIELDS} for row in figures.get("by_year") or []]
        public["measures"] = [
            {"code": row.get("code"), "phase": row.get("phase") or "", "status": row.get("status") or ""}
            for row in figures.get("measures") or [] if row.get("code") in public_codes]
        items.append(ReportItem(number=report.number, period_key=report.period.key,
                                period_label=f"{report.period.month}/{report.period.year}",
                                period_end=_period_end(report.period.year, report.period.month),
                                issued_at=report.issued_at, figures=public))
    return items


def _update(report: ReportItem, row: dict) -> Update:
    phase, status = row.get("phase") or "", row.get("status") or ""
    return Update(
        report_number=report.number, period_key=report.period_key, period_label=report.period_label,
        issued_on=timezone.localdate(report.issued_at), phase=phase,
        phase_label=str(Phase(phase).label) if phase in Phase.values else "",
        status=status, status_label=str(TrafficLight(status).label) if status in TrafficLight.values else "",
        status_icon=TRAFFIC_LIGHT_ICONS[TrafficLight(status)] if status in TrafficLight.values else "")


def read_site(programme: Programme, language: str) -> Site | None:
    """The public site of `programme` in `language`; None when it is not published or has no approved version."""
    settings = PublicSite.objects.filter(programme=programme, is_published=True).first()
    version = public_version(programme) if settings is not None else None
    if version is None:
        return None
    with override(language):
        return _read(programme, version, settings, language)


def _read(programme, version, settings, language) -> Site:
    entries = {(e.kind, e.code): e for e in PublicEntry.objects.filter(programme=programme)}
    decided = decided_codes(programme)

    themes: list[ThemeItem] = []
    by_theme_pk: dict[int, ThemeItem] = {}
    for theme in Theme.objects.filter(version=version).order_by("order", "code"):
        entry = entries.get((EntryKind.THEME, theme.code))
        if not is_public(EntryKind.THEME, theme, entry):
            continue
        item = ThemeItem(code=theme.code, name=translated(theme, "name", language),
                         description=translated(theme, "description", language),
                         resident_text=_text(entry, "resident_text", language),
                         services=split_list(_text(entry, "services", language).text),
                         areas=split_list(_text(entry, "areas", language).text),
                         services_lang=_text(entry, "services", language).lang,
                         areas_lang=_text(entry, "areas", language).lang)
        themes.append(item)
        by_theme_pk[theme.pk] = item

    measures: dict[str, MeasureItem] = {}
    rows = (Measure.objects.filter(version=version).select_related("target__theme", "org_unit")
            .order_by("order", "code"))
    for measure in rows:
        theme = measure.target.theme if measure.target_id else None
        theme_item = by_theme_pk.get(theme.pk) if theme is not None else None
        entry = entries.get((EntryKind.MEASURE, measure.code))
        # Basket B and C measures have no target, hence no theme: they are public on their own.
        theme_public = theme is None or theme_item is not None
        if not is_public(EntryKind.MEASURE, measure, entry, theme_public=theme_public, decided=decided):
            continue
        item = MeasureItem(
            code=measure.code, name=translated(measure, "name", language),
            description=translated(measure, "description", language),
            theme_code=theme_item.code if theme_item else "",
            theme_name=theme_item.name if theme_item else _text(None, "name", language),
            target_name=_text(measure.target, "name", language),
            basket=measure.basket, basket_label=str(Basket(measure.basket).label),
            horizon=measure.horizon, horizon_label=str(Horizon(measure.horizon).label) if measure.horizon else "",
            org_unit=_text(measure.org_unit, "name", language),
            estimate=measure.estimate,
            recurrence=measure.estimate_recurrence,
            resident_text=_text(entry, "resident_text", language),
            services=split_list(_text(entry, "services", language).text),
            areas=split_list(_text(entry, "areas", language).text),
            services_lang=_text(entry, "services", language).lang,
            areas_lang=_text(entry, "areas", language).lang)
        measures[measure.code] = item
        if theme_item is not None:
            theme_item.measures.append(item)

    reports = _report_items(programme, set(measures), language)
    for report in reversed(reports):  # oldest first, so each measure's updates run forward in time
        for row in report.figures["measures"]:
            measures[row["code"]].updates.append(_update(report, row))

    indicators = _indicators(programme, version, by_theme_pk, reports, language)
    themes_by_code = {theme.code: theme for theme in themes}
    for indicator in indicators:
        if indicator.theme_code in themes_by_code:
            themes_by_code[indicator.theme_code].indicators.append(indicator)

    stamps = [version.approved_at, settings.updated_at, *(r.issued_at for r in reports[:1]),
              *(e.updated_at for e in entries.values())]
    return Site(
        language=language, programme=programme, version=version, settings=settings,
        name=translated(programme, "name", language), description=translated(programme, "description", language),
        target_description=translated(programme, "target_description", language),
        resident_text=translated(settings, "resident_text", language),
        goals=[translated(goal, "name", language) for goal in Goal.objects.filter(version=version)],
        themes=themes, measures=measures, indicators=indicators, reports=reports,
        updated_at=max(stamp for stamp in stamps if stamp is not None))


def _text(obj, name: str, language: str) -> Text:
    """The text of `name` of `obj` in `language` (or its fallback); empty when there is no `obj`."""
    return translated(obj, name, language) if obj is not None else Text("", language, False)


def _indicators(programme, version, by_theme_pk, reports: list[ReportItem], language) -> list[IndicatorItem]:
    """The version's indicators of the programme and of public themes, with values measured up to the end of
    the latest issued report's period (none before a report is issued)."""
    from karki.projects.models import IndicatorValue

    public_theme_pks = set(by_theme_pk)
    rows = [i for i in Indicator.objects.filter(version=version).order_by("order", "code")
            if i.theme_id is None or i.theme_id in public_theme_pks]
    until = reports[0].period_end if reports else None
    values: dict[str, list[tuple[date, Decimal]]] = {}
    if until is not None and rows:
        for code, measured_on, value in (IndicatorValue.objects.filter(
                programme=programme, indicator_code__in=[i.code for i in rows], measured_on__lte=until)
                .order_by("measured_on", "pk").values_list("indicator_code", "measured_on", "value")):
            values.setdefault(code, []).append((measured_on, value))
    return [IndicatorItem(code=i.code, name=translated(i, "name", language), unit=i.unit, direction=i.direction,
                          baseline_value=i.baseline_value, baseline_year=i.baseline_year,
                          target_value=i.target_value, deadline=i.deadline,
                          theme_code=by_theme_pk[i.theme_id].code if i.theme_id else "",
                          values=values.get(i.code, []))
            for i in rows]


def search(site: Site, *, text: str = "", service: str = "", area: str = "") -> list[ThemeItem | MeasureItem]:
    """The themes and measures with a resident text that match: words of `text` in their name or resident
    text, and the service and area named (an item naming no area concerns the whole county)."""
    words = [w for w in text.lower().split() if w]
    found: list[ThemeItem | MeasureItem] = []
    for item in [*site.themes, *site.measures.values()]:
        if not item.resident_text:
            continue
        if service and service.lower() not in {s.lower() for s in item.services}:
            continue
        if area and item.areas and area.lower() not in {a.lower() for a in item.areas}:
            continue
        haystack = " ".join([item.code, item.name.text, item.resident_text.text, *item.services, *item.areas]).lower()
        if any(_stem(word) not in haystack for word in words):
            continue
        found.append(item)
    return found


def _stem(word: str) -> str:
    """The part of a searched word its other forms share, roughly: Finnish and Swedish inflect by endings
    ("kotihoitoon" finds "kotihoito", "toimipisteiden" finds "toimipisteet"). Short words are taken whole."""
    return word if len(word) <= 5 else word[:max(5, len(word) - 4)]


def compare(older: ReportItem, newer: ReportItem, site: Site) -> dict:
    """Two issued reports side by side: their totals and the public measures whose phase or status changed."""
    before = {row["code"]: row for row in older.figures["measures"]}
    changed = []
    for row in newer.figures["measures"]:
        was = before.get(row["code"], {"phase": "", "status": ""})
        if (was["phase"], was["status"]) != (row["phase"], row["status"]) and row["code"] in site.measures:
            changed.append((site.measures[row["code"]], _update(older, was), _update(newer, row)))
    totals = [(key, older.figures.get(key), newer.figures.get(key)) for key in REPORT_TOTALS]
    return {"older": older, "newer": newer, "totals": totals, "changed": changed}
