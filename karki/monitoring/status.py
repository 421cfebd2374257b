"""The status picture (tilannekuva) of a programme in one reporting period: planned against realised
savings in each year against the yearly target level, and cumulatively as their running sum; by theme,
org unit and cost category; measures by phase and traffic light; escalations; missing reports.

Read-only and a fixed number of queries whatever the number of measures or periods: everything is
read in a handful of set-wide queries and folded together in Python (see benchmarks/status_picture.py).
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Sum
from django.utils.translation import gettext as _

from karki.core.content import Text, active_language, translated
from karki.figures import read as figures
from karki.lib import dates, money
from karki.lib.formatting import format_meur, format_percent
from karki.okr.status import key_results_at_risk
from karki.organisations.models import OrgUnit
from karki.organisations.tree import root_of
from karki.programmes.enums import CostCategory, Recurrence

from . import recurrence
from .enums import RECEIVED_STATES, Phase, TrafficLight, Verification
from .models import Period, RealisedSaving, StatusReport
from .services import REPORTED_CATEGORIES, reporting_measures, running_version

ZERO = Decimal("0")


@dataclass
class Row:
    """One line of a planned-against-realised table (and one group of bars in its chart)."""

    key: str
    label: str | Text  # content names are a Text: shown with their own lang when in a fallback language
    planned_eur: Decimal | None
    realised_eur: Decimal  # claimed by the owners
    verified_eur: Decimal = ZERO  # of it, what finance verified (claims verified as such, adjusted amounts)


@dataclass
class YearRow:
    year: int
    planned_eur: Decimal
    planned_cumulative_eur: Decimal
    realised_eur: Decimal  # claimed by the owners
    realised_cumulative_eur: Decimal
    verified_eur: Decimal = ZERO  # what finance verified of the year's claims
    verified_cumulative_eur: Decimal = ZERO
    waiting_eur: Decimal = ZERO  # claims of the year finance has not decided on yet
    one_off_eur: Decimal = ZERO  # of `realised_eur`, one-off savings: they help this year's result only

    @property
    def recurring_eur(self) -> Decimal:
        """The year's realised recurring savings: the yearly level reached in its reported months."""
        return self.realised_eur - self.one_off_eur


@dataclass
class CarriedYear:
    """A year after the period's months: the recurring run-rate the measures reached, carried on."""

    year: int
    months: int  # of the year after the period
    claimed_eur: Decimal
    verified_eur: Decimal


@dataclass
class Missing:
    measure: object
    state: str  # "" when nothing was written, or "draft"/"returned"


