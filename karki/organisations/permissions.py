"""Loading an organisation for a request with permissions applied: 404 for an organisation the
user is not a member of (its existence is not revealed), 403 for a member who may not manage it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from karki.accounts import permissions as perms

from .models import Organisation


def get_organisation_for_user(request, slug: str, *, manage: bool = False) -> Organisation:
    """`manage=True`: people, roles and org units, which the issue gives to administrators."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not perms.is_member(request.user, organisation.pk):
        raise Http404
    if manage and not perms.can_manage_people(request.user, organisation):
        raise PermissionDenied
    return organisation
