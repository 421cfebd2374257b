"""Loading objects for a request with permissions applied: 404 for what the user may not see,
403 for what they may see but not change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from karki.accounts import permissions as perms

from .enums import VersionStatus
from .models import Measure, Programme, ProgrammeVersion, Risk, Target, Theme


def get_programme_for_user(request, slug: str) -> Programme:
    programme = get_object_or_404(Programme.objects.select_related("organisation"), slug=slug)
    if not perms.can_view_programme(request.user, programme):
        raise Http404
    return programme


def get_version(programme: Programme, number: int | str | None, user, *, landing: bool = False) -> ProgrammeVersion:
    """The version with `number`, or else the one to open first: the latest the user may see (drafts and
    unpublished versions exist only for members of the programme's organisation). A page opened without a
    number (`landing`) shows those who do not edit the programme the latest approved version, the one being
    run; the API keeps "the latest" for everybody."""
    versions = (ProgrammeVersion.objects.visible_to(user, programme)
                .select_related("programme__organisation", "approved_by"))
    if number in (None, ""):
        version = versions.order_by("-number").first()
        if version is None:
            raise Http404
        if landing and version.is_draft and not perms.can_edit_programme(user, programme):
            # Readers land on the version being run (the latest approved); the draft is the programme office's.
            version = versions.filter(status=VersionStatus.APPROVED).order_by("-number").first() or version
        return version
    try:
        return versions.get(number=int(number))
    except (ValueError, ProgrammeVersion.DoesNotExist) as exc:
        raise Http404 from exc


def get_version_for_user(request, slug: str, number, *, write: bool = False,
                         landing: bool = False) -> ProgrammeVersion:
    version = get_version(get_programme_for_user(request, slug), number, request.user, landing=landing)
    if write and not perms.can_edit_version(request.user, version):
        raise PermissionDenied
    return version


def get_theme_for_user(request, version: ProgrammeVersion, code: str, *, write: bool = False) -> Theme:
    theme = get_object_or_404(Theme.objects.select_related("version__programme"), version=version, code=code)
    if write and not perms.can_edit_theme(request.user, theme):
        raise PermissionDenied
    return theme


def get_target_for_user(request, version: ProgrammeVersion, code: str, *, write: bool = False) -> Target:
    target = get_object_or_404(Target.objects.select_related("theme", "version__programme", "org_unit"),
                               version=version, code=code)
    if write and not perms.can_edit_target(request.user, target):
        raise PermissionDenied
    return target


def get_measure_for_user(request, version: ProgrammeVersion, code: str, *, write: bool = False,
                         money_only: bool = False) -> Measure:
    measure = get_object_or_404(
        Measure.objects.select_related("target__theme", "version__programme", "org_unit", "owner"),
        version=version, code=code,
    )
    allowed = perms.can_edit_estimate(request.user, measure) if money_only else perms.can_edit_measure(
        request.user, measure)
    if write and not allowed:
        raise PermissionDenied
    return measure


def get_risk_for_user(request, version: ProgrammeVersion, code: str, *, write: bool = False) -> Risk:
    risk = get_object_or_404(Risk.objects.select_related("theme", "version__programme"), version=version, code=code)
    if write and not perms.can_edit_risk(request.user, risk):
        raise PermissionDenied
    return risk
