from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import ApiToken, ExternalIdentity, Membership

User = get_user_model()


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(ReadOnlyHistoryAdmin, DjangoUserAdmin):
    """Django's user admin, plus the account's history (read-only; no password hashes in it)."""


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ReadOnlyHistoryAdmin):
    """The platform operator links an existing account to a person's single sign-on identity here
    (sign-on itself never links to an account that already exists). The issuer and subject are in
    the log line "Single sign-on refused (username_taken) for issuer …, subject …" or in the provider's
    directory (Entra ID: the tenant ID and the user's object ID)."""

    list_display = ["user", "issuer", "subject", "created", "last_sign_in"]
    search_fields = ["user__username", "subject", "issuer"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created", "last_sign_in"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyHistoryAdmin):
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
