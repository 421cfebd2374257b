"""Who reads the audit trail: members of the programme's organisation (accounts.permissions)."""

from __future__ import annotations

from django.http import Http404

from karki.accounts import permissions as perms
from karki.programmes.models import Programme
from karki.programmes.permissions import get_programme_for_user


def get_programme_history_for_user(request, slug: str) -> Programme:
    """The programme whose history the user may read; 404 otherwise (it names people)."""
    programme = get_programme_for_user(request, slug)
    if not perms.can_view_history(request.user, programme):
        raise Http404
    return programme
