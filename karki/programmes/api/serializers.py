"""Shapes of the public API. Money is euros as decimal strings. `savings_*` is positive when
costs fall; `cost_change_*` is negative when costs fall. Translated text is {fi, sv, en}."""

from rest_framework import serializers

from karki.core.api import ProblemSerializer  # noqa: F401  (the one shape of a refusal)

from ..enums import (
    Basket,
    Difficulty,
    EstimateKind,
    Horizon,
    PotentialClass,
    Recurrence,
    RiskCategory,
    ServiceLevelImpact,
)

RECURRENCE_HELP = ("`recurring`: a yearly saving that lowers the cost level from its start on; `one_off`: an amount "
                   "that counts once, in the year the measure takes effect.")

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
    deficit_eur = serializers.DecimalField(
        allow_null=True, help_text="An accumulated deficit the programme must cover, in euros; recurring and one-off "
                                   "savings both cover it, year by year.", **EUR)
    deficit_year = serializers.IntegerField(allow_null=True, help_text="The year by which the deficit is covered.")
    is_sample_data = serializers.BooleanField()
    versions = VersionSerializer(many=True)


class EstimateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["point", "range", "upper_bound", "enabling", "to_be_specified"])
    recurrence = serializers.ChoiceField(choices=Recurrence.values, help_text=RECURRENCE_HELP)
    amount_eur = serializers.DecimalField(allow_null=True, **EUR)
    savings_min_eur = serializers.DecimalField(**EUR)
    savings_expected_eur = serializers.DecimalField(**EUR)
    savings_max_eur = serializers.DecimalField(**EUR)
    potential_class = serializers.ChoiceField(choices=PotentialClass.choices, allow_null=True)
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
    revision = serializers.IntegerField(help_text="Send it back when changing the theme.")


class TargetSerializer(serializers.Serializer):
    code = serializers.CharField()
    theme = serializers.CharField()
    name = TranslatedTextSerializer()
    description = TranslatedTextSerializer()
    estimate = EstimateSerializer(allow_null=True)
    potential_class_stated = serializers.CharField(allow_null=True)
    difficulty = serializers.CharField(allow_null=True)
    org_unit = serializers.CharField(allow_null=True)
    revision = serializers.IntegerField(help_text="Send it back when changing the target.")


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
    contingency_rank = serializers.IntegerField(
        allow_null=True, help_text="Basket B and C: management's order of preference for activation, 1 first.")
    service_level_impact = serializers.ChoiceField(choices=ServiceLevelImpact.choices, allow_null=True)
    service_level_effect = TranslatedTextSerializer(help_text="What the measure costs residents in service level.")
    revision = serializers.IntegerField(help_text="Send it back when changing the measure.")


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


# -- Writes ----------------------------------------------------------------------------------
# Shapes only: every rule of the domain (codes, estimates, owners, frozen versions) is checked by
# the same services the browser uses, and their messages come back in the user's language.


class TranslatedInputSerializer(serializers.Serializer):
    fi = serializers.CharField(required=False, allow_blank=True, default="")
    sv = serializers.CharField(required=False, allow_blank=True, default="")
    en = serializers.CharField(required=False, allow_blank=True, default="")


class EstimateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EstimateKind.values, allow_null=True, help_text="null removes the estimate.")
    recurrence = serializers.ChoiceField(
        choices=Recurrence.values, required=False,
        help_text=RECURRENCE_HELP + " Left out: the stored one (recurring for a new estimate).")
    amount_eur = serializers.DecimalField(required=False, allow_null=True, **EUR)
    min_eur = serializers.DecimalField(required=False, allow_null=True, **EUR)
    max_eur = serializers.DecimalField(required=False, allow_null=True, **EUR)
    note = TranslatedInputSerializer(required=False)


class EstimateWriteSerializer(serializers.Serializer):
    estimate = EstimateInputSerializer(allow_null=True)
    revision = serializers.IntegerField(help_text="The revision you read; a newer stored one answers 409.")


