"""Single sign-on with OpenID Connect (for example Microsoft Entra ID), switched on by OIDC_ENABLED.

The identity provider says who the person is and which groups or app roles they hold; OIDC_ROLE_MAP
turns those into Kärki memberships:

    OIDC_ROLE_MAP="<group id or app role>=<organisation slug>:<role>;..."

On every sign-in the memberships granted by sign-on are brought in line with the token (added and
removed); memberships granted by hand in Kärki are never touched. A person with no role at all is not
signed in and sees a page that says whom to ask.

Who the person is comes from the provider's stable identifier, never from a username or an e-mail
address (see `ExternalIdentity`): the first sign-in creates a new account, and it is refused when the
username is already taken, since that account may be somebody else's. Accounts of platform staff and
superusers are never signed in through single sign-on.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from karki.organisations.models import Organisation

from . import permissions as perms
from .enums import MembershipSource, Role
from .models import ExternalIdentity, Membership
from .services import REASON_SSO
from .signin import NO_ROLES_SESSION_KEY, apply_preferred_language, has_any_role

# Why single sign-on refused someone the provider vouched for; read by `CallbackView.login_failure`.
REFUSED_SESSION_KEY = "karki_sso_refused"
REFUSED_USERNAME_TAKEN = "username_taken"
REFUSED_NO_USERNAME = "no_username"
REFUSED_PLATFORM_STAFF = "platform_staff"
REFUSED_INACTIVE = "inactive"

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
    """Add and remove the user's sign-on memberships to match the token; leave local ones alone.

    Each grant and removal is recorded in the membership history with the person signing in as its
    author and "single sign-on" as its reason, so the "Changes to roles" page shows it."""
    wanted = memberships_from_claims(claims)
    existing = {(m.organisation_id, m.role): m for m in Membership.objects.filter(user=user)}
    for key, membership in existing.items():
        if membership.source == MembershipSource.OIDC and key not in wanted:
            log.info("Single sign-on removed %s", membership)
            membership._history_user = user
            membership._change_reason = REASON_SSO
            membership.delete()
    for organisation_id, role in sorted(wanted - existing.keys()):
        membership = Membership(user=user, organisation_id=organisation_id, role=role, source=MembershipSource.OIDC)
        membership._history_user = user
        membership._change_reason = REASON_SSO
        membership.save()
        log.info("Single sign-on granted %s", membership)
    if hasattr(user, "_karki_roles"):
        del user._karki_roles  # the permission resolver's cache


def identity_from_claims(claims: dict) -> tuple[str, str]:
    """(issuer, subject) of the person at the provider.

    Entra ID: the tenant (tid) and the user's object ID (oid), which stay the same for every app of
    the tenant and in v1 and v2 tokens alike; `sub` differs from app to app. Others: iss and sub."""
    subject = str(claims.get("oid") or claims.get("sub") or "").strip()
    issuer = str(claims.get("tid") or claims.get("iss") or "").strip()
    return issuer, subject


def username_from_claims(claims: dict) -> str:
    """The username of a new account: preferred_username (Entra ID: the UPN) in lower case. The
    e-mail address only if the provider says it verified it; an unverified one could be anybody's."""
    username = str(claims.get("preferred_username") or "").strip()
    if not username and claims.get("email_verified") in (True, "true"):
        username = str(claims.get("email") or "").strip()
    return username.lower()


def _username_usable(username: str) -> bool:
    User = get_user_model()
    if not username or len(username) > User._meta.get_field("username").max_length:
        return False
    try:
        User.username_validator(username)
    except ValidationError:
        return False
    return True


