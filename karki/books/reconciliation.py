"""Savings in the books: the county's actual costs against the baseline, by cost category, org unit and
month, next to what the measures claim there, and the gap between the two.

One definition of each figure, used by the page, the API and the tests:
- actual      what the books hold (costs positive);
- baseline    what the baseline expects in the same months (a whole-year baseline counts a twelfth a month);
- difference  actual − baseline: negative when costs are below the baseline;
- in the books  baseline − actual: the saving the books show (positive when costs fell);
- claimed     realised savings of the status reports received (submitted or accepted) for those months,
              placed by the measure's org unit (or its target's) and the saving's cost category;
- verified    of the claimed, what finance has verified (an adjusted claim at its verified amount, a
              rejected one at 0, one still waiting not at all);
- gap         claimed − in the books: positive when the measures claim more than the books show.

"The year" means the months of the year that the books hold (January–June when June is the latest
imported month): the baseline and the claims are counted over the same months, never over a whole year
against half a year of costs. Rows whose cost centre has no org unit or whose account has no cost
category are *unmapped*: they stay in every total as their own row and are listed with their sums.

Everything is summed in the database (GROUP BY); the number of queries is fixed (about a dozen) whatever
the number of rows (see benchmarks/reconciliation.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from karki.core.content import Text, translated
from karki.monitoring.enums import RECEIVED_STATES
from karki.monitoring.models import RealisedSaving
from karki.monitoring.services import running_version
from karki.organisations.models import OrgUnit
from karki.organisations.tree import root_id, subtree_ids
from karki.programmes.enums import CostCategory, TopDownDimension
from karki.programmes.models import TopDownTarget

from .enums import CATEGORY_PARENT, MAPPABLE_CATEGORIES, BatchKind
from .models import BaselineEntry, ImportBatch, LedgerEntry, LedgerKey

ZERO = Decimal("0")
TWELVE = Decimal("12")
UNMAPPED = "unmapped"
NO_UNIT = "none"
UNMAPPED_LISTED = 50


@dataclass
class Figures:
    actual: Decimal = ZERO
    baseline: Decimal = ZERO
    claimed: Decimal = ZERO
    verified: Decimal = ZERO  # of the claims, what finance has verified (an adjusted claim at its verified amount)

    def add(self, other: Figures) -> None:
        self.actual += other.actual
        self.baseline += other.baseline
        self.claimed += other.claimed
        self.verified += other.verified

    @property
    def difference(self) -> Decimal:
        """actual − baseline: negative when costs are below the baseline."""
        return self.actual - self.baseline

    @property
    def in_books(self) -> Decimal:
        """The saving the books show: baseline − actual."""
        return self.baseline - self.actual

    @property
    def gap(self) -> Decimal:
        """claimed − in the books: positive when the measures claim more than the books show."""
        return self.claimed - self.in_books

    @property
    def in_books_abs(self) -> Decimal:
        return abs(self.in_books)

    @property
    def gap_abs(self) -> Decimal:
        return abs(self.gap)


@dataclass
class Row:
    key: str
    label: str | Text
    figures: Figures
    level: int = 0  # 1 = a part of the row above (a result area, a kind of purchased services)
    note: str = ""


@dataclass
class UnmappedKey:
    cost_centre: str
    account: str
    org_unit: OrgUnit | None  # mapped side, if one of the two is
    category: str
    actual: Decimal
    baseline: Decimal

    @property
    def category_label(self) -> str:
        return str(CostCategory(self.category).label) if self.category else ""


@dataclass
class TargetRow:
    label: str | Text
    years: str
    low: Decimal
    high: Decimal
    difference: Decimal | None  # actual − baseline of the year in the books; None when nothing to compare
    position: str  # "below", "within", "above" the range, or ""


@dataclass
class Reconciliation:
    organisation: object
    programme: object
    year: int | None
    month: int | None
    unit: OrgUnit | None
    category: str
    years: list[int]
    months: list[int]  # months of the year the books hold
    total: Figures = field(default_factory=Figures)
    unmapped: Figures = field(default_factory=Figures)
    by_category: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    unmapped_keys: list[UnmappedKey] = field(default_factory=list)
    unmapped_key_count: int = 0
    targets: list[TargetRow] = field(default_factory=list)
    baseline_labels: list[str] = field(default_factory=list)
    imports: list[ImportBatch] = field(default_factory=list)
    claimed_without_unit: Decimal = ZERO
    # The figures before they are folded into the tables: (org unit id, NO_UNIT or UNMAPPED; category; month)
    # → figures, whatever the filters. The BI export lists them as they are.
    cells: dict[tuple, Figures] = field(default_factory=dict)

    @property
    def has_books(self) -> bool:
        return bool(self.months)

    @property
    def has_baseline(self) -> bool:
        return self.total.baseline != 0

    @property
    def period_text(self) -> str:
        """3/2024, or the months held: 1–12/2024."""
        if self.month:
            return f"{self.month}/{self.year}"
        if not self.months:
            return str(self.year or "")
        first, last = self.months[0], self.months[-1]
        return f"{first}/{self.year}" if first == last else f"{first}\u2013{last}/{self.year}"

    @property
    def through_text(self) -> str:
        """The last month the figures reach: 10/2024 ("by the end of 10/2024")."""
        if self.month:
            return f"{self.month}/{self.year}"
        return f"{self.months[-1]}/{self.year}" if self.months else str(self.year or "")

    @property
    def filtered(self) -> bool:
        return self.unit is not None or bool(self.category)

    @property
    def largest_gap(self) -> Row | None:
        """The top-level cost category whose claims and books differ most: the first question to ask."""
        rows = [r for r in self.by_category if r.level == 0 and r.key not in (UNMAPPED, CostCategory.TOTAL)]
        rows = [r for r in rows if r.figures.claimed or r.figures.baseline]
        return max(rows, key=lambda r: abs(r.figures.gap), default=None)


def available_years(organisation) -> list[int]:
    """The years the books or a baseline hold, read from the imports' record (a handful of rows) rather than
    from 200 000 rows of the books: a year once imported keeps its rows, since a file only replaces the
    months or years it brings."""
    slices = ImportBatch.objects.filter(organisation=organisation).values_list("slices", flat=True)
    return sorted({int(key[:4]) for covered in slices for key in covered})


def reconcile(programme, *, year: int | None = None, month: int | None = None, unit_id: int | None = None,
              category: str = "", years: list[int] | None = None, through_month: int | None = None,
              unmapped_listed: int | None = UNMAPPED_LISTED) -> Reconciliation:
    """The reconciliation of `programme`'s organisation in `year` (the latest year in the books by default),
    optionally of one month, one org unit (with the units under it) and one cost category.

    `through_month` leaves out the months of the books after it: a report of 10/2024 compares January–October
    even when the books already hold November. `unmapped_listed` is how many unmapped pairs of a cost centre
    and an account are listed (the largest first); None lists them all."""
    organisation = programme.organisation
    years = available_years(organisation) if years is None else years
    if year is None:
        year = years[-1] if years else None
    units = {u.pk: u for u in OrgUnit.objects.filter(organisation=organisation).only(
        "pk", "parent_id", "code", "name", "name_fi", "name_sv", "name_en", "order")}
    unit = units.get(unit_id) if unit_id else None
    if category not in dict(MAPPABLE_CATEGORIES):
        category = ""
    result = Reconciliation(organisation=organisation, programme=programme, year=year, month=month, unit=unit,
                            category=category, years=years, months=[])
    if year is None:
        return result

    # Cells: (org unit id, category, month) → figures. Books rows not fully mapped go to (UNMAPPED, "", month).
    cells: dict[tuple, Figures] = defaultdict(Figures)
    books = LedgerEntry.objects.filter(organisation=organisation, year=year)
    if through_month is not None:
        books = books.filter(month__lte=through_month)
    actuals = (books
               .values_list("month", "org_unit_id", "category").annotate(total=Sum("amount_eur")).order_by())
    for m, unit_pk, cat, total in actuals:
        key = (unit_pk, cat, m) if unit_pk and cat else (UNMAPPED, "", m)
        cells[key].actual += total
    result.months = sorted({key[2] for key in cells})
    if not result.months:
        return result
    in_months = set(result.months)

    baseline_rows = list(
        BaselineEntry.objects.filter(organisation=organisation, year=year, key__isnull=False)
        .values_list("month", "key__org_unit_id", "key__category").annotate(total=Sum("amount_eur")).order_by())
    baseline_rows += list(
        BaselineEntry.objects.filter(organisation=organisation, year=year, key__isnull=True)
        .values_list("month", "org_unit_id", "category").annotate(total=Sum("amount_eur")).order_by())
    for m, unit_pk, cat, total in baseline_rows:
        spread = [(m, total)] if m else [(each, total / TWELVE) for each in range(1, 13)]
        for each, amount in spread:
            if each in in_months:
                key = (unit_pk, cat, each) if unit_pk and cat else (UNMAPPED, "", each)
                cells[key].baseline += amount

    claims = (RealisedSaving.objects
              .filter(report__period__programme=programme, report__period__year=year,
                      report__period__month__in=result.months, report__state__in=RECEIVED_STATES)
              .values_list("report__period__month", "report__measure__org_unit_id",
                           "report__measure__target__org_unit_id", "category")
              .annotate(total=Sum("amount_eur"), verified=Sum("verified_amount_eur")).order_by())
    for m, measure_unit, target_unit, cat, total, verified in claims:
        unit_pk = measure_unit or target_unit
        cell = cells[(unit_pk if unit_pk in units else NO_UNIT, cat, m)]
        cell.claimed += total
        cell.verified += verified or ZERO  # claims still waiting have no verified amount; a rejected one has 0

    result.cells = dict(cells)
    _fold(result, cells, units)
    _unmapped_keys(result, organisation, year, unmapped_listed)
    _targets(result, programme, units, cells)
    result.imports = list(ImportBatch.objects.filter(organisation=organisation).select_related("imported_by")
                          .order_by("-imported_at")[:5])
    result.baseline_labels = sorted({
        label for label, slices in ImportBatch.objects.filter(
            organisation=organisation, kind=BatchKind.BASELINE, replaced_by__isnull=True).values_list("label", "slices")
        if label and f"{year:04d}" in slices})
    return result


def _fold(result: Reconciliation, cells: dict[tuple, Figures], units: dict[int, OrgUnit]) -> None:
    """Sum the cells into the tables, each with the filters of the other dimensions applied."""
    unit_ids = subtree_ids(units, result.unit.pk) if result.unit else None

    def unit_ok(unit_pk) -> bool:
        return unit_ids is None or unit_pk in unit_ids

    def category_ok(cat) -> bool:
        return not result.category or cat == result.category or CATEGORY_PARENT.get(cat) == result.category

    def month_ok(m) -> bool:
        return result.month is None or m == result.month

    per_category: dict[str, Figures] = defaultdict(Figures)
    per_unit: dict[object, Figures] = defaultdict(Figures)
    per_month: dict[int, Figures] = defaultdict(Figures)
    for (unit_pk, cat, m), figures in cells.items():
        unmapped = unit_pk == UNMAPPED
        shown_everywhere = not result.filtered  # unmapped rows and claims without a unit belong to no filter
        if unmapped:
            if not shown_everywhere:
                continue
            per_month[m].add(figures)
            if month_ok(m):
                result.unmapped.add(figures)
                result.total.add(figures)
            continue
        if unit_pk == NO_UNIT:
            if not category_ok(cat) or result.unit is not None:
                continue
            per_month[m].add(figures)
            if month_ok(m):
                per_category[cat].add(figures)
                per_unit[NO_UNIT].add(figures)
                result.total.add(figures)
                result.claimed_without_unit += figures.claimed
            continue
        if category_ok(cat) and unit_ok(unit_pk):
            per_month[m].add(figures)
        if not month_ok(m):
            continue
        if unit_ok(unit_pk):
            per_category[cat].add(figures)
        if category_ok(cat):
            per_unit[unit_pk].add(figures)
        if unit_ok(unit_pk) and category_ok(cat):
            result.total.add(figures)

    # By cost category: purchased services with its three kinds under it.
    for value, label in MAPPABLE_CATEGORIES:
        if value in CATEGORY_PARENT:
            continue
        own = per_category.get(value, Figures())
        children = [(v, lbl) for v, lbl in MAPPABLE_CATEGORIES if CATEGORY_PARENT.get(v) == value]
        whole = Figures()
        whole.add(own)
        child_rows = []
        for child, child_label in children:
            if child in per_category:
                whole.add(per_category[child])
                child_rows.append(Row(child, str(child_label), per_category[child], level=1))
        if own.actual or own.baseline or own.claimed or child_rows:
            result.by_category.append(Row(value, str(label), whole))
            if child_rows and (own.actual or own.baseline or own.claimed):
                child_rows.append(Row(value, _("not split further"), own, level=1))
            result.by_category.extend(child_rows)
    if not result.filtered and (result.unmapped.actual or result.unmapped.baseline):
        result.by_category.append(Row(UNMAPPED, _("Not mapped (see the list below)"), result.unmapped))

    # By org unit: service areas, with the result areas under them.
    roots: dict[int, Figures] = defaultdict(Figures)
    children: dict[int, list[tuple[OrgUnit, Figures]]] = defaultdict(list)
    for unit_pk, figures in per_unit.items():
        if unit_pk == NO_UNIT:
            continue
        root = root_id(units, unit_pk)
        roots[root].add(figures)
        if root != unit_pk:
            children[root].append((units[unit_pk], figures))
    for root_unit in sorted((units[pk] for pk in roots), key=lambda u: (u.order, u.code)):
        result.by_unit.append(Row(str(root_unit.pk), translated(root_unit, "name"), roots[root_unit.pk]))
        own = Figures()
        parts = sorted(children.get(root_unit.pk, []), key=lambda item: (item[0].order, item[0].code))
        for child, figures in parts:
            result.by_unit.append(Row(str(child.pk), translated(child, "name"), figures, level=1))
            own.add(figures)
        if parts:
            whole = roots[root_unit.pk]
            rest = Figures(whole.actual - own.actual, whole.baseline - own.baseline, whole.claimed - own.claimed,
                           whole.verified - own.verified)
            if rest.actual or rest.baseline or rest.claimed:
                result.by_unit.append(Row(str(root_unit.pk), _("the service area itself"), rest, level=1))
    if NO_UNIT in per_unit:
        result.by_unit.append(Row(NO_UNIT, _("Measures without an org unit"), per_unit[NO_UNIT]))
    if not result.filtered and (result.unmapped.actual or result.unmapped.baseline):
        result.by_unit.append(Row(UNMAPPED, _("Not mapped (see the list below)"), result.unmapped))

    result.by_month = [Row(str(m), str(m), per_month.get(m, Figures())) for m in result.months]


def _unmapped_keys(result: Reconciliation, organisation, year: int, listed: int | None = UNMAPPED_LISTED) -> None:
    months = [result.month] if result.month else result.months
    # The unmapped keys first (a small table), then their rows through the key's index: an OR over the
    # copied columns of 200 000 rows would read them all.
    keys = LedgerKey.objects.filter(Q(org_unit__isnull=True) | Q(category=""), organisation=organisation)
    found = (LedgerEntry.objects.filter(key__in=keys, organisation=organisation, year=year, month__in=months)
             .values_list("key_id", "key__cost_centre", "key__account", "key__org_unit_id", "key__category")
             .annotate(total=Sum("amount_eur")).order_by())
    rows = sorted(found, key=lambda r: (-abs(r[5]), r[1], r[2]))
    result.unmapped_key_count = len(rows)
    rows = rows[:listed] if listed is not None else rows
    baseline = dict(BaselineEntry.objects.filter(organisation=organisation, year=year,
                                                 key_id__in=[r[0] for r in rows])
                    .values_list("key_id").annotate(total=Sum("amount_eur")).order_by())
    units = {}
    if rows:
        units = {u.pk: u for u in OrgUnit.objects.filter(pk__in={r[3] for r in rows if r[3]})}
    share = Decimal(len(months)) / TWELVE
    result.unmapped_keys = [
        UnmappedKey(cost_centre=cc, account=account, org_unit=units.get(unit_pk), category=cat, actual=total,
                    baseline=baseline.get(key_id, ZERO) * share)
        for key_id, cc, account, unit_pk, cat, total in rows]


def _covers(years: str, year: int) -> bool:
    digits = [int(part) for part in years.replace("–", "-").split("-") if part.strip().isdigit()]
    if not digits:
        return True
    return min(digits) <= year <= max(digits)


def _targets(result: Reconciliation, programme, units: dict[int, OrgUnit], cells: dict[tuple, Figures]) -> None:
    """Top-down targets of the running version, set by cost category or service area, against the books of
    the year (actual − baseline over the months held, whatever month is chosen)."""
    version = running_version(programme)
    if version is None:
        return
    targets = list(TopDownTarget.objects.filter(version=version).order_by("dimension", "order"))
    if not targets:
        return
    whole_year = _year_figures(cells, units)
    for target in targets:
        if not _covers(target.years, result.year):
            continue
        if target.dimension == TopDownDimension.COST_CATEGORY:
            label = str(CostCategory(target.category).label) if target.category in CostCategory.values \
                else target.category
            figures = whole_year["category"].get(target.category)
            if target.category == CostCategory.TOTAL:
                figures = whole_year["total"]
        else:
            unit = units.get(target.org_unit_id)
            label = translated(unit, "name") if unit else "–"
            figures = whole_year["unit"].get(root_id(units, target.org_unit_id))
        difference = figures.difference if figures and figures.baseline else None
        position = ""
        if difference is not None:
            low, high = target.cost_change_min_eur, target.cost_change_max_eur
            position = "below" if difference < low else "above" if difference > high else "within"
        result.targets.append(TargetRow(label=label, years=target.years, low=target.cost_change_min_eur,
                                        high=target.cost_change_max_eur, difference=difference, position=position))


def _year_figures(cells: dict[tuple, Figures], units: dict[int, OrgUnit]) -> dict:
    """Figures of all the months held, by category (purchased services also as a whole) and by service area,
    whatever the page's filters: a target is followed for the year."""
    by_category: dict[str, Figures] = defaultdict(Figures)
    by_unit: dict[int | None, Figures] = defaultdict(Figures)
    total = Figures()
    for (unit_pk, cat, _month), figures in cells.items():
        total.add(figures)
        if unit_pk == UNMAPPED:
            continue
        by_category[cat].add(figures)
        if cat in CATEGORY_PARENT:
            by_category[CATEGORY_PARENT[cat]].add(figures)
        if unit_pk != NO_UNIT:
            by_unit[root_id(units, unit_pk)].add(figures)
    return {"category": by_category, "unit": by_unit, "total": total}
