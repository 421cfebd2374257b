"""The public site's pages, for residents: readable without signing in, the same for every visitor.

Each page answers its reader's question on its first screen (docs: EXPERIENCE.md): the programme's home
what it is for and how far it has come, "what changes for you" the texts written for residents, a theme
or a measure where it stands, the interim reports what the council was told. Every figure comes from
`read_site()` (an issued report's frozen public totals) and says its source and date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe

from karki.core.content import LANGUAGE_IN, Text
from karki.core.templatetags.karki import estimate_recurrence_text
from karki.lib.formatting import format_meur
from karki.monitoring.charts import bar_charts
from karki.monitoring.enums import TRAFFIC_LIGHT_ICONS, TrafficLight
from karki.monitoring.status import realised_against_target
from karki.projects.charts import line_chart, places_of

from ..reading import LANGUAGES, IndicatorItem, MeasureItem, ReportItem, Site, ThemeItem, published_programmes, search
from ..reading import compare as compare_reports
from .common import NotPublic, answer, answer_uncached, page_context, public_url, render_page

ZERO = Decimal("0")


# -- what several pages show ------------------------------------------------------------------------------


def _context(site: Site, name: str, *, query: dict | None = None, **kwargs) -> dict:
    """The layout's context (common.page_context) and the notice of content shown in another language."""
    context = page_context(site, name, query=query, **kwargs)
    languages = sorted({text.lang for text in _texts(site) if text and text.is_fallback})
    context["fallback_notes"] = [
        _("The county has written some of this programme's texts only %(in_language)s; they are shown as written, "
          "marked with their language.") % {"in_language": LANGUAGE_IN[code]()}
        for code in languages if code in LANGUAGE_IN]
    return context


def _texts(site: Site):
    yield site.name
    yield site.resident_text
    for theme in site.themes:
        yield theme.name
        yield theme.resident_text
    for measure in site.measures.values():
        yield measure.name
        yield measure.resident_text


@dataclass
class StatusCount:
    status: str
    label: str
    icon: str
    count: int


@dataclass
class Statuses:
    """How many measures a report gave each status, and how many it gave none."""

    counts: list[StatusCount]
    not_reported: int
    total: int

    @property
    def shown(self) -> list[StatusCount]:
        return [c for c in self.counts if c.count]


def statuses(values: list[str]) -> Statuses:
    counts = [StatusCount(value, str(TrafficLight(value).label), TRAFFIC_LIGHT_ICONS[TrafficLight(value)],
                          sum(1 for v in values if v == value)) for value in TrafficLight.values]
    return Statuses(counts=counts, not_reported=sum(1 for v in values if v not in TrafficLight.values),
                    total=len(values))


def theme_statuses(theme: ThemeItem) -> Statuses:
    """Its measures' statuses as the latest issued report gave them."""
    return statuses([m.latest.status if m.latest else "" for m in theme.measures])


@dataclass
class YearRow:
    year: int
    planned: Decimal | None
    realised: Decimal
    one_off: Decimal
    verified: Decimal | None

    @property
    def recurring(self) -> Decimal:
        return self.realised - self.one_off


@dataclass
class Progress:
    """An issued report's public figures as a resident reads them: the year's savings against the yearly target
    level (the recurring ones: the same comparison as the report's), what finance verified, and the deficit
    covered so far (recurring and one-off)."""

    report: ReportItem
    year: int
    month: int
    issued_on: date
    target: Decimal | None
    target_year: int | None
    realised: Decimal
    one_off: Decimal
    verified: Decimal | None
    share: Decimal | None  # the year's recurring savings as a percentage of the target level
    run_rate: Decimal | None
    realised_total: Decimal
    verified_total: Decimal | None
    first_year: int | None
    deficit: Decimal | None
    deficit_year: int | None
    sentence: str
    years: list[YearRow] = field(default_factory=list)
    chart: dict | None = None
    statuses: Statuses | None = None

    @property
    def recurring(self) -> Decimal:
        return self.realised - self.one_off

    @property
    def deficit_share(self) -> Decimal | None:
        return self.realised_total / self.deficit * 100 if self.deficit else None

    @property
    def bar(self) -> int:
        """The share drawn as a bar, 0–100 (a share over the target fills it)."""
        return max(0, min(100, int(self.share))) if self.share is not None else 0

    @property
    def deficit_bar(self) -> int:
        share = self.deficit_share
        return max(0, min(100, int(share))) if share is not None else 0


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(value)


