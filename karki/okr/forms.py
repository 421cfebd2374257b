"""Forms check only the shape of input; the services decide what is allowed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from karki.core.forms import apply_errors
from karki.lib import dates

from .enums import Direction, TextLanguage
from .importer import AS_COMMENT, AS_CONFIDENCE, AS_VALUE, IGNORE, NEW_KEY_RESULT, _number

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

    def prepare_value(self, value):
        """A stored 5.2000 reads 5,2 in the form, as it was typed."""
        if isinstance(value, Decimal):
            return format(value.normalize(), "f").replace(".", ",")
        return value


class DayInput(forms.DateInput):
    """A date shown as 5.10.2025, the way it is typed."""

    def format_value(self, value):
        if isinstance(value, date):
            return f"{value.day}.{value.month}.{value.year}"
        return super().format_value(value)


def day_field(label, help_text, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, help_text=help_text, required=required, widget=DayInput,
                           input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                           error_messages={"invalid": _("Enter a date, for example 5.10.2025.")})


class OrgUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.parent} › {obj}" if obj.parent_id else str(obj)


class ObjectiveForm(forms.Form):
    org_unit = OrgUnitChoiceField(label=_("Org unit"), queryset=None, empty_label=None,
                                  help_text=_("The service area or result area whose objective this is."))
    title = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 2}))
    language = forms.ChoiceField(label=_("Language of the text"), choices=TextLanguage.choices,
                                 help_text=_("The language the objective and its key results are written in."))
    start_date = day_field(_("Start date"), _("Where the expected path of its key results starts, for example "
                                              "1.1.2025. Empty: the first check-in."))
    # The revision the form was opened on: a save based on an older one is refused.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, org_units, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_units
        if instance is not None:
            self.initial.setdefault("org_unit", instance.org_unit_id)
            for name in ("title", "language", "start_date", "revision"):
                self.initial.setdefault(name, getattr(instance, name))

    def main_fields(self):
        return self.visible_fields()

    def measure_fields(self):
        return []


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        title = obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"
        return f"{obj.org_unit} – {title}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def parse_codes(text: str) -> list[str]:
    """'3.1.a, 3.1.b 3.2.c' → ['3.1.a', '3.1.b', '3.2.c']"""
    return [code for code in text.replace(";", ",").replace(",", " ").split() if code]


class KeyResultForm(forms.Form):
    """A key result with its linked measures: one text input of measure codes per programme of the
    organisation (measures are rows of a programme version; a link names the programme and the code)."""

    objective = ObjectiveChoiceField(label=_("Objective"), queryset=None, empty_label=None)
    text = forms.CharField(label=_("Key result"), widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("As the county writes it, for example: home care reaches 6 per cent of those "
                                       "aged 75 and over."))
    metric = forms.CharField(label=_("Metric"), max_length=200, required=False,
                             help_text=_("What is measured, for example: share of those aged 75 and over in home "
                                         "care."))
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False,
                           help_text=_("For example %, €/day or person-years."))
    baseline = DecimalText(label=_("Baseline"), required=False,
                           help_text=_("The value at the start, for example 5,2."))
    target = DecimalText(label=_("Target value"), required=False, help_text=_("The value to reach by the deadline."))
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, widget=forms.RadioSelect,
                                  initial=Direction.UP)
    start_date = day_field(_("Start date"), _("Where the expected path starts. Empty: the objective's start "
                                              "date."))
    deadline = day_field(_("Deadline"), _("By when the target should be reached, for example 31.12.2026."))
    risk_threshold = forms.IntegerField(label=_("At-risk confidence threshold"), required=False, min_value=0,
                                        max_value=100)
    owner = PersonChoiceField(label=_("Owner"), queryset=None, required=False, empty_label=_("Nobody yet"),
                              help_text=_("A person of the organisation who may check in on this key result."))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, objectives, owners, programmes, instance=None, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
        self.fields["owner"].queryset = owners
        self.fields["risk_threshold"].help_text = _(
            "A confidence (0–100) below this marks the key result at risk. Empty: %(default)s.") % {
            "default": getattr(settings, "OKR_AT_RISK_CONFIDENCE", 50)}
        self.programmes = list(programmes)
        for programme in self.programmes:
            name = self.measure_field_name(programme)
            label = (_("Linked measures of %(programme)s") % {"programme": programme} if len(self.programmes) > 1
                     else _("Linked measures"))
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=500,
                help_text=_("Measure codes separated by commas, for example 3.1.a, 3.1.b. The owners of linked "
                            "measures may check in."))
        if instance is not None:
            for name in ("text", "metric", "unit", "baseline", "target", "direction", "start_date", "deadline",
                         "risk_threshold", "revision"):
                self.initial.setdefault(name, getattr(instance, name))
            self.initial.setdefault("objective", instance.objective_id)
            self.initial.setdefault("owner", instance.owner_id)
        codes: dict[int, list[str]] = {}
        for programme_id, code in links:
            codes.setdefault(programme_id, []).append(code)
        for programme in self.programmes:
            self.initial.setdefault(self.measure_field_name(programme), ", ".join(codes.get(programme.pk, [])))

    @staticmethod
    def measure_field_name(programme) -> str:
        return f"measures_{programme.pk}"

    def measure_fields(self):
        return [self[self.measure_field_name(p)] for p in self.programmes]

    def main_fields(self):
        names = {self.measure_field_name(p) for p in self.programmes} | {"revision"}
        return [self[name] for name in self.fields if name not in names]

    def clean(self):
        cleaned = super().clean()
        start, deadline = cleaned.get("start_date"), cleaned.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", _("The deadline cannot be before the start date."))
        return cleaned

    def measures(self) -> list[tuple[object, str]]:
        return [(programme, code) for programme in self.programmes
                for code in parse_codes(self.cleaned_data.get(self.measure_field_name(programme)) or "")]

    def fields_payload(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("objective", "text", "metric", "unit", "baseline", "target",
                                              "direction", "start_date", "deadline", "owner", "risk_threshold")}

    def apply_errors(self, error: ValidationError) -> None:
        """A refused save on the form; a link to an unknown measure is shown at its programme's input."""
        if hasattr(error, "error_dict") and "measures" in error.error_dict:
            for item in error.error_dict.pop("measures"):
                programme_id = (item.params or {}).get("programme_id")
                field = next((self.measure_field_name(p) for p in self.programmes if p.pk == programme_id), None)
                self.add_error(field, item)
            if not error.error_dict:
                return
        apply_errors(self, error)


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
    on = forms.DateField(label=_("Date of the check-ins"), input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                         help_text=_("The day the table's estimates and values were made, for example 5.10.2025. "
                                     "“Tilikauden aikana” in a key result means the end of this day's year."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = dates.today().strftime("%d.%m.%Y")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > dates.today():
            raise forms.ValidationError(_("A check-in cannot be dated in the future."))
        return on


DECISION_CHOICES = [
    (AS_CONFIDENCE, _("take as confidence")),
    (AS_VALUE, _("take as current value")),
    (AS_COMMENT, _("keep as the check-in's comment")),
    (IGNORE, _("ignore")),
]
# New key results whose reading can be corrected in the preview; the rest are corrected on their own
# page after the import (a form of thousands of fields is refused by the server, and read by nobody).
CORRECTABLE_KEY_RESULTS = 200
CORRECTION_FIELDS = ("unit", "target", "target_low", "target_high", "direction", "baseline", "deadline")


class ImportConfirmForm(forms.Form):
    """The person's decision for each flagged row (the suggestion chosen in advance) and corrections of
    what was read from the new key results' texts."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        rows = list(rows)
        self.flagged = [row for row in rows if row.status == "flagged"]
        for row in self.flagged:
            choices = [c for c in DECISION_CHOICES
                       if (c[0] != AS_CONFIDENCE or row.can_be_confidence) and (c[0] != AS_VALUE or row.can_be_value)
                       and (c[0] != AS_COMMENT or row.can_be_comment)]
            self.fields[f"row_{row.number}"] = forms.ChoiceField(
                label=_("Row %(row)s") % {"row": row.number}, choices=choices, widget=forms.RadioSelect,
                initial=row.suggestion or None, error_messages={"required": _("Choose what this value is.")})
        self.correctable = [row for row in rows if row.stored == NEW_KEY_RESULT][:CORRECTABLE_KEY_RESULTS]
        for row in self.correctable:
            read = row.read
            prefix = f"kr_{row.number}_"
            self.fields[prefix + "unit"] = forms.CharField(label=_("Unit"), required=False, max_length=40,
                                                           initial=read.unit)
            for name, label in (("target", _("Target")), ("target_low", _("Target band from")),
                                ("target_high", _("Target band to")), ("baseline", _("Baseline"))):
                self.fields[prefix + name] = DecimalText(label=label, required=False, initial=getattr(read, name))
            self.fields[prefix + "direction"] = forms.ChoiceField(
                label=_("Direction"), choices=Direction.choices,
                initial=Direction.DOWN if read.direction == Direction.DOWN else Direction.UP)
            self.fields[prefix + "deadline"] = forms.DateField(
                label=_("Deadline"), required=False, input_formats=["%d.%m.%Y", "%Y-%m-%d"],
                initial=read.deadline.strftime("%d.%m.%Y") if read.deadline else None)

    def decisions(self) -> dict[int, str]:
        return {row.number: self.cleaned_data[f"row_{row.number}"] for row in self.flagged}

    def corrections(self) -> dict[str, dict]:
        """JSON for the import job: numbers and dates as text."""
        found = {}
        for row in self.correctable:
            prefix = f"kr_{row.number}_"
            values = {}
            for name in CORRECTION_FIELDS:
                value = self.cleaned_data.get(prefix + name)
                values[name] = value.isoformat() if isinstance(value, date) else (
                    str(value) if isinstance(value, Decimal) else (value or ""))
            found[str(row.number)] = values
        return found

    def decision_fields(self):
        return [(row, self[f"row_{row.number}"]) for row in self.flagged]

    def correction_fields(self):
        return {row.number: [self[f"kr_{row.number}_{name}"] for name in CORRECTION_FIELDS]
                for row in self.correctable}
