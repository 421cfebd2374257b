from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project", "Planned")
    RUNNING = "running", pgettext_lazy("project", "Running")
    SUSPENDED = "suspended", pgettext_lazy("project", "Suspended")
    COMPLETED = "completed", pgettext_lazy("project", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("project", "Cancelled")


class ItemKind(models.TextChoices):
    """The levels of a project plan's structure, as grant-funded plans name them; any depth is allowed."""

    SUB_AREA = "sub_area", _("Sub-area")
    DEVELOPMENT_AREA = "dev_area", _("Development area")
    WORK_PACKAGE = "package", _("Work package")


class CostType(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    PURCHASED_SERVICES = "services", _("Purchased services")
    ICT = "ict", _("ICT")
    OTHER = "other", _("Other costs")


class FunderKind(models.TextChoices):
    STATE_GRANT = "state", _("State grant")
    EU = "eu", _("EU / RRP funding")
    OWN = "own", _("Own funding")
    OTHER = "other", _("Other funding")


class MilestoneStatus(models.TextChoices):
    DONE = "done", _("Done")
    ON_TIME = "on_time", _("On time")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
