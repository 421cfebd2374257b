from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PMO = "pmo", _("Programme office")
    THEME_OWNER = "theme_owner", _("Theme owner")
    MEASURE_OWNER = "measure_owner", _("Measure owner")
    FINANCE = "finance", _("Finance")
    VIEWER = "viewer", _("Viewer")


class MembershipSource(models.TextChoices):
    """Who granted a membership: an administrator by hand, or single sign-on from the token's groups.

    Sign-on synchronises only the memberships it granted itself; those made by hand stay as they are.
    """

    LOCAL = "local", _("Granted in Kärki")
    OIDC = "oidc", _("Single sign-on")