class Refused(Exception):
    """Single sign-on vouched for the person, but Kärki does not sign them in; `reason` says why."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details


class OIDCBackend(OIDCAuthenticationBackend):
    """Users are found through their `ExternalIdentity` (issuer and subject), never by username or e-mail."""

    def verify_claims(self, claims):
        issuer, subject = identity_from_claims(claims)
        return bool(issuer and subject)

    def filter_users_by_claims(self, claims):
        issuer, subject = identity_from_claims(claims)
        return get_user_model().objects.filter(external_identities__issuer=issuer,
                                               external_identities__subject=subject)

    def create_user(self, claims):
        """A new account with no password, linked to the identity; refused if the username is taken."""
        username = username_from_claims(claims)
        if not _username_usable(username):
            raise Refused(REFUSED_NO_USERNAME)
        User = get_user_model()
        if User.objects.filter(username__iexact=username).exists():
            # The account may be somebody else's (any administrator can create a local account with
            # any free username), so it is never taken over; the operator links it if it is theirs.
            raise Refused(REFUSED_USERNAME_TAKEN, username=username)
        issuer, subject = identity_from_claims(claims)
        user = User(username=username)
        user.set_unusable_password()  # signs in only through the identity provider
        self._copy_names(user, claims)
        user._history_user = user
        user._change_reason = REASON_SSO
        try:
            with transaction.atomic():
                user.save()
                identity = ExternalIdentity(user=user, issuer=issuer, subject=subject, last_sign_in=timezone.now())
                identity._history_user = user
                identity._change_reason = REASON_SSO
                identity.save()
        except IntegrityError as error:  # the same person signing in twice at once, or a clash of usernames
            raise SuspiciousOperation("Single sign-on could not create the account.") from error
        log.info("Single sign-on created %s for %s %s", user, issuer, subject)
        return user

    def update_user(self, user, claims):
        if perms.is_platform_staff(user):
            log.warning("Single sign-on refused: %s is platform staff or a superuser.", user)
            raise Refused(REFUSED_PLATFORM_STAFF)
        if not user.is_active:
            raise Refused(REFUSED_INACTIVE)
        issuer, subject = identity_from_claims(claims)
        ExternalIdentity.objects.filter(user=user, issuer=issuer, subject=subject).update(last_sign_in=timezone.now())
        if self._copy_names(user, claims):
            user._history_user = user
            user._change_reason = REASON_SSO
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
        try:
            with transaction.atomic():
                user = super().get_or_create_user(access_token, id_token, payload)
                if user is None:
                    return None
                sync_memberships(user, self.claims)
        except Refused as refused:
            issuer, subject = identity_from_claims(self.claims)
            log.info("Single sign-on refused (%s) for issuer %r, subject %r, username %r", refused.reason,
                     issuer, subject, username_from_claims(self.claims))
            self.request.session[REFUSED_SESSION_KEY] = {"reason": refused.reason, **refused.details}
            return None
        if not has_any_role(user):
            log.info("Single sign-on: %s holds no role in Kärki; not signed in.", user)
            self.request.session[NO_ROLES_SESSION_KEY] = user.get_full_name() or user.get_username()
            return None
        return user


def refusal_message(refusal: dict) -> str:
    reason = refusal.get("reason")
    if reason == REFUSED_USERNAME_TAKEN:
        return _("An account with the username %(username)s already exists in Kärki, so you were not signed in "
                 "with your organisation account. If that account is yours, ask your administrator to link it "
                 "to your organisation account.") % {"username": refusal.get("username", "")}
    if reason == REFUSED_NO_USERNAME:
        return _("Your organisation account did not give Kärki a username it can use, so you were not signed "
                 "in. Ask your administrator.")
    if reason == REFUSED_PLATFORM_STAFF:
        return _("This account cannot be used with single sign-on. Sign in with its username and password.")
    if reason == REFUSED_INACTIVE:
        return _("Your Kärki account has been deactivated. Ask your administrator.")
    return _("Signing in with your organisation account did not succeed. Please try again.")


class CallbackView(OIDCAuthenticationCallbackView):
    def login_success(self):
        return apply_preferred_language(super().login_success(), self.user)

    def login_failure(self):
        if NO_ROLES_SESSION_KEY in self.request.session:
            return redirect("accounts:no-roles")
        refusal = self.request.session.pop(REFUSED_SESSION_KEY, None) or {}
        messages.error(self.request, refusal_message(refusal))
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
