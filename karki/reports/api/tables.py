"""The tables Kärki offers to BI tools (Power BI, Excel, R …): rows of flat values with stable English
snake_case column names that never depend on the interface language.

Values: money in euros as decimal strings with a dot and two decimals ("1400000.00"; savings positive
when costs fall), dates and times in ISO 8601 (Helsinki time with its offset), periods as YYYY-MM,
booleans as true/false, codes as stored (phase, status, cost category …), translated names in three
columns (`name_fi`, `name_sv`, `name_en`). New columns may be added at the end; existing ones keep their
name and meaning (that is the contract, see docs/decisions.md).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from karki.books.enums import CATEGORY_PARENT
from karki.books.reconciliation import NO_UNIT, UNMAPPED, available_years, reconcile
from karki.figures import read as figures
from karki.lib import money
from karki.monitoring.models import Period, RealisedSaving, StatusReport
from karki.monitoring.services import REPORTED_CATEGORIES
from karki.organisations.models import OrgUnit
from karki.organisations.tree import root_id
from karki.programmes.models import Measure, Target, Theme

LANGS = ("fi", "sv", "en")
VALUES = ("Money in euros as decimal strings with a dot (savings positive when costs fall), times in ISO 8601, "
          "periods as YYYY-MM, codes as stored, names in name_fi/name_sv/name_en. Column names are stable.")


def eur(value: Decimal | None) -> str | None:
    return None if value is None else str(money.quantize_eur(Decimal(value)))


def when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def names(obj, field: str = "name") -> dict[str, str]:
    return {f"{field}_{code}": getattr(obj, f"{field}_{code}", "") or "" for code in LANGS}


def _estimate_columns(item) -> dict:
    estimate = item.estimate
    return {
        "estimate_kind": item.estimate_kind or None,
        "estimate_amount_eur": eur(item.estimate_amount_eur),
        "estimate_min_eur": eur(item.estimate_min_eur),
        "estimate_max_eur": eur(item.estimate_max_eur),
        "savings_min_eur": eur(estimate.minimum) if estimate else None,
        "savings_expected_eur": eur(estimate.expected) if estimate else None,
        "savings_max_eur": eur(estimate.maximum) if estimate else None,
        "potential_class": item.potential_class,
    }


MEASURE_COLUMNS = [
    "programme", "version", "level", "theme_code", "target_code", "code", "name_fi", "name_sv", "name_en",
    "basket", "org_unit_code", "owner", "horizon", "difficulty", "estimate_kind", "estimate_amount_eur",
    "estimate_min_eur", "estimate_max_eur", "savings_min_eur", "savings_expected_eur", "savings_max_eur",
    "potential_class", "counts_in_totals",
]


def measure_rows(version) -> list[dict]:
    """Productivity targets and measures with their estimates. `counts_in_totals` marks the rows whose
    figures the programme's totals add: a target's own estimate covers its measures (their figures are
    then detail), and measures of baskets B and C are prepared, not counted."""
    targets = list(Target.objects.filter(version=version).select_related("theme", "org_unit").order_by(
        "theme__order", "theme__code", "order", "code"))
    measures = list(Measure.objects.filter(version=version).select_related("target__theme", "org_unit", "owner")
                    .order_by("order", "code"))
    by_target: dict[int | None, list[Measure]] = defaultdict(list)
    for measure in measures:
        by_target[measure.target_id if measure.basket == "A" else None].append(measure)
    base = {"programme": version.programme.slug, "version": version.number}
    rows = []

    def measure_row(measure: Measure, counts: bool) -> dict:
        return {**base, "level": "measure", "theme_code": measure.target.theme.code if measure.target_id else None,
                "target_code": measure.target.code if measure.target_id else None, "code": measure.code,
                **names(measure), "basket": measure.basket,
                "org_unit_code": measure.org_unit.code if measure.org_unit_id else None,
                "owner": (measure.owner.get_full_name() or measure.owner.get_username()) if measure.owner_id
                else (measure.owner_name or None),
                "horizon": measure.horizon or None, "difficulty": measure.difficulty or None,
                **_estimate_columns(measure), "counts_in_totals": counts and measure.estimate is not None}

    for target in targets:
        own = target.estimate is not None
        rows.append({**base, "level": "target", "theme_code": target.theme.code, "target_code": target.code,
                     "code": target.code, **names(target), "basket": "A",
                     "org_unit_code": target.org_unit.code if target.org_unit_id else None, "owner": None,
                     "horizon": None, "difficulty": target.difficulty or None, **_estimate_columns(target),
                     "counts_in_totals": own})
        rows.extend(measure_row(m, counts=not own) for m in by_target.get(target.pk, []))
    rows.extend(measure_row(m, counts=False) for m in by_target.get(None, []))
    return rows


REPORT_COLUMNS = [
    "programme", "period", "year", "month", "measure_code", "phase", "status", "state", "escalation",
    "revised_expected_eur", "language", "narrative", "obstacles", "submitted_at", "reviewed_at",
    *[f"realised_{c.value}_eur" for c in REPORTED_CATEGORIES], "realised_total_eur", "verified_total_eur",
    "waiting_verification_eur",
]


def report_rows(programme, periods) -> list[dict]:
    """Status reports, one row per measure and period, with the realised savings by cost category.
    Read as plain values (tens of thousands of rows for a large programme's whole history)."""
    keys = {p.pk: p for p in periods}
    savings: dict[int, dict[str, Decimal]] = defaultdict(dict)
    verified: dict[int, Decimal] = {}  # report → what finance verified of its claims (decided claims only)
    waiting: dict[int, Decimal] = defaultdict(Decimal)  # report → claims finance has not decided on
    for report_id, category, amount, state, checked in RealisedSaving.objects.filter(
            report__period__in=list(keys)).values_list("report_id", "category", "amount_eur", "verification",
                                                       "verified_amount_eur"):
        savings[report_id][category] = amount
        if state == "claimed":
            waiting[report_id] += amount
        else:
            verified[report_id] = verified.get(report_id, Decimal("0")) + checked
    zone = timezone.get_current_timezone()
    rows = []
    reports = (StatusReport.objects.filter(period__in=list(keys)).order_by("period__year", "period__month",
                                                                            "measure_code")
               .values_list("pk", "period_id", "measure_code", "phase", "status", "state", "escalation",
                            "revised_expected_eur", "language", "narrative", "obstacles", "submitted_at",
                            "reviewed_at"))
    for (pk, period_id, code, phase, status, state, escalation, revised, language, narrative, obstacles,
         submitted_at, reviewed_at) in reports.iterator(chunk_size=2000):
        period = keys[period_id]
        own = savings.get(pk, {})
        rows.append({
            "programme": programme.slug, "period": period.key, "year": period.year, "month": period.month,
            "measure_code": code, "phase": phase, "status": status, "state": state, "escalation": escalation,
            "revised_expected_eur": eur(revised), "language": language, "narrative": narrative,
            "obstacles": obstacles,
            "submitted_at": submitted_at.astimezone(zone).isoformat() if submitted_at else None,
            "reviewed_at": reviewed_at.astimezone(zone).isoformat() if reviewed_at else None,
            **{f"realised_{c.value}_eur": eur(own[c.value]) if c.value in own else None for c in REPORTED_CATEGORIES},
            "realised_total_eur": eur(sum(own.values(), Decimal("0"))),
            "verified_total_eur": eur(verified[pk]) if pk in verified else None,
            "waiting_verification_eur": eur(waiting[pk]) if own else None,
        })
    return rows


YEAR_COLUMNS = ["programme", "period", "year", "planned_eur", "planned_cumulative_eur", "realised_eur",
                "realised_cumulative_eur", "verified_eur", "verified_cumulative_eur", "one_off_eur"]
THEME_COLUMNS = ["programme", "period", "theme_code", "name_fi", "name_sv", "name_en", "planned_yearly_eur",
                 "realised_to_date_eur", "verified_to_date_eur"]
ORG_UNIT_COLUMNS = ["programme", "period", "org_unit_code", "name_fi", "name_sv", "name_en", "planned_yearly_eur",
                    "realised_to_date_eur", "verified_to_date_eur"]
CATEGORY_COLUMNS = ["programme", "period", "cost_category", "planned_yearly_eur", "realised_to_date_eur",
                    "verified_to_date_eur"]


def rollup_rows(programme, period: Period, table: str) -> list[dict]:
    """The status picture's roll-ups of `period`: realised savings are cumulative to the end of the period."""
    picture = figures.status_picture(programme, period)
    base = {"programme": programme.slug, "period": period.key}
    if table == "years":
        return [{**base, "year": r.year, "planned_eur": eur(r.planned_eur),
                 "planned_cumulative_eur": eur(r.planned_cumulative_eur), "realised_eur": eur(r.realised_eur),
                 "realised_cumulative_eur": eur(r.realised_cumulative_eur), "verified_eur": eur(r.verified_eur),
                 "verified_cumulative_eur": eur(r.verified_cumulative_eur), "one_off_eur": eur(r.one_off_eur)}
                for r in picture.by_year]
    if table == "themes":
        themes = {t.code: t for t in Theme.objects.filter(version=picture.version)} if picture.version else {}
        return [{**base, "theme_code": r.key, **(names(themes[r.key]) if r.key in themes else
                                                  {f"name_{c}": "" for c in LANGS}),
                 "planned_yearly_eur": eur(r.planned_eur), "realised_to_date_eur": eur(r.realised_eur),
                 "verified_to_date_eur": eur(r.verified_eur)} for r in picture.by_theme]
    if table == "org_units":
        units = {u.code: u for u in OrgUnit.objects.filter(organisation_id=programme.organisation_id)}
        return [{**base, "org_unit_code": r.key or None,
                 **(names(units[r.key]) if r.key in units else {f"name_{c}": "" for c in LANGS}),
                 "planned_yearly_eur": eur(r.planned_eur), "realised_to_date_eur": eur(r.realised_eur),
                 "verified_to_date_eur": eur(r.verified_eur)} for r in picture.by_org_unit]
    return [{**base, "cost_category": r.key, "planned_yearly_eur": eur(r.planned_eur),
             "realised_to_date_eur": eur(r.realised_eur), "verified_to_date_eur": eur(r.verified_eur)}
            for r in picture.by_category]


BOOKS_COLUMNS = ["programme", "year", "month", "period", "row_kind", "service_area_code", "org_unit_code",
                 "cost_category", "cost_category_group", "actual_eur", "baseline_eur", "difference_eur",
                 "in_books_eur", "claimed_eur", "verified_eur", "gap_eur"]
BOOKS_UNMAPPED_COLUMNS = ["programme", "year", "period_from", "period_to", "cost_centre", "account", "missing",
                          "org_unit_code", "cost_category", "actual_eur", "baseline_eur"]
ROW_KINDS = {UNMAPPED: "unmapped", NO_UNIT: "no_org_unit"}
ROW_KIND_ORDER = {"mapped": 0, "no_org_unit": 1, "unmapped": 2}


def _books_years(programme, year: int | None) -> list:
    """The reconciliation of each year the books hold (or of `year`), with every unmapped pair listed."""
    years = available_years(programme.organisation)
    chosen = [y for y in years if year is None or y == year]
    found = [reconcile(programme, year=y, years=years, unmapped_listed=None) for y in chosen]
    return [result for result in found if result.has_books]


def books_rows(programme, year: int | None = None) -> list[dict]:
    """Savings in the books as the reconciliation sums them, before any roll-up: one row per year, month, org
    unit and cost category (the figures of karki/books/reconciliation.py, the same as on the books page).
    Rows of the books not mapped to an org unit and a category are one row a month (`row_kind` unmapped);
    claims of measures without an org unit are their own rows (`no_org_unit`)."""
    units = {u.pk: u for u in OrgUnit.objects.filter(organisation_id=programme.organisation_id).only(
        "pk", "parent_id", "code")}
    rows = []
    for result in _books_years(programme, year):
        for (unit_pk, category, month), cell in result.cells.items():
            kind = ROW_KINDS.get(unit_pk, "mapped")
            unit = units.get(unit_pk) if kind == "mapped" else None
            rows.append({
                "programme": programme.slug, "year": result.year, "month": month,
                "period": f"{result.year:04d}-{month:02d}", "row_kind": kind,
                "service_area_code": units[root_id(units, unit.pk)].code if unit else None,
                "org_unit_code": unit.code if unit else None,
                "cost_category": category or None,
                "cost_category_group": CATEGORY_PARENT.get(category, category) or None,
                "actual_eur": eur(cell.actual), "baseline_eur": eur(cell.baseline),
                "difference_eur": eur(cell.difference), "in_books_eur": eur(cell.in_books),
                "claimed_eur": eur(cell.claimed), "verified_eur": eur(cell.verified), "gap_eur": eur(cell.gap),
            })
    rows.sort(key=lambda r: (r["year"], r["month"], ROW_KIND_ORDER[r["row_kind"]], r["service_area_code"] or "",
                             r["org_unit_code"] or "", r["cost_category"] or ""))
    return rows


def books_unmapped_rows(programme, year: int | None = None) -> list[dict]:
    """The pairs of a cost centre and an account that have no org unit or no cost category, with their costs
    and baseline over the months the books hold in each year, the largest first (the books page's list)."""
    rows = []
    for result in _books_years(programme, year):
        first, last = result.months[0], result.months[-1]
        for key in result.unmapped_keys:
            missing = "org_unit_and_cost_category" if not key.org_unit and not key.category else \
                "org_unit" if not key.org_unit else "cost_category"
            rows.append({"programme": programme.slug, "year": result.year,
                         "period_from": f"{result.year:04d}-{first:02d}", "period_to": f"{result.year:04d}-{last:02d}",
                         "cost_centre": key.cost_centre, "account": key.account, "missing": missing,
                         "org_unit_code": key.org_unit.code if key.org_unit else None,
                         "cost_category": key.category or None,
                         "actual_eur": eur(key.actual), "baseline_eur": eur(key.baseline)})
    return rows
