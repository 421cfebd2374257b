from django.db import models
from django.utils.translation import pgettext_lazy


class JobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("background work", "Waiting")
    RUNNING = "running", pgettext_lazy("background work", "In progress")
    SUCCEEDED = "succeeded", pgettext_lazy("background work", "Ready")
    FAILED = "failed", pgettext_lazy("background work", "Failed")
