from __future__ import annotations

from django.db import models

from karki.accounts.permissions import organisation_ids_visible_to


class ProjectQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def for_programme(self, programme):
        """The projects followed in the programme."""
        return self.filter(programme=programme)

    def visible_to(self, user):
        """Projects are internal plans with named people and unreviewed follow-up: members of the
        organisation read them, nobody else (like the monitoring)."""
        if getattr(user, "is_superuser", False):
            return self
        return self.filter(organisation_id__in=organisation_ids_visible_to(user))
