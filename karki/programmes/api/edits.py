"""Write endpoints of the API: the same services and the same permission resolver as the browser.

Every change needs the `revision` the client read; a newer stored revision answers 409 with what
changed meanwhile, so scripts cannot silently overwrite a person's edit (nor the other way round).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.accounts import permissions as perms
from karki.core.api import refusal
from karki.core.conflicts import StaleEdit
from karki.core.content import CONTENT_LANGUAGES, translations
from karki.organisations.models import OrgUnit

from .. import services
from ..models import Measure, MeasureDependency, Risk, Target, Theme
from ..permissions import (
    get_measure_for_user,
    get_programme_for_user,
    get_risk_for_user,
    get_target_for_user,
    get_theme_for_user,
    get_version_for_user,
)
from . import serializers as s
from .views import (
    VERSION_PARAM,
    _estimate,
    _none,
    _version,
    contingency_data,
    measure_list_data,
    owner_value,
    risk_list_data,
    target_data,
    target_list_data,
    theme_data,
    theme_list_data,
    with_people,
)

REVISION_PARAM = OpenApiParameter("revision", OpenApiTypes.INT, required=True,
                                  description="The revision you read; a newer stored one answers 409.")
PROBLEMS = {400: s.ProblemSerializer, 403: s.ProblemSerializer, 404: s.ProblemSerializer, 409: s.ProblemSerializer}


def problem(error: ValidationError) -> Response:
    """A refused write as JSON, in the user's language."""
    if isinstance(error, StaleEdit):
        return refusal(error.messages[0], code="stale_edit", status_code=status.HTTP_409_CONFLICT,
                       current_revision=error.current.revision,
                       changes=[{"field": field, "then": then, "now": now} for field, then, now in error.changes])
    errors = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    errors = {("non_field_errors" if name == "__all__" else name): messages for name, messages in errors.items()}
    return refusal(_("The change was not saved."), errors=errors)


def _refuse(message: str) -> Response:
    return refusal(message, code="permission_denied", status_code=status.HTTP_403_FORBIDDEN)


def _require_revision(data: dict) -> None:
    if data.get("revision") is None:
        raise ValidationError({"revision": [_("Give the revision you read, so that nobody's change is "
                                              "overwritten unseen.")]})


def _text(value: dict | None) -> dict:
    return {code: (value or {}).get(code, "") for code in CONTENT_LANGUAGES}


def _stored_text(obj, field: str) -> dict:
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in CONTENT_LANGUAGES}


def _estimate_payload(data: dict | None, item=None) -> dict | None:
    """The estimate as sent; a recurrence left out (a client from before it) keeps the stored one."""
    if data is None:
        return None
    recurrence = data.get("recurrence") or (item.estimate_recurrence if item is not None else "")
    return {"kind": data.get("kind") or "", "amount_eur": data.get("amount_eur"), "min_eur": data.get("min_eur"),
            "max_eur": data.get("max_eur"), "note": _text(data.get("note")), "recurrence": recurrence}


def _stored_estimate(item) -> dict:
    return {"kind": item.estimate_kind, "amount_eur": item.estimate_amount_eur, "min_eur": item.estimate_min_eur,
            "max_eur": item.estimate_max_eur, "note": _stored_text(item, "estimate_note"),
            "recurrence": item.estimate_recurrence}


def _by_code(model, version, code, field: str):
    if code in (None, ""):
        return None
    found = model.objects.filter(version=version, code=code).first()
    if found is None:
        raise ValidationError({field: [_("%(code)s is not in this version.") % {"code": code}]})
    return found


def _org_unit(version, code):
    if code in (None, ""):
        return None
    unit = OrgUnit.objects.filter(organisation_id=version.programme.organisation_id, code=code).first()
    if unit is None:
        raise ValidationError({"org_unit": [_("%(code)s is not an org unit of this organisation.") % {"code": code}]})
    return unit


def _user(version, username):
    """An owner among the organisation's own people; whether the name exists elsewhere is not told."""
    if username in (None, ""):
        return None
    user = get_user_model().objects.filter(
        username=username, is_active=True, memberships__organisation_id=version.programme.organisation_id).first()
    if user is None:
        raise ValidationError({"owner": [_("The owner must be a Kärki user of %(organisation)s.")
                                         % {"organisation": version.programme.organisation}]})
    return user


