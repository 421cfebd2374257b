"""A programme version as the workbook holds it: for each sheet, its rows as values by column.

The export writes these rows; the import compares the rows it read with these to find what is new,
what changed and what is left alone, so both sides use one definition of every value. References are
codes (a target's theme is "1"), people are usernames, money is `Decimal` euros with cents.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from karki.programmes import models as m

from . import format as fmt


@dataclass
class Item:
    values: dict[str, Any]
    obj: Any = None  # the row in the database


@dataclass
class Snapshot:
    version: m.ProgrammeVersion | None
    sheets: dict[str, list[Item]] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Changes whenever anything the workbook shows changes: the preview of an import is valid while it
        stays the same."""
        canonical = {key: [item.values for item in items] for key, items in sorted(self.sheets.items())}
        text = json.dumps(canonical, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def text(value) -> str:
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def money(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def number(value, places: int) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal(1).scaleb(-places))


def _translated(obj, name: str) -> dict[str, str]:
    return {f"{name}_{code}": text(getattr(obj, f"{name}_{code}", "")) for code in fmt.CONTENT_LANGUAGES}


def _code(obj) -> str:
    return obj.code if obj is not None else ""


def _username(user, with_people: bool) -> str:
    return user.get_username() if user is not None and with_people else ""


def _estimate(obj) -> dict[str, Any]:
    return {
        "estimate_kind": obj.estimate_kind or "", "estimate_recurrence": obj.estimate_recurrence,
        "estimate_amount_eur": money(obj.estimate_amount_eur),
        "estimate_min_eur": money(obj.estimate_min_eur), "estimate_max_eur": money(obj.estimate_max_eur),
        **_translated(obj, "estimate_note"),
    }


def programme_values(programme: m.Programme, version: m.ProgrammeVersion | None) -> dict[str, Any]:
    values = {
        "identifier": programme.slug,
        **_translated(programme, "name"), **_translated(programme, "description"),
        "period_start": programme.period_start, "period_end": programme.period_end,
        "target_eur": money(programme.target_eur), "target_year": programme.target_year,
        "deficit_eur": money(programme.deficit_eur), "deficit_year": programme.deficit_year,
        **_translated(programme, "target_description"), "baseline_year": programme.baseline_year,
        **_translated(programme, "baseline_label"),
        "baseline_operating_costs_eur": money(programme.baseline_operating_costs_eur),
        **_translated(programme, "decision_body"), "decision_date": programme.decision_date,
        "decision_reference": text(programme.decision_reference),
    }
    if version is not None:
        values.update({
            **{f"version_label_{code}": text(getattr(version, f"label_{code}", "")) for code in fmt.CONTENT_LANGUAGES},
            "version_date": version.date, "version_source": text(version.source),
            "version_stated_total_eur": money(version.stated_total_eur),
            "effects_start_year": version.effects_start_year,
        })
    else:
        values.update({f"version_label_{code}": "" for code in fmt.CONTENT_LANGUAGES})
        values.update({"version_date": None, "version_source": "", "version_stated_total_eur": None,
                       "effects_start_year": None})
    return values


def read_version(version: m.ProgrammeVersion, *, with_people: bool = True) -> Snapshot:
    """Every row of the version, in the order Kärki shows them. `with_people=False` leaves out usernames
    (for readers outside the organisation)."""
    programme = version.programme
    snapshot = Snapshot(version=version)
    sheets = snapshot.sheets
    sheets["programme"] = [Item(programme_values(programme, version), obj=version)]

    themes = list(m.Theme.objects.filter(version=version).select_related("owner").order_by("order", "code", "pk"))
    sheets["themes"] = [Item({
        "code": t.code, **_translated(t, "name"), **_translated(t, "description"),
        "owner": _username(t.owner, with_people), "owner_name": text(t.owner_name),
    }, t) for t in themes]

    targets = list(m.Target.objects.filter(version=version).select_related("theme", "org_unit")
                   .order_by("theme__order", "theme__code", "order", "code", "pk"))
    sheets["targets"] = [Item({
        "code": t.code, "theme": t.theme.code, **_translated(t, "name"), **_translated(t, "description"),
        "org_unit": _code(t.org_unit), "potential_class_stated": t.potential_class_stated or "",
        "difficulty": t.difficulty or "", **_estimate(t),
    }, t) for t in targets]

    measures = list(m.Measure.objects.filter(version=version).select_related("target", "org_unit", "owner")
                    .order_by("order", "code", "pk"))
    sheets["measures"] = [Item({
        "code": x.code, "basket": x.basket, "target": _code(x.target), **_translated(x, "name"),
        **_translated(x, "description"), "horizon": x.horizon or "", "difficulty": x.difficulty or "",
        "org_unit": _code(x.org_unit), "owner": _username(x.owner, with_people), "owner_name": text(x.owner_name),
        **_estimate(x), "contingency_rank": x.contingency_rank, "service_level_impact": x.service_level_impact or "",
        **_translated(x, "service_level_effect"),
    }, x) for x in measures]

    dependencies = m.MeasureDependency.objects.filter(version=version).select_related("measure", "depends_on")
    sheets["dependencies"] = [Item({
        "measure": d.measure.code, "depends_on": d.depends_on.code, **_translated(d, "note"),
    }, d) for d in dependencies.order_by("measure__order", "measure__code", "depends_on__code", "pk")]

    stated = m.StatedTotal.objects.filter(version=version).select_related("theme").order_by("pk")
    sheets["stated_totals"] = [Item({
        "theme": _code(s.theme), "amount_eur": money(s.amount_eur), "source": text(s.source),
    }, s) for s in stated]

    sheets["ramp"] = [Item({"year": r.year, "savings_eur": money(r.savings_eur)}, r)
                      for r in m.YearlyRampStep.objects.filter(version=version).order_by("year")]

    effects = m.CostCategoryEffect.objects.filter(version=version).select_related("target", "measure").order_by("pk")
    sheets["cost_effects"] = [Item({
        "target": _code(e.target), "measure": _code(e.measure), "category": e.category,
        "cost_change_min_eur": money(e.cost_change_min_eur), "cost_change_max_eur": money(e.cost_change_max_eur),
    }, e) for e in effects]

    top_down = m.TopDownTarget.objects.filter(version=version).select_related("org_unit").order_by(
        "dimension", "order", "pk")
    sheets["top_down"] = [Item({
        "dimension": t.dimension, "category": t.category or "", "org_unit": _code(t.org_unit),
        "cost_change_min_eur": money(t.cost_change_min_eur), "cost_change_max_eur": money(t.cost_change_max_eur),
        "years": text(t.years), **_translated(t, "note"),
    }, t) for t in top_down]

    funding = list(m.Funding.objects.filter(version=version).order_by("code", "pk"))
    sheets["funding"] = [Item({
        "code": f.code, **_translated(f, "name"), "kind": f.kind, "total_eur": money(f.total_eur),
        "grant_share_eur": money(f.grant_share_eur), "own_share_eur": money(f.own_share_eur),
        **_translated(f, "note"),
    }, f) for f in funding]

    allocations = m.FundingAllocation.objects.filter(version=version).select_related(
        "funding", "theme", "project").order_by("funding__code", "order", "pk")
    sheets["allocations"] = [Item({
        "funding": a.funding.code, "theme": _code(a.theme), "project": _code(a.project), **_translated(a, "label"),
        "share_pct_min": number(a.share_pct_min, 2), "share_pct_max": number(a.share_pct_max, 2),
        "amount_eur": money(a.amount_eur), **_translated(a, "note"),
    }, a) for a in allocations]

    links: dict[int, list[str]] = {}
    for project_id, code in (m.ProjectMeasure.objects.filter(version=version)
                             .order_by("measure__order", "measure__code").values_list("project_id", "measure__code")):
        links.setdefault(project_id, []).append(code)
    projects = m.Project.objects.filter(version=version).order_by("code", "pk")
    sheets["projects"] = [Item({
        "code": p.code, **_translated(p, "name"), **_translated(p, "description"),
        "total_cost_eur": money(p.total_cost_eur), "grant_share_eur": money(p.grant_share_eur),
        "own_share_eur": money(p.own_share_eur), "measures": tuple(links.get(p.pk, ())),
    }, p) for p in projects]

    indicators = m.Indicator.objects.filter(version=version).select_related("theme").order_by("order", "code", "pk")
    sheets["indicators"] = [Item({
        "code": i.code, **_translated(i, "name"), "unit": text(i.unit), "direction": i.direction or "",
        "baseline_value": number(i.baseline_value, 4), "baseline_year": i.baseline_year,
        "target_value": number(i.target_value, 4), "deadline": i.deadline, "theme": _code(i.theme),
        **_translated(i, "note"),
    }, i) for i in indicators]

    risks = m.Risk.objects.filter(version=version).select_related("theme", "owner").order_by("order", "code", "pk")
    sheets["risks"] = [Item({
        "code": r.code, "theme": _code(r.theme), "category": r.category, **_translated(r, "title"),
        **_translated(r, "description"), "likelihood": r.likelihood, "impact": r.impact,
        **_translated(r, "mitigation"), "owner": _username(r.owner, with_people), "owner_name": text(r.owner_name),
    }, r) for r in risks]

    impacts = m.ImpactAssessment.objects.filter(version=version).select_related("measure", "theme").order_by("pk")
    sheets["impacts"] = [Item({
        "measure": _code(i.measure), "theme": _code(i.theme),
        **{k: v for name in ("clients", "staff", "equality_language", "wellbeing", "finances")
           for k, v in _translated(i, name).items()},
    }, i) for i in impacts]

    sheets["goals"] = [Item({"code": g.code, **_translated(g, "name")}, g)
                       for g in m.Goal.objects.filter(version=version).order_by("order", "code", "pk")]
    return snapshot


def empty_snapshot() -> Snapshot:
    return Snapshot(version=None, sheets={sheet.key: [] for sheet in fmt.SHEETS})
