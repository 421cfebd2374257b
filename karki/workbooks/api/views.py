"""The workbook in the API, for scripts: a version as .xlsx and the empty template, in the language asked
for (`lang`, else the Accept-Language header). Same permissions as the pages; files are made at once."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.renderers import BaseRenderer

from karki.accounts import permissions as perms
from karki.core import api
from karki.core.api import JSONRenderer
from karki.organisations.permissions import get_organisation_for_user
from karki.programmes.api.views import VERSION_PARAM, _version

from .. import export
from ..snapshot import read_version

LANG_PARAM = api.LANG.openapi()
XLSX = {(200, export.CONTENT_TYPE): OpenApiTypes.BINARY}
NO_FORMAT = OpenApiParameter("format", exclude=True)  # the answer is always the workbook (errors are JSON)


class XlsxRenderer(BaseRenderer):
    media_type = export.CONTENT_TYPE
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):  # pragma: no cover - errors are JSON
        return data


def _language(request) -> str:
    return api.read_query(request, api.LANG)["lang"] or (get_language() or "fi")[:2]


@extend_schema(parameters=[VERSION_PARAM, LANG_PARAM, NO_FORMAT], responses=XLSX,
               summary="A programme version as an Excel workbook (the import format, values only)")
@api_view(["GET"])
@renderer_classes([JSONRenderer, XlsxRenderer])
def version_workbook(request, slug: str):
    _language(request)  # a malformed language is refused before any work
    version = _version(request, slug)
    organisation = version.programme.organisation
    with_people = perms.is_member(request.user, organisation.pk)  # usernames only for the organisation's own
    data = export.write_workbook(read_version(version, with_people=with_people), organisation=organisation,
                                 language=_language(request), every_org_unit=with_people)
    return export.response(data, export.file_name(version))


@extend_schema(parameters=[LANG_PARAM, NO_FORMAT], responses=XLSX,
               summary="The empty programme workbook, with the organisation's org-unit codes")
@api_view(["GET"])
@renderer_classes([JSONRenderer, XlsxRenderer])
def template(request, slug: str):
    organisation = get_organisation_for_user(request, slug)
    language = _language(request)
    data = export.write_workbook(None, organisation=organisation, language=language)
    return export.response(data, export.template_file_name())
