from django.db import models
from django.utils.translation import pgettext_lazy


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reporting period", "Open")
    CLOSED = "closed", pgettext_lazy("reporting period", "Closed")


class Phase(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("measure phase", "Planned")
    STARTED = "started", pgettext_lazy("measure phase", "Started")
    IN_PROGRESS = "in_progress", pgettext_lazy("measure phase", "In progress")
    IMPLEMENTED = "implemented", pgettext_lazy("measure phase", "Implemented")
    BENEFITS_REALISED = "benefits_realised", pgettext_lazy("measure phase", "Benefits realised")
    CANCELLED = "cancelled", pgettext_lazy("measure phase", "Cancelled")


class TrafficLight(models.TextChoices):
    """A status is never colour alone: each has a word (the label) and an icon (`TRAFFIC_LIGHT_ICONS`)."""

    GREEN = "green", pgettext_lazy("traffic light", "On track")
    AMBER = "amber", pgettext_lazy("traffic light", "At risk")
    RED = "red", pgettext_lazy("traffic light", "Off track")


# Shapes differ as well as colours: a check, a warning triangle, a cross.
TRAFFIC_LIGHT_ICONS = {TrafficLight.GREEN: "✔", TrafficLight.AMBER: "▲", TrafficLight.RED: "✖"}


class ReviewState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report state", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("report state", "Accepted")
    RETURNED = "returned", pgettext_lazy("report state", "Returned")


# Reports the programme office has received: they count in the status picture.
RECEIVED_STATES = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)


class Verification(models.TextChoices):
    """What finance has made of a realised saving an owner reported (a claim)."""

    CLAIMED = "claimed", pgettext_lazy("verification", "Claimed, not verified")
    VERIFIED = "verified", pgettext_lazy("verification", "Verified")
    ADJUSTED = "adjusted", pgettext_lazy("verification", "Verified with another amount")
    REJECTED = "rejected", pgettext_lazy("verification", "Rejected")


# Decisions finance has made: the saving counts in the verified figures with `verified_amount_eur`
# (zero when rejected).
DECIDED = (Verification.VERIFIED, Verification.ADJUSTED, Verification.REJECTED)
