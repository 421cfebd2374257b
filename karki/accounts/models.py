from django.conf import settings
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

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"
