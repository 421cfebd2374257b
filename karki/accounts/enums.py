from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PMO = "pmo", _("Programme office")
    THEME_OWNER = "theme_owner", _("Theme owner")
    MEASURE_OWNER = "measure_owner", _("Measure owner")
    FINANCE = "finance", _("Finance")
    VIEWER = "viewer", _("Viewer")
