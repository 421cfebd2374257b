"""The audit trail of a programme as JSON. Read-only: there is no API that writes history."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from karki.core import api

from .. import history
from ..forms import HistoryFilterForm
from ..history import SYSTEM_USER
from ..permissions import get_programme_history_for_user
from . import serializers as s

PARAMETERS = [
    api.PAGE.openapi(),
    OpenApiParameter("version", {"type": "integer", "minimum": 1, "maximum": api.MAX_NUMBER},
                     description="Only this version number (one the programme has)."),
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
    number = api.read_query(request, api.PAGE)["page"]
    form = HistoryFilterForm(request.query_params, versions=programme.versions.order_by("number"),
                             users=history.people(history.programme_sources(programme)))
    if form.is_bound and not form.is_valid():  # the page shows such a filter as an error; the API refuses it
        raise api.Refused(_("The address has a value that cannot be read."), errors={
            ("non_field_errors" if name == "__all__" else name): list(messages)
            for name, messages in form.errors.items()})
    page = history.history_page(history.programme_sources(programme, form.filters()), number)
    data = {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
            "results": [entry_data(entry) for entry in page.entries]}
    return Response(s.HistoryPageSerializer(data).data)
