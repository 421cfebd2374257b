"""Load the demo programmes transcribed from the county documents (see data/SCHEMA.md).

Everything goes through the same service functions the application uses, and is marked as
sample data. Loading is idempotent: a programme that already exists is left as it is.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from karki.accounts.enums import Role
from karki.accounts.models import Membership
from karki.audit.recording import change_reason
from karki.core.content import set_translations
from karki.lib.money import to_decimal
from karki.organisations.enums import OrgUnitLevel
from karki.organisations.models import Organisation, OrgUnit
from karki.programmes import services
from karki.programmes.enums import Basket, FundingKind, TopDownDimension
from karki.programmes.models import (
    Funding,
    FundingAllocation,
    Goal,
    ImpactAssessment,
    Indicator,
    Measure,
    Programme,
    Project,
    ProjectMeasure,
    Risk,
    StatedTotal,
    Target,
    Theme,
    TopDownTarget,
    YearlyRampStep,
)

from .baskets import apply_invented_basket_figures, load_demo_basket_decisions
from .books import load_demo_books
from .okr import load_demo_okr
from .projects import apply_invented_project_links, issue_invented_funder_report, write_invented_follow_up
from .public import publish_demo_site
from .reports import load_demo_reports, load_demo_verifications

DATA_DIR = Path(__file__).parent / "data"
DEMO_PROGRAMMES = [
    ("ita-uusimaa", ["ita-uusimaa.v1.json", "ita-uusimaa.v2.json"]),
    ("kymenlaakso", ["kymenlaakso.json"]),
]
# Which demo users own what, so that the owner roles have something of their own.
DEMO_OWNERSHIP = {
    "ita-uusimaa": {"theme": "1", "measures_of_theme": "3"},
    "kymenlaakso": {"theme": "1", "measures_of_theme": "3"},
}
ROLE_SLUGS = {
    Role.PMO: "pmo", Role.THEME_OWNER: "theme-owner", Role.MEASURE_OWNER: "measure-owner",
    Role.FINANCE: "finance", Role.VIEWER: "viewer", Role.ADMIN: "admin",
}


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    password: str = ""


def read_programme_files(names: list[str]) -> dict:
    merged: dict = {"versions": []}
    for name in names:
        data = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
        for key in ("organisation", "programme"):
            if key in data:
                merged[key] = data[key]
        merged["versions"].extend(data.get("versions", []))
    return merged


@change_reason("load_demo")  # every history row it writes says it came from the demo loader
def load_demo(*, password: str | None = None, stdout=None) -> LoadResult:
    result = LoadResult(password=password or secrets.token_urlsafe(12))
    admin = _ensure_user("admin", result.password, superuser=True)
    result.users.append("admin")
    for _org_slug, files in DEMO_PROGRAMMES:
        data = read_programme_files(files)
        organisation = _ensure_organisation(data["organisation"], by=admin)
        users = _ensure_role_users(organisation, result.password)
        result.users.extend(u.username for u in users.values())
        slug = data["programme"]["slug"]
        if Programme.objects.filter(slug=slug).exists():
            result.skipped.append(slug)
        else:
            _load_programme(organisation, data, users=users, by=users[Role.PMO])
            result.created.append(slug)
        if load_demo_okr(organisation, users=users):  # invented sample key results and check-ins
            result.created.append(f"{organisation.slug}: OKR")
        load_demo_reports(Programme.objects.get(slug=slug), users=users,
                          each_month=write_invented_follow_up)  # the sample project's follow-up too
        issue_invented_funder_report(Programme.objects.get(slug=slug), users=users)
        if _org_slug == "kymenlaakso":  # finance's verification of the claims (invented sample data)
            load_demo_verifications(Programme.objects.get(slug=slug), users=users)
        load_demo_basket_decisions(Programme.objects.get(slug=slug), users=users)  # invented sample data
        if load_demo_books(organisation, users=users):  # invented sample data: a year of the books
            result.created.append(f"{organisation.slug}: books")
        if publish_demo_site(Programme.objects.get(slug=slug), users=users):  # Kymenlaakso, to residents
            result.created.append(f"{slug}: public site")
    return result


def _ensure_user(username: str, password: str, *, superuser: bool = False):
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username)
    user.is_superuser = superuser
    user.is_staff = superuser
    user.set_password(password)
    user.save()
    return user


def _ensure_role_users(organisation: Organisation, password: str) -> dict[str, object]:
    users = {}
    for role in [Role.PMO, Role.THEME_OWNER, Role.MEASURE_OWNER, Role.FINANCE, Role.VIEWER, Role.ADMIN]:
        user = _ensure_user(f"{ROLE_SLUGS[role]}.{organisation.slug}", password)
        if role in (Role.MEASURE_OWNER, Role.THEME_OWNER) and not user.email:
            # The owners are reminded of missing reports; a reserved example domain (RFC 2606), so the
            # demo's reminders reach the console e-mail backend only.
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        users[role] = user
    return users


@transaction.atomic
def _ensure_organisation(data: dict, *, by) -> Organisation:
    organisation = Organisation.objects.filter(slug=data["slug"]).first()
    if organisation is None:
        organisation = Organisation(slug=data["slug"], is_sample_data=True)
        set_translations(organisation, "name", data["name"])
        organisation._history_user = by
        organisation.save()

    def add(units: list[dict], parent: OrgUnit | None, level: str) -> None:
        for order, unit in enumerate(units, start=1):
            node = OrgUnit.objects.filter(organisation=organisation, code=unit["code"]).first()
            if node is None:
                node = OrgUnit(organisation=organisation, code=unit["code"], parent=parent, level=level, order=order)
                set_translations(node, "name", unit["name"])
                node._history_user = by
                node.save()
            add(unit.get("children") or [], node, OrgUnitLevel.RESULT_AREA)

    add(data.get("org_units") or [], None, OrgUnitLevel.SERVICE_AREA)
    return organisation


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _content(model, *, version, by, translated: dict | None = None, **fields):
    obj = model(version=version, **fields)
    for name, value in (translated or {}).items():
        set_translations(obj, name, value or {})
    obj._history_user = by
    obj.save()
    return obj


@transaction.atomic
def _load_programme(organisation: Organisation, data: dict, *, users: dict, by) -> Programme:
    p = data["programme"]
    programme = services.create_programme(
        organisation=organisation, slug=p["slug"], name=p["name"], period_start=p["period_start"],
        period_end=p["period_end"], by=by, target_eur=to_decimal(p.get("target_eur")),
        target_year=p.get("target_year"), is_sample_data=True,
        deficit_eur=to_decimal(p.get("deficit_eur")), deficit_year=p.get("deficit_year"),
        target_description=p.get("target_description") or {}, baseline_label=p.get("baseline_label") or {},
        decision_body=p.get("decision_body") or {}, baseline_year=p.get("baseline_year"),
        baseline_operating_costs_eur=to_decimal(p.get("baseline_operating_costs_eur")),
        decision_date=_date(p.get("decision_date")), decision_reference=p.get("decision_reference") or "",
    )
    units = {u.code: u for u in OrgUnit.objects.filter(organisation=organisation)}
    ownership = DEMO_OWNERSHIP.get(organisation.slug, {})
    for v in sorted(data["versions"], key=lambda item: item["number"]):
        version = services.create_version(
            programme=programme, by=by, label=v.get("label"), date=_date(v.get("date")), source=v.get("source") or "",
            stated_total_eur=to_decimal(v.get("stated_total_eur")),
            effects_start_year=min((s["year"] for s in v.get("yearly_ramp") or []), default=None)
            or programme.period_start + (1 if programme.period_end - programme.period_start >= 3 else 0),
        )
        _load_version(version, v, units=units, users=users, ownership=ownership, by=by)
        apply_invented_basket_figures(version, by=by)  # invented sample data, kept apart from the JSON
        apply_invented_project_links(version, by=by)  # invented sample project (karki/demo/projects.py)
        if v.get("status") == "approved":
            services.approve_version(version=version, by=by, date=_date(v.get("date")))
    return programme


def _load_version(version, v: dict, *, units: dict, users: dict, ownership: dict, by) -> None:
    themes: dict[str, Theme] = {}
    measures: dict[str, Measure] = {}
    for t in v.get("themes") or []:
        owner = users.get(Role.THEME_OWNER) if t["code"] == ownership.get("theme") else None
        theme = services.create_theme(version=version, code=t["code"], name=t["name"],
                                      description=t.get("description"), owner=owner, by=by)
        themes[t["code"]] = theme
        for stated in t.get("stated_totals") or []:
            _content(StatedTotal, version=version, by=by, theme=theme, amount_eur=to_decimal(stated["amount_eur"]),
                     source=stated.get("source") or "")
        for tg in t.get("targets") or []:
            target = services.create_target(
                theme=theme, code=tg["code"], name=tg["name"], description=tg.get("description"),
                estimate=tg.get("estimate"), org_unit=units.get(tg.get("org_unit") or ""),
                potential_class_stated=tg.get("potential_class_stated") or "", difficulty=tg.get("difficulty") or "",
                by=by,
            )
            for m in tg.get("measures") or []:
                owner = users.get(Role.MEASURE_OWNER) if t["code"] == ownership.get("measures_of_theme") else None
                measures[m["code"]] = services.create_measure(
                    version=version, target=target, code=m["code"], name=m["name"], description=m.get("description"),
                    horizon=m.get("horizon") or "", difficulty=m.get("difficulty") or "", estimate=m.get("estimate"),
                    org_unit=units.get(m.get("org_unit") or ""), owner=owner, by=by,
                )
    for b in v.get("basket_measures") or []:
        measures[b["code"]] = services.create_measure(
            version=version, code=b["code"], name=b["name"], description=b.get("description"),
            basket=Basket(b["basket"]), by=by,
        )
    for step in v.get("yearly_ramp") or []:
        _content(YearlyRampStep, version=version, by=by, year=step["year"], savings_eur=to_decimal(step["savings_eur"]))
    for order, row in enumerate(v.get("cost_category_targets") or [], start=1):
        low, high = sorted([to_decimal(row["cost_change_min_eur"]), to_decimal(row["cost_change_max_eur"])],
                           key=lambda x: x if x is not None else 0)
        if low is None or high is None:
            low = high = low if low is not None else high
        _content(TopDownTarget, version=version, by=by, translated={"note": row.get("note")},
                 dimension=TopDownDimension.COST_CATEGORY, category=row["category"], cost_change_min_eur=low,
                 cost_change_max_eur=high, years=row.get("years") or "", order=order)
    for order, row in enumerate(v.get("service_area_targets") or [], start=1):
        low, high = sorted([to_decimal(row["cost_change_min_eur"]), to_decimal(row["cost_change_max_eur"])])
        _content(TopDownTarget, version=version, by=by, translated={"note": row.get("note")},
                 dimension=TopDownDimension.SERVICE_AREA, org_unit=units[row["org_unit"]], cost_change_min_eur=low,
                 cost_change_max_eur=high, years=row.get("years") or "", order=order)
    for f in v.get("funding") or []:
        funding = _content(
            Funding, version=version, by=by, translated={"name": f["name"], "note": f.get("note")}, code=f["code"],
            kind=FundingKind(f.get("kind") or "grant"), total_eur=to_decimal(f.get("total_eur")),
            grant_share_eur=to_decimal(f.get("grant_share_eur")), own_share_eur=to_decimal(f.get("own_share_eur")),
        )
        for order, a in enumerate(f.get("allocations") or [], start=1):
            _content(
                FundingAllocation, version=version, by=by,
                translated={"note": a.get("note"), "label": a.get("label")}, funding=funding,
                theme=themes.get(a.get("theme") or ""), share_pct_min=to_decimal(a.get("share_pct_min")),
                share_pct_max=to_decimal(a.get("share_pct_max")), amount_eur=to_decimal(a.get("amount_eur")),
                order=order,
            )
    for pr in v.get("projects") or []:
        project = _content(
            Project, version=version, by=by, translated={"name": pr["name"], "description": pr.get("description")},
            code=pr["code"], total_cost_eur=to_decimal(pr.get("total_cost_eur")),
            grant_share_eur=to_decimal(pr.get("grant_share_eur")), own_share_eur=to_decimal(pr.get("own_share_eur")),
        )
        for code in pr.get("measures") or []:
            _content(ProjectMeasure, version=version, by=by, project=project, measure=measures[code])
    for order, i in enumerate(v.get("indicators") or [], start=1):
        _content(
            Indicator, version=version, by=by, translated={"name": i["name"], "note": i.get("note")}, code=i["code"],
            unit=i.get("unit") or "", direction=i.get("direction") or "",
            baseline_value=to_decimal(i.get("baseline_value")),
            baseline_year=i.get("baseline_year"), target_value=to_decimal(i.get("target_value")),
            deadline=_date(i.get("deadline")), theme=themes.get(i.get("theme") or ""), order=order,
        )
    for order, r in enumerate(v.get("risks") or [], start=1):
        _content(
            Risk, version=version, by=by,
            translated={"title": r["title"], "description": r.get("description"), "mitigation": r.get("mitigation")},
            code=r["code"], category=r.get("category") or "other", likelihood=r.get("likelihood"),
            impact=r.get("impact"), owner_name=r.get("owner") or "", order=order,
        )
    for dep in v.get("dependencies") or []:
        services.add_dependency(measure=measures[dep["measure"]], depends_on=measures[dep["depends_on"]],
                                note=dep.get("note"), by=by)
    for ia in v.get("impact_assessments") or []:
        _content(
            ImpactAssessment, version=version, by=by,
            translated={k: ia.get(k) for k in ("clients", "staff", "equality_language", "wellbeing", "finances")},
            measure=measures.get(ia.get("measure") or ""), theme=themes.get(ia.get("theme") or ""),
        )
    for order, g in enumerate(v.get("goals") or [], start=1):
        _content(Goal, version=version, by=by, translated={"name": g["name"]}, code=g["code"], order=order)
    # Sanity: every target belongs to this version (guards hand-edited data files).
    assert not Target.objects.filter(version=version).exclude(theme__version=version).exists()
