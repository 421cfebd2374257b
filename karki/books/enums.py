from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from karki.programmes.enums import CostCategory


class BatchKind(models.TextChoices):
    ACTUALS = "actuals", _("Actual costs")
    BASELINE = "baseline", pgettext_lazy("books", "Baseline")


# The cost categories an account can be mapped to: every category but the total.
MAPPABLE_CATEGORIES = [(value, label) for value, label in CostCategory.choices if value != CostCategory.TOTAL]

# Purchased services are written both as one category and split in three; the split rolls up into it.
CATEGORY_PARENT = {
    CostCategory.PURCHASED_CLIENT_SERVICES: CostCategory.PURCHASED_SERVICES,
    CostCategory.PURCHASED_AGENCY_STAFF: CostCategory.PURCHASED_SERVICES,
    CostCategory.PURCHASED_OTHER: CostCategory.PURCHASED_SERVICES,
}
