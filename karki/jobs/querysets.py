from __future__ import annotations

from django.db import models


class JobQuerySet(models.QuerySet):
    def started_by(self, user) -> JobQuerySet:
        return self.filter(created_by=user)

    def without_payloads(self) -> JobQuerySet:
        """Lists need the state, not the uploaded or produced bytes."""
        return self.defer("input_data", "result_data")
