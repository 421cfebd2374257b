"""The API's contract, in one place: how every refusal looks, how query parameters are read, how
decimals are written, and what the OpenAPI schema says about errors.

Every refusal is `{"detail": str, "code": str, "errors": {field: [str, …]}}` in the user's language:
a field of a nested object or list is named with dots (`savings.0.amount_eur`), errors that belong to
no field come under `non_field_errors`. A 409 for a stale edit adds `current_revision` and `changes`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

from karki.lib.params import whole_number

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"
API_PREFIX = "/api/"


# -- The shape of a refusal ------------------------------------------------------------------------


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    then = serializers.CharField()
    now = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """Every refusal of the API (4xx and 5xx)."""

    detail = serializers.CharField(help_text="What went wrong, in the user's language.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`, `not_found`, "
                                           "`not_authenticated`, `permission_denied`, `stale_edit`.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field; nested fields are dotted (`savings.0.amount_eur`), messages that "
                  f"belong to no field are under `{NON_FIELD}`. Empty when no field is to blame.")
    current_revision = serializers.IntegerField(required=False, help_text="409 `stale_edit` only: the "
                                                                          "stored revision.")
    changes = ChangeSerializer(many=True, required=False, help_text="409 `stale_edit` only: what changed "
                                                                    "since the revision you read.")


class Refused(exceptions.APIException):
    """A refusal with the contract's fields; raised by views, rendered by `exception_handler`."""

    def __init__(self, detail: str, *, code: str = "invalid", status_code: int = status.HTTP_400_BAD_REQUEST,
                 errors: dict[str, list[str]] | None = None, **extra):
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.errors = errors or {}
        self.extra = extra


def field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure (dicts of lists of dicts …) as a flat field → messages mapping."""
    found: dict[str, list[str]] = {}

    def add(name: str, message) -> None:
        found.setdefault(name or NON_FIELD, []).append(str(message))

    def walk(value, name: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                key = str(key)
                walk(inner, name if key == NON_FIELD and name else (f"{name}.{key}" if name else key))
        elif isinstance(value, (list, tuple)):
            for index, inner in enumerate(value):
                if isinstance(inner, (dict, list, tuple)):
                    walk(inner, f"{name}.{index}" if name else str(index))
                else:
                    add(name, inner)
        elif value not in (None, ""):
            add(name, value)

    walk(detail, prefix)
    return found


def django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {(NON_FIELD if name == "__all__" else name): messages for name, messages in error.message_dict.items()}
    return {NON_FIELD: list(error.messages)}


def problem_body(detail, code: str, errors: dict | None = None, **extra) -> dict:
    return {"detail": str(detail), "code": str(code), "errors": errors or {}, **extra}


def refusal(detail: str, *, code: str = "invalid", status_code: int = status.HTTP_400_BAD_REQUEST,
            errors: dict | None = None, **extra):
    """The same body as a raised `Refused`, for a view that returns its answer."""
    from rest_framework.response import Response

    return Response(problem_body(detail, code, field_errors(errors or {}), **extra), status=status_code)


# -- Query parameters, read strictly ---------------------------------------------------------------


@dataclass(frozen=True)
class QueryParameter:
    """A query parameter an endpoint knows: its OpenAPI schema and how it is read. A value that does
    not read (empty included) is a 400 naming the parameter; a parameter left out takes `default`."""

    name: str
    schema: dict
    description: str
    read: Callable[[str], Any]  # the value, or None when it is malformed
    message: Any  # a lazy translated string
    default: Any = None

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, self.schema, description=self.description)

    def but(self, **changes) -> QueryParameter:
        return replace(self, **changes)


def integer_parameter(name: str, *, low: int, high: int, description: str, message, default=None) -> QueryParameter:
    schema = {"type": "integer", "minimum": low, "maximum": high}
    if default is not None:
        schema["default"] = default

    def read(raw: str):
        value = whole_number(raw)
        return value if value is not None and low <= value <= high else None

    return QueryParameter(name, schema, description, read, message, default)


def read_query(request, *parameters: QueryParameter, detail: str | None = None) -> dict[str, Any]:
    """The values of `parameters` in the request's query string; all malformed ones in one 400."""
    values, errors = {}, {}
    for parameter in parameters:
        raw = request.query_params.get(parameter.name)
        if raw is None:
            values[parameter.name] = parameter.default
            continue
        value = parameter.read(raw)
        if value is None:
            errors[parameter.name] = [str(parameter.message)]
        else:
            values[parameter.name] = value
    if errors:
        raise Refused(detail or _("The address has a value that cannot be read."), errors=errors)
    return values


MAX_NUMBER = 2**31 - 1
VERSION = integer_parameter(
    "version", low=1, high=MAX_NUMBER,
    description="Version number, a whole number from 1 up; the latest version you may see when left out. "
                "404 when the programme has no such version.",
    message=gettext_lazy("The version is a version number: a whole number from 1 up."))
PAGE = integer_parameter(
    "page", low=1, high=MAX_NUMBER, default=1, description="Page number, a whole number from 1 up; 1 = newest "
                                                           "entries. A number past the last page gives the last.",
    message=gettext_lazy("The page is a whole number from 1 up."))
LANG = QueryParameter(
    "lang", {"type": "string", "enum": ["fi", "sv", "en"]},
    "Language (fi, sv or en) of the sheet names, headers and choice labels; by default the Accept-Language "
    "header's.", lambda raw: raw if raw in ("fi", "sv", "en") else None,
    gettext_lazy("The language is fi, sv or en."))


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` names one of the endpoint's formats, or the request is refused with 400 (DRF's own
    answer to an unknown format is a bare 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        name = api_settings.URL_FORMAT_OVERRIDE
        wanted = request.query_params.get(name) if name else None
        if wanted is not None and not any(renderer.format == wanted for renderer in renderers):
            formats = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise Refused(_("The address has a value that cannot be read."), errors={
                name: [_("The format is one of: %(formats)s.") % {"formats": formats}]})
        return super().select_renderer(request, renderers, format_suffix)


# -- Decimals as strings ------------------------------------------------------------------------


class DecimalEncoder(JSONEncoder):
    """Decimals as strings even where a view hands a Decimal past its serializer (DRF would write a
    JSON float, losing digits): the API promises decimal strings everywhere."""

    def default(self, obj):
        if isinstance(obj, Decimal):
            return str(obj)
        return super().default(obj)


class JSONRenderer(renderers.JSONRenderer):
    encoder_class = DecimalEncoder


def contains_float(data) -> bool:
    """True when JSON text (or decoded JSON) holds a number written with a fraction or exponent."""
    if isinstance(data, (str, bytes)):
        data = json.loads(data)
    return _holds_float(data)


def _holds_float(value) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_holds_float(inner) for inner in value.values())
    if isinstance(value, list):
        return any(_holds_float(inner) for inner in value)
    return False


# -- The schema: every operation documents its refusals ---------------------------------------------

ERROR_RESPONSES = {
    "400": "A malformed query parameter or body; `errors` names the fields.",
    "401": "No credentials, or a wrong, expired or revoked token (`WWW-Authenticate: Token`).",
    "403": "Signed in, but the user may not do this.",
    "404": "No such object, or one the user may not see.",
}
