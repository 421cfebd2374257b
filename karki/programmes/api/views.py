"""Read endpoints of the public API. Permissions are the same as in the browser."""

from __future__ import annotations

from collections import defaultdict

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.accounts import permissions as perms
from karki.core import api
from karki.core.content import translations
from karki.figures import read as figures
from karki.lib import money

from ..models import Indicator, Measure, MeasureDependency, Programme, ProgrammeVersion, Risk, Target, Theme
from ..permissions import get_programme_for_user, get_version
from . import serializers as s

VERSION_PARAM = api.VERSION.openapi()


def _none(value):
    return value if value not in ("", None) else None


def _version(request, slug):
    programme = get_programme_for_user(request, slug)
    return get_version(programme, api.read_query(request, api.VERSION)["version"], request.user)


def _uncertainty(rollup: money.Rollup) -> dict:
    return {
        "ranges": rollup.count("range"), "upper_bounds": rollup.count("upper_bound"),
        "to_be_specified": rollup.count("to_be_specified"), "enabling": rollup.count("enabling"),
        "without_estimate": rollup.count("missing"), "uncertain_items": rollup.uncertain_items,
        "uncertain_expected_eur": rollup.uncertain_expected,
    }


def _total(rollup: money.Rollup) -> dict:
    return {
        "savings_min_eur": rollup.minimum, "savings_expected_eur": rollup.expected,
        "savings_max_eur": rollup.maximum, "uncertainty": _uncertainty(rollup), "open_ended": rollup.open_ended,
    }


def _estimate(item) -> dict | None:
    estimate = item.estimate
    if estimate is None:
        return None
    cls = estimate.potential_class
    return {
        "kind": str(estimate.kind), "recurrence": item.estimate_recurrence,
        "amount_eur": estimate.amount, "savings_min_eur": estimate.minimum,
        "savings_expected_eur": estimate.expected, "savings_max_eur": estimate.maximum,
        "potential_class": str(cls) if cls else None, "note": translations(item, "estimate_note"),
    }


def contingency_data(measure: Measure) -> dict:
    return {
        "contingency_rank": measure.contingency_rank, "service_level_impact": _none(measure.service_level_impact),
        "service_level_effect": translations(measure, "service_level_effect"),
    }


def programme_data(programme: Programme, user) -> dict:
    visible = set(ProgrammeVersion.objects.visible_to(user, programme).values_list("pk", flat=True))
    return {
        "slug": programme.slug, "name": translations(programme, "name"),
        "organisation": programme.organisation.slug, "organisation_name": translations(programme.organisation, "name"),
        "period_start": programme.period_start, "period_end": programme.period_end,
        "target_eur": programme.target_eur, "target_year": programme.target_year,
        "deficit_eur": programme.deficit_eur, "deficit_year": programme.deficit_year,
        "is_sample_data": programme.is_sample_data,
        "versions": [
            {"number": v.number, "label": translations(v, "label"), "date": v.date, "status": v.status,
             "approved_at": v.approved_at}
            for v in sorted(programme.versions.all(), key=lambda v: v.number) if v.pk in visible
        ],
    }


@extend_schema(responses=s.ProgrammeSerializer(many=True), summary="Programmes the user may see")
@api_view(["GET"])
def programme_list(request):
    programmes = Programme.objects.visible_to(request.user).with_versions()
    return Response(s.ProgrammeSerializer([programme_data(p, request.user) for p in programmes], many=True).data)


@extend_schema(responses=s.ProgrammeSerializer, summary="One programme with its versions")
@api_view(["GET"])
def programme_detail(request, slug: str):
    programme = get_programme_for_user(request, slug)
    return Response(s.ProgrammeSerializer(programme_data(programme, request.user)).data)


@extend_schema(parameters=[VERSION_PARAM], responses=s.SummarySerializer,
               summary="Savings of a programme version: totals, themes, years, cost categories, warnings")
@api_view(["GET"])
def programme_summary(request, slug: str):
    version = _version(request, slug)
    summary = figures.summary(version)
    programme = version.programme
    data = {
        "programme": programme.slug, "version": version.number, "version_status": version.status,
        "target_eur": programme.target_eur, "target_year": programme.target_year, "gap_eur": summary.gap_eur,
        "stated_total_eur": version.stated_total_eur,
        "total": _total(summary.total),
        "themes": [
            {
                "code": row.theme.code, "name": translations(row.theme, "name"), **_total(row.rollup),
                "stated_savings_eur": row.stated_savings_eur,
                "stated_totals": [{"amount_eur": str(st.amount_eur), "source": st.source} for st in row.stated],
                "targets": len(row.targets), "measures": row.measure_count,
            }
            for row in summary.themes
        ],
        "by_year": [
            {"year": y.year, "savings_expected_eur": y.savings_expected_eur, "cumulative_savings_eur": y.cumulative_eur,
             "source": y.source}
            for y in summary.by_year
        ],
        "by_cost_category": [
            {
                "category": row.category, "cost_change_min_eur": row.shown.low, "cost_change_max_eur": row.shown.high,
                "source": row.source,
                "target_cost_change_min_eur": row.top_down.low if row.top_down else None,
                "target_cost_change_max_eur": row.top_down.high if row.top_down else None,
            }
            for row in summary.by_cost_category
        ],
        "by_service_area": [
            {
                "org_unit": row.org_unit.code if row.org_unit else None,
                "name": translations(row.org_unit, "name") if row.org_unit else None,
                "savings_expected_eur": row.rollup.expected,
                "target_cost_change_min_eur": row.top_down.low if row.top_down else None,
                "target_cost_change_max_eur": row.top_down.high if row.top_down else None,
                "gap_eur": row.gap_to_top_down_eur,
            }
            for row in summary.by_org_unit
        ],
        "contingency": {basket: [m.code for m in items] for basket, items in summary.contingency.items()},
        "warnings": summary.warnings,
    }
    return Response(s.SummarySerializer(data).data)


