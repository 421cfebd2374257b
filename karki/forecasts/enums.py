from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContingencyBasket(models.TextChoices):
    """The baskets management decides on (basket A is always run)."""

    B = "B", _("B – restrict availability of services")
    C = "C", _("C – reduce service levels and cut")


class BasketDecisionKind(models.TextChoices):
    ACTIVATE = "activate", pgettext_lazy("basket decision", "Activate")
    DO_NOT_ACTIVATE = "do_not_activate", pgettext_lazy("basket decision", "Do not activate")
