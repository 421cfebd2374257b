from rest_framework import serializers


class CheckInSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True, required=False)
    confidence = serializers.IntegerField(min_value=0, max_value=100, allow_null=True, required=False)
    comment = serializers.CharField(allow_blank=True, required=False, default="")
    by = serializers.CharField(read_only=True, allow_null=True)


class CheckInRowSerializer(serializers.Serializer):
    """A check-in as BI tools read it. Decimals are strings ("6.7600"), as everywhere in the API."""

    id = serializers.IntegerField()
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    confidence = serializers.IntegerField(min_value=0, max_value=100, allow_null=True)
    confidence_used = serializers.BooleanField(
        help_text="False when the check-in has no confidence or a person marked it as wrong (kept, not used).")
    comment = serializers.CharField(allow_blank=True)
    source_file = serializers.CharField(allow_blank=True, help_text="The imported table it came from, if any.")
    source_row = serializers.IntegerField(allow_null=True, help_text="The row of that table, as a spreadsheet "
                                                                     "numbers it.")
    recorded_at = serializers.DateTimeField()


class KeyResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    objective = serializers.CharField()
    language = serializers.CharField()
    service_area = serializers.CharField(allow_null=True)
    result_area = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    metric = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    direction = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    measures = serializers.ListField(child=serializers.CharField())
    latest_value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    latest_confidence = serializers.IntegerField(allow_null=True)
    expected_value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    at_risk = serializers.BooleanField()
    risk_reasons = serializers.ListField(child=serializers.CharField())
    can_check_in = serializers.BooleanField()
    is_sample_data = serializers.BooleanField()
