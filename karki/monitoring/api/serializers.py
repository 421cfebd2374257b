"""Shapes of the monitoring API (input checks only; the rules are in services.py)."""

from rest_framework import serializers

from karki.programmes.enums import CostCategory, Recurrence

from ..enums import Phase, TrafficLight

EUR = {"max_digits": 14, "decimal_places": 2}


class YearSavingsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    savings_eur = serializers.DecimalField(
        help_text="Realised in the year up to the end of the period, as claimed by the measure owners.", **EUR)
    verified_eur = serializers.DecimalField(
        help_text="Of `savings_eur`, what finance verified (claims verified as such and adjusted amounts; a "
                  "rejected claim counts as zero).", **EUR)
    waiting_verification_eur = serializers.DecimalField(
        help_text="Of `savings_eur`, the claims finance has not decided on yet.", **EUR)
    one_off_eur = serializers.DecimalField(
        help_text="Of `savings_eur`, one-off savings (claimed): they help the year's result only; the rest is "
                  "recurring and lowers the cost level from then on.", **EUR)


class CarriedYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    months = serializers.IntegerField(help_text="Months of the year after the period.")
    claimed_eur = serializers.DecimalField(
        help_text="The recurring run-rate claimed at the end of the period, carried into those months.", **EUR)
    verified_eur = serializers.DecimalField(help_text="The same, as finance verified it.", **EUR)


class StatusCountsSerializer(serializers.Serializer):
    green = serializers.IntegerField()
    amber = serializers.IntegerField()
    red = serializers.IntegerField()


class StatusSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM")
    period_status = serializers.CharField()
    target_eur = serializers.DecimalField(
        allow_null=True, help_text="The yearly savings level to reach in `target_year`; compare it with a year's "
                                   "savings (`realised_by_year`), not with the cumulative sum.", **EUR)
    target_year = serializers.IntegerField(help_text="The year in which the yearly savings are to reach the target.")
    realised_savings_eur = serializers.DecimalField(
        help_text="Claimed by the measure owners, cumulative to the end of the period.", **EUR)
    realised_verified_eur = serializers.DecimalField(
        help_text="Of `realised_savings_eur`, what finance verified (a rejected claim counts as zero).", **EUR)
    waiting_verification_eur = serializers.DecimalField(
        help_text="Of `realised_savings_eur`, the claims finance has not decided on yet.", **EUR)
    realised_by_year = YearSavingsSerializer(many=True)
    recurring_run_rate_eur = serializers.DecimalField(
        help_text="Recurring savings a year the measures reached at the end of the period (each measure's mean of "
                  "its last three reported months, times twelve), claimed.", **EUR)
    recurring_run_rate_verified_eur = serializers.DecimalField(
        help_text="The same, as finance verified it (claims still waiting count as zero).", **EUR)
    carried_by_year = CarriedYearSerializer(
        many=True, help_text="The run-rate carried into the months after the period, year by year.")
    deficit_eur = serializers.DecimalField(
        allow_null=True, help_text="An accumulated deficit to cover by `deficit_year`; null when none is set.", **EUR)
    deficit_year = serializers.IntegerField(allow_null=True)
    deficit_covered_eur = serializers.DecimalField(
        allow_null=True, help_text="Covered to the end of the period by realised savings, recurring and one-off "
                                   "(claimed); null without a deficit.", **EUR)
    reports_expected = serializers.IntegerField()
    reports_received = serializers.IntegerField()
    status_counts = StatusCountsSerializer()
    escalations = serializers.ListField(child=serializers.CharField(), help_text="Measure codes.")
    key_results_at_risk = serializers.IntegerField()


class SavingInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=[c for c in CostCategory.values if c != CostCategory.TOTAL])
    recurrence = serializers.ChoiceField(
        choices=Recurrence.values, required=False, default=Recurrence.RECURRING,
        help_text="`recurring` (the default): the cost level fell and stays lower; `one_off`: only this month's "
                  "result (a property sale, a postponed purchase). A report may carry one of each per category.")
    amount_eur = serializers.DecimalField(**EUR)


class ReportInputSerializer(serializers.Serializer):
    period = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM")
    phase = serializers.ChoiceField(choices=Phase.choices)
    status = serializers.ChoiceField(choices=TrafficLight.choices)
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    obstacles = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=["fi", "sv", "en"], required=False, default="fi")
    escalation = serializers.BooleanField(required=False, default=False)
    revised_expected_eur = serializers.DecimalField(required=False, allow_null=True, default=None, **EUR)
    forecast_note = serializers.CharField(required=False, allow_blank=True, default="")
    confidence = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=100,
                                          help_text="Optional: the owner's confidence (0–100) that the measure "
                                                    "delivers its savings.")
    savings = SavingInputSerializer(many=True, required=False, default=list,
                                     help_text="The whole set of the period; savings left out (by category and "
                                               "recurrence) are removed.")
    submit = serializers.BooleanField(required=False, default=True,
                                      help_text="False saves a draft; true hands the report in.")
    revision = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0,
        help_text="The `revision` of the period's report that you read, when you change an existing report. "
                  "0, null or left out states that you expect no report yet for the measure and the period: "
                  "if one exists (someone else reported meanwhile), nothing is saved and the answer is 409 "
                  "with its `current_revision` and what it holds in `changes`. Read it, then send again with "
                  "that revision to replace it on purpose.")


class ReportSerializer(serializers.Serializer):
    measure = serializers.CharField()
    period = serializers.CharField()
    phase = serializers.CharField()
    status = serializers.CharField()
    state = serializers.CharField()
    escalation = serializers.BooleanField()
    revised_expected_eur = serializers.DecimalField(allow_null=True, **EUR)
    confidence = serializers.IntegerField(allow_null=True)
    savings = SavingInputSerializer(many=True)
    revision = serializers.IntegerField()

