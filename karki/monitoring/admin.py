from django.contrib import admin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import Period, StatusReport


@admin.register(Period)
class PeriodAdmin(ReadOnlyHistoryAdmin):
    list_display = ["programme", "year", "month", "status"]
    list_filter = ["status", "programme"]


@admin.register(StatusReport)
class StatusReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["measure_code", "period", "phase", "status", "state", "escalation"]
    list_filter = ["state", "status", "phase"]
    search_fields = ["measure_code"]