def measure_data(request, measure: Measure) -> dict:
    depends = sorted(MeasureDependency.objects.filter(measure=measure).values_list("depends_on__code", flat=True))
    return {
        "code": measure.code, "version": measure.version.number, "revision": measure.revision,
        "theme": measure.target.theme.code if measure.target else None,
        "target": measure.target.code if measure.target else None, "basket": measure.basket,
        "name": translations(measure, "name"), "description": translations(measure, "description"),
        "horizon": _none(measure.horizon), "difficulty": _none(measure.difficulty), "estimate": _estimate(measure),
        "org_unit": measure.org_unit.code if measure.org_unit else None,
        "owner": owner_value(measure.owner, measure.owner_name, people=with_people(request, measure.version)),
        "depends_on": depends, **contingency_data(measure),
        "can_edit": perms.can_edit_measure(request.user, measure),
        "can_edit_estimate": perms.can_edit_estimate(request.user, measure),
    }


def _measure_fields(request, version, data: dict, measure: Measure | None) -> dict:
    """The service's arguments: given values, stored ones for what the client left out."""
    def pick(key, stored):
        return data[key] if key in data else stored

    target = (_by_code(Target, version, data["target"], "target") if "target" in data
              else (measure.target if measure else None))
    if target is not None and (measure is None or target.pk != measure.target_id):
        if not perms.can_add_measure(request.user, version, target):
            raise PermissionDenied(_("You may not place measures under target %(code)s.") % {"code": target.code})
    if "owner" in data and (measure is None or data["owner"] != (measure.owner.get_username() if measure.owner
                                                                 else None)):
        if not perms.can_edit_programme(request.user, version.programme):
            raise PermissionDenied(_("Only the programme office assigns owners."))
    return {
        "code": pick("code", measure.code if measure else None),
        "name": _text(data["name"]) if "name" in data else _stored_text(measure, "name") if measure else {},
        "description": (_text(data["description"]) if "description" in data
                        else _stored_text(measure, "description") if measure else {}),
        "horizon": pick("horizon", measure.horizon if measure else "") or "",
        "difficulty": pick("difficulty", measure.difficulty if measure else "") or "",
        "estimate": (_estimate_payload(data["estimate"], measure) if "estimate" in data
                     else _stored_estimate(measure) if measure else None),
        "org_unit": _org_unit(version, data["org_unit"]) if "org_unit" in data else (measure.org_unit if measure
                                                                                     else None),
        "owner": _user(version, data["owner"]) if "owner" in data else (measure.owner if measure else None),
        "owner_name": pick("owner_name", measure.owner_name if measure else ""),
        "target": target,
        "contingency_rank": pick("contingency_rank", measure.contingency_rank if measure else None),
        "service_level_impact": pick("service_level_impact", measure.service_level_impact if measure else "") or "",
        "service_level_effect": (_text(data["service_level_effect"]) if "service_level_effect" in data
                                 else _stored_text(measure, "service_level_effect") if measure else {}),
    }


@extend_schema(methods=["GET"], parameters=[VERSION_PARAM], responses=s.MeasureSerializer(many=True),
               summary="Measures of a version with their estimates")
@extend_schema(methods=["POST"], parameters=[VERSION_PARAM], request=s.MeasureWriteSerializer,
               responses={201: s.MeasureDetailSerializer, **PROBLEMS}, summary="Add a measure to a draft version")
@api_view(["GET", "POST"])
def measures(request, slug: str):
    if request.method == "GET":
        return Response(measure_list_data(request, slug))
    version = _version(request, slug)
    serializer = s.MeasureWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        if not data.get("code"):
            raise ValidationError({"code": [_("Give the measure a code.")]})
        fields = _measure_fields(request, version, data, None)
        if not perms.can_add_measure(request.user, version, fields["target"]):
            raise PermissionDenied
        measure = services.create_measure(version=version, basket=data.get("basket", "A"), by=request.user, **fields)
    except ValidationError as error:
        return problem(error)
    return Response(s.MeasureDetailSerializer(measure_data(request, measure)).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], parameters=[VERSION_PARAM], responses=s.MeasureDetailSerializer,
               summary="One measure, with its revision and what the user may change")
