"""A project's plan as the workbook's rows: what the export writes and what an import is compared with.

The values are those the reader returns for the same cells (texts "", codes, Decimals with the
column's places, dates, choice values), so a row read back from an exported workbook equals its row
here exactly and an unchanged plan compares as unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..models import (
    BudgetLine,
    BudgetShare,
    Funder,
    IndicatorValue,
    Milestone,
    Phase,
    Project,
    ProjectIndicator,
    ProjectRisk,
    WorkItem,
)
from . import format as fmt

LANGS = ("fi", "sv", "en")


@dataclass
class Item:
    values: dict[str, Any]
    obj: Any = None


@dataclass
class Snapshot:
    sheets: dict[str, list[Item]] = field(default_factory=dict)
    funder_codes: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for key in sorted(self.sheets):
            for item in self.sheets[key]:
                digest.update(repr((key, sorted(item.values.items()))).encode())
        return digest.hexdigest()[:32]


def _texts(obj, name: str) -> dict[str, str]:
    return {f"{name}_{code}": getattr(obj, f"{name}_{code}", "") or "" for code in LANGS}


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _number(value: Decimal | None, places: int = 4) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(1).scaleb(-places))


def _person(user) -> str:
    return user.get_username() if user is not None else ""


def empty_snapshot() -> Snapshot:
    return Snapshot(sheets={sheet.key: [] for sheet in fmt.SHEETS})


def read_project(project: Project | None) -> Snapshot:
    """The plan of `project` sheet by sheet (an empty one for a new project)."""
    if project is None:
        return empty_snapshot()
    snap = Snapshot()
    snap.sheets["project"] = [Item({
        "code": project.code, **_texts(project, "name"), **_texts(project, "description"),
        **_texts(project, "goals"), **_texts(project, "expected_results"), **_texts(project, "impacts"),
        **_texts(project, "dependencies"),
        "programme": project.programme.slug if project.programme_id else "",
        "owner": _person(project.owner), "owner_name": project.owner_name,
        "org_unit": project.org_unit.code if project.org_unit_id else "", "status": project.status,
        "start_date": project.start_date, "end_date": project.end_date,
    }, project)]

    items = list(WorkItem.objects.filter(project=project).select_related("parent").order_by("order", "code"))
    children: dict[int | None, list[WorkItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[WorkItem] = []

    def walk(parent_id):
        for item in children.get(parent_id, []):
            ordered.append(item)
            walk(item.pk)

    walk(None)
    snap.sheets["structure"] = [Item({
        "code": item.code, "kind": item.kind, "parent": item.parent.code if item.parent_id else "",
        **_texts(item, "name"), **_texts(item, "description")}, item) for item in ordered]

    funders = list(Funder.objects.filter(project=project).order_by("order", "code"))
    snap.funder_codes = [f.code for f in funders]
    snap.sheets["funders"] = [Item({
        "code": f.code, "kind": f.kind, **_texts(f, "name"),
        "max_share_pct": None if f.max_share_pct is None else f.max_share_pct.quantize(Decimal("0.01")),
        "funding_code": f.funding_code}, f) for f in funders]

    code_of = {f.pk: f.code for f in funders}
    shares: dict[int, dict[str, Decimal]] = {}
    for share in BudgetShare.objects.filter(line__project=project):
        shares.setdefault(share.line_id, {})[code_of[share.funder_id]] = _money(share.amount_eur)
    position = {item.pk: index for index, item in enumerate(ordered)}
    lines = sorted(BudgetLine.objects.filter(project=project).select_related("item"),
                   key=lambda line: (position.get(line.item_id, 0), line.year, line.cost_type))
    snap.sheets["budget"] = [Item({
        "item": line.item.code, "year": line.year, "cost_type": line.cost_type, "total_eur": _money(line.total_eur),
        "note": line.note,
        **{f"{fmt.SHARE_PREFIX}{code}": shares.get(line.pk, {}).get(code) for code in snap.funder_codes}},
        line) for line in lines]

    snap.sheets["phases"] = [Item({
        "code": p.code, **_texts(p, "name"), "start_date": p.start_date, "end_date": p.end_date}, p)
        for p in Phase.objects.filter(project=project).order_by("start_date", "order", "code")]
    snap.sheets["milestones"] = [Item({
        "code": m.code, **_texts(m, "name"), "due_date": m.due_date, "phase": m.phase.code if m.phase_id else "",
        "item": m.item.code if m.item_id else "", "owner": _person(m.owner), "owner_name": m.owner_name,
        **_texts(m, "deliverable")}, m)
        for m in Milestone.objects.filter(project=project).select_related("phase", "item", "owner")
        .order_by("due_date", "order", "code")]
    snap.sheets["risks"] = [Item({
        "code": r.code, "category": r.category, **_texts(r, "title"), **_texts(r, "description"),
        "likelihood": r.likelihood, "impact": r.impact, **_texts(r, "mitigation"), "owner": _person(r.owner),
        "owner_name": r.owner_name}, r)
        for r in ProjectRisk.objects.filter(project=project).select_related("owner").order_by("order", "code")]
    indicators = list(ProjectIndicator.objects.filter(project=project).order_by("order", "code"))
    snap.sheets["indicators"] = [Item({
        "code": i.code, **_texts(i, "name"), "unit": i.unit, "direction": i.direction,
        "baseline_value": _number(i.baseline_value), "baseline_date": i.baseline_date,
        "target_value": _number(i.target_value), "deadline": i.deadline}, i) for i in indicators]
    snap.sheets["values"] = [Item({
        "indicator": v.project_indicator.code, "measured_on": v.measured_on, "value": _number(v.value),
        "source": v.source}, v)
        for v in IndicatorValue.objects.filter(project_indicator__project=project)
        .select_related("project_indicator").order_by("project_indicator__order", "project_indicator__code",
                                                      "measured_on")]
    return snap