class MeasureWriteSerializer(serializers.Serializer):
    """Fields left out keep their stored values."""

    code = serializers.CharField(required=False, max_length=20)
    basket = serializers.ChoiceField(choices=Basket.values, required=False,
                                     help_text="Only when creating; A needs a target.")
    target = serializers.CharField(required=False, allow_null=True, help_text="Code of the productivity target.")
    name = TranslatedInputSerializer(required=False)
    description = TranslatedInputSerializer(required=False)
    horizon = serializers.ChoiceField(choices=Horizon.values, required=False, allow_null=True)
    difficulty = serializers.ChoiceField(choices=Difficulty.values, required=False, allow_null=True)
    org_unit = serializers.CharField(required=False, allow_null=True, help_text="Code of the org unit.")
    owner = serializers.CharField(required=False, allow_null=True,
                                  help_text="Username of the owner; only the programme office assigns owners.")
    owner_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    estimate = EstimateInputSerializer(required=False, allow_null=True)
    contingency_rank = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                                help_text="Basket B and C only: order of preference, 1 first.")
    service_level_impact = serializers.ChoiceField(choices=ServiceLevelImpact.values, required=False, allow_null=True)
    service_level_effect = TranslatedInputSerializer(required=False)
    revision = serializers.IntegerField(required=False,
                                        help_text="Required when changing: the revision you read; a newer stored "
                                                  "one answers 409.")


class MeasureDetailSerializer(MeasureSerializer):
    version = serializers.IntegerField()
    revision = serializers.IntegerField()
    can_edit = serializers.BooleanField(help_text="The user may change the measure.")
    can_edit_estimate = serializers.BooleanField(help_text="The user may change the money figures.")


class RiskWriteSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, max_length=20)
    theme = serializers.CharField(required=False, allow_null=True,
                                  help_text="Code of the theme; null: the whole programme.")
    category = serializers.ChoiceField(choices=RiskCategory.values, required=False)
    title = TranslatedInputSerializer(required=False)
    description = TranslatedInputSerializer(required=False)
    mitigation = TranslatedInputSerializer(required=False)
    likelihood = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    impact = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    owner_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    revision = serializers.IntegerField(required=False)


class RiskDetailSerializer(RiskSerializer):
    theme = serializers.CharField(allow_null=True)
    revision = serializers.IntegerField()


class ThemeWriteSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, max_length=20)
    name = TranslatedInputSerializer(required=False)
    description = TranslatedInputSerializer(required=False)
    owner = serializers.CharField(required=False, allow_null=True,
                                  help_text="Username of the owner; only the programme office assigns owners.")
    owner_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    revision = serializers.IntegerField(required=False, help_text="Required when changing.")


class TargetWriteSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, max_length=20)
    theme = serializers.CharField(required=False, help_text="Code of the theme; only when creating.")
    name = TranslatedInputSerializer(required=False)
    description = TranslatedInputSerializer(required=False)
    estimate = EstimateInputSerializer(required=False, allow_null=True)
    potential_class_stated = serializers.ChoiceField(choices=PotentialClass.choices, required=False, allow_null=True)
    difficulty = serializers.ChoiceField(choices=Difficulty.values, required=False, allow_null=True)
    org_unit = serializers.CharField(required=False, allow_null=True, help_text="Code of the org unit.")
    revision = serializers.IntegerField(required=False, help_text="Required when changing.")


class DependencyWriteSerializer(serializers.Serializer):
    depends_on = serializers.CharField(help_text="Code of the measure this one waits for.")
    note = TranslatedInputSerializer(required=False)


class DependencySerializer(serializers.Serializer):
    measure = serializers.CharField()
    depends_on = serializers.CharField()
    note = TranslatedTextSerializer()


class VersionActionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["draft", "approved"])
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField(allow_null=True)
    published = serializers.BooleanField()
