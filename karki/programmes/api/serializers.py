"""Shapes of the public API. Money is euros as decimal strings. `savings_*` is positive when
costs fall; `cost_change_*` is negative when costs fall. Translated text is {fi, sv, en}."""

from rest_framework import serializers

EUR = {"max_digits": 16, "decimal_places": 2}


class TranslatedTextSerializer(serializers.Serializer):
    fi = serializers.CharField(allow_null=True)
    sv = serializers.CharField(allow_null=True)
    en = serializers.CharField(allow_null=True)


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = TranslatedTextSerializer()
    date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=["draft", "approved"])
    approved_at = serializers.DateTimeField(allow_null=True)


class ProgrammeSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = TranslatedTextSerializer()
    organisation = serializers.CharField(help_text="Identifier (slug) of the organisation.")
    organisation_name = TranslatedTextSerializer()
    period_start = serializers.IntegerField(help_text="First year of the programme.")
    period_end = serializers.IntegerField(help_text="Last year of the programme.")
    target_eur = serializers.DecimalField(allow_null=True, help_text="Financial target in euros.", **EUR)
    target_year = serializers.IntegerField(allow_null=True)
    is_sample_data = serializers.BooleanField()
    versions = VersionSerializer(many=True)


class EstimateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["point", "range", "upper_bound", "enabling", "to_be_specified"])
    amount_eur = serializers.DecimalField(allow_null=True, **EUR)
    savings_min_eur = serializers.DecimalField(**EUR)
    savings_expected_eur = serializers.DecimalField(**EUR)
    savings_max_eur = serializers.DecimalField(**EUR)
    potential_class = serializers.ChoiceField(choices=["large", "medium", "small"], allow_null=True)
    note = TranslatedTextSerializer()


class UncertaintySerializer(serializers.Serializer):
    ranges = serializers.IntegerField()
    upper_bounds = serializers.IntegerField()
    to_be_specified = serializers.IntegerField()
    enabling = serializers.IntegerField()
    without_estimate = serializers.IntegerField()
    uncertain_items = serializers.IntegerField(help_text="All items without a certain figure.")
    uncertain_expected_eur = serializers.DecimalField(
        help_text="The part of the expected sum that rests on ranges and upper bounds.", **EUR)


class TotalSerializer(serializers.Serializer):
    savings_min_eur = serializers.DecimalField(**EUR)
    savings_expected_eur = serializers.DecimalField(**EUR)
    savings_max_eur = serializers.DecimalField(**EUR)
    uncertainty = UncertaintySerializer()
    open_ended = serializers.BooleanField(help_text="Some items have no figure yet; the maximum is not a ceiling.")


class ThemeSummarySerializer(TotalSerializer):
    code = serializers.CharField()
    name = TranslatedTextSerializer()
    stated_savings_eur = serializers.DecimalField(allow_null=True, help_text="Sum stated in the source.", **EUR)
    stated_totals = serializers.ListField(child=serializers.DictField(), help_text="Every stated sum with its source.")
    targets = serializers.IntegerField(help_text="Number of productivity targets.")
    measures = serializers.IntegerField(help_text="Number of measures.")


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    savings_expected_eur = serializers.DecimalField(**EUR)
    cumulative_savings_eur = serializers.DecimalField(**EUR)
    source = serializers.ChoiceField(choices=["stated", "derived"])


class CostCategorySerializer(serializers.Serializer):
    category = serializers.CharField()
    cost_change_min_eur = serializers.DecimalField(**EUR)
    cost_change_max_eur = serializers.DecimalField(**EUR)
    source = serializers.ChoiceField(choices=["bottom_up", "top_down"],
                                     help_text="Whether the figures come from the estimates or the top-down targets.")
    target_cost_change_min_eur = serializers.DecimalField(allow_null=True, **EUR)
    target_cost_change_max_eur = serializers.DecimalField(allow_null=True, **EUR)


class ServiceAreaSerializer(serializers.Serializer):
    org_unit = serializers.CharField(allow_null=True)
    name = TranslatedTextSerializer(allow_null=True)
    savings_expected_eur = serializers.DecimalField(**EUR)
    target_cost_change_min_eur = serializers.DecimalField(allow_null=True, **EUR)
    target_cost_change_max_eur = serializers.DecimalField(allow_null=True, **EUR)
    gap_eur = serializers.DecimalField(allow_null=True, **EUR)


class SummarySerializer(serializers.Serializer):
    programme = serializers.SlugField()
    version = serializers.IntegerField()
    version_status = serializers.CharField()
    target_eur = serializers.DecimalField(allow_null=True, **EUR)
    target_year = serializers.IntegerField(allow_null=True)
    gap_eur = serializers.DecimalField(
        allow_null=True, help_text="Expected savings missing to reach the target.", **EUR)
    stated_total_eur = serializers.DecimalField(allow_null=True, **EUR)
    total = TotalSerializer()
    themes = ThemeSummarySerializer(many=True)
    by_year = YearSerializer(many=True)
    by_cost_category = CostCategorySerializer(many=True)
    by_service_area = ServiceAreaSerializer(many=True)
    contingency = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                        help_text="Codes of the prepared basket B and C measures.")
    warnings = serializers.ListField(child=serializers.CharField())


class ThemeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedTextSerializer()
    description = TranslatedTextSerializer()
    owner = serializers.CharField(allow_null=True)


class TargetSerializer(serializers.Serializer):
    code = serializers.CharField()
    theme = serializers.CharField()
    name = TranslatedTextSerializer()
    description = TranslatedTextSerializer()
    estimate = EstimateSerializer(allow_null=True)
    potential_class_stated = serializers.CharField(allow_null=True)
    difficulty = serializers.CharField(allow_null=True)
    org_unit = serializers.CharField(allow_null=True)


class MeasureSerializer(serializers.Serializer):
    code = serializers.CharField()
    theme = serializers.CharField(allow_null=True)
    target = serializers.CharField(allow_null=True)
    basket = serializers.ChoiceField(choices=["A", "B", "C"])
    name = TranslatedTextSerializer()
    description = TranslatedTextSerializer()
    horizon = serializers.CharField(allow_null=True)
    difficulty = serializers.CharField(allow_null=True)
    estimate = EstimateSerializer(allow_null=True)
    org_unit = serializers.CharField(allow_null=True)
    owner = serializers.CharField(allow_null=True)
    depends_on = serializers.ListField(child=serializers.CharField())


class RiskSerializer(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField()
    title = TranslatedTextSerializer()
    description = TranslatedTextSerializer()
    likelihood = serializers.IntegerField(allow_null=True)
    impact = serializers.IntegerField(allow_null=True)
    mitigation = TranslatedTextSerializer()
    owner = serializers.CharField(allow_null=True)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedTextSerializer()
    unit = serializers.CharField()
    direction = serializers.CharField(allow_null=True)
    baseline_value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    target_value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    theme = serializers.CharField(allow_null=True)
