from django.contrib import admin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import CheckIn, KeyResult, Objective


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "organisation", "org_unit"]
    list_filter = ["organisation"]


@admin.register(KeyResult)
class KeyResultAdmin(ReadOnlyHistoryAdmin):
    list_display = ["text", "objective", "target", "deadline"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyHistoryAdmin):
    list_display = ["key_result", "date", "value", "confidence"]
