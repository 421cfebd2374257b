"""Loading a programme for the public site's settings with permissions applied: 404 for those outside its
organisation (they must not learn what it prepares for residents), 403 for members who may read the
programme but not decide what residents see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from karki.accounts import permissions as perms
from karki.programmes.models import Programme


def get_programme_for_office(request, slug: str) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("organisation"), slug=slug)
    if not perms.is_member(request.user, programme.organisation_id):
        raise Http404
    if not perms.can_manage_public_site(request.user, programme):
        raise PermissionDenied
    return programme
