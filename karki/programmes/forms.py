"""Forms check the shape of input; the rules of the domain live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from karki.core.content import translated
from karki.core.forms import MoneyField, TranslatedFieldsMixin

from .enums import (
    Basket,
    Difficulty,
    EstimateKind,
    Horizon,
    PotentialClass,
    Recurrence,
    RiskCategory,
    ServiceLevelImpact,
)

SCALE = [(n, str(n)) for n in range(1, 6)]


def _blank(choices, label):
    return [("", label), *choices]


class EstimateFieldsMixin(forms.Form):
    estimate_kind = forms.ChoiceField(
        label=_("Estimate kind"), required=False, choices=_blank(EstimateKind.choices, _("No estimate")),
        widget=forms.Select(attrs={"data-estimate-kind": "1"}),
    )
    estimate_recurrence = forms.ChoiceField(
        label=_("Recurring or one-off"), required=False, choices=Recurrence.choices, initial=Recurrence.RECURRING,
        help_text=_("Recurring: a yearly saving that lowers the cost level from its start on. One-off: counts "
                    "once, in the year the measure takes effect."))
    estimate_amount_eur = MoneyField(label=_("Amount"))
    estimate_min_eur = MoneyField(label=_("Range from"))
    estimate_max_eur = MoneyField(label=_("Range to"))

    def estimate_payload(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data.get("estimate_kind") or "",
            "recurrence": data.get("estimate_recurrence") or Recurrence.RECURRING,
            "amount_eur": data.get("estimate_amount_eur"),
            "min_eur": data.get("estimate_min_eur"),
            "max_eur": data.get("estimate_max_eur"),
            "note": self.translated_values("estimate_note") if "estimate_note" in self.translated_fields else {},
        }

    @staticmethod
    def estimate_initial(item) -> dict:
        return {
            "estimate_kind": item.estimate_kind,
            "estimate_recurrence": item.estimate_recurrence,
            "estimate_amount_eur": item.estimate_amount_eur,
            "estimate_min_eur": item.estimate_min_eur,
            "estimate_max_eur": item.estimate_max_eur,
        }


class RevisionMixin(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OwnerMixin(forms.Form):
    """The owner as a Kärki user (who may then edit), offered only to those who may assign owners."""

    owner = forms.ModelChoiceField(
        label=_("Owner in Kärki"), queryset=None, required=False, empty_label=_("Nobody yet"),
        help_text=_("The person who may edit this in Kärki."),
    )

    def _setup_owner(self, owners, instance) -> None:
        if owners is None:
            del self.fields["owner"]
            return
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if instance is not None:
            self.initial.setdefault("owner", instance.owner_id)


class ThemeForm(TranslatedFieldsMixin, OwnerMixin, RevisionMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example 1 or 2."))
    owner_name = forms.CharField(label=_("Owner as written"), max_length=200, required=False,
                                 help_text=_("Name and title as in the programme document."))
    translated_fields = {
        "name": (_("Name"), True, forms.TextInput),
        "description": (_("Description"), False, forms.Textarea),
    }

    def __init__(self, *args, instance=None, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_owner(owners, instance)
        self._add_translated_fields(instance)
        if instance is not None:
            self.initial.setdefault("code", instance.code)
            self.initial.setdefault("owner_name", instance.owner_name)
            self.initial.setdefault("revision", instance.revision)


class TargetForm(TranslatedFieldsMixin, EstimateFieldsMixin, RevisionMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example 1.2."))
    org_unit = forms.ModelChoiceField(label=_("Org unit"), queryset=None, required=False,
                                      empty_label=_("Not assigned"))
    potential_class_stated = forms.ChoiceField(
        label=_("Potential class as stated in the source"), required=False,
        choices=_blank(PotentialClass.choices, _("Not stated")),
        help_text=_("Kärki derives the class from the estimate; record here what the source document says."),
    )
    difficulty = forms.ChoiceField(label=_("Implementation difficulty"), required=False,
                                   choices=_blank(Difficulty.choices, _("Not assessed")))
    translated_fields = {
        "name": (_("Name"), True, forms.TextInput),
        "description": (_("Description"), False, forms.Textarea),
        "estimate_note": (_("Note on the estimate"), False, forms.TextInput),
    }

    def __init__(self, *args, instance=None, org_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_units
        self._add_translated_fields(instance)
        if instance is not None:
            for name in ("code", "org_unit", "potential_class_stated", "difficulty", "revision"):
                self.initial.setdefault(name, getattr(instance, name if name != "org_unit" else "org_unit_id"))
            for key, value in self.estimate_initial(instance).items():
                self.initial.setdefault(key, value)


class MeasureForm(TranslatedFieldsMixin, EstimateFieldsMixin, OwnerMixin, RevisionMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example 1.2.b."))
    basket = forms.ChoiceField(label=_("Basket"), choices=Basket.choices, initial=Basket.A)
    target = forms.ModelChoiceField(label=_("Productivity target"), queryset=None, required=False,
                                    empty_label=_("None (basket B or C)"))
    horizon = forms.ChoiceField(label=_("Realisation horizon"), required=False,
                                choices=_blank(Horizon.choices, _("Not given")))
    difficulty = forms.ChoiceField(label=_("Implementation difficulty"), required=False,
                                   choices=_blank(Difficulty.choices, _("Not assessed")))
    org_unit = forms.ModelChoiceField(label=_("Org unit"), queryset=None, required=False,
                                      empty_label=_("Not assigned"))
    owner_name = forms.CharField(label=_("Owner as written"), max_length=200, required=False,
                                 help_text=_("Name and title as in the programme document."))
    contingency_rank = forms.IntegerField(
        label=_("Order of preference"), required=False, min_value=1, max_value=999,
        help_text=_("Basket B and C measures only: the order in which management prefers to activate them, "
                    "1 first."))
    service_level_impact = forms.ChoiceField(label=_("Cost in service level"), required=False,
                                             choices=_blank(ServiceLevelImpact.choices, _("Not assessed")))
    translated_fields = {
        "name": (_("Name"), True, forms.TextInput),
        "description": (_("Description"), False, forms.Textarea),
        "estimate_note": (_("Note on the estimate"), False, forms.TextInput),
        "service_level_effect": (_("What it costs in service level"), False, forms.Textarea),
    }

    def __init__(self, *args, instance=None, targets=None, org_units=None, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_owner(owners, instance)
        self.fields["target"].queryset = targets
        self.fields["org_unit"].queryset = org_units
        self._add_translated_fields(instance)
        if instance is not None:
            for name in ("code", "basket", "horizon", "difficulty", "owner_name", "revision", "contingency_rank",
                         "service_level_impact"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("target", instance.target_id)
            self.initial.setdefault("org_unit", instance.org_unit_id)
            for key, value in self.estimate_initial(instance).items():
                self.initial.setdefault(key, value)


class EstimateForm(TranslatedFieldsMixin, EstimateFieldsMixin, RevisionMixin, forms.Form):
    translated_fields = {"estimate_note": (_("Note on the estimate"), False, forms.TextInput)}

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_translated_fields(instance)
        if instance is not None:
            for key, value in self.estimate_initial(instance).items():
                self.initial.setdefault(key, value)
            self.initial.setdefault("revision", instance.revision)


class RiskForm(TranslatedFieldsMixin, RevisionMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example R1."))
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False,
                                   empty_label=_("The whole programme"))
    category = forms.ChoiceField(label=_("Category"), choices=RiskCategory.choices)
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), required=False, coerce=int, empty_value=None,
                                        choices=_blank(SCALE, _("Not assessed")),
                                        help_text=_("1 = very unlikely, 5 = very likely."))
    impact = forms.TypedChoiceField(label=_("Impact"), required=False, coerce=int, empty_value=None,
                                    choices=_blank(SCALE, _("Not assessed")),
                                    help_text=_("1 = very small, 5 = very large."))
    owner_name = forms.CharField(label=_("Owner as written"), max_length=200, required=False)
    translated_fields = {
        "title": (_("Risk"), True, forms.TextInput),
        "description": (_("Description"), False, forms.Textarea),
        "mitigation": (_("Mitigation"), False, forms.Textarea),
    }

    def __init__(self, *args, instance=None, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes
        self._add_translated_fields(instance)
        if instance is not None:
            for name in ("code", "category", "likelihood", "impact", "owner_name", "revision"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("theme", instance.theme_id)


class DependencyForm(TranslatedFieldsMixin, forms.Form):
    """The measure this one depends on. The mixin gives the shared form template its field list (without it,
    the page showed only the buttons)."""

    depends_on = forms.ModelChoiceField(label=_("Depends on measure"), queryset=None)

    def __init__(self, *args, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].queryset = measures
        self.fields["depends_on"].label_from_instance = lambda m: f"{m.code} {translated(m, 'name').text}"
