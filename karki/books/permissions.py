"""Loading the books of a programme's organisation for a request: 404 for a programme the user is not a
member of, 403 for a member who may not read the books (or, with `edit=True`, change them)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from karki.accounts import permissions as perms
from karki.programmes.models import Programme


def get_books_programme(request, slug: str, *, edit: bool = False) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("organisation"), slug=slug)
    if not perms.is_member(request.user, programme.organisation_id):
        raise Http404
    if not perms.can_view_books(request.user, programme.organisation):
        raise PermissionDenied
    if edit and not perms.can_edit_books(request.user, programme.organisation):
        raise PermissionDenied
    return programme
