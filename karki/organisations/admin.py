from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import Organisation, OrgUnit


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["slug", "name", "is_sample_data"]


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyHistoryAdmin, TranslationAdmin):
    list_display = ["code", "name", "organisation", "parent", "level"]
    list_filter = ["organisation", "level"]
