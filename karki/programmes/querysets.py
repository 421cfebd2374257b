from __future__ import annotations

from django.db import models

from karki.figures.marks import MarksQuerySetMixin


class ProgrammeQuerySet(MarksQuerySetMixin, models.QuerySet):
    def visible_to(self, user) -> ProgrammeQuerySet:
        """Programmes of the user's organisations, and those with a published version."""
        from karki.accounts.permissions import organisation_ids_visible_to

        from .models import Publication

        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        published = Publication.objects.filter(version__programme=models.OuterRef("pk"), withdrawn_at__isnull=True)
        return self.filter(
            models.Q(organisation_id__in=organisation_ids_visible_to(user)) | models.Exists(published)
        )

    def with_versions(self) -> ProgrammeQuerySet:
        return self.select_related("organisation").prefetch_related("versions")


class VersionQuerySet(MarksQuerySetMixin, models.QuerySet):
    def for_programme(self, programme) -> VersionQuerySet:
        return self.filter(programme=programme)

    def approved(self) -> VersionQuerySet:
        return self.filter(status="approved")

    def published(self) -> VersionQuerySet:
        from .models import Publication

        live = Publication.objects.filter(version=models.OuterRef("pk"), withdrawn_at__isnull=True)
        return self.filter(models.Exists(live))

    def visible_to(self, user, programme) -> VersionQuerySet:
        """Every version for members of the programme's organisation; published ones for other users."""
        from karki.accounts.permissions import is_member

        versions = self.filter(programme=programme)
        if is_member(user, programme.organisation_id):
            return versions
        if not getattr(user, "is_authenticated", False):
            return versions.none()
        return versions.published()

    def latest_first(self) -> VersionQuerySet:
        return self.order_by("-number")


class VersionFrozenQuerySetMixin:
    """Bulk writes bypass `save()`; refuse them too when they would touch an approved version."""

    def _touches_approved(self) -> bool:
        return self.filter(version__status="approved").exists()

    def update(self, **kwargs):
        from .models import VersionFrozen

        if self._touches_approved():
            raise VersionFrozen()
        return super().update(**kwargs)

    def delete(self):
        from .models import VersionFrozen

        if self._touches_approved():
            raise VersionFrozen()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        from .models import ProgrammeVersion, VersionFrozen

        version_ids = {obj.version_id for obj in objs}
        if ProgrammeVersion.objects.filter(pk__in=version_ids, status="approved").exists():
            raise VersionFrozen()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        from .models import ProgrammeVersion, VersionFrozen

        version_ids = {obj.version_id for obj in objs}
        if ProgrammeVersion.objects.filter(pk__in=version_ids, status="approved").exists():
            raise VersionFrozen()
        return super().bulk_update(objs, *args, **kwargs)


class VersionContentQuerySet(MarksQuerySetMixin, VersionFrozenQuerySetMixin, models.QuerySet):
    def for_version(self, version) -> VersionContentQuerySet:
        return self.filter(version=version)
