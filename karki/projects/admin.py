from django.contrib import admin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import Project


@admin.register(Project)
class ProjectAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "name", "organisation", "status", "start_date", "end_date")
    list_filter = ("organisation", "status")
    search_fields = ("code", "name")