def progress(report: ReportItem, language: str, *, chart: bool = True) -> Progress:
    figures = report.figures
    realised = _decimal(figures.get("realised_year_eur")) or ZERO
    one_off = _decimal(figures.get("one_off_year_eur")) or ZERO
    target = _decimal(figures.get("target_eur"))
    target_year = figures.get("target_year")
    year, month = report.period_end.year, report.period_end.month
    item = Progress(
        report=report, year=year, month=month, issued_on=timezone.localdate(report.issued_at),
        target=target, target_year=target_year, realised=realised, one_off=one_off,
        verified=_decimal(figures.get("verified_year_eur")), share=_decimal(figures.get("realised_year_pct")),
        run_rate=_decimal(figures.get("run_rate_eur")),
        realised_total=_decimal(figures.get("realised_total_eur")) or ZERO,
        verified_total=_decimal(figures.get("verified_total_eur")), first_year=figures.get("first_year"),
        deficit=_decimal(figures.get("deficit_eur")), deficit_year=figures.get("deficit_year"),
        sentence=realised_against_target(year=year, month=month, realised=realised, target=target,
                                         target_year=target_year or year, language=language, one_off=one_off),
        statuses=statuses([row["status"] for row in figures.get("measures") or []]))
    item.years = [YearRow(year=row["year"], planned=_decimal(row.get("planned_eur")),
                          realised=_decimal(row.get("realised_eur")) or ZERO,
                          one_off=_decimal(row.get("one_off_eur")) or ZERO,
                          verified=_decimal(row.get("verified_eur")))
                  for row in figures.get("by_year") or []]
    if chart and item.years:
        marker = None
        if target and target_year:
            marker = (_("Yearly target level for %(year)s") % {"year": target_year}, target)
        item.chart = bar_charts([(str(row.year), [row.planned, row.realised]) for row in item.years], language,
                                marker=marker)
    return item


@dataclass
class Series:
    """An indicator with the values measured up to the latest issued report, drawn and tabled."""

    indicator: IndicatorItem
    places: int
    chart: object | None


def series(indicators: list[IndicatorItem], language: str) -> list[Series]:
    found = []
    for indicator in indicators:
        places = places_of(indicator.baseline_value, indicator.target_value, *(v for _d, v in indicator.values))
        baseline_on = date(indicator.baseline_year, 12, 31) if indicator.baseline_year else None
        chart = line_chart(indicator.values, language=language, target=indicator.target_value,
                           baseline=(baseline_on, indicator.baseline_value), deadline=indicator.deadline,
                           places=places) if indicator.values else None
        found.append(Series(indicator=indicator, places=places, chart=chart))
    return found


def estimate_text(measure: MeasureItem) -> str:
    """"1,0–2,0 M€ a year, recurring", "enabling measure – no direct savings"; "" without an estimate."""
    if measure.estimate is None:
        return ""
    return estimate_recurrence_text(SimpleNamespace(estimate=measure.estimate, estimate_recurrence=measure.recurrence))


def numbered(theme: ThemeItem) -> Text:
    """"1 Digi ja asiakasohjaus", keeping the language of the name."""
    return Text(f"{theme.code} {theme.name.text}", theme.name.lang, theme.name.is_fallback)


