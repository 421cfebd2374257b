"""Writes to people and their roles in one organisation. The people pages call these functions.

Rules kept here (not in views, so that every caller gets them):
- only an administrator of the organisation (or a superuser) changes its people, and never platform
  staff or a superuser (`permissions.can_manage_person`);
- usernames are global to the Kärki instance: adding a person never attaches, reveals or changes
  an account that already exists (it could belong to another county);
- an organisation always keeps at least one active administrator;
- a role edit based on roles that changed meanwhile is refused (`StaleRoles`) instead of
  silently overwriting the other edit;
- every grant and revocation goes through the Membership history with its author
  (`_history_user`) and a reason, one row at a time (a queryset delete would skip the history).

Each write locks the organisation row, so that two administrators removing each other at the
same time cannot both pass the last-administrator check.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from karki.accounts import permissions as perms
from karki.organisations.models import Organisation

from .enums import Role
from .models import Membership

User = get_user_model()

# Why a membership row was written; stored in the history's change reason, shown translated.
REASON_ADDED = "added"
REASON_ROLES = "roles"
REASON_REMOVED = "removed"
REASON_SSO = "single sign-on"  # granted or removed by single sign-on (karki.accounts.oidc)
# Reasons of account changes (the user's own history).
REASON_DETAILS = "details"
REASON_DEACTIVATED = "deactivated"


class StaleRoles(ValidationError):
    """The person's roles changed after the form was opened; nothing was saved."""

    def __init__(self, current: set[str]):
        super().__init__(
            _("Someone else changed this person's roles after you opened the form. Your changes were not "
              "saved. Their roles now: %(roles)s. Review them and save again.") % {"roles": role_words(current)},
            code="stale_roles",
        )
        self.current = current


DETAIL_FIELDS = ("first_name", "last_name", "email")


class StaleDetails(ValidationError):
    """The person's name or email changed after the form was opened; nothing was saved.
    `current` holds the values now, `changes` (field label, then, now) what changed."""

    def __init__(self, current: dict[str, str], changes: list[tuple[str, str, str]]):
        listed = "; ".join(f"{label}: {then or '–'} → {now or '–'}" for label, then, now in changes)
        super().__init__(
            _("Someone else changed this person's name or email after you opened the form. Your changes were "
              "not saved. What changed: %(changes)s. Your input is still in the form: review it and save "
              "again.") % {"changes": listed},
            code="stale_details",
        )
        self.current = current
        self.changes = changes


def role_words(roles: Iterable[str]) -> str:
    """"Programme office, Viewer" in the order of `Role`; "no roles" for an empty set."""
    roles = set(roles)
    words = [str(label) for value, label in Role.choices if value in roles]
    return ", ".join(words) if words else _("no roles")


def roles_of(user, organisation) -> set[str]:
    return set(Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True))


def details_editable(person, organisation) -> bool:
    """Name and email belong to the account, which is global: an administrator may change them only
    while the person has no role in any other organisation (nor is platform staff or a superuser)."""
    if perms.is_platform_staff(person):
        return False
    return not Membership.objects.filter(user=person).exclude(organisation=organisation).exists()


def _lock(organisation: Organisation) -> None:
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _check_may_change(by, organisation, person=None) -> None:
    if person is None:
        allowed = perms.can_manage_people(by, organisation)
    else:
        allowed = perms.can_manage_person(by, organisation, person)
    if not allowed:
        raise PermissionDenied


def _check_keeps_an_admin(organisation, person, new_roles: set[str], *, by) -> None:
    if Role.ADMIN in new_roles:
        return
    admins = set(
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN, user__is_active=True)
        .values_list("user_id", flat=True)
    )
    if admins != {person.pk}:
        return
    if person.pk == by.pk:
        message = _("You are the last administrator of %(organisation)s, so you cannot give up the "
                    "administrator role or remove yourself. Make someone else an administrator first.")
    else:
        message = _("%(person)s is the last administrator of %(organisation)s, so they keep the "
                    "administrator role. Make someone else an administrator first.")
    raise ValidationError(message % {"organisation": organisation, "person": person.get_username()},
                          code="last_admin")


def _grant(person, organisation, role: str, *, by, reason: str) -> None:
    membership = Membership(user=person, organisation=organisation, role=role)
    membership._history_user = by
    membership._change_reason = reason
    membership.save()


def _revoke(membership: Membership, *, by, reason: str) -> None:
    membership._history_user = by
    membership._change_reason = reason
    membership.delete()


def _clean_roles(roles: Iterable[str]) -> set[str]:
    roles = set(roles)
    if not roles:
        raise ValidationError(
            {"roles": _("Choose at least one role. To take away all access, remove the person from the "
                        "organisation.")}
        )
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(role)s.") % {"role": ", ".join(sorted(unknown))}})
    return roles


def _check_username_free(username: str, organisation) -> None:
    existing = User.objects.filter(username__iexact=username).first()
    if existing is None:
        return
    if Membership.objects.filter(user=existing, organisation=organisation).exists():
        message = _("%(username)s is already a member of this organisation: edit their roles instead.")
    else:
        # Say nothing more: the account may belong to another county, and its owner and details
        # are none of this administrator's business.
        message = _("The username %(username)s is taken. Usernames are shared by every organisation "
                    "in Kärki, so choose another one, for example with a suffix of your organisation.")
    raise ValidationError({"username": message % {"username": username}}, code="username_taken")


