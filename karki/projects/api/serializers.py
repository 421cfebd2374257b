"""Shapes of the project API (input checks only; the rules are in services.py and rules.py)."""

from rest_framework import serializers

from karki.monitoring.enums import TrafficLight
from karki.programmes.api.serializers import TranslatedInputSerializer, TranslatedTextSerializer

from ..enums import CostType, FunderKind, ItemKind, MilestoneStatus, ProjectStatus

EUR = {"max_digits": 14, "decimal_places": 2}


class ProjectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedTextSerializer()
    programme = serializers.CharField(allow_null=True, help_text="The identifier of the programme it is followed in.")
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    owner = serializers.CharField(allow_null=True, help_text="Username of the owner, when a Kärki user.")
    owner_name = serializers.CharField(allow_blank=True)
    org_unit = serializers.CharField(allow_null=True)
    planned_eur = serializers.DecimalField(help_text="The sum of the budget lines.", **EUR)
    revision = serializers.IntegerField()


class ProjectDetailSerializer(ProjectSerializer):
    description = TranslatedTextSerializer()
    goals = TranslatedTextSerializer()
    expected_results = TranslatedTextSerializer()
    impacts = TranslatedTextSerializer()
    dependencies = TranslatedTextSerializer()
    can_edit = serializers.BooleanField()


class ProjectWriteSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, max_length=20)
    name = TranslatedInputSerializer(required=False)
    programme = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    owner = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    owner_name = serializers.CharField(required=False, allow_blank=True)
    org_unit = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    description = TranslatedInputSerializer(required=False)
    goals = TranslatedInputSerializer(required=False)
    expected_results = TranslatedInputSerializer(required=False)
    impacts = TranslatedInputSerializer(required=False)
    dependencies = TranslatedInputSerializer(required=False)
    revision = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                        help_text="PATCH: the revision you read; a newer stored one answers 409.")


class FunderSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=FunderKind.choices)
    name = TranslatedTextSerializer()
    max_share_pct = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True,
                                             help_text="The largest share of the project's total cost it may pay.")
    funding_code = serializers.CharField(allow_blank=True)
    planned_eur = serializers.DecimalField(help_text="Its shares over the whole budget.", **EUR)
    share_pct = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True,
                                         help_text="`planned_eur` as a percentage of the project's planned total.")


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    parent = serializers.CharField(allow_null=True)
    depth = serializers.IntegerField()
    name = TranslatedTextSerializer()
    planned_eur = serializers.DecimalField(help_text="The item's budget with all its parts.", **EUR)
    by_funder = serializers.DictField(child=serializers.DecimalField(**EUR), help_text="By funder code, rolled up.")
    by_year = serializers.DictField(child=serializers.DecimalField(**EUR), help_text="By year, rolled up.")


class ShareSerializer(serializers.Serializer):
    funder = serializers.CharField(help_text="The funder's code.")
    amount_eur = serializers.DecimalField(**EUR)


class BudgetLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    year = serializers.IntegerField()
    cost_type = serializers.ChoiceField(choices=CostType.choices)
    total_eur = serializers.DecimalField(**EUR)
    note = serializers.CharField(allow_blank=True)
    shares = ShareSerializer(many=True)


class PlanSerializer(serializers.Serializer):
    project = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    planned_eur = serializers.DecimalField(**EUR)
    structure = ItemSerializer(many=True, help_text="Depth first, each item with its parts rolled up.")
    funders = FunderSerializer(many=True)
    budget = BudgetLineSerializer(many=True)


class BudgetLineWriteSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="The item's code.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    cost_type = serializers.ChoiceField(choices=CostType.choices)
    total_eur = serializers.DecimalField(min_value=0, **EUR)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    shares = ShareSerializer(many=True, help_text="Every funder's share; funders left out pay nothing of the line. "
                                                  "The shares must add up to the total.")


class MilestoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = TranslatedTextSerializer()
    due_date = serializers.DateField()
    phase = serializers.CharField(allow_null=True)
    item = serializers.CharField(allow_null=True)
    owner_name = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=MilestoneStatus.choices,
                                     help_text="The latest reported status; without one, late once past due.")
    reported = serializers.BooleanField()
    done_on = serializers.DateField(allow_null=True)


class MilestoneWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    name = TranslatedInputSerializer()
    due_date = serializers.DateField()
    phase = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    item = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    owner_name = serializers.CharField(required=False, allow_blank=True, default="")
    deliverable = TranslatedInputSerializer(required=False)


class MilestoneUpdateSerializer(serializers.Serializer):
    milestone = serializers.CharField(help_text="The milestone's code.")
    status = serializers.ChoiceField(choices=MilestoneStatus.choices)
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SpendingSerializer(serializers.Serializer):
    cost_type = serializers.ChoiceField(choices=CostType.choices)
    funder = serializers.CharField(help_text="The funder's code.")
    amount_eur = serializers.DecimalField(min_value=0, **EUR)


class FollowUpSerializer(serializers.Serializer):
    project = serializers.CharField()
    period = serializers.CharField(help_text="YYYY-MM")
    exists = serializers.BooleanField(help_text="False: nothing has been written for the period yet.")
    status = serializers.CharField(allow_blank=True)
    state = serializers.CharField(allow_blank=True)
    narrative = serializers.CharField(allow_blank=True)
    obstacles = serializers.CharField(allow_blank=True)
    escalation = serializers.BooleanField()
    forecast_total_eur = serializers.DecimalField(allow_null=True, **EUR)
    milestones = MilestoneUpdateSerializer(many=True)
    spending = SpendingSerializer(many=True)
    revision = serializers.IntegerField(help_text="0 when nothing has been written yet.")


class FollowUpWriteSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TrafficLight.choices)
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    obstacles = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=["fi", "sv", "en"], required=False, default="fi")
    escalation = serializers.BooleanField(required=False, default=False)
    forecast_total_eur = serializers.DecimalField(required=False, allow_null=True, default=None, min_value=0, **EUR)
    milestones = MilestoneUpdateSerializer(many=True, required=False, default=list)
    spending = SpendingSerializer(many=True, required=False, default=list,
                                  help_text="The month's whole spending: amounts left out are removed.")
    submit = serializers.BooleanField(required=False, default=False)
    revision = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0,
        help_text="The revision you read; 0, null or left out states that you expect no follow-up yet: one "
                  "written meanwhile answers 409.")
