from __future__ import annotations

from django.db import models

from karki.figures.marks import MarksQuerySetMixin


class ScenarioQuerySet(MarksQuerySetMixin, models.QuerySet):
    def for_programme(self, programme) -> ScenarioQuerySet:
        return self.filter(programme=programme)

    def newest_first(self) -> ScenarioQuerySet:
        return self.order_by("-created_at", "-pk")


class BasketDecisionQuerySet(MarksQuerySetMixin, models.QuerySet):
    def for_programme(self, programme) -> BasketDecisionQuerySet:
        return self.filter(programme=programme)

    def until(self, day) -> BasketDecisionQuerySet:
        """Decisions made on or before `day` (None: all of them)."""
        return self if day is None else self.filter(decided_on__lte=day)

    def in_order(self) -> BasketDecisionQuerySet:
        """Oldest first, as a council report tells them."""
        return self.order_by("decided_on", "recorded_at", "pk")