@dataclass
class StatusPicture:
    programme: object
    period: Period
    version: object
    target_eur: Decimal | None
    by_year: list[YearRow]
    realised_total_eur: Decimal  # claimed by the owners, the running sum
    by_theme: list[Row]
    by_org_unit: list[Row]
    by_category: list[Row]
    status_counts: dict[str, int]
    phase_counts: dict[str, int]
    escalations: list[StatusReport]
    missing: list[Missing]
    reports_expected: int
    reports_received: int
    missing_by_org_unit: list[tuple[str | Text, int]] = field(default_factory=list)
    missing_by_owner: list[tuple[str, int]] = field(default_factory=list)
    key_results_at_risk: list = field(default_factory=list)
    summary: object = None  # the running version's roll-up (programmes.summary): the reports and the forecast reuse it
    units: dict = field(default_factory=dict)  # the organisation's org units by id, for labelling the rows
    verified_total_eur: Decimal = ZERO  # what finance verified of `realised_total_eur`
    waiting_total_eur: Decimal = ZERO  # claims finance has not decided on yet
    # Recurring savings a year the measures reached by the end of the period (monitoring.recurrence), and
    # what they carry into the rest of the programme's years: claimed, and as finance verified them.
    run_rate_eur: Decimal = ZERO
    run_rate_verified_eur: Decimal = ZERO
    carried: list[CarriedYear] = field(default_factory=list)

    # The target is a yearly savings level to reach in the target year (docs/decisions.md, "Reaching the
    # target means the target year's yearly savings"): it is compared with the savings *in* a year, never
    # with the running sum of several years.

    @property
    def target_year(self) -> int:
        return self.programme.target_year or self.programme.period_end

    @property
    def year_row(self) -> YearRow | None:
        """The period's own year: its plan and what has been realised in it by the end of the period."""
        return next((row for row in self.by_year if row.year == self.period.year), None)

    @property
    def realised_year_eur(self) -> Decimal:
        return self.year_row.realised_eur if self.year_row else ZERO

    @property
    def planned_year_eur(self) -> Decimal:
        return self.year_row.planned_eur if self.year_row else ZERO

    @property
    def verified_year_eur(self) -> Decimal:
        return self.year_row.verified_eur if self.year_row else ZERO

    @property
    def waiting_year_eur(self) -> Decimal:
        return self.year_row.waiting_eur if self.year_row else ZERO

    @property
    def verified_year_pct(self) -> Decimal | None:
        return share_of_target(self.verified_year_eur, self.target_eur)

    @property
    def one_off_year_eur(self) -> Decimal:
        return self.year_row.one_off_eur if self.year_row else ZERO

    @property
    def realised_year_pct(self) -> Decimal | None:
        """The period's year's realised *recurring* savings as a share of the yearly target level: one-offs
        help the year's result, never the level."""
        return share_of_target(self.realised_year_eur - self.one_off_year_eur, self.target_eur)

    @property
    def planned_year_pct(self) -> Decimal | None:
        return share_of_target(self.planned_year_eur, self.target_eur)

    @property
    def planned_to_date_eur(self) -> Decimal:
        """The plan's running sum to the period's year, beside `realised_total_eur`."""
        return self.by_year[-1].planned_cumulative_eur if self.by_year else ZERO

    @property
    def first_year(self) -> int:
        return self.by_year[0].year if self.by_year else self.period.year

    @property
    def realised_year_text(self) -> str:
        return realised_against_target(year=self.period.year, month=self.period.month,
                                       realised=self.realised_year_eur, target=self.target_eur,
                                       target_year=self.target_year, language=active_language(),
                                       one_off=self.one_off_year_eur)

    @property
    def realised_by_year(self) -> list[tuple[int, Decimal]]:
        return [(row.year, row.realised_eur) for row in self.by_year]

    @property
    def one_off_total_eur(self) -> Decimal:
        return sum((row.one_off_eur for row in self.by_year), ZERO)

    @property
    def target_year_carried(self) -> CarriedYear | None:
        """The target year, when it is after the period's months: what the run-rate carries into it."""
        return next((c for c in self.carried if c.year == self.target_year and c.months == 12), None)

    @property
    def run_rate_pct(self) -> Decimal | None:
        return share_of_target(self.run_rate_eur, self.target_eur)

    @property
    def deficit_eur(self) -> Decimal | None:
        return self.programme.deficit_eur

    @property
    def deficit_year(self) -> int | None:
        return self.programme.deficit_year

    @cached_property
    def deficit_coverage(self) -> list[tuple[int, Decimal, Decimal]]:
        """Each year up to the deficit's year: (year, covered in it, covered up to it), claimed: realised
        savings, recurring and one-off, then the run-rate carried on in the years after the period."""
        if self.deficit_eur is None or self.deficit_year is None:
            return []
        carried = {c.year: c.claimed_eur for c in self.carried}
        rows, running = [], ZERO
        realised = {row.year: row.realised_eur for row in self.by_year}
        for year in self.programme.years:
            if year > self.deficit_year:
                break
            amount = realised.get(year, ZERO) + carried.get(year, ZERO)
            running += amount
            rows.append((year, amount, running))
        return rows

    @property
    def deficit_covered_eur(self) -> Decimal:
        """Covered by the realised savings of the years to the period (claimed)."""
        return self.realised_total_eur

    @property
    def deficit_with_carry_eur(self) -> Decimal:
        """Covered by the deficit's year if the recurring run-rate only carries on: no new savings."""
        return self.deficit_coverage[-1][2] if self.deficit_coverage else ZERO


def share_of_target(amount: Decimal | None, target: Decimal | None) -> Decimal | None:
    """A year's savings as a percentage of the yearly target level (None without a target)."""
    if amount is None or not target:
        return None
    return amount / target * 100


def realised_against_target(*, year: int, month: int, realised: Decimal, target: Decimal | None, target_year: int,
                            language: str, one_off: Decimal = ZERO) -> str:
    """"Realised in 2024: 7,7 M€ – 28 % of the yearly level 27,6 M€ to reach in 2026": the one wording of
    the comparison with the target, a year's savings against the yearly level, for the status picture and
    every report. A year not yet over says up to which month. With one-off savings in the year, only the
    recurring ones are compared with the level: "Realised in 2024: 8,5 M€, of which one-off 0,2 M€ – the
    recurring 8,3 M€ are 11 % of the yearly level 78,0 M€ to reach in 2025"."""
    amount = format_meur(realised, language)
    if month < 12:
        head = _("Realised in %(year)s by the end of %(month)s/%(year)s: %(amount)s") % {
            "year": year, "month": month, "amount": amount}
    else:
        head = _("Realised in %(year)s: %(amount)s") % {"year": year, "amount": amount}
    if one_off:
        head = _("%(figure)s, of which one-off %(one_off)s") % {"figure": head,
                                                                 "one_off": format_meur(one_off, language)}
    if not target:
        return head
    if one_off:
        return _("%(figure)s – the recurring %(recurring)s are %(share)s of the yearly level %(target)s to reach in "
                 "%(target_year)s") % {
            "figure": head, "recurring": format_meur(realised - one_off, language),
            "share": format_percent(share_of_target(realised - one_off, target), language),
            "target": format_meur(target, language), "target_year": target_year}
    return _("%(figure)s – %(share)s of the yearly level %(target)s to reach in %(target_year)s") % {
        "figure": head, "share": format_percent(share_of_target(realised, target), language),
        "target": format_meur(target, language), "target_year": target_year}