def _programme_years(site: Site) -> str:
    start, end = site.programme.period_start, site.programme.period_end
    if start and end and start != end:
        return f"{start}–{end}"
    return str(start or end or "")


def _theme_reports(site: Site, theme: ThemeItem) -> list[tuple[ReportItem, Statuses]]:
    """The theme's measures' statuses in each issued report, newest first."""
    codes = {m.code for m in theme.measures}
    return [(report, statuses([row["status"] for row in report.figures["measures"] if row["code"] in codes]))
            for report in site.reports]


# -- the pages ----------------------------------------------------------------------------------------------


@require_safe
def index(request, lang: str):
    """The published programmes (usually one county's). Not kept in the page cache: it is one short query."""
    with override(lang):
        programmes = list(published_programmes())
        content = render_to_string("public/index.html", {
            "lang": lang, "programmes": programmes, "site": None, "page": "index", "SITE_NAME": settings.SITE_NAME,
            "alternates": [(code, public_url("index", code)) for code in LANGUAGES],
            "programme_urls": [(p, public_url("home", lang, slug=p.slug)) for p in programmes],
            "licence": settings.PUBLIC_DATA_LICENCE, "SITE_URL_BASE": settings.SITE_URL.rstrip("/")})
    response = HttpResponse(content)
    response["Content-Language"] = lang
    return response


@require_safe
def home(request, slug: str, lang: str):
    """What the programme is for, how far it has come (the latest issued report), its themes, and the way to
    "what changes for you"."""

    def make(site):
        context = _context(site, "home")
        # What the programme is for, in plain words: the county's text for residents, else the programme's
        # description, else its first goal; its first paragraph leads the page.
        purpose = next((text for text in (site.resident_text, site.description, *site.goals[:1]) if text), None)
        paragraphs = [p.strip() for p in purpose.text.split("\n\n") if p.strip()] if purpose else []
        context.update(
            purpose=purpose, purpose_lead=paragraphs[0] if paragraphs else "",
            purpose_rest="\n\n".join(paragraphs[1:]) if purpose is site.resident_text else "",
            progress=progress(site.latest_report, lang) if site.latest_report else None,
            themes=[(theme, theme_statuses(theme)) for theme in site.themes],
            years=_programme_years(site))
        return render_page("public/home.html", context)

    return answer(request, slug, lang, ("home",), make)


def _grouped(site: Site, found: list[ThemeItem | MeasureItem]) -> list[SimpleNamespace]:
    """The texts found, in the programme's order: each theme (its own text when that matched) with its measures
    found under it, then the measures of no theme (basket B and C)."""
    found_codes = {("theme" if isinstance(item, ThemeItem) else "measure", item.code) for item in found}
    groups = []
    for theme in site.themes:
        measures = [m for m in theme.measures if ("measure", m.code) in found_codes]
        matched = ("theme", theme.code) in found_codes
        if matched or measures:
            groups.append(SimpleNamespace(theme=theme, matched=matched, measures=measures))
    loose = [m for m in site.measures.values() if not m.theme_code and ("measure", m.code) in found_codes]
    if loose:
        groups.append(SimpleNamespace(theme=None, matched=False, measures=loose))
    return groups


@require_safe
def changes(request, slug: str, lang: str):
    """"What changes for you": the resident texts, searchable by words, service and municipality or area."""
    text = " ".join(request.GET.get("q", "").split())[:100]
    service, area = request.GET.get("service", "")[:100], request.GET.get("area", "")[:100]

    def make(site):
        chosen_service = service if service in site.services else ""
        chosen_area = area if area in site.areas else ""
        found = search(site, text=text, service=chosen_service, area=chosen_area)
        context = _context(site, "changes", query={"q": text, "service": chosen_service, "area": chosen_area})
        context.update(q=text, service=chosen_service, area=chosen_area, found=found, groups=_grouped(site, found),
                       searched=bool(text or chosen_service or chosen_area))
        return render_page("public/changes.html", context)

    # Free text is not kept: each is a page of its own, and anybody could fill the cache with them.
    if text:
        return answer_uncached(request, slug, lang, make)
    return answer(request, slug, lang, ("changes", service, area), make)


