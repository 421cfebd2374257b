"""Personal API tokens for scripts and BI tools (django-rest-knox: only a hash of each token is stored).

A token acts as the person who made it, with exactly their memberships. The page lets a signed-in person
make named tokens that expire, see each value once, see when a token was last used and revoke it.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import get_digest_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken, ExternalIdentity

EXPIRY_DAYS = [30, 90, 365]
# "Last used" is a hint, not an audit trail: write it at most this often to spare the database.
LAST_USED_PRECISION = timedelta(minutes=5)


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <value>`. Records when a token was last used."""

    def authenticate(self, request):
        if not get_authorization_header(request):
            return None  # the browser: its session is checked next
        return super().authenticate(request)

    def authenticate_header(self, request):
        # Every request without valid credentials is challenged: 401 with `WWW-Authenticate: Token`, as the
        # README promises (a browser without a session too; a signed-in one is never asked).
        return super().authenticate_header(request)

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        check_single_sign_on_is_recent(user)
        now = timezone.now()
        if token.last_used is None or now - token.last_used > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return user, token


def check_single_sign_on_is_recent(user) -> None:
    """Refuse the token of a single sign-on user whose last sign-on is older than
    OIDC_TOKEN_REVALIDATE_DAYS: their roles from the identity provider are synchronised only at
    sign-in, so a person who left (or lost a group) must not keep reading through a token."""
    seen = ExternalIdentity.objects.filter(user=user).aggregate(count=Count("pk"), last=Max("last_sign_in"))
    if not seen["count"]:
        return  # a local account: its roles are kept in Kärki itself
    days = settings.OIDC_TOKEN_REVALIDATE_DAYS
    if seen["last"] is None or timezone.now() - seen["last"] > timedelta(days=days):
        raise AuthenticationFailed(ngettext(
            "You have not signed in to Kärki with your organisation account for over %(days)d day, so your API "
            "tokens are paused. Sign in to Kärki once with your organisation account and they work again.",
            "You have not signed in to Kärki with your organisation account for over %(days)d days, so your API "
            "tokens are paused. Sign in to Kärki once with your organisation account and they work again.",
            days) % {"days": days})


def uses_single_sign_on(user) -> bool:
    return ExternalIdentity.objects.filter(user=user).exists()


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI schema."""

    target_class = "karki.accounts.tokens.TokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )


@transaction.atomic
def create_token(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for USER; returns the row and the token's value, which is never stored or shown again.

    Built like knox's `AuthTokenManager.create`, but saved here so that the history names its maker."""
    digest, value = get_digest_token()
    token = ApiToken(user=user, name=name, digest=digest, token_key=value[:CONSTANTS.TOKEN_KEY_LENGTH],
                     expiry=timezone.now() + timedelta(days=days))
    token._history_user = user
    token.save(force_insert=True)
    return token, value


@transaction.atomic
def revoke_token(*, user, digest: str) -> ApiToken:
    token = get_object_or_404(ApiToken, user=user, digest=digest)
    token._history_user = user
    token.delete()
    return token


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=100,
        help_text=gettext_lazy("What the token is for, for example “Power BI report of the finance office”."),
    )
    days = forms.TypedChoiceField(label=gettext_lazy("Valid for"), coerce=int, initial=90)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (days, ngettext("%(days)s day", "%(days)s days", days) % {"days": days}) for days in EXPIRY_DAYS
        ]


def _page(request, form, *, new_token=None, new_value=None, status=200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
    return render(request, "accounts/tokens.html", {
        "form": form, "tokens": tokens, "new_token": new_token, "new_value": new_value, "now": timezone.now(),
        "revalidate_days": settings.OIDC_TOKEN_REVALIDATE_DAYS if uses_single_sign_on(request.user) else None,
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    if request.method == "POST":
        form = TokenForm(request.POST)
        if not form.is_valid():
            return _page(request, form, status=400)
        token, value = create_token(user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
        # Shown in this response only: the value is not kept anywhere, not even in the session.
        return _page(request, TokenForm(), new_token=token, new_value=value)
    return _page(request, TokenForm())


@login_required
@require_POST
def token_revoke(request, digest: str):
    token = revoke_token(user=request.user, digest=digest)
    messages.success(
        request, _("The token “%(name)s” was revoked. Nothing can use it any more.") % {"name": token.name}
    )
    return redirect("accounts:tokens")
