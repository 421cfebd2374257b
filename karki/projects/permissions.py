"""Loading projects for a request: 404 for what the user may not see, 403 for what they may see but not
change. Every project page and API view loads its project through these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from karki.accounts import permissions as perms
from karki.organisations.models import Organisation

from .models import Project


def get_organisation_for_user(request, slug: str, *, add: bool = False) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not perms.is_member(request.user, organisation.pk):
        raise Http404
    if add and not perms.can_add_project(request.user, organisation):
        raise PermissionDenied
    return organisation


def get_project_for_user(request, slug: str, code: str, *, write: bool = False, report: bool = False,
                         review: bool = False, issue: bool = False) -> Project:
    """The project `code` of organisation `slug`; `write` for its plan, `report` for its follow-up, `review`
    to accept or return a follow-up, `issue` for the funder's report."""
    project = get_object_or_404(Project.objects.select_related("organisation", "programme", "owner", "org_unit"),
                                organisation__slug=slug, code__iexact=code)
    if not perms.can_view_project(request.user, project):
        raise Http404
    checks = ((write, perms.can_edit_project), (report, perms.can_report_project),
              (review, perms.can_review_project_reports), (issue, perms.can_issue_funder_report))
    for wanted, allowed in checks:
        if wanted and not allowed(request.user, project):
            raise PermissionDenied
    return project
