from django.contrib import admin

from .models import Job, WorkerHeartbeat


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: the operator looks at stuck or failed work; people start work from the app."""

    list_display = ["created_at", "kind", "organisation", "created_by", "state", "progress"]
    list_filter = ["state", "kind"]
    exclude = ["input_data", "result_data"]
    readonly_fields = [f.name for f in Job._meta.fields if f.name not in ("input_data", "result_data")]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Which background workers run, and when each was last seen (read-only)."""

    list_display = ["host", "pid", "worker_id", "started_at", "last_seen"]
    readonly_fields = ["worker_id", "host", "pid", "started_at", "last_seen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
