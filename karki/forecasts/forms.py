"""Shapes of input only: the what-if changes, a scenario's name and a basket decision. The rules of an
estimate are the programmes' own (`programmes.services.validate_estimate`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from karki.core.forms import MoneyField
from karki.lib import dates, money
from karki.programmes.enums import EstimateKind
from karki.programmes.services import validate_estimate

from . import assumptions
from .enums import BasketDecisionKind, ContingencyBasket
from .inputs import MEASURE, TARGET, Change


class WhatIfChangeForm(forms.Form):
    """One change: a measure or a target (all its measures), delayed, dropped or with another estimate."""

    # A text input with a shared <datalist> of the version's codes rather than a <select> per row: a
    # programme of 1 000 measures would otherwise send five lists of a thousand options.
    code = forms.CharField(
        label=_("Measure or target"), required=False, max_length=20,
        help_text=_("Its code, for example 1.2 (the target and all its measures) or 1.2.b; the field suggests "
                    "them as you type."),
        widget=forms.TextInput(attrs={"list": "whatif-codes", "autocomplete": "off", "spellcheck": "false"}))
    applies_to = forms.ChoiceField(
        label=_("Applies to"), required=False,
        choices=[("", _("The target of this code, else the measure")), (TARGET, _("The target and all its measures")),
                 (MEASURE, _("The measure only"))],
        help_text=_("Needed only when a target and a measure have the same code."))
    delay_months = forms.IntegerField(
        label=_("Delay (months)"), required=False, min_value=0, max_value=assumptions.MAX_DELAY_MONTHS,
        help_text=_("Its savings start this many months later."))
    drop = forms.BooleanField(label=_("Drop it"), required=False,
                              help_text=_("As if it were not carried out at all."))
    estimate_kind = forms.ChoiceField(
        label=_("New estimate"), required=False,
        choices=[("", _("Keep the current estimate")), *EstimateKind.choices],
        widget=forms.Select(attrs={"data-estimate-kind": "1"}))
    estimate_amount_eur = MoneyField(label=_("Amount"), max_abs=assumptions.MAX_WHATIF_EUR)
    estimate_min_eur = MoneyField(label=_("Range from"), max_abs=assumptions.MAX_WHATIF_EUR)
    estimate_max_eur = MoneyField(label=_("Range to"), max_abs=assumptions.MAX_WHATIF_EUR)

    def __init__(self, *args, targets=(), measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets, self.measures = set(targets), set(measures)

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if code and code not in self.targets | self.measures:
            raise forms.ValidationError(_("This version has no measure or target with the code %(code)s.")
                                        % {"code": code}, code="unknown_code")
        return code

    def _check_applies_to(self, code: str, kind: str) -> None:
        if kind == TARGET and code not in self.targets:
            self.add_error("applies_to", _("This version has no target with the code %(code)s.") % {"code": code})
        elif kind == MEASURE and code not in self.measures:
            self.add_error("applies_to", _("This version has no measure with the code %(code)s.") % {"code": code})
        elif not kind and code in self.targets and code in self.measures:
            self.add_error("applies_to", _("%(code)s is the code of both a target and a measure: choose which "
                                           "the change is about.") % {"code": code})

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        code = cleaned.get("code")
        kind = cleaned.get("estimate_kind")
        changes_something = bool(cleaned.get("delay_months") or cleaned.get("drop") or kind)
        if changes_something and not code:
            self.add_error("code", _("Choose the measure or target this change is about."))
        if code and not changes_something:
            self.add_error("delay_months", _("Say what changes: a delay, dropping it or a new estimate."))
        if code:
            self._check_applies_to(code, cleaned.get("applies_to") or "")
        if kind:
            try:
                fields = validate_estimate(kind, cleaned.get("estimate_amount_eur"), cleaned.get("estimate_min_eur"),
                                           cleaned.get("estimate_max_eur"))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
            else:
                cleaned["estimate"] = money.Estimate(
                    money.EstimateKind(kind), amount=fields["estimate_amount_eur"], low=fields["estimate_min_eur"],
                    high=fields["estimate_max_eur"])
        return cleaned

    def change(self) -> Change | None:
        data = self.cleaned_data
        if not data.get("code"):
            return None
        return Change(code=data["code"], delay_months=data.get("delay_months") or 0, drop=bool(data.get("drop")),
                      estimate=data.get("estimate"), kind=data.get("applies_to") or "")

    def estimate_fields(self):
        return [self["estimate_kind"], self["estimate_amount_eur"], self["estimate_min_eur"], self["estimate_max_eur"]]


class BaseWhatIfFormSet(forms.BaseFormSet):
    def changes(self) -> list[Change]:
        return [change for form in self.forms if (change := form.change()) is not None]


WhatIfFormSet = forms.formset_factory(WhatIfChangeForm, formset=BaseWhatIfFormSet, extra=assumptions.WHATIF_ROWS,
                                      max_num=assumptions.WHATIF_ROWS, validate_max=True)


def whatif_initial(changes: list[Change]) -> list[dict]:
    rows = []
    for change in changes:
        row = {"code": change.code, "applies_to": change.kind, "delay_months": change.delay_months or None,
               "drop": change.drop}
        if change.estimate is not None:
            row.update(estimate_kind=str(change.estimate.kind), estimate_amount_eur=change.estimate.amount,
                       estimate_min_eur=change.estimate.low, estimate_max_eur=change.estimate.high)
        rows.append(row)
    return rows


class ScenarioNameForm(forms.Form):
    name = forms.CharField(label=_("Name of the scenario"), max_length=120, required=False,
                           help_text=_("For example “Home care delayed to 2026”. Saved with your name and the time."))


class BasketDecisionForm(forms.Form):
    basket = forms.ChoiceField(label=_("Basket"), choices=ContingencyBasket.choices, widget=forms.RadioSelect)
    decision = forms.ChoiceField(label=_("Decision"), choices=BasketDecisionKind.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Date of the decision"), input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                                 help_text=_("The management team's meeting, for example 5.10.2025."))
    measure_codes = forms.MultipleChoiceField(
        label=_("Measures concerned"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the basket's measures that are activated (or kept waiting)."))
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("Why management decided so. The council report shows it as written."))
    certainty = forms.TypedChoiceField(choices=[(c, c) for c in assumptions.CERTAINTIES], coerce=int,
                                       widget=forms.HiddenInput, required=False)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_codes"].choices = [(m.code, m.code) for m in measures]
        self.fields["decided_on"].initial = dates.today().strftime("%d.%m.%Y")
        self.fields["decided_on"].widget.attrs["autocomplete"] = "off"
