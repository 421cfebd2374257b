"""Translated content fields; history is registered here, after the translated fields exist,
so that the audit trail records every language (the documented way to combine
django-modeltranslation with django-simple-history)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Organisation, OrgUnit


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(OrgUnit)
class OrgUnitTranslation(TranslationOptions):
    fields = ("name",)


simple_history.register(Organisation)
simple_history.register(OrgUnit)
