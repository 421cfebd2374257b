"""What the programme office has made public of a programme, and the texts written for residents.

Themes and measures are content of a programme version and frozen when it is approved; whether they are
public and what they mean for residents is decided afterwards, and stays across versions. So both live
here, per programme, and find their theme or measure by its code, as status reports do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karki.figures.marks import MarkedQuerySet

from .enums import EntryKind, Visibility


class PublicSite(models.Model):
    """The programme's public site: whether it is published, its contact and the programme's resident text."""

    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE, related_name="public_site",
                                     verbose_name=_("programme"))
    is_published = models.BooleanField(_("published to residents"), default=False)
    resident_text = models.TextField(
        _("what changes for residents"), blank=True,
        help_text=_("For the whole programme, in plain language: what changes for the people of the area."))
    contact_name = models.CharField(
        _("contact person"), max_length=200, blank=True,
        help_text=_("Shown on the public site. Leave empty to show only the address."))
    contact_email = models.EmailField(_("contact and feedback address"), blank=True)
    feedback_url = models.URLField(_("feedback form"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("public site")
        verbose_name_plural = _("public sites")

    def __str__(self) -> str:
        return str(self.programme)


class PublicEntry(models.Model):
    """A theme or measure on the public site: shown or not, and what it changes for residents."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="public_entries",
                                  verbose_name=_("programme"))
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    code = models.CharField(_("code"), max_length=20)
    visibility = models.CharField(_("on the public site"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.DEFAULT)
    resident_text = models.TextField(
        _("what changes for residents"), blank=True,
        help_text=_("In plain language, for the people of the area: what they will notice."))
    services = models.CharField(
        _("services"), max_length=300, blank=True,
        help_text=_("The services it concerns, separated by commas, for example: health centres, home care."))
    areas = models.CharField(
        _("municipalities or areas"), max_length=300, blank=True,
        help_text=_("The municipalities or areas it concerns, separated by commas; empty for the whole county."))
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    objects = MarkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("public entry")
        verbose_name_plural = _("public entries")
        ordering = ["programme", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "code"], name="public_entry_unique"),
            models.CheckConstraint(condition=Q(kind__in=["theme", "measure"]), name="public_entry_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"


def split_list(value: str) -> list[str]:
    """"Kotka, Kouvola" → ["Kotka", "Kouvola"]: the services or areas of an entry."""
    return [part.strip() for part in (value or "").replace(";", ",").split(",") if part.strip()]