@extend_schema(methods=["PATCH"], parameters=[VERSION_PARAM], request=s.MeasureWriteSerializer,
               responses={200: s.MeasureDetailSerializer, **PROBLEMS},
               summary="Change a measure of a draft version (fields left out are kept)")
@extend_schema(methods=["DELETE"], parameters=[VERSION_PARAM, REVISION_PARAM], responses={204: None, **PROBLEMS},
               summary="Remove a measure from a draft version")
@api_view(["GET", "PATCH", "DELETE"])
def measure_detail(request, slug: str, code: str):
    version = _version(request, slug)
    measure = get_measure_for_user(request, version, code)
    if request.method == "GET":
        return Response(s.MeasureDetailSerializer(measure_data(request, measure)).data)
    if request.method == "DELETE":
        if not (perms.can_edit_measure(request.user, measure)
                and perms.can_add_measure(request.user, version, measure.target)):
            raise PermissionDenied
        try:
            revision = request.query_params.get("revision")
            _require_revision({"revision": revision})
            services.delete_content(obj=measure, by=request.user, expected_revision=int(revision))
        except ValueError:
            return problem(ValidationError({"revision": [_("The revision is a whole number.")]}))
        except ValidationError as error:
            return problem(error)
        return Response(status=status.HTTP_204_NO_CONTENT)

    if not (perms.can_edit_measure(request.user, measure) or perms.can_edit_estimate(request.user, measure)):
        raise PermissionDenied
    serializer = s.MeasureWriteSerializer(data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        _require_revision(data)
        if perms.can_edit_measure(request.user, measure):
            measure = services.update_measure(measure=measure, by=request.user, expected_revision=data["revision"],
                                              **_measure_fields(request, version, data, measure))
        elif perms.can_edit_estimate(request.user, measure):
            if set(data) - {"estimate", "revision"}:
                return _refuse(_("You may change only the money figures of this measure."))
            if "estimate" in data:
                services.set_estimate(item=measure, estimate=_estimate_payload(data["estimate"], measure),
                                      by=request.user, expected_revision=data["revision"])
        else:
            raise PermissionDenied
    except ValidationError as error:
        return problem(error)
    measure.refresh_from_db()
    return Response(s.MeasureDetailSerializer(measure_data(request, measure)).data)


@extend_schema(parameters=[VERSION_PARAM], request=s.EstimateWriteSerializer,
               responses={200: s.MeasureDetailSerializer, **PROBLEMS},
               summary="Replace the money figure of a measure (programme office, finance, owners)")
@api_view(["PUT"])
def measure_estimate(request, slug: str, code: str):
    version = _version(request, slug)
    measure = get_measure_for_user(request, version, code)
    if not perms.can_edit_estimate(request.user, measure):
        raise PermissionDenied
    serializer = s.EstimateWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        services.set_estimate(item=measure, estimate=_estimate_payload(data["estimate"], measure), by=request.user,
                              expected_revision=data["revision"])
    except ValidationError as error:
        return problem(error)
    measure.refresh_from_db()
    return Response(s.MeasureDetailSerializer(measure_data(request, measure)).data)


# -- Risks -----------------------------------------------------------------------------------


def risk_data(risk: Risk) -> dict:
    return {
        "code": risk.code, "theme": risk.theme.code if risk.theme else None, "category": risk.category,
        "title": translations(risk, "title"), "description": translations(risk, "description"),
        "likelihood": risk.likelihood, "impact": risk.impact, "mitigation": translations(risk, "mitigation"),
        "owner": _none(risk.owner_name), "revision": risk.revision,
    }


def _risk_fields(request, version, data: dict, risk: Risk | None) -> dict:
    theme = _by_code(Theme, version, data["theme"], "theme") if "theme" in data else (risk.theme if risk else None)
    if (risk is None or theme != risk.theme) and not perms.can_add_risk(request.user, version, theme):
        raise PermissionDenied(_("You may not add risks there."))
    fields = {"theme": theme}
    for key in ("code", "category", "likelihood", "impact", "owner_name"):
        fields[key] = data[key] if key in data else (getattr(risk, key) if risk else None)
    fields["owner_name"] = fields["owner_name"] or ""
    for key in ("title", "description", "mitigation"):
        fields[key] = _text(data[key]) if key in data else (_stored_text(risk, key) if risk else {})
    return fields


@extend_schema(methods=["GET"], parameters=[VERSION_PARAM], responses=s.RiskDetailSerializer(many=True),
               summary="Risk register of a version")
@extend_schema(methods=["POST"], parameters=[VERSION_PARAM], request=s.RiskWriteSerializer,
               responses={201: s.RiskDetailSerializer, **PROBLEMS}, summary="Add a risk to a draft version")
@api_view(["GET", "POST"])
def risks(request, slug: str):
    if request.method == "GET":
        return Response(risk_list_data(request, slug))
    version = _version(request, slug)
    serializer = s.RiskWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        for key in ("code", "category", "title"):
            if not data.get(key):
                raise ValidationError({key: [_("This field is required.")]})
        risk = services.create_risk(version=version, by=request.user, **_risk_fields(request, version, data, None))
    except ValidationError as error:
        return problem(error)
    return Response(s.RiskDetailSerializer(risk_data(risk)).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], parameters=[VERSION_PARAM], responses=s.RiskDetailSerializer, summary="One risk")
