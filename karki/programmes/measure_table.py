"""All measures of a version as one table: filters and sorting read from the address (so a filtered view can
be bookmarked, sent and opened without JavaScript), the count and the sums of what is shown, and the same rows
for CSV and Excel.

Phase and status are the measure's latest status report (any period of the programme, the measure matched by
its code, as reports follow a measure into new versions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Max, Q
from django.utils.translation import gettext_lazy as _

from karki.lib import money
from karki.lib.codes import code_order
from karki.monitoring.enums import Phase, TrafficLight
from karki.monitoring.models import StatusReport

from .enums import Basket, Difficulty, Horizon, PotentialClass
from .models import Measure, Theme

# Sort keys the address may name, with what they sort by; "-" in front turns the order round.
SORTS = {
    "code": _("Code"), "name": _("Name"), "theme": _("Theme"), "expected": _("Estimate"),
    "phase": _("Phase"), "status": _("Status"), "owner": _("Owner"), "org_unit": _("Org unit"),
}
# The filters beside the text search, in the order of the form.
FILTER_LABELS = (
    ("theme", _("Theme")), ("basket", _("Basket")), ("potential", _("Potential class")),
    ("horizon", _("Realisation horizon")), ("difficulty", _("Implementation difficulty")), ("phase", _("Phase")),
    ("status", _("Status")), ("owner", _("Owner")), ("org_unit", _("Org unit")),
)
# The table's columns, each sortable.
COLUMNS = (
    ("code", _("Code")), ("name", _("Name")), ("theme", _("Theme")), ("expected", _("Estimate")),
    ("phase", _("Phase")), ("status", _("Status")), ("owner", _("Owner")), ("org_unit", _("Org unit")),
)
STATUS_ORDER = {TrafficLight.RED: 0, TrafficLight.AMBER: 1, TrafficLight.GREEN: 2}
PHASE_ORDER = {value: i for i, value in enumerate(Phase.values)}
NO_REPORT = "none"  # the status filter's value for measures without a report


@dataclass
class Row:
    measure: Measure
    report: StatusReport | None
    potential_class: str | None
    people: bool = True  # the owner's user account may be named (members of the organisation only)

    @property
    def estimate(self) -> money.Estimate | None:
        return self.measure.estimate

    @property
    def owner_label(self) -> str:
        owner = self.measure.owner
        if owner is not None and self.people:
            return owner.get_full_name() or owner.get_username()
        return self.measure.owner_name or ""


@dataclass
class Table:
    rows: list[Row]
    total: int  # measures in the version, before filtering
    rollup: money.Rollup
    filters: dict[str, str]
    sort: str
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def without_own_estimate(self) -> int:
        return sum(1 for row in self.rows if row.estimate is None)

    @property
    def covering_targets(self) -> list:
        """The productivity targets whose estimates cover shown measures that have none of their own."""
        seen: dict[int, object] = {}
        for row in self.rows:
            target = row.measure.target
            if row.estimate is None and target is not None and target.estimate is not None:
                seen.setdefault(target.pk, target)
        return list(seen.values())

    @property
    def covering_rollup(self) -> money.Rollup:
        return money.rollup(t.estimate for t in self.covering_targets)


def _latest_reports(version) -> dict[str, StatusReport]:
    """Each measure code's latest report that is not a draft: the database says each code's last month, then
    only the reports of those months are read (as `forecasts.inputs.read_monitoring` does), never every month
    of every measure."""
    reports = StatusReport.objects.filter(period__programme_id=version.programme_id).exclude(state="draft")
    last = dict(reports.values_list("measure_code").annotate(month=Max(F("period__year") * 12 + F("period__month")))
                .order_by())
    if not last:
        return {}
    months = Q()
    for ordinal in set(last.values()):
        months |= Q(period__year=(ordinal - 1) // 12, period__month=(ordinal - 1) % 12 + 1)
    return {report.measure_code: report for report in reports.filter(months).select_related("period")
            if last[report.measure_code] == report.period.year * 12 + report.period.month}


def _text_filter(q: str) -> Q:
    query = Q()
    for word in q.split():
        query &= (Q(code__icontains=word) | Q(name_fi__icontains=word) | Q(name_sv__icontains=word)
                  | Q(name_en__icontains=word) | Q(description_fi__icontains=word)
                  | Q(description_sv__icontains=word) | Q(description_en__icontains=word))
    return query


def build(version, params, *, people: bool) -> Table:
    """The table of `version` as `params` (a QueryDict) filter and sort it. Unknown values are ignored, so an
    old bookmark still opens. `people`: the owners' user accounts may be shown and filtered by."""
    measures = (Measure.objects.filter(version=version)
                .select_related("target__theme", "org_unit", "owner").order_by("order", "code"))
    total = measures.count()
    filters = {key: (params.get(key) or "").strip() for key in
               ("theme", "basket", "potential", "horizon", "difficulty", "phase", "status", "owner", "org_unit", "q")}
    if filters["theme"]:
        measures = measures.filter(target__theme__code=filters["theme"])
    if filters["basket"] in Basket.values:
        measures = measures.filter(basket=filters["basket"])
    if filters["horizon"] in Horizon.values:
        measures = measures.filter(horizon=filters["horizon"])
    if filters["difficulty"] in Difficulty.values:
        measures = measures.filter(difficulty=filters["difficulty"])
    if filters["org_unit"]:
        measures = measures.filter(org_unit__code=filters["org_unit"])
    if filters["owner"] and people:
        measures = measures.filter(Q(owner__username=filters["owner"]) | Q(owner_name=filters["owner"]))
    elif filters["owner"]:
        measures = measures.filter(owner_name=filters["owner"])
    if filters["q"]:
        measures = measures.filter(_text_filter(filters["q"]))
    reports = _latest_reports(version)
    rows = []
    for measure in measures:
        target = measure.target
        potential = measure.potential_class or (target.potential_class if target else None)
        rows.append(Row(measure, reports.get(measure.code), potential, people))
    if filters["potential"] in PotentialClass.values:
        rows = [r for r in rows if r.potential_class == filters["potential"]]
    if filters["phase"] in Phase.values:
        rows = [r for r in rows if r.report and r.report.phase == filters["phase"]]
    if filters["status"] == NO_REPORT:
        rows = [r for r in rows if r.report is None]
    elif filters["status"] in TrafficLight.values:
        rows = [r for r in rows if r.report and r.report.status == filters["status"]]
    sort = params.get("sort") or "code"
    key = sort.lstrip("-")
    if key not in SORTS:
        sort, key = "code", "code"
    rows.sort(key=_sort_key(key), reverse=sort.startswith("-"))
    return Table(rows=rows, total=total, rollup=money.rollup(r.estimate for r in rows), filters=filters, sort=sort,
                 choices=_choices(version, people))




