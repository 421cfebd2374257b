import simple_history
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords

from .enums import MembershipSource, Role


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several roles in several organisations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    source = models.CharField(
        _("granted by"), max_length=10, choices=MembershipSource.choices, default=MembershipSource.LOCAL
    )

    # Every grant (+) and revocation (-) of a role, with who did it and when: the "Changes to roles"
    # page reads it. Services set `_history_user`; a bulk queryset delete would bypass it, so
    # memberships are always deleted one by one.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="accounts_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ApiToken(AbstractAuthToken):
    """A personal API token for scripts and BI tools (django-rest-knox stores only its hash).

    A token acts as its user: it carries exactly the user's memberships, nothing more.
    """

    name = models.CharField(_("name"), max_length=100)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    # Made and revoked, by whom and when. The first characters of the token (token_key) stay out, and
    # so does "last used" (written with a queryset update anyway). The digest, a one-way hash, is
    # django-rest-knox's primary key, which the history needs to tell the token's rows apart.
    history = HistoricalRecords(excluded_fields=["token_key", "last_used"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"


class ExternalIdentity(models.Model):
    """A person's identity at the single sign-on provider, linked to one Kärki account.

    Single sign-on finds the account only through this link, never by username or e-mail: a username
    can be chosen by anyone who makes a local account, while the provider's (issuer, subject) pair
    cannot. The first sign-in of a new person creates the account and its link; an account that
    already exists is linked only by the platform operator, in the Django admin.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities",
        verbose_name=_("user"),
    )
    issuer = models.CharField(
        _("issuer"), max_length=255,
        help_text=_("Microsoft Entra ID: the directory (tenant) ID, the token's tid claim. Other providers: "
                    "the token's iss claim."),
    )
    subject = models.CharField(
        _("subject"), max_length=255,
        help_text=_("Microsoft Entra ID: the user's object ID, the token's oid claim. Other providers: the "
                    "token's sub claim."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_sign_in = models.DateTimeField(
        _("last signed in"), null=True, blank=True,
        help_text=_("The last sign-in through this identity. API tokens of the account stop working when "
                    "it is too long ago (OIDC_TOKEN_REVALIDATE_DAYS)."),
    )

    # Linking and unlinking are recorded with who did it. The time of the last sign-in is written
    # with a queryset update, so that signing in does not add a history row.
    history = HistoricalRecords(excluded_fields=["last_sign_in"])

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_externalidentity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.subject}"

    def clean(self):
        super().clean()
        user = getattr(self, "user", None) if self.user_id else None
        if user is not None and (user.is_superuser or user.is_staff):
            raise ValidationError({"user": _(
                "Platform staff and superusers sign in with their password only; they cannot be linked to "
                "single sign-on.")})


class Preferences(models.Model):
    """A person's own settings, kept with the account. `language` is the interface language the person
    last chose with the language switch while signed in: it is applied when they sign in on another
    browser, and e-mails to them (reminders of missing reports) are written in it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="preferences", verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language or '–'}"


# Accounts: created, renamed, e-mail changed, deactivated, made staff — with who did it (services set
# `_history_user`; the admin's request user otherwise). The password hash and the time of the last
# sign-in are not copied: the history keeps no secrets and gets no row at every sign-in
# (see `apps.update_last_login_quietly`).
simple_history.register(get_user_model(), app="karki.accounts", excluded_fields=["password", "last_login"])
