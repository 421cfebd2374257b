from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("version status", "Draft")
    APPROVED = "approved", pgettext_lazy("version status", "Approved")


class Recurrence(models.TextChoices):
    """Whether a saving lowers the cost level from its start on (recurring, *pysyvä*) or helps only its own
    year's result (one-off, *kertaluonteinen*: a property sale, a postponed purchase)."""

    RECURRING = "recurring", _("Recurring")
    ONE_OFF = "one_off", _("One-off")


class EstimateKind(models.TextChoices):
    POINT = "point", _("Point estimate")
    RANGE = "range", _("Range")
    UPPER_BOUND = "upper_bound", _("Upper bound")
    ENABLING = "enabling", _("Enabling measure, no direct savings")
    TO_BE_SPECIFIED = "to_be_specified", _("To be specified")


class PotentialClass(models.TextChoices):
    LARGE = "large", _("Large potential")
    MEDIUM = "medium", _("Medium potential")
    SMALL = "small", _("Small potential")


class Horizon(models.TextChoices):
    SHORT = "short", _("Short (about 1 year)")
    MEDIUM = "medium", _("Medium (2–3 years)")
    LONG = "long", _("Long (over 3 years)")


# Years until a measure of each horizon reaches its full yearly effect.
HORIZON_YEARS = {Horizon.SHORT: 1, Horizon.MEDIUM: 3, Horizon.LONG: 4}


class Difficulty(models.TextChoices):
    NOT_DEMANDING = "not_demanding", _("Not so demanding")
    DEMANDING = "demanding", _("Demanding")
    VERY_DEMANDING = "very_demanding", _("Very demanding")


class Basket(models.TextChoices):
    A = "A", _("A – primary measures")
    B = "B", _("B – restrict availability of services")
    C = "C", _("C – reduce service levels and cut")


class ServiceLevelImpact(models.TextChoices):
    """What a contingency measure costs residents in service level, in a word (the text says how)."""

    MINOR = "minor", pgettext_lazy("service level impact", "Minor")
    MODERATE = "moderate", pgettext_lazy("service level impact", "Moderate")
    MAJOR = "major", pgettext_lazy("service level impact", "Major")


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel costs")
    PURCHASED_SERVICES = "purchased_services", _("Purchased services")
    PURCHASED_CLIENT_SERVICES = "purchased_client_services", _("Purchased client services")
    PURCHASED_AGENCY_STAFF = "purchased_agency_staff", _("Agency staff")
    PURCHASED_OTHER = "purchased_other", _("Other purchased services")
    RENTS = "rents", _("Rents")
    MATERIALS = "materials", _("Materials and supplies")
    OTHER = "other", _("Other costs")
    TOTAL = "total", _("Total")


class TopDownDimension(models.TextChoices):
    COST_CATEGORY = "cost_category", _("Cost category")
    SERVICE_AREA = "service_area", _("Service area")


class FundingKind(models.TextChoices):
    GRANT = "grant", _("State grant")
    PROJECT = "project", _("Project funding")
    OWN = "own", _("Own funding")


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class RiskCategory(models.TextChoices):
    LEADERSHIP = "leadership", _("Leadership and communication")
    SCHEDULE = "schedule", _("Schedule")
    FINANCIAL = "financial", _("Financial")
    PERSONNEL = "personnel", _("Personnel resources")
    STAKEHOLDERS = "stakeholders", _("Stakeholders")
    LEGISLATION = "legislation", _("Legislation")
    REPUTATION = "reputation", _("Reputation")
    OTHER = "other", _("Other")
