from django.contrib import admin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import Membership


@admin.register(Membership)
class MembershipAdmin(ReadOnlyHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["organisation", "role"]