@extend_schema(methods=["PATCH"], parameters=[VERSION_PARAM], request=s.RiskWriteSerializer,
               responses={200: s.RiskDetailSerializer, **PROBLEMS}, summary="Change a risk of a draft version")
@extend_schema(methods=["DELETE"], parameters=[VERSION_PARAM, REVISION_PARAM], responses={204: None, **PROBLEMS},
               summary="Remove a risk from a draft version")
@api_view(["GET", "PATCH", "DELETE"])
def risk_detail(request, slug: str, code: str):
    version = _version(request, slug)
    risk = get_risk_for_user(request, version, code, write=request.method != "GET")
    if request.method == "GET":
        return Response(s.RiskDetailSerializer(risk_data(risk)).data)
    if request.method == "DELETE":
        try:
            revision = request.query_params.get("revision")
            _require_revision({"revision": revision})
            services.delete_content(obj=risk, by=request.user, expected_revision=int(revision))
        except ValueError:
            return problem(ValidationError({"revision": [_("The revision is a whole number.")]}))
        except ValidationError as error:
            return problem(error)
        return Response(status=status.HTTP_204_NO_CONTENT)
    serializer = s.RiskWriteSerializer(data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        _require_revision(data)
        risk = services.update_risk(risk=risk, by=request.user, expected_revision=data["revision"],
                                    **_risk_fields(request, version, data, risk))
    except ValidationError as error:
        return problem(error)
    return Response(s.RiskDetailSerializer(risk_data(risk)).data)



# -- Themes and targets ------------------------------------------------------------------------


def _check_owner_change(request, version, data: dict, current_owner) -> None:
    if "owner" in data and data["owner"] != (current_owner.get_username() if current_owner else None):
        if not perms.can_edit_programme(request.user, version.programme):
            raise PermissionDenied(_("Only the programme office assigns owners."))


@extend_schema(methods=["GET"], parameters=[VERSION_PARAM], responses=s.ThemeSerializer(many=True),
               summary="Themes of a version")
@extend_schema(methods=["POST"], parameters=[VERSION_PARAM], request=s.ThemeWriteSerializer,
               responses={201: s.ThemeSerializer, **PROBLEMS}, summary="Add a theme to a draft version")
@api_view(["GET", "POST"])
def themes(request, slug: str):
    if request.method == "GET":
        return Response(theme_list_data(request, slug))
    version = _version(request, slug)
    if not perms.can_edit_version(request.user, version):
        raise PermissionDenied
    serializer = s.ThemeWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        if not data.get("code"):
            raise ValidationError({"code": [_("This field is required.")]})
        theme = services.create_theme(
            version=version, code=data["code"], name=_text(data.get("name")),
            description=_text(data.get("description")), owner=_user(version, data.get("owner")),
            owner_name=data.get("owner_name", ""), by=request.user)
    except ValidationError as error:
        return problem(error)
    return Response(s.ThemeSerializer(theme_data(theme)).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], parameters=[VERSION_PARAM], responses=s.ThemeSerializer, summary="One theme")
@extend_schema(methods=["PATCH"], parameters=[VERSION_PARAM], request=s.ThemeWriteSerializer,
               responses={200: s.ThemeSerializer, **PROBLEMS}, summary="Change a theme of a draft version")
