from __future__ import annotations

from django.db import models


class CouncilReportQuerySet(models.QuerySet):
    def for_programme(self, programme) -> CouncilReportQuerySet:
        return self.filter(programme=programme)

    def listed(self) -> CouncilReportQuerySet:
        """For lists: who issued, which period, which files — not the figures nor the PDFs."""
        from .models import CouncilReportFile

        files = CouncilReportFile.objects.defer("content").order_by("language")
        return (self.select_related("period", "issued_by").defer("figures")
                .prefetch_related(models.Prefetch("files", queryset=files)))