@require_safe
def theme(request, slug: str, lang: str, code: str):
    def make(site):
        item = site.theme(code)
        if item is None:
            raise NotPublic
        context = _context(site, "theme", code=code)
        context.update(theme=item, counts=theme_statuses(item), theme_trail=[(None, numbered(item))],
                       report=site.latest_report, series=series(item.indicators, lang),
                       updates=_theme_reports(site, item))
        return render_page("public/theme.html", context)

    return answer(request, slug, lang, ("theme", code), make)


@require_safe
def measure(request, slug: str, lang: str, code: str):
    def make(site):
        item = site.measures.get(code)
        if item is None:
            raise NotPublic
        theme_item = site.theme(item.theme_code) if item.theme_code else None
        latest = item.latest if item.latest and (item.latest.status or item.latest.phase) else None
        earlier = next((u for u in reversed(item.updates) if u.status or u.phase), None)
        context = _context(site, "measure", code=code)
        trail = [(public_url("theme", lang, slug=slug, code=theme_item.code), numbered(theme_item))] \
            if theme_item else []
        trail.append((None, _("Measure %(code)s") % {"code": item.code}))
        context.update(measure=item, theme=theme_item, current=latest, last_known=None if latest else earlier,
                       measure_trail=trail,
                       report=site.latest_report, updates=list(reversed(item.updates)),
                       estimate=estimate_text(item), years=_programme_years(site),
                       series=series(theme_item.indicators, lang) if theme_item else [],
                       # The county often wrote a measure's name as its description too: shown once.
                       description=item.description if item.description.text.strip() != item.name.text.strip()
                       else None)
        return render_page("public/measure.html", context)

    return answer(request, slug, lang, ("measure", code), make)


@require_safe
def reports(request, slug: str, lang: str):
    def make(site):
        context = _context(site, "reports")
        context["rows"] = [progress(report, lang, chart=False) for report in site.reports]
        return render_page("public/reports.html", context)

    return answer(request, slug, lang, ("reports",), make)


@require_safe
def report(request, slug: str, lang: str, number: int):
    def make(site):
        item = site.report(number)
        if item is None:
            raise NotPublic
        context = _context(site, "report", number=number)
        index = site.reports.index(item)
        rows = [(site.measures[row["code"]], row) for row in item.figures["measures"] if row["code"] in site.measures]
        context.update(report=item, progress=progress(item, lang),
                       previous=site.reports[index + 1] if index + 1 < len(site.reports) else None,
                       following=site.reports[index - 1] if index > 0 else None,
                       measures=[(m, _row_update(row)) for m, row in rows])
        return render_page("public/report.html", context)

    return answer(request, slug, lang, ("report", number), make)


def _row_update(row: dict) -> SimpleNamespace:
    from karki.monitoring.enums import Phase

    phase, status = row.get("phase") or "", row.get("status") or ""
    return SimpleNamespace(
        phase=phase, phase_label=str(Phase(phase).label) if phase in Phase.values else "",
        status=status, status_label=str(TrafficLight(status).label) if status in TrafficLight.values else "",
        status_icon=TRAFFIC_LIGHT_ICONS[TrafficLight(status)] if status in TrafficLight.values else "")


# The totals of two reports set side by side: (key, label, kind). The labels say which year each figure is
# of in the column headings' terms, since two reports may be of different years.
COMPARED = (
    ("target_eur", "target", "eur"),
    ("realised_year_eur", "realised_year", "eur"),
    ("verified_year_eur", "verified_year", "eur"),
    ("one_off_year_eur", "one_off_year", "eur"),
    ("run_rate_eur", "run_rate", "eur"),
    ("realised_total_eur", "realised_total", "eur"),
    ("verified_total_eur", "verified_total", "eur"),
    ("planned_year_eur", "planned_year", "eur"),
    ("reports_received", "reports_received", "count"),
)


