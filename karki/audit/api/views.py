"""The audit trail of a programme as JSON. Read-only: there is no API that writes history."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .. import history
from ..forms import HistoryFilterForm
from ..history import SYSTEM_USER
from ..permissions import get_programme_history_for_user
from . import serializers as s

PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT, description="Page number, 1 = newest entries."),
    OpenApiParameter("version", OpenApiTypes.INT, description="Only this version number."),
    OpenApiParameter("user", OpenApiTypes.STR, description=f"A user's id, or `{SYSTEM_USER}` for changes "
                                                           "without a person."),
    OpenApiParameter("kind", OpenApiTypes.STR, description="Kind of object, e.g. `measure`."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="From this date (Helsinki time), inclusive."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Up to this date (Helsinki time), inclusive."),
]


def entry_data(entry: history.Entry) -> dict:
    user = entry.user
    return {
        "date": entry.when,
        "user": {"id": user.pk, "username": user.get_username(), "full_name": user.get_full_name()} if user else None,
        "action": entry.action, "model": entry.model_name, "object_id": entry.object_id,
        "object_code": entry.identifier, "version": entry.version_number, "change_reason": entry.reason,
        "summary": entry.summary, "approved_by": entry.approved_by, "approved_at": entry.approved_at,
        "changes": [vars(change) for change in entry.changes],
    }


@extend_schema(parameters=PARAMETERS, responses=s.HistoryPageSerializer,
               summary="Audit trail of a programme: who changed what and when, newest first")
@api_view(["GET"])
def programme_history(request, slug: str):
    programme = get_programme_history_for_user(request, slug)
    form = HistoryFilterForm(request.query_params, versions=programme.versions.order_by("number"),
                             users=history.people(history.programme_sources(programme)))
    page = history.history_page(history.programme_sources(programme, form.filters()),
                                request.query_params.get("page"))
    data = {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
            "results": [entry_data(entry) for entry in page.entries]}
    return Response(s.HistoryPageSerializer(data).data)
