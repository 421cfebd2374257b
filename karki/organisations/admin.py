from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, OrgUnit


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["slug", "name", "is_sample_data"]


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["code", "name", "organisation", "parent", "level"]
    list_filter = ["organisation", "level"]
