from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    UP = "up", _("up (a higher value is better)")
    DOWN = "down", _("down (a lower value is better)")


class TextLanguage(models.TextChoices):
    """County OKR tables are written in one language; the text keeps its language tag instead of
    being split into translated fields it never had."""

    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")


class RiskReason(models.TextChoices):
    LOW_CONFIDENCE = "low_confidence", _("confidence below the threshold")
    BEHIND_PATH = "behind_path", _("value behind the expected path")
    OFF_TARGET = "off_target", _("value misses the target, and no baseline to draw a path from")