def with_people(request, version) -> bool:
    """Usernames are for the organisation's own people (they write them back). A reader of a published
    version from another organisation gets the owner's name as written in the programme, as in the web
    page and the workbook export, not the person's user account."""
    return perms.is_member(request.user, version.programme.organisation_id)


def owner_value(owner, owner_name: str, *, people: bool) -> str | None:
    return owner.get_username() if owner is not None and people else _none(owner_name)


def theme_data(theme: Theme, *, people: bool = True) -> dict:
    return {"code": theme.code, "name": translations(theme, "name"), "description": translations(theme, "description"),
            "owner": owner_value(theme.owner, theme.owner_name, people=people),
            "revision": theme.revision}


def theme_list_data(request, slug: str) -> list[dict]:
    version = _version(request, slug)
    themes = Theme.objects.filter(version=version).select_related("owner").order_by("order", "code")
    people = with_people(request, version)
    return s.ThemeSerializer([theme_data(t, people=people) for t in themes], many=True).data


def target_data(target: Target) -> dict:
    return {"code": target.code, "theme": target.theme.code, "name": translations(target, "name"),
            "description": translations(target, "description"), "estimate": _estimate(target),
            "potential_class_stated": _none(target.potential_class_stated), "difficulty": _none(target.difficulty),
            "org_unit": target.org_unit.code if target.org_unit else None, "revision": target.revision}


def target_list_data(request, slug: str) -> list[dict]:
    version = _version(request, slug)
    targets = Target.objects.filter(version=version).select_related("theme", "org_unit").order_by("order", "code")
    return s.TargetSerializer([target_data(t) for t in targets], many=True).data


def measure_list_data(request, slug: str) -> list[dict]:
    version = _version(request, slug)
    depends: dict[int, list[str]] = defaultdict(list)
    for measure_id, code in MeasureDependency.objects.filter(version=version).values_list(
            "measure_id", "depends_on__code"):
        depends[measure_id].append(code)
    measures = Measure.objects.filter(version=version).select_related("target__theme", "org_unit", "owner")
    people = with_people(request, version)
    data = [
        {"code": m.code, "theme": m.target.theme.code if m.target else None,
         "target": m.target.code if m.target else None, "basket": m.basket, "name": translations(m, "name"),
         "description": translations(m, "description"), "horizon": _none(m.horizon),
         "difficulty": _none(m.difficulty), "estimate": _estimate(m),
         "org_unit": m.org_unit.code if m.org_unit else None,
         "owner": owner_value(m.owner, m.owner_name, people=people), "depends_on": sorted(depends[m.pk]),
         **contingency_data(m), "revision": m.revision}
        for m in measures.order_by("order", "code")
    ]
    return s.MeasureSerializer(data, many=True).data


def risk_list_data(request, slug: str) -> list[dict]:
    version = _version(request, slug)
    data = [
        {"code": r.code, "category": r.category, "title": translations(r, "title"),
         "description": translations(r, "description"), "likelihood": r.likelihood, "impact": r.impact,
         "mitigation": translations(r, "mitigation"), "owner": _none(r.owner_name),
         "theme": r.theme.code if r.theme else None, "revision": r.revision}
        for r in Risk.objects.filter(version=version).select_related("theme")
    ]
    return s.RiskDetailSerializer(data, many=True).data


@extend_schema(parameters=[VERSION_PARAM], responses=s.IndicatorSerializer(many=True),
               summary="Programme indicators of a version")
@api_view(["GET"])
def indicator_list(request, slug: str):
    version = _version(request, slug)
    data = [
        {"code": i.code, "name": translations(i, "name"), "unit": i.unit, "direction": _none(i.direction),
         "baseline_value": i.baseline_value, "baseline_year": i.baseline_year, "target_value": i.target_value,
         "deadline": i.deadline, "theme": i.theme.code if i.theme else None}
        for i in Indicator.objects.filter(version=version).select_related("theme")
    ]
    return Response(s.IndicatorSerializer(data, many=True).data)