def add_person(*, organisation, username: str, first_name: str, last_name: str, email: str,
               roles: Iterable[str], password: str, by):
    """Create a new account with an initial password and give it roles in `organisation`.

    The password is checked and hashed before the transaction opens: hashing is slow on purpose (a
    fraction of a second), and on SQLite a transaction holds the only write lock while it is open."""
    _check_may_change(by, organisation)
    roles = _clean_roles(roles)
    username = username.strip()
    _check_username_free(username, organisation)
    person = User(username=username, first_name=first_name.strip(), last_name=last_name.strip(),
                  email=email.strip(), is_active=True)
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    person.set_password(password)
    with transaction.atomic():
        _lock(organisation)
        _check_username_free(username, organisation)  # again: someone may have taken it meanwhile
        person.full_clean(exclude=["password"])
        person._history_user = by
        person._change_reason = REASON_ADDED
        person.save()
        for role in sorted(roles):
            _grant(person, organisation, role, by=by, reason=REASON_ADDED)
    return person


def _check_details_unchanged(person, expected: dict[str, str]) -> None:
    """Lock the account row and compare its name and email with those the form was opened on."""
    current = User.objects.select_for_update().filter(pk=person.pk).values(*DETAIL_FIELDS).first() or {}
    changes = [
        (str(User._meta.get_field(name).verbose_name).capitalize(), expected.get(name, ""), current.get(name, ""))
        for name in DETAIL_FIELDS if (expected.get(name) or "") != (current.get(name) or "")
    ]
    if changes:
        raise StaleDetails(current, changes)


@transaction.atomic
def edit_person(*, organisation, person, roles: Iterable[str], by, expected_roles: Iterable[str] | None = None,
                details: dict[str, str] | None = None,
                expected_details: dict[str, str] | None = None) -> tuple[set[str], set[str]]:
    """Set the person's roles in `organisation` (and name and email when `details_editable`).

    `expected_roles` are the roles the editor saw when opening the form: if they no longer match,
    nothing is saved and `StaleRoles` tells the current ones. Likewise `expected_details`, the name
    and email shown in the form, and `StaleDetails`. Returns (granted, revoked).
    """
    _check_may_change(by, organisation, person)
    new_roles = _clean_roles(roles)
    _lock(organisation)
    memberships = {m.role: m for m in Membership.objects.filter(user=person, organisation=organisation)}
    if not memberships:
        raise PermissionDenied  # not (or no longer) a member of this organisation
    current = set(memberships)
    if expected_roles is not None and set(expected_roles) != current:
        raise StaleRoles(current)
    _check_keeps_an_admin(organisation, person, new_roles, by=by)
    if details is not None:
        if not details_editable(person, organisation):
            raise ValidationError(_("This person also has access to another organisation, so their name and "
                                    "email cannot be changed here."), code="details_locked")
        if expected_details is not None:
            _check_details_unchanged(person, expected_details)
        person.first_name = details.get("first_name", person.first_name).strip()
        person.last_name = details.get("last_name", person.last_name).strip()
        person.email = details.get("email", person.email).strip()
        person.full_clean(exclude=["password"])
        person._history_user = by
        person._change_reason = REASON_DETAILS
        person.save(update_fields=["first_name", "last_name", "email"])
    granted, revoked = new_roles - current, current - new_roles
    for role in sorted(granted):
        _grant(person, organisation, role, by=by, reason=REASON_ROLES)
    for role in sorted(revoked):
        _revoke(memberships[role], by=by, reason=REASON_ROLES)
    return granted, revoked


@transaction.atomic
def remove_person(*, organisation, person, by) -> bool:
    """Take away every role of the person in `organisation`. The account is deactivated when no
    role is left anywhere, so that it can no longer sign in. Returns whether it was deactivated."""
    _check_may_change(by, organisation, person)
    _lock(organisation)
    memberships = list(Membership.objects.filter(user=person, organisation=organisation))
    if not memberships:
        raise PermissionDenied
    _check_keeps_an_admin(organisation, person, set(), by=by)
    for membership in memberships:
        _revoke(membership, by=by, reason=REASON_REMOVED)
    if person.is_active and not Membership.objects.filter(user=person).exists():
        person.is_active = False
        person._history_user = by
        person._change_reason = REASON_DEACTIVATED
        person.save(update_fields=["is_active"])
        return True
    return False


# -- a person's own preferences ---------------------------------------------------------------


def remember_language(*, user, language: str) -> None:
    """Keep the interface language a signed-in person chose (the language switch calls this)."""
    from django.conf import settings

    from .models import Preferences

    if language not in dict(settings.LANGUAGES) or not getattr(user, "is_authenticated", False):
        return
    Preferences.objects.update_or_create(user=user, defaults={"language": language})


def preferred_language(user) -> str | None:
    """The language the person chose with the language switch, or None when they never did."""
    from .models import Preferences

    if getattr(user, "pk", None) is None:
        return None
    return Preferences.objects.filter(user=user).exclude(language="").values_list("language", flat=True).first()
