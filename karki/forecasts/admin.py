"""The operator reads scenarios and basket decisions in the admin; both are append-only, so the admin
neither adds, changes nor deletes them (writes go through karki/forecasts/services.py)."""

from django.contrib import admin

from karki.audit.admin import ReadOnlyHistoryAdmin

from .models import BasketDecision, Scenario


class ReadOnly:
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BasketDecision)
class BasketDecisionAdmin(ReadOnly, ReadOnlyHistoryAdmin):
    list_display = ["programme", "basket", "decision", "decided_on", "recorded_by", "recorded_at"]
    list_filter = ["basket", "decision", "programme"]


@admin.register(Scenario)
class ScenarioAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "programme", "version", "created_by", "created_at"]
    list_filter = ["programme"]
    search_fields = ["name"]
