"""Forms check only the shape of input; the services decide what is allowed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from karki.lib import dates

from .importer import AS_CONFIDENCE, AS_VALUE, IGNORE, _number

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DecimalText(forms.CharField):
    """A number typed the Finnish way: 6,76 or −51 or 1 827."""

    default_error_messages = {"invalid": _("Enter a number, for example 6,76 or 1 827.")}

    def to_python(self, value) -> Decimal | None:
        value = super().to_python(value)
        if value in (None, ""):
            return None
        number = _number(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class CheckInForm(forms.Form):
    date = forms.DateField(label=_("Date"), help_text=_("For example 5.10.2025."),
                           input_formats=["%d.%m.%Y", "%Y-%m-%d"])
    value = DecimalText(label=_("Current value"), required=False)
    confidence = forms.IntegerField(label=_("Confidence (0–100)"), required=False, min_value=0, max_value=100,
                                    help_text=_("How sure you are that the target will be reached: 0 = not at all, "
                                                "100 = certain."))
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = dates.today().strftime("%d.%m.%Y")
        self.fields["date"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("value") is None and cleaned.get("confidence") is None:
            raise forms.ValidationError(_("Give the current value, the confidence or both."))
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("OKR table"), help_text=_(
        "An .xlsx or .csv file with the columns Toimiala, Tulosalue, Tavoite, Avaintulos and Luottavaisuusarvio "
        "(Swedish and English headers are also understood). Nothing is saved before you confirm."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


DECISION_CHOICES = [
    (AS_CONFIDENCE, _("take as confidence")),
    (AS_VALUE, _("take as current value")),
    (IGNORE, _("ignore")),
]


class ImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Date of the check-ins"), input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                         help_text=_("The day the table's estimates and values were made, for example 5.10.2025."))

    def __init__(self, *args, flagged=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = dates.today().strftime("%d.%m.%Y")
        self.flagged = list(flagged)
        for row in self.flagged:
            choices = [c for c in DECISION_CHOICES
                       if (c[0] != AS_CONFIDENCE or row.can_be_confidence) and (c[0] != AS_VALUE or row.can_be_value)]
            self.fields[f"row_{row.number}"] = forms.ChoiceField(
                label=_("Row %(row)s: %(value)s") % {"row": row.number, "value": row.raw},
                choices=choices, widget=forms.RadioSelect,
                error_messages={"required": _("Choose what this value is.")})

    def decisions(self) -> dict[int, str]:
        return {row.number: self.cleaned_data[f"row_{row.number}"] for row in self.flagged}

    def decision_fields(self):
        return [(row, self[f"row_{row.number}"]) for row in self.flagged]
