"""OKR endpoints: the same permission resolver and services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status as http
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.accounts import permissions as perms
from karki.core.api import ProblemSerializer, refusal
from karki.programmes.api.edits import problem

from .. import services, status
from ..models import KeyResult
from ..permissions import get_key_result_for_user, get_okr_organisation_for_user
from . import serializers as s


def _unit_names(unit):
    if unit.parent_id:
        return unit.parent.name, unit.name
    return unit.name, None


def key_result_data(kr: KeyResult, found: status.KeyResultStatus, user) -> dict:
    service_area, result_area = _unit_names(kr.objective.org_unit)
    return {
        "id": kr.pk, "objective": kr.objective.title, "language": kr.objective.language,
        "service_area": service_area, "result_area": result_area, "text": kr.text, "metric": kr.metric,
        "unit": kr.unit, "baseline": kr.baseline, "target": kr.target, "direction": kr.direction,
        "deadline": kr.deadline,
        "measures": [f"{link.programme.slug}:{link.measure_code}" for link in kr.measure_links.all()],
        "latest_value": found.value, "latest_confidence": found.confidence, "expected_value": found.expected,
        "at_risk": found.at_risk, "risk_reasons": list(found.reasons),
        "can_check_in": perms.can_check_in(user, kr), "is_sample_data": kr.objective.is_sample_data,
    }


@extend_schema(responses={200: s.KeyResultSerializer(many=True), 404: ProblemSerializer},
               summary="Key results of an organisation with their at-risk flags")
@api_view(["GET"])
def key_result_list(request, slug: str):
    organisation = get_okr_organisation_for_user(request, slug)
    key_results = list(KeyResult.objects.for_organisation(organisation)
                       .prefetch_related("measure_links__programme"))
    found = status.statuses(key_results)
    data = [key_result_data(kr, found[kr.pk], request.user) for kr in key_results]
    return Response(s.KeyResultSerializer(data, many=True).data)  # figures as decimal strings


@extend_schema(methods=["GET"], responses={200: s.CheckInRowSerializer(many=True), 404: ProblemSerializer},
               summary="A key result's check-ins, newest first",
               description="Date, value, confidence, whether the confidence is used (not marked as wrong), "
                           "comment and the imported table's file and row. Decimals are strings.")
@extend_schema(methods=["POST"], request=s.CheckInSerializer,
               responses={201: s.CheckInSerializer, 400: ProblemSerializer, 403: ProblemSerializer,
                          404: ProblemSerializer},
               summary="Submit a check-in: the current value, a 0–100 confidence, a comment")
@api_view(["GET", "POST"])
def check_in(request, slug: str, pk: int):
    organisation = get_okr_organisation_for_user(request, slug)
    key_result = get_key_result_for_user(request, organisation, pk)
    if request.method == "GET":
        rows = [{"id": c.pk, "date": c.date, "value": c.value, "confidence": c.confidence,
                 "confidence_used": c.confidence_used, "comment": c.comment, "source_file": c.source_file,
                 "source_row": c.source_row, "recorded_at": c.created_at} for c in key_result.check_ins.all()]
        return Response(s.CheckInRowSerializer(rows, many=True).data)
    if not perms.can_check_in(request.user, key_result):
        return refusal(_("You may not check in on this key result."), code="permission_denied",
                       status_code=http.HTTP_403_FORBIDDEN)
    serializer = s.CheckInSerializer(data=request.data)
    if not serializer.is_valid():
        return refusal(_("The check-in was not saved."), errors=serializer.errors)
    data = serializer.validated_data
    try:
        entry = services.check_in(key_result=key_result, on=data["date"], value=data.get("value"),
                                  confidence=data.get("confidence"), comment=data.get("comment", ""),
                                  by=request.user)
    except ValidationError as error:
        return problem(error)
    return Response(s.CheckInSerializer({"date": entry.date, "value": entry.value, "confidence": entry.confidence,
                                         "comment": entry.comment, "by": request.user.get_username()}).data,
                    status=http.HTTP_201_CREATED)
