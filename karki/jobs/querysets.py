from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q


class JobQuerySet(models.QuerySet):
    def started_by(self, user) -> JobQuerySet:
        return self.filter(created_by=user)

    def without_payloads(self) -> JobQuerySet:
        """Lists need the state, not the uploaded or produced bytes."""
        return self.defer("input_data", "result_data")

    def unfinished_since(self, cutoff: datetime) -> JobQuerySet:
        """Work waiting since before `cutoff`, or taken up by a worker before it and not finished."""
        return self.filter(Q(state="queued", created_at__lt=cutoff) | Q(state="running", started_at__lt=cutoff))
