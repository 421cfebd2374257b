"""The operator reads the public sites' settings and their history in the admin. The programme office
changes them on the programme's "Public site" page, through karki/public/services.py, which checks the
revision, the conditions of publishing and who may decide; the admin does not go around that."""

from django.contrib import admin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import PublicEntry, PublicSite


class ReadOnly:
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PublicSite)
class PublicSiteAdmin(ReadOnly, ReadOnlyHistoryAdmin):
    list_display = ["programme", "is_published", "contact_email", "updated_by", "updated_at"]
    list_filter = ["is_published"]


@admin.register(PublicEntry)
class PublicEntryAdmin(ReadOnly, ReadOnlyHistoryAdmin):
    list_display = ["programme", "kind", "code", "visibility", "updated_by", "updated_at"]
    list_filter = ["programme", "kind", "visibility"]
    search_fields = ["code"]
