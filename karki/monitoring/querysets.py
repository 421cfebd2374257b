from __future__ import annotations

from django.db import models

from karki.figures.marks import MarksQuerySetMixin

from .enums import RECEIVED_STATES, Verification


class PeriodQuerySet(MarksQuerySetMixin, models.QuerySet):
    def for_programme(self, programme) -> PeriodQuerySet:
        return self.filter(programme=programme)

    def open(self) -> PeriodQuerySet:
        return self.filter(status="open")

    def up_to(self, period) -> PeriodQuerySet:
        """This period and the ones before it."""
        return self.filter(programme_id=period.programme_id).filter(
            models.Q(year__lt=period.year) | models.Q(year=period.year, month__lte=period.month))


class StatusReportQuerySet(MarksQuerySetMixin, models.QuerySet):
    def received(self) -> StatusReportQuerySet:
        """Submitted or accepted: what the status picture counts."""
        return self.filter(state__in=RECEIVED_STATES)

    def for_period(self, period) -> StatusReportQuerySet:
        return self.filter(period=period)


class RealisedSavingQuerySet(MarksQuerySetMixin, models.QuerySet):
    def for_programme(self, programme) -> RealisedSavingQuerySet:
        return self.filter(report__period__programme=programme)

    def received(self) -> RealisedSavingQuerySet:
        """Savings of submitted or accepted reports: the claims the status picture counts."""
        return self.filter(report__state__in=RECEIVED_STATES)

    def waiting(self) -> RealisedSavingQuerySet:
        """Received claims finance has not decided on yet."""
        return self.received().filter(verification=Verification.CLAIMED)