def _numbered(code: str, name: Text) -> Text:
    """"3. Theme name", keeping the language of the name."""
    return Text(f"{code}. {name.text}", name.lang, name.is_fallback)

def status_picture(programme, period: Period) -> StatusPicture:
    version = running_version(programme)
    # Only what the picture needs: building 1000 full measures with every related row dominated the time.
    measures = list(reporting_measures(version).select_related(None).select_related("target", "owner").only(
        "code", "name", "name_fi", "name_sv", "name_en", "owner_name", "org_unit_id", "owner", "target__theme_id",
        "target__org_unit_id", "target__code", "version_id", "order")) if version else []
    summary = figures.summary(version) if version else None
    by_code = {m.code: m for m in measures}

    # Realised savings of received reports up to this period, by measure, year and category: claimed by the
    # owners, and what finance verified of them (a rejected claim is verified as zero; one not yet decided
    # on is waiting).
    saved = (RealisedSaving.objects
             .filter(report__period__in=Period.objects.up_to(period), report__state__in=RECEIVED_STATES)
             .values_list("report__measure_code", "report__period__year", "category", "verification")
             .annotate(total=Sum("amount_eur"), verified=Sum("verified_amount_eur")).order_by())
    per_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    per_code: dict[str, Decimal] = defaultdict(lambda: ZERO)
    per_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    verified_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    verified_code: dict[str, Decimal] = defaultdict(lambda: ZERO)
    verified_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    waiting_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for code, year, category, verification, total, verified in saved:
        per_year[year] += total
        per_code[code] += total
        per_category[category] += total
        if verification == Verification.CLAIMED:
            waiting_year[year] += total
        else:
            verified_year[year] += verified or ZERO
            verified_code[code] += verified or ZERO
            verified_category[category] += verified or ZERO
    realised_total = sum(per_year.values(), ZERO)
    saved = recurrence.realised(period)

    by_year = []
    planned = {y.year: y.savings_expected_eur for y in summary.by_year} if summary else {}
    planned_cum = realised_cum = verified_cum = ZERO
    for year in sorted(set(programme.years) | set(per_year)):
        if year > period.year:
            break
        planned_cum += planned.get(year, ZERO)
        realised_cum += per_year.get(year, ZERO)
        verified_cum += verified_year.get(year, ZERO)
        by_year.append(YearRow(year, planned.get(year, ZERO), planned_cum, per_year.get(year, ZERO), realised_cum,
                               verified_year.get(year, ZERO), verified_cum, waiting_year.get(year, ZERO),
                               saved.year(Recurrence.ONE_OFF, year)))
    carried = []
    for year in programme.years:
        months = 12 - period.month if year == period.year else 12 if year > period.year else 0
        if months:
            carried.append(CarriedYear(year, months, money.quantize_eur(saved.run_rate_claimed_eur * months / 12),
                                       money.quantize_eur(saved.run_rate_verified_eur * months / 12)))

    # Themes: the planned yearly effect from the version's roll-up, the realised through the measures.
    realised_theme: dict[int, Decimal] = defaultdict(lambda: ZERO)
    realised_unit: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    verified_theme: dict[int, Decimal] = defaultdict(lambda: ZERO)
    verified_unit: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    units = {u.pk: u for u in OrgUnit.objects.filter(organisation_id=programme.organisation_id)}
    for code, amount in per_code.items():
        measure = by_code.get(code)
        if measure is None:
            continue  # a measure that is no longer in the running version
        if measure.target_id:
            realised_theme[measure.target.theme_id] += amount
            verified_theme[measure.target.theme_id] += verified_code.get(code, ZERO)
        unit = root_of(units, measure.org_unit_id or (measure.target.org_unit_id if measure.target_id else None))
        realised_unit[unit.pk if unit else None] += amount
        verified_unit[unit.pk if unit else None] += verified_code.get(code, ZERO)
    by_theme = [Row(t.theme.code, _numbered(t.theme.code, translated(t.theme, "name")), t.rollup.expected,
                    realised_theme.get(t.theme.pk, ZERO), verified_theme.get(t.theme.pk, ZERO))
                for t in summary.themes] if summary else []
    by_org_unit = []
    if summary:
        for row in summary.by_org_unit:
            key = row.org_unit.pk if row.org_unit else None
            by_org_unit.append(Row(row.org_unit.code if row.org_unit else "", translated(row.org_unit, "name")
                                   if row.org_unit else _("Not assigned"), row.rollup.expected,
                                   realised_unit.pop(key, ZERO),
                                   verified_unit.get(key, ZERO)))
        for key, amount in realised_unit.items():
            unit = units.get(key) if key else None
            by_org_unit.append(Row(unit.code if unit else "", translated(unit, "name") if unit else _("Not assigned"),
                                   None, amount,
                                   verified_unit.get(key, ZERO)))
    planned_category = {}
    if summary:
        for row in summary.by_cost_category:
            shown = row.shown
            if shown is not None:
                planned_category[row.category] = -(shown.low + shown.high) / 2  # a cost change, negative = saving
    by_category = [Row(c.value, str(c.label), planned_category.get(c.value), per_category.get(c.value, ZERO),
                       verified_category.get(c.value, ZERO))
                   for c in REPORTED_CATEGORIES if c.value in per_category or c.value in planned_category]
    verified_total = sum(verified_year.values(), ZERO)
    if CostCategory.TOTAL in planned_category:
        by_category.append(Row("total", str(CostCategory.TOTAL.label), planned_category[CostCategory.TOTAL],
                               realised_total, verified_total))

    reports = {r.measure_code: r for r in StatusReport.objects.filter(period=period).only(
        "measure_code", "phase", "status", "state", "escalation", "measure_id", "period_id")}
    received = [r for code, r in reports.items() if r.state in RECEIVED_STATES and code in by_code]
    status_counts = Counter(r.status for r in received)
    phase_counts = Counter(r.phase for r in received)
    missing = [Missing(m, reports[m.code].state if m.code in reports else "") for m in measures
               if m.code not in reports or reports[m.code].state not in RECEIVED_STATES]
    escalations = sorted((r for r in received if r.escalation), key=lambda r: r.measure_code)
    for report in escalations:
        report.running_measure = by_code[report.measure_code]
    picture = StatusPicture(
        programme=programme, period=period, version=version, target_eur=programme.target_eur,
        by_year=by_year, realised_total_eur=realised_total, by_theme=by_theme, by_org_unit=by_org_unit,
        by_category=by_category,
        status_counts={c.value: status_counts.get(c.value, 0) for c in TrafficLight},
        phase_counts={c.value: phase_counts.get(c.value, 0) for c in Phase},
        escalations=escalations, missing=missing, reports_expected=len(measures), reports_received=len(received),
    )
    picture.summary, picture.units = summary, units
    picture.verified_total_eur, picture.waiting_total_eur = verified_total, sum(waiting_year.values(), ZERO)
    picture.run_rate_eur, picture.run_rate_verified_eur = saved.run_rate_claimed_eur, saved.run_rate_verified_eur
    picture.carried = carried
    picture.missing_by_org_unit, picture.missing_by_owner = missing_groups(missing, units)
    # The organisation's key results (OKR) at risk on the last day of the period.
    last_day = date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
    picture.key_results_at_risk = key_results_at_risk(programme.organisation, on=min(last_day, dates.today()))
    return picture


