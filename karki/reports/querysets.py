from __future__ import annotations

from django.db import models
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce


class CouncilReportQuerySet(models.QuerySet):
    def for_programme(self, programme) -> CouncilReportQuerySet:
        return self.filter(programme=programme)

    def listed(self) -> CouncilReportQuerySet:
        """For lists: who issued, which period, which files — not the figures nor the PDFs. Who issued is
        the name frozen in the report (`issued_by_name`), as its PDF says, not the account's name today."""
        from .models import CouncilReportFile

        files = CouncilReportFile.objects.defer("content").order_by("language")
        return (self.select_related("period", "issued_by").defer("figures")
                .annotate(issued_by_name=Coalesce(*(KT(f"figures__{language}__report__issued_by")
                                                    for language in ("fi", "sv", "en")), models.Value(""),
                                                output_field=models.TextField()))
                .prefetch_related(models.Prefetch("files", queryset=files)))
