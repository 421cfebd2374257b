from __future__ import annotations

from django.db import models
from django.db.models import Q


class LedgerEntryQuerySet(models.QuerySet):
    def for_organisation(self, organisation) -> LedgerEntryQuerySet:
        return self.filter(organisation=organisation)

    def in_year(self, year: int, month: int | None = None) -> LedgerEntryQuerySet:
        return self.filter(year=year) if month is None else self.filter(year=year, month=month)

    def unmapped(self) -> LedgerEntryQuerySet:
        """Rows whose cost centre has no org unit or whose account has no cost category."""
        return self.filter(Q(org_unit__isnull=True) | Q(category=""))
