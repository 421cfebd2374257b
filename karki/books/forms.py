"""Forms check only the shape of input; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .enums import MAPPABLE_CATEGORIES, BatchKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=BatchKind.choices, initial=BatchKind.ACTUALS,
                             help_text=_("Actual costs: year, month, cost centre, account and amount, as the "
                                         "financial system exports them. A baseline: the budget of a year or a "
                                         "“do nothing” cost path, by cost centre and account or by org unit and "
                                         "cost category."))
    file = forms.FileField(label=_("File"), help_text=_(
        "A .csv file (separated by semicolons or commas) or an Excel workbook (.xlsx). Headers in Finnish, "
        "Swedish or English: Vuosi, Kuukausi, Kustannuspaikka, Tili, Summa. Amounts as 1 234,56 or -1 234,56. "
        "Every row is checked first: if any row has a problem, nothing is imported."))
    label = forms.CharField(label=_("Name of the baseline"), max_length=200, required=False,
                            help_text=_("Only for a baseline, for example “TA 2024” or “Do nothing 2024”."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Give a CSV file (.csv) or an Excel workbook (.xlsx)."))
        if upload.size > settings.JOB_INPUT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {
                "size": settings.JOB_INPUT_MAX_BYTES // 1_000_000})
        return upload

    def clean(self):
        data = super().clean()
        if data.get("kind") == BatchKind.BASELINE and not (data.get("label") or "").strip():
            self.add_error("label", _("Give the baseline a name, for example “TA 2024”."))
        return data


class OrgUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.parent} › {obj}" if obj.parent_id else str(obj)


class CostCentreForm(forms.Form):
    cost_centre = forms.CharField(label=_("Cost centre"), max_length=40)
    org_unit = OrgUnitChoiceField(label=_("Org unit"), queryset=None, empty_label=_("Choose…"))

    def __init__(self, *args, org_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_units


class AccountForm(forms.Form):
    first_account = forms.CharField(label=_("Account, or the first of a range"), max_length=40)
    last_account = forms.CharField(label=_("Last account of the range"), max_length=40, required=False,
                                   help_text=_("Leave empty to map one account. A range holds the accounts from "
                                               "the first to the last; where ranges overlap, the narrower wins."))
    category = forms.ChoiceField(label=_("Cost category"), choices=[("", _("Choose…")), *MAPPABLE_CATEGORIES])