@api_view(["GET", "PATCH"])
def theme_detail(request, slug: str, code: str):
    version = _version(request, slug)
    theme = get_theme_for_user(request, version, code, write=request.method != "GET")
    if request.method == "GET":
        return Response(s.ThemeSerializer(theme_data(theme, people=with_people(request, version))).data)
    serializer = s.ThemeWriteSerializer(data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        _require_revision(data)
        _check_owner_change(request, version, data, theme.owner)
        theme = services.update_theme(
            theme=theme, code=data.get("code", theme.code),
            name=_text(data["name"]) if "name" in data else _stored_text(theme, "name"),
            description=_text(data["description"]) if "description" in data else _stored_text(theme, "description"),
            owner=_user(version, data["owner"]) if "owner" in data else theme.owner,
            owner_name=data.get("owner_name", theme.owner_name), expected_revision=data["revision"], by=request.user)
    except ValidationError as error:
        return problem(error)
    return Response(s.ThemeSerializer(theme_data(theme)).data)


def _target_fields(version, data: dict, target: Target | None) -> dict:
    def pick(key, stored):
        return data[key] if key in data else stored

    return {
        "code": pick("code", target.code if target else None),
        "name": _text(data["name"]) if "name" in data else _stored_text(target, "name") if target else {},
        "description": (_text(data["description"]) if "description" in data
                        else _stored_text(target, "description") if target else {}),
        "estimate": (_estimate_payload(data["estimate"], target) if "estimate" in data
                     else _stored_estimate(target) if target else None),
        "org_unit": _org_unit(version, data["org_unit"]) if "org_unit" in data else (target.org_unit if target
                                                                                     else None),
        "potential_class_stated": pick("potential_class_stated", target.potential_class_stated if target else "") or "",
        "difficulty": pick("difficulty", target.difficulty if target else "") or "",
    }


@extend_schema(methods=["GET"], parameters=[VERSION_PARAM], responses=s.TargetSerializer(many=True),
               summary="Productivity targets of a version with their estimates")
@extend_schema(methods=["POST"], parameters=[VERSION_PARAM], request=s.TargetWriteSerializer,
               responses={201: s.TargetSerializer, **PROBLEMS}, summary="Add a productivity target to a theme")
@api_view(["GET", "POST"])
def targets(request, slug: str):
    if request.method == "GET":
        return Response(target_list_data(request, slug))
    version = _version(request, slug)
    serializer = s.TargetWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        theme = _by_code(Theme, version, data.get("theme"), "theme")
        if theme is None:
            raise ValidationError({"theme": [_("This field is required.")]})
        if not perms.can_edit_theme(request.user, theme):
            raise PermissionDenied
        if not data.get("code"):
            raise ValidationError({"code": [_("This field is required.")]})
        target = services.create_target(theme=theme, by=request.user, **_target_fields(version, data, None))
    except ValidationError as error:
        return problem(error)
    return Response(s.TargetSerializer(target_data(target)).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], parameters=[VERSION_PARAM], responses=s.TargetSerializer,
               summary="One productivity target")
@extend_schema(methods=["PATCH"], parameters=[VERSION_PARAM], request=s.TargetWriteSerializer,
               responses={200: s.TargetSerializer, **PROBLEMS},
               summary="Change a productivity target of a draft version (finance: the estimate only)")
@api_view(["GET", "PATCH"])
def target_detail(request, slug: str, code: str):
    version = _version(request, slug)
    target = get_target_for_user(request, version, code)
    if request.method == "GET":
        return Response(s.TargetSerializer(target_data(target)).data)
    if not (perms.can_edit_target(request.user, target) or perms.can_edit_estimate(request.user, target)):
        raise PermissionDenied
    serializer = s.TargetWriteSerializer(data=request.data, partial=True)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        _require_revision(data)
        if "theme" in data and data["theme"] != target.theme.code:
            raise ValidationError({"theme": [_("A target stays in its theme; add a new one to the other theme.")]})
        if perms.can_edit_target(request.user, target):
            target = services.update_target(target=target, by=request.user, expected_revision=data["revision"],
                                            **_target_fields(version, data, target))
        elif perms.can_edit_estimate(request.user, target):
            if set(data) - {"estimate", "revision", "theme"}:
                return _refuse(_("You may change only the money figures of this target."))
            if "estimate" in data:
                services.set_estimate(item=target, estimate=_estimate_payload(data["estimate"], target),
                                      by=request.user, expected_revision=data["revision"])
        else:
            raise PermissionDenied
    except ValidationError as error:
        return problem(error)
    target.refresh_from_db()
    return Response(s.TargetSerializer(target_data(target)).data)


