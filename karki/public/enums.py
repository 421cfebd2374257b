from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    THEME = "theme", _("theme")
    MEASURE = "measure", _("measure")


class Visibility(models.TextChoices):
    """Whether a theme or measure is shown on the public site. By default a theme is, and a measure is when
    its theme is, except a basket C measure management has not yet decided on (see `reading.is_public`)."""

    DEFAULT = "default", _("By default")
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Not public")
