"""Single sign-on with OpenID Connect (for example Microsoft Entra ID), switched on by OIDC_ENABLED.

The identity provider says who the person is and which groups or app roles they hold; OIDC_ROLE_MAP
turns those into Kärki memberships:

    OIDC_ROLE_MAP="<group id or app role>=<organisation slug>:<role>;..."

On every sign-in the memberships granted by sign-on are brought in line with the token (added and
removed); memberships granted by hand in Kärki are never touched. A person with no role at all is not
signed in and sees a page that says whom to ask.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from karki.organisations.models import Organisation

from .enums import MembershipSource, Role
from .models import Membership
from .signin import NO_ROLES_SESSION_KEY, has_any_role

log = logging.getLogger(__name__)

RoleMap = dict[str, set[tuple[str, str]]]


def parse_role_map(text: str) -> RoleMap:
    """"g1=ita-uusimaa:pmo; Kärki.Viewer=kymenlaakso:viewer" → {"g1": {("ita-uusimaa", "pmo")}, ...}."""
    mapping: RoleMap = {}
    for entry in (text or "").split(";"):
        entry = entry.strip()
        if not entry:
            continue
        claim_value, _sep, target = entry.rpartition("=")
        slug, _sep, role = target.partition(":")
        claim_value, slug, role = claim_value.strip(), slug.strip(), role.strip()
        if not claim_value or not slug or not role:
            raise ImproperlyConfigured(f"OIDC_ROLE_MAP entry {entry!r} is not <group-or-role>=<organisation>:<role>.")
        if role not in Role.values:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP entry {entry!r}: unknown role {role!r}; use one of {', '.join(Role.values)}."
            )
        mapping.setdefault(claim_value, set()).add((slug, role))
    return mapping


def claimed_values(claims: dict) -> set[str]:
    """The groups and app roles in the token (claims named by OIDC_ROLE_CLAIMS, e.g. "roles", "groups")."""
    values: set[str] = set()
    for name in settings.OIDC_ROLE_CLAIMS:
        value = claims.get(name)
        if isinstance(value, str):
            values.add(value)
        elif isinstance(value, list | tuple):
            values.update(str(v) for v in value)
    return values


def memberships_from_claims(claims: dict) -> set[tuple[int, str]]:
    """(organisation id, role) pairs the token grants; unknown groups and organisations are ignored."""
    mapping = parse_role_map(settings.OIDC_ROLE_MAP)
    wanted = {pair for value in claimed_values(claims) for pair in mapping.get(value, ())}
    slugs = {slug for slug, _role in wanted}
    organisations = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    for slug in sorted(slugs - organisations.keys()):
        log.warning("OIDC_ROLE_MAP names organisation %r, which does not exist; ignored.", slug)
    return {(organisations[slug], role) for slug, role in wanted if slug in organisations}


@transaction.atomic
def sync_memberships(user, claims: dict) -> None:
    """Add and remove the user's sign-on memberships to match the token; leave local ones alone."""
    wanted = memberships_from_claims(claims)
    existing = {(m.organisation_id, m.role): m for m in Membership.objects.filter(user=user)}
    for key, membership in existing.items():
        if membership.source == MembershipSource.OIDC and key not in wanted:
            log.info("Single sign-on removed %s", membership)
            membership.delete()
    for organisation_id, role in sorted(wanted - existing.keys()):
        membership = Membership.objects.create(
            user=user, organisation_id=organisation_id, role=role, source=MembershipSource.OIDC
        )
        log.info("Single sign-on granted %s", membership)
    if hasattr(user, "_karki_roles"):
        del user._karki_roles  # the permission resolver's cache


def username_from_claims(claims: dict) -> str:
    return (claims.get("preferred_username") or claims.get("email") or "").strip().lower()


class OIDCBackend(OIDCAuthenticationBackend):
    """Users are matched on their username (Entra ID's preferred_username, else the e-mail address)."""

    def verify_claims(self, claims):
        return bool(username_from_claims(claims))

    def filter_users_by_claims(self, claims):
        return get_user_model().objects.filter(username__iexact=username_from_claims(claims))

    def create_user(self, claims):
        user = get_user_model()(username=username_from_claims(claims))
        user.set_unusable_password()  # signs in only through the identity provider
        self._copy_names(user, claims)
        user.save()
        return user

    def update_user(self, user, claims):
        if self._copy_names(user, claims):
            user.save(update_fields=["first_name", "last_name", "email"])
        return user

    @staticmethod
    def _copy_names(user, claims) -> bool:
        values = {
            "first_name": (claims.get("given_name") or "")[:150],
            "last_name": (claims.get("family_name") or "")[:150],
            "email": claims.get("email") or "",
        }
        if not values["first_name"] and not values["last_name"] and claims.get("name"):
            first, _sep, last = claims["name"].partition(" ")
            values.update(first_name=first[:150], last_name=last[:150])
        changed = any(getattr(user, field) != value for field, value in values.items() if value)
        for field, value in values.items():
            if value:
                setattr(user, field, value)
        return changed

    def get_userinfo(self, access_token, id_token, payload):
        """Claims of the signed ID token (Entra ID puts groups and app roles there), plus the userinfo
        endpoint's if one is configured."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        self.claims = claims  # kept for get_or_create_user, which synchronises the memberships
        return claims

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued for another client.")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            return None
        sync_memberships(user, self.claims)
        if not has_any_role(user):
            log.info("Single sign-on: %s holds no role in Kärki; not signed in.", user)
            self.request.session[NO_ROLES_SESSION_KEY] = user.get_full_name() or user.get_username()
            return None
        return user


class CallbackView(OIDCAuthenticationCallbackView):
    def login_failure(self):
        if NO_ROLES_SESSION_KEY in self.request.session:
            return redirect("accounts:no-roles")
        messages.error(
            self.request,
            _("Signing in with your organisation account did not succeed. Please try again."),
        )
        return redirect(settings.LOGIN_URL)


def _only_when_enabled(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


sign_in = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
callback = _only_when_enabled(CallbackView.as_view())


def check_role_map(app_configs=None, **kwargs):
    """System check: a mistake in OIDC_ROLE_MAP stops the start, not the first person's sign-in."""
    from django.core.checks import Error

    if not settings.OIDC_ENABLED:
        return []
    try:
        parse_role_map(settings.OIDC_ROLE_MAP)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="karki.E001")]
    return []
