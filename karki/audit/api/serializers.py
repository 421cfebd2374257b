"""Shape of the audit trail in the API: entries newest first, each with its changed fields."""

from rest_framework import serializers


class HistoryUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Stored column, e.g. name_fi or estimate_amount_eur.")
    label = serializers.CharField(help_text="The field's name in the requested language.")
    old = serializers.CharField(help_text="Value before, as a person reads it; empty when there was none.")
    new = serializers.CharField(help_text="Value after, as a person reads it; empty when there is none.")
    old_value = serializers.CharField(help_text="Value before as stored: decimals with a point, ISO dates, ids.")
    new_value = serializers.CharField(help_text="Value after as stored.")


class HistoryEntrySerializer(serializers.Serializer):
    date = serializers.DateTimeField()
    user = HistoryUserSerializer(allow_null=True, help_text="Null for a change made by the system.")
    action = serializers.ChoiceField(choices=["created", "changed", "deleted", "approved"])
    model = serializers.CharField(help_text="Kind of object, e.g. measure, target, programmeversion.")
    object_id = serializers.IntegerField()
    object_code = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)
    change_reason = serializers.CharField()
    summary = serializers.CharField()
    approved_by = serializers.CharField(allow_blank=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)


class HistoryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Entries matching the filters.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = HistoryEntrySerializer(many=True)
