from django.contrib import admin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import ApiToken, Membership


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see and revoke API tokens (for example of someone who left); only their owners make them."""

    list_display = ["name", "user", "created", "expiry", "last_used"]
    list_filter = ["created", "expiry"]
    search_fields = ["name", "user__username"]
    fields = ["name", "user", "token_key", "created", "expiry", "last_used"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
