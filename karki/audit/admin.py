"""The audit trail in the Django admin is read-only.

SimpleHistoryAdmin shows an object's history and, by default, lets a staff user "revert" to an
old version from it (a POST to the history form view saves the old values). Kärki's history is
append-only evidence, so the admin may read it but never revert or edit through it; history rows
themselves are not registered in the admin at all, so they cannot be deleted there.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POST here even when revert is hidden; refuse it outright.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
