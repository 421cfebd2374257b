"""Loading OKR objects for a request: 404 for what the user may not see, 403 for what they may
see but not change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from karki.accounts import permissions as perms
from karki.organisations.models import Organisation

from .models import KeyResult, Objective


def get_okr_organisation_for_user(request, slug: str, *, manage: bool = False) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not perms.can_view_okr(request.user, organisation):
        raise Http404
    if manage and not perms.can_manage_okr(request.user, organisation):
        raise PermissionDenied
    return organisation


def get_objective_for_user(request, organisation: Organisation, pk: int, *, write: bool = False) -> Objective:
    objective = get_object_or_404(Objective.objects.select_related("org_unit__parent", "organisation"),
                                  organisation=organisation, pk=pk)
    if write and not perms.can_edit_objective(request.user, objective):
        raise PermissionDenied
    return objective


def get_key_result_for_user(request, organisation: Organisation, pk: int, *, check_in: bool = False,
                            write: bool = False) -> KeyResult:
    key_result = get_object_or_404(
        KeyResult.objects.select_related("objective__org_unit__parent", "objective__organisation", "owner"),
        objective__organisation=organisation, pk=pk)
    if check_in and not perms.can_check_in(request.user, key_result):
        raise PermissionDenied
    if write and not perms.can_edit_key_result(request.user, key_result):
        raise PermissionDenied
    return key_result
