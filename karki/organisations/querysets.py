from __future__ import annotations

from django.db import models

from karki.figures.marks import MarksQuerySetMixin


class OrganisationQuerySet(MarksQuerySetMixin, models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        from karki.accounts.permissions import organisation_ids_visible_to

        if getattr(user, "is_superuser", False):
            return self
        return self.filter(pk__in=organisation_ids_visible_to(user))


class OrgUnitQuerySet(MarksQuerySetMixin, models.QuerySet):
    def for_organisation(self, organisation) -> OrgUnitQuerySet:
        return self.filter(organisation=organisation)

    def service_areas(self) -> OrgUnitQuerySet:
        return self.filter(parent__isnull=True)
