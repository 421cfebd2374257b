from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitLevel(models.TextChoices):
    SERVICE_AREA = "service_area", _("Service area")
    RESULT_AREA = "result_area", _("Result area")
    UNIT = "unit", _("Unit")
