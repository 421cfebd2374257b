"""Finance's view of the realised savings owners claim: what waits for verification, and claimed against
verified by cost category and org unit (the verification page, "My work").

A claim counts in the claimed figures from the moment its report is handed in (as in the status picture);
it counts in the verified figures with the amount finance verified: the claim, an adjusted amount, or zero
when rejected. Writes are in services.py (`verify_saving`, `verify_savings`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from karki.core.content import Text, translated
from karki.organisations.models import OrgUnit
from karki.organisations.tree import root_id, subtree_ids
from karki.programmes.enums import Recurrence

from .enums import Verification
from .forms import parse_period
from .models import Period, RealisedSaving

ZERO = Decimal("0")
SHOW_CHOICES = ("waiting", "decided", "all")


@dataclass(frozen=True)
class Filters:
    period: str = ""  # "", a year "2024" or a month "2024-03"
    category: str = ""
    unit: int | None = None  # a top-level org unit (toimiala): its tree
    show: str = "waiting"
    kind: str = ""  # "", or a Recurrence: only recurring or only one-off claims

    def period_q(self) -> Q:
        if len(self.period) == 4 and self.period.isdigit():
            return Q(report__period__year=int(self.period))
        parsed = parse_period(self.period)
        if parsed:
            return Q(report__period__year=parsed[0], report__period__month=parsed[1])
        return Q()


@dataclass
class Tally:
    """Claims and what finance made of them, in one group (a cost category, an org unit, everything)."""

    claimed_eur: Decimal = ZERO
    claimed_count: int = 0
    verified_eur: Decimal = ZERO  # what finance verified: claims verified as such, adjusted amounts
    decided_claimed_eur: Decimal = ZERO  # the claimed amounts finance has decided on
    decided_count: int = 0
    waiting_eur: Decimal = ZERO
    waiting_count: int = 0
    rejected_eur: Decimal = ZERO  # claimed amounts rejected
    rejected_count: int = 0
    one_off_eur: Decimal = ZERO  # of the claimed amount, one-off (finance's first thing to check)
    one_off_count: int = 0

    def add(self, amount: Decimal, verification: str, verified: Decimal | None, recurrence: str) -> None:
        self.claimed_eur += amount
        self.claimed_count += 1
        if recurrence == Recurrence.ONE_OFF:
            self.one_off_eur += amount
            self.one_off_count += 1
        if verification == Verification.CLAIMED:
            self.waiting_eur += amount
            self.waiting_count += 1
            return
        self.decided_claimed_eur += amount
        self.decided_count += 1
        self.verified_eur += verified or ZERO
        if verification == Verification.REJECTED:
            self.rejected_eur += amount
            self.rejected_count += 1


@dataclass
class Group:
    key: str
    label: str | Text
    tally: Tally


@dataclass
class Overview:
    total: Tally
    by_category: list[Group] = field(default_factory=list)
    by_org_unit: list[Group] = field(default_factory=list)


def root_units(programme) -> tuple[dict[int, OrgUnit], list[OrgUnit]]:
    units = {u.pk: u for u in OrgUnit.objects.filter(organisation_id=programme.organisation_id)}
    roots = sorted((u for u in units.values() if u.parent_id is None or u.parent_id not in units),
                   key=lambda u: (u.order, u.code))
    return units, roots


def scoped(programme, filters: Filters, units: dict[int, OrgUnit]):
    """Received claims of the programme within the period, cost category, kind and org unit chosen."""
    qs = RealisedSaving.objects.for_programme(programme).received().filter(filters.period_q())
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.kind:
        qs = qs.filter(recurrence=filters.kind)
    if filters.unit:
        tree = subtree_ids(units, filters.unit)
        qs = qs.filter(Q(report__measure__org_unit_id__in=tree)
                       | Q(report__measure__org_unit__isnull=True, report__measure__target__org_unit_id__in=tree))
    return qs


def overview(programme, filters: Filters, units: dict[int, OrgUnit]) -> Overview:
    """Claimed, verified and waiting by cost category and by org unit (its top level), in one query."""
    from karki.programmes.enums import CostCategory

    result = Overview(total=Tally())
    categories: dict[str, Tally] = defaultdict(Tally)
    by_unit: dict[int | None, Tally] = defaultdict(Tally)
    rows = scoped(programme, filters, units).values_list(
        "category", "amount_eur", "verification", "verified_amount_eur", "recurrence", "report__measure__org_unit_id",
        "report__measure__target__org_unit_id")
    for category, amount, verification, verified, recurrence, unit_id, target_unit_id in rows:
        claim = (amount, verification, verified, recurrence)
        result.total.add(*claim)
        categories[category].add(*claim)
        by_unit[root_id(units, unit_id or target_unit_id)].add(*claim)
    result.by_category = [Group(c.value, str(c.label), categories[c.value]) for c in CostCategory
                          if c.value in categories]
    ordered = sorted(by_unit.items(), key=lambda item: (item[0] is None, (units[item[0]].order, units[item[0]].code)
                                                        if item[0] else (0, "")))
    result.by_org_unit = [Group(str(key or ""), translated(units[key], "name") if key else _("No org unit given"),
                                tally) for key, tally in ordered]
    return result


def listed(programme, filters: Filters, units: dict[int, OrgUnit]):
    """The claims the page lists: waiting ones (the default), decided ones, or all, oldest period first (one-off
    before recurring within a cost category)."""
    qs = scoped(programme, filters, units)
    if filters.show == "waiting":
        qs = qs.filter(verification=Verification.CLAIMED)
    elif filters.show == "decided":
        qs = qs.exclude(verification=Verification.CLAIMED)
    return (qs.select_related("report__period", "report__measure__org_unit", "report__measure__target",
                              "report__submitted_by", "verified_by")
            .order_by("report__period__year", "report__period__month", "report__measure_code", "category",
                      "recurrence"))


def waiting_count(programme) -> tuple[int, Decimal]:
    """How many received claims of the programme wait for finance, and their sum ("My work")."""
    found = RealisedSaving.objects.for_programme(programme).waiting().aggregate(
        count=Count("pk"), total=Sum("amount_eur"))
    return found["count"], found["total"] or ZERO


def period_choices(programme) -> list[tuple[str, str]]:
    """"" (every period), each year, each month, newest first."""
    periods = list(Period.objects.filter(programme=programme).order_by("-year", "-month").values_list("year", "month"))
    choices: list[tuple[str, str]] = []
    for year in sorted({y for y, _m in periods}, reverse=True):
        choices.append((str(year), str(year)))
        choices.extend((f"{y:04d}-{m:02d}", f"{m}/{y}") for y, m in periods if y == year)
    return choices
