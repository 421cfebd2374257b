"""The one permission resolver. Views, the API and templates all ask these functions.

Roles are scoped to an organisation (see `Role`). What a role may do:
- administrator, programme office: edit the whole programme of their organisation; PMO approves
- theme owner: edit the targets and measures of the themes they own
- measure owner: edit their own measures
- finance: edit money figures (estimates) across the programme
- viewer: read everything of the organisation
- anyone else: nothing, unless the programme is published
Approved versions are frozen for everybody.
"""

from __future__ import annotations

from .enums import Role

EDIT_ALL = {Role.ADMIN, Role.PMO}
READ_ALL = {Role.ADMIN, Role.PMO, Role.THEME_OWNER, Role.MEASURE_OWNER, Role.FINANCE, Role.VIEWER}


def _roles(user, organisation_id: int) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_karki_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in user.memberships.values_list("organisation_id", "role"):
            cache.setdefault(org_id, set()).add(role)
        user._karki_roles = cache
    return cache.get(organisation_id, set())


def organisation_ids_visible_to(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(user.memberships.values_list("organisation_id", flat=True).distinct())


def is_member(user, organisation_id: int) -> bool:
    """Holds any role in the organisation (or is a platform superuser)."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, organisation_id))


def can_manage_people(user, organisation) -> bool:
    """Administrators manage the users, roles and details of their own organisation."""
    if getattr(user, "is_superuser", False):
        return True
    return Role.ADMIN in _roles(user, organisation.pk)


def can_view_history(user, programme) -> bool:
    """The audit trail names people: only members of the organisation read it, never outsiders."""
    return is_member(user, programme.organisation_id)


def can_view_programme(user, programme) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, programme.organisation_id) & READ_ALL)


def can_edit_programme(user, programme) -> bool:
    """Structure of the whole programme: themes, targets, measures, risks, versions."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(_roles(user, programme.organisation_id) & EDIT_ALL)


def can_approve_version(user, version) -> bool:
    return version.is_draft and can_edit_programme(user, version.programme)


def can_edit_version(user, version) -> bool:
    return version.is_draft and can_edit_programme(user, version.programme)


def can_edit_theme(user, theme) -> bool:
    version = theme.version
    if not version.is_draft:
        return False
    if can_edit_programme(user, version.programme):
        return True
    return Role.THEME_OWNER in _roles(user, version.programme.organisation_id) and theme.owner_id == user.pk


def can_edit_target(user, target) -> bool:
    return can_edit_theme(user, target.theme)


def can_edit_measure(user, measure) -> bool:
    version = measure.version
    if not version.is_draft:
        return False
    if can_edit_programme(user, version.programme):
        return True
    roles = _roles(user, version.programme.organisation_id)
    if Role.MEASURE_OWNER in roles and measure.owner_id == user.pk:
        return True
    if Role.THEME_OWNER in roles and measure.target_id and measure.target.theme.owner_id == user.pk:
        return True
    return False


def can_edit_estimate(user, item) -> bool:
    """Money figures of a target or a measure: finance may change them across the programme."""
    version = item.version
    if not version.is_draft:
        return False
    if Role.FINANCE in _roles(user, version.programme.organisation_id):
        return True
    if hasattr(item, "basket"):
        return can_edit_measure(user, item)
    return can_edit_target(user, item)
