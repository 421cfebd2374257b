from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import OrgUnitLevel
from .querysets import OrganisationQuerySet, OrgUnitQuerySet


class Organisation(models.Model):
    """A wellbeing services county (hyvinvointialue / välfärdsområde) or a city."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_sample_data = models.BooleanField(
        _("sample data"), default=False, help_text=_("Demo content transcribed from public documents.")
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name or self.slug


class OrgUnit(models.Model):
    """A node of the organisation tree: toimiala (service area) → tulosalue (result area)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="org_units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=OrgUnitLevel.choices, default=OrgUnitLevel.SERVICE_AREA)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Raised by every save; a form based on an older revision is refused (karki.core.conflicts).
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["organisation", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="organisations_orgunit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.code
