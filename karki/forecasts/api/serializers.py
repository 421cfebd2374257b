"""Shapes of the forecast API. Money is euros as decimal strings; savings are positive when costs fall."""

from rest_framework import serializers

EUR = {"max_digits": 16, "decimal_places": 2}


class BandSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    p10_eur = serializers.DecimalField(help_text="Nine draws in ten save at least this much.", **EUR)
    p50_eur = serializers.DecimalField(help_text="The median.", **EUR)
    p90_eur = serializers.DecimalField(help_text="Only one draw in ten saves more.", **EUR)


class YearBandSerializer(BandSerializer):
    one_off_eur = serializers.DecimalField(
        help_text="The year's expected one-off savings, beside the level (P10–P90 are the recurring level).", **EUR)
    realised_eur = serializers.DecimalField(
        help_text="Realised recurring savings of the year as the forecast counts them (verified; claims waiting for "
                  "verification times `verification_rate`).", **EUR)
    realised_one_off_eur = serializers.DecimalField(help_text="Realised one-off savings, counted the same way.", **EUR)


class ForecastSerializer(serializers.Serializer):
    target_eur = serializers.DecimalField(allow_null=True, help_text="The programme's target: yearly savings to "
                                                                     "reach in the target year.", **EUR)
    target_year = serializers.IntegerField()
    probability_reaching_target = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True,
        help_text="0…1 as a decimal string (\"0.8123\"): the share of draws whose savings in the target year "
                  "reach the target; null without a target.")
    first_year_p50 = serializers.IntegerField(
        allow_null=True, help_text="By when: the first year whose savings reach the target's level with at least even "
                                   "odds (the P50 reaches it); null when no year of the programme does or without a "
                                   "target.")
    first_year_p80 = serializers.IntegerField(
        allow_null=True, help_text="The first year whose savings reach the target's level with 80 % certainty; null "
                                   "when no year of the programme does or without a target.")
    by_year = YearBandSerializer(many=True, help_text="The yearly level in each year: the recurring savings in effect "
                                                      "(compared with the target), with the year's one-offs beside.")
    cumulative = BandSerializer(many=True, help_text="The running sum of the years' savings, recurring and one-off.")
    deficit_eur = serializers.DecimalField(allow_null=True, help_text="The accumulated deficit to cover by "
                                                                      "`deficit_year`; null when none is set.", **EUR)
    deficit_year = serializers.IntegerField(allow_null=True)
    probability_covering_deficit = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True,
        help_text="0…1: the share of draws whose cumulative savings reach the deficit by its year; null without one.")
    verification_rate = serializers.DecimalField(
        max_digits=7, decimal_places=4, help_text="The share of the decided claims' euros finance verified; claims "
                                                  "still waiting count times it (1 until finance decides on any).")
    recurring_run_rate_eur = serializers.DecimalField(
        help_text="Recurring savings a year the measures reached by the period, as counted: a floor under the "
                  "forecast in the months after.", **EUR)
    top_uncertainty = serializers.ListField(
        child=serializers.CharField(),
        help_text="Codes of the targets (whose estimate covers their measures) or measures that contribute most to "
                  "the uncertainty of the target year's savings, largest first.")
    version = serializers.IntegerField(help_text="The version forecast.")
    period = serializers.CharField(allow_null=True, help_text="YYYY-MM: the monitoring known at its end; null when "
                                                              "no period has been opened.")
    draws = serializers.IntegerField()
    seed = serializers.IntegerField()