def _compared_label(name: str) -> str:
    return {
        "target": _("Yearly savings target"),
        "realised_year": _("Realised in the report's year"),
        "verified_year": _("Of which verified by finance"),
        "one_off_year": _("Of which one-off"),
        "run_rate": _("Recurring savings in effect, a year"),
        "realised_total": _("Realised since the programme began"),
        "verified_total": _("Of which verified by finance, since the programme began"),
        "planned_year": _("Planned for the report's year"),
        "reports_received": _("Measures' status reports received"),
    }[name]


def _change_text(older, newer, kind: str, language: str) -> str:
    if older is None or newer is None:
        return "–"
    change = Decimal(newer) - Decimal(older)
    if kind == "count":
        text = f"{abs(change):.0f}"
    else:
        text = format_meur(abs(change), language)
    if change > 0:
        return f"+{text}"
    if change < 0:
        return f"\u2212{text}"
    return _("no change")


def _totals(older: ReportItem, newer: ReportItem, language: str) -> list[SimpleNamespace]:
    rows = []
    for key, name, kind in COMPARED:
        a, b = older.figures.get(key), newer.figures.get(key)
        if a is None and b is None:
            continue
        if kind == "eur":
            a_text, b_text = format_meur(_decimal(a), language) or "–", format_meur(_decimal(b), language) or "–"
        else:
            expected_a, expected_b = older.figures.get("reports_expected"), newer.figures.get("reports_expected")
            a_text = f"{a} / {expected_a}" if a is not None else "–"
            b_text = f"{b} / {expected_b}" if b is not None else "–"
        rows.append(SimpleNamespace(label=_compared_label(name), older=a_text, newer=b_text,
                                    change=_change_text(a, b, kind, language)))
    return rows


@require_safe
def compare(request, slug: str, lang: str):
    """Two issued reports side by side (`?a=1&b=3`); without a choice, the latest two."""
    def number(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() and len(value) < 6 else None

    a, b = number("a"), number("b")

    def make(site):
        context = _context(site, "compare", query={"a": a, "b": b})
        chosen = [site.report(n) for n in (a, b) if n is not None]
        if any(item is None for item in chosen):
            raise NotPublic
        if len(chosen) < 2:
            chosen = site.reports[:2][::-1]
        older, newer = sorted(chosen, key=lambda r: r.number) if len(chosen) == 2 else (None, None)
        comparison = compare_reports(older, newer, site) if older and newer and older != newer else None
        context.update(a=older.number if older else None, b=newer.number if newer else None,
                       same=bool(older and older == newer), comparison=comparison,
                       totals=_totals(older, newer, lang) if comparison else [])
        return render_page("public/compare.html", context)

    return answer(request, slug, lang, ("compare", a, b), make)


@require_safe
def accessibility(request, slug: str, lang: str):
    from karki.browser.pages import PAGES
    from karki.core.views import STATEMENT_PREPARED, STATEMENT_REVIEWED

    def make(site):
        context = _context(site, "accessibility")
        context.update(prepared=STATEMENT_PREPARED, reviewed=STATEMENT_REVIEWED,
                       pages_tested=sum(1 for page in PAGES if page.public),
                       feedback_email=site.settings.contact_email or settings.ACCESSIBILITY_FEEDBACK_EMAIL,
                       authority_name=settings.ACCESSIBILITY_AUTHORITY_NAME,
                       authority_url=settings.ACCESSIBILITY_AUTHORITY_URL,
                       authority_email=settings.ACCESSIBILITY_AUTHORITY_EMAIL,
                       authority_phone=settings.ACCESSIBILITY_AUTHORITY_PHONE)
        return render_page("public/accessibility.html", context)

    return answer(request, slug, lang, ("accessibility",), make)