# -- Dependencies -------------------------------------------------------------------------------


def _dependency_data(dependency: MeasureDependency) -> dict:
    return {"measure": dependency.measure.code, "depends_on": dependency.depends_on.code,
            "note": translations(dependency, "note")}


@extend_schema(parameters=[VERSION_PARAM], request=s.DependencyWriteSerializer,
               responses={201: s.DependencySerializer, **PROBLEMS},
               summary="Record that a measure waits for another (cycles are refused with the chain)")
@api_view(["POST"])
def dependencies(request, slug: str, code: str):
    version = _version(request, slug)
    measure = get_measure_for_user(request, version, code, write=True)
    serializer = s.DependencyWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    try:
        other = _by_code(Measure, version, data["depends_on"], "depends_on")
        dependency = services.add_dependency(measure=measure, depends_on=other, note=_text(data.get("note")),
                                             by=request.user)
    except ValidationError as error:
        return problem(error)
    return Response(s.DependencySerializer(_dependency_data(dependency)).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[VERSION_PARAM], responses={204: None, **PROBLEMS}, summary="Remove a dependency")
@api_view(["DELETE"])
def dependency_detail(request, slug: str, code: str, other: str):
    version = _version(request, slug)
    measure = get_measure_for_user(request, version, code, write=True)
    dependency = MeasureDependency.objects.filter(measure=measure, depends_on__code=other).first()
    if dependency is None:
        raise Http404
    try:
        services.delete_content(obj=dependency, by=request.user)
    except ValidationError as error:
        return problem(error)
    return Response(status=status.HTTP_204_NO_CONTENT)


# -- Versions -----------------------------------------------------------------------------------


def _version_data(version) -> dict:
    return {"number": version.number, "status": version.status, "approved_at": version.approved_at,
            "approved_by": version.approved_by.get_username() if version.approved_by else None,
            "published": version.publications.filter(withdrawn_at__isnull=True).exists()}


@extend_schema(request=None, responses={201: s.VersionActionSerializer, **PROBLEMS},
               summary="Start a new draft version as a copy of the latest approved one")
@api_view(["POST"])
def version_start(request, slug: str):
    programme = get_programme_for_user(request, slug)
    if not perms.can_edit_programme(request.user, programme):
        raise PermissionDenied
    try:
        version = services.start_new_version(programme=programme, by=request.user)
    except ValidationError as error:
        return problem(error)
    return Response(s.VersionActionSerializer(_version_data(version)).data, status=status.HTTP_201_CREATED)


@extend_schema(request=None, responses={200: s.VersionActionSerializer, **PROBLEMS},
               summary="Approve a draft version (it is frozen from then on)")
@api_view(["POST"])
def version_approve(request, slug: str, number: int):
    version = get_version_for_user(request, slug, number)
    if not perms.can_approve_version(request.user, version):
        raise PermissionDenied
    try:
        version = services.approve_version(version=version, by=request.user)
    except ValidationError as error:
        return problem(error)
    return Response(s.VersionActionSerializer(_version_data(version)).data)


@extend_schema(methods=["POST"], request=None, responses={200: s.VersionActionSerializer, **PROBLEMS},
               summary="Publish an approved version to signed-in users of other organisations")
@extend_schema(methods=["DELETE"], request=None, responses={200: s.VersionActionSerializer, **PROBLEMS},
               summary="Withdraw the publication of a version")
@api_view(["POST", "DELETE"])
def version_publication(request, slug: str, number: int):
    version = get_version_for_user(request, slug, number)
    if not perms.can_publish_version(request.user, version):
        raise PermissionDenied
    try:
        if request.method == "POST":
            services.publish_version(version=version, by=request.user)
        else:
            services.withdraw_publication(version=version, by=request.user)
    except ValidationError as error:
        return problem(error)
    return Response(s.VersionActionSerializer(_version_data(version)).data)
