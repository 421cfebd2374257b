"""How a refusal reaches the client: DRF's exception handler and, for what no API view answered, a
middleware; both in the contract's shape (see __init__.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from . import API_PREFIX, JSONRenderer, Refused, django_errors, field_errors, problem_body


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: DRF's handler (status, WWW-Authenticate, Retry-After,
    rollback), with the body rewritten into the contract's shape."""
    if isinstance(exc, DjangoValidationError):  # a service's refusal that a view did not catch
        exc = Refused(_("The request was not accepted."), errors=django_errors(exc))
    elif isinstance(exc, DjangoPermissionDenied):  # keeping the message a view gave, which DRF drops
        exc = exceptions.PermissionDenied(str(exc.args[0]) if exc.args and exc.args[0] else None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: the middleware answers it in the same shape
    request = context.get("request")
    if request is not None and getattr(getattr(request, "accepted_renderer", None), "format", "json") != "json":
        # A refusal is JSON even when CSV or a workbook was asked for (`?format=csv`, `Accept: text/csv`).
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
    if isinstance(exc, Refused):
        response.data = problem_body(exc.detail, exc.detail.code, exc.errors, **exc.extra)
    elif isinstance(exc, exceptions.ValidationError):
        response.data = problem_body(_("The request was not accepted."), "invalid", field_errors(exc.detail))
    else:
        detail = exc.detail if isinstance(exc.detail, str) else _("The request was not accepted.")
        code = getattr(exc.detail, "code", None) or exc.default_code
        if response.status_code == status.HTTP_403_FORBIDDEN and code in ("not_authenticated",
                                                                          "authentication_failed"):
            code = "permission_denied"  # DRF turns a 401 into 403 when no class can challenge
        response.data = problem_body(detail, code)
    return response


class ApiErrorMiddleware:
    """404 and 500 on /api/ paths as JSON in the contract's shape, also when no API view was reached
    (an address that matches no pattern, e.g. `versions/null/approve/`) or a view failed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith(API_PREFIX) and response.status_code in (404, 500)
                and not response.get("Content-Type", "").startswith("application/json")
                and not getattr(response, "streaming", False)):
            if response.status_code == 404:
                body = problem_body(_("Not found."), "not_found")
            else:
                body = problem_body(_("Something went wrong on the server. Try again later."), "server_error")
            replacement = JsonResponse(body, status=response.status_code)
            for header in ("Vary", "Content-Language"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
