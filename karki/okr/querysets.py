from __future__ import annotations

from django.db import models

from karki.figures.marks import MarksQuerySetMixin


class ObjectiveQuerySet(MarksQuerySetMixin, models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation).select_related("org_unit", "org_unit__parent")


class KeyResultQuerySet(MarksQuerySetMixin, models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(objective__organisation=organisation).select_related(
            "objective", "objective__org_unit", "objective__org_unit__parent")