def relabelled(picture: StatusPicture) -> StatusPicture:
    """The same picture — the same figures, read once — with its labels in the active language: a report
    issued in two languages at once shows one set of figures (reports/figures.py)."""
    themes = {t.theme.code: t.theme for t in picture.summary.themes} if picture.summary else {}
    units = {unit.code: unit for unit in picture.units.values()}

    def theme(row: Row) -> Row:
        found = themes.get(row.key)
        return replace(row, label=_numbered(row.key, translated(found, "name")) if found else row.label)

    def unit(row: Row) -> Row:
        found = units.get(row.key) if row.key else None
        return replace(row, label=translated(found, "name") if found else _("Not assigned"))

    def category(row: Row) -> Row:
        return replace(row, label=str(CostCategory(row.key).label) if row.key in CostCategory.values else row.label)

    copy = replace(picture, by_theme=[theme(r) for r in picture.by_theme],
                   by_org_unit=[unit(r) for r in picture.by_org_unit],
                   by_category=[category(r) for r in picture.by_category])
    copy.missing_by_org_unit, copy.missing_by_owner = missing_groups(picture.missing, picture.units)
    return copy


def missing_groups(missing: list[Missing], units: dict[int, OrgUnit]):
    by_unit: Counter = Counter()
    by_owner: Counter = Counter()
    for item in missing:
        m = item.measure
        unit = root_of(units, m.org_unit_id or (m.target.org_unit_id if m.target_id else None))
        by_unit[translated(unit, "name") if unit else _("Not assigned")] += 1
        by_owner[(m.owner.get_full_name() or m.owner.get_username()) if m.owner else (m.owner_name or "–")] += 1
    return sorted(by_unit.items(), key=lambda item: str(item[0])), sorted(by_owner.items())
