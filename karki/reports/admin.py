from django.contrib import admin

from .models import CouncilReport


@admin.register(CouncilReport)
class CouncilReportAdmin(admin.ModelAdmin):
    """Read-only: reports are issued from the Reports page and never change afterwards."""

    list_display = ["programme", "number", "period", "issued_at", "issued_by"]
    list_filter = ["programme"]
    exclude = ["figures"]
    readonly_fields = ["programme", "number", "period", "languages", "issued_at", "issued_by", "previous"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