def _sort_key(key: str):
    if key == "name":
        return lambda r: str(r.measure.name).casefold()
    if key == "theme":
        return lambda r: (code_order(r.measure.target.theme.code) if r.measure.target else ((2, 0, ""),),
                          code_order(r.measure.code))
    if key == "expected":
        return lambda r: (r.estimate.expected if r.estimate else Decimal("-1e18"), code_order(r.measure.code))
    if key == "phase":
        return lambda r: (PHASE_ORDER.get(r.report.phase, 99) if r.report else 99, code_order(r.measure.code))
    if key == "status":
        return lambda r: (STATUS_ORDER.get(r.report.status, 9) if r.report else 9, code_order(r.measure.code))
    if key == "owner":
        return lambda r: (r.owner_label.casefold() or "\uffff", code_order(r.measure.code))
    if key == "org_unit":
        return lambda r: (r.measure.org_unit.code if r.measure.org_unit else "\uffff", code_order(r.measure.code))
    return lambda r: code_order(r.measure.code)


def _choices(version, people: bool) -> dict[str, list[tuple[str, str]]]:
    measures = Measure.objects.filter(version=version).select_related("owner", "org_unit")
    owners: dict[str, str] = {}
    units: dict[str, str] = {}
    for m in measures:
        if m.owner is not None and people:
            owners[m.owner.get_username()] = m.owner.get_full_name() or m.owner.get_username()
        elif m.owner_name:
            owners[m.owner_name] = m.owner_name
        if m.org_unit is not None:
            units[m.org_unit.code] = f"{m.org_unit.code} {m.org_unit.name}"
    return {
        "theme": [(t.code, f"{t.code}. {t.name}") for t in Theme.objects.filter(version=version).order_by("order")],
        "basket": list(Basket.choices),
        "potential": list(PotentialClass.choices),
        "horizon": list(Horizon.choices),
        "difficulty": list(Difficulty.choices),
        "phase": list(Phase.choices),
        "status": [*TrafficLight.choices, (NO_REPORT, _("No report yet"))],
        "owner": sorted(owners.items(), key=lambda item: item[1].casefold()),
        "org_unit": sorted(units.items()),
    }


def export_rows(table: Table, language: str) -> tuple[list[str], list[list]]:
    """The shown rows for CSV and Excel: headers in the user's language, euros as numbers."""
    from karki.core.content import translated

    headers = [str(h) for h in (_("Code"), _("Name"), _("Theme"), _("Basket"), _("Potential class"),
                                _("Realisation horizon"), _("Implementation difficulty"), _("Minimum (€)"),
                                _("Expected (€)"), _("Maximum (€)"), _("Phase"), _("Status"), _("Report period"),
                                _("Owner"), _("Org unit"))]
    body = []
    for row in table.rows:
        m, estimate, report = row.measure, row.estimate, row.report
        body.append([
            m.code, translated(m, "name").text,
            m.target.theme.code if m.target else "", m.basket,
            str(PotentialClass(row.potential_class).label) if row.potential_class else "",
            m.get_horizon_display(), m.get_difficulty_display(),
            estimate.minimum if estimate else None, estimate.expected if estimate else None,
            estimate.maximum if estimate else None,
            report.get_phase_display() if report else "", report.get_status_display() if report else "",
            report.period.key if report else "", row.owner_label, m.org_unit.code if m.org_unit else "",
        ])
    return headers, body
