"""Shapes of input only; the rules are in services.py."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from karki.core.conflicts import NOT_YET_SAVED
from karki.core.forms import MoneyField
from karki.programmes.enums import Recurrence

from .enums import TRAFFIC_LIGHT_ICONS, Phase, TrafficLight
from .services import REPORTED_CATEGORIES, saving_keys

# ASCII digits only (\d also takes other scripts' digits) and the whole value: `$` would let "2025-01\n" in.
PERIOD_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_period(value: str | None) -> tuple[int, int] | None:
    match = PERIOD_RE.fullmatch(value or "")
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return int(match[1]), int(match[2])


def saving_field(category: str, recurrence: str) -> str:
    """The name of a realised saving's field in a report form: recurring ones keep their plain name."""
    return f"saving_{category}_one_off" if recurrence == Recurrence.ONE_OFF else f"saving_{category}"


class PeriodOpenForm(forms.Form):
    period = forms.CharField(label=_("Month"), max_length=7, help_text=_("As year and month, for example 2025-03."))

    def clean_period(self):
        parsed = parse_period(self.cleaned_data["period"].strip())
        if parsed is None:
            raise forms.ValidationError(_("Give the month as year and month, for example 2025-03."), code="invalid")
        return parsed


class StatusReportForm(forms.Form):
    """One measure's report; the batch page shows one of these per measure, with its code as prefix."""

    phase = forms.ChoiceField(label=_("Phase"), choices=[("", "–"), *Phase.choices], required=False)
    # Each status with its icon and its word, so that the select never tells by colour alone.
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", "–"), *[(light.value, format_lazy("{} {}", TRAFFIC_LIGHT_ICONS[light], light.label))
                     for light in TrafficLight]])
    narrative = forms.CharField(label=_("What happened in the month"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))
    obstacles = forms.CharField(label=_("Obstacles"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    escalation = forms.BooleanField(label=_("Escalate to the programme office"), required=False)
    revised_expected_eur = MoneyField(
        label=_("Revised forecast of yearly savings"),
        help_text=_("Only when your view of the estimate has changed; the decided estimate stays as it was. "
                    'In euros; "1,4 M€" is also understood.'))
    forecast_note = forms.CharField(label=_("Why the forecast changed"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    confidence = forms.IntegerField(
        label=_("Confidence (0–100)"), required=False, min_value=0, max_value=100,
        help_text=_("Optional: how sure you are, from 0 to 100, that the measure delivers its savings. "
                    "The forecast uses it as the measure's chance."))
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.conflict = None
        self.report = None  # this month's report, set by the view
        # Two amounts per cost category, recurring and one-off, so that a month may carry both in one.
        for category in REPORTED_CATEGORIES:
            self.fields[f"saving_{category.value}"] = MoneyField(
                label=category.label, help_text="",  # the report grid says it once for all categories
                widget=forms.TextInput(attrs={"data-saving": ""}))  # karki.js adds them up in the row
        for category in REPORTED_CATEGORIES:
            self.fields[f"saving_{category.value}_one_off"] = MoneyField(
                label=format_lazy("{}, {}", category.label, pgettext_lazy("saving", "one-off")), help_text="",
                widget=forms.TextInput(attrs={"data-saving": ""}))

    def saving_fields(self):
        """The recurring savings by cost category."""
        return [self[f"saving_{c.value}"] for c in REPORTED_CATEGORIES]

    def one_off_fields(self):
        return [self[f"saving_{c.value}_one_off"] for c in REPORTED_CATEGORIES]

    def one_off_open(self) -> bool:
        """Whether the one-off amounts are shown unfolded: when one is filled in or wrong. Most months have
        none, so the owner sees the eight recurring boxes and one line that opens the rest."""
        return any(field.errors or str(field.value() or "").strip() for field in self.one_off_fields())

    def row_fields(self):
        return [self["phase"], self["status"]]

    def text_fields(self):
        return [self["narrative"], self["obstacles"]]

    def forecast_fields(self):
        return [self["revised_expected_eur"], self["forecast_note"], self["confidence"]]

    # The fields a row of the report grid keeps in its details, closed until needed.
    DETAIL_FIELDS = ("narrative", "obstacles", "revised_expected_eur", "forecast_note", "confidence",
                     *(saving_field(c, r) for c, r in saving_keys()))

    def details_changed(self) -> bool:
        """Whether the person typed in the details of this row (a page shown again after a refused save)."""
        return self.is_bound and any(name in self.changed_data for name in self.DETAIL_FIELDS)

    def filled_details(self) -> list[str]:
        """What the closed details of the row hold, in words, so that nothing hides unseen."""
        groups = [(_("what happened"), ("narrative",)), (_("obstacles"), ("obstacles",)),
                  (_("forecast"), ("revised_expected_eur", "forecast_note", "confidence")),
                  (_("savings by cost category"), tuple(saving_field(c, r) for c, r in saving_keys()))]
        return [label for label, names in groups
                if any(self[name].value() not in (None, "", False) for name in names)]

    def details_errors(self) -> bool:
        return any(self[name].errors for name in self.DETAIL_FIELDS)

    def realised_total(self) -> Decimal | None:
        """The realised savings of the month over the cost categories, as the row shows them (None
        while one of them is not an amount)."""
        names = [saving_field(c, r) for c, r in saving_keys()]
        if self.is_bound and hasattr(self, "cleaned_data"):
            if any(self[name].errors for name in names):
                return None
            amounts = [self.cleaned_data.get(name) for name in names]
        else:
            amounts = [self.initial.get(name) for name in names]
        return sum((a for a in amounts if a is not None), Decimal("0"))

    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("phase") or self.cleaned_data.get("status"))

    def clean(self):
        cleaned = super().clean()
        touched = any(cleaned.get(name) for name in self.fields if name != "revision")
        if touched and not cleaned.get("phase"):
            self.add_error("phase", _("Choose the phase of the measure."))
        if touched and not cleaned.get("status"):
            self.add_error("status", _("Choose a status."))
        return cleaned

    def payload(self) -> dict:
        data = self.cleaned_data
        return dict(
            phase=data["phase"], status=data["status"], narrative=data["narrative"], obstacles=data["obstacles"],
            escalation=data["escalation"], revised_expected_eur=data["revised_expected_eur"],
            forecast_note=data["forecast_note"], confidence=data.get("confidence"),
            savings={(c, r): data.get(saving_field(c, r)) for c, r in saving_keys()},
            # A row without a revision was shown without a report (a page from before rows carried 0).
            expected_revision=NOT_YET_SAVED if data.get("revision") is None else data["revision"],
        )


class ReviewForm(forms.Form):
    review_comment = forms.CharField(label=_("Comment to the reporter"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Required when you return the report."))
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VerificationFilterForm(forms.Form):
    """The filters of the verification page, in the address (GET). A value that is not one of the choices (an
    old or edited address) is named under its filter and left out; the other filters still apply."""

    period = forms.ChoiceField(label=_("Period"), required=False)
    category = forms.ChoiceField(label=_("Cost category"), required=False)
    kind = forms.ChoiceField(label=pgettext_lazy("recurring or one-off", "Kind"), required=False, choices=[
        ("", _("All")), (Recurrence.RECURRING, pgettext_lazy("kind filter", "Recurring savings")),
        (Recurrence.ONE_OFF, pgettext_lazy("kind filter", "One-off savings"))])
    unit = forms.TypedChoiceField(label=_("Org unit"), required=False, coerce=int, empty_value=None)
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("waiting", _("Waiting for verification")), ("decided", _("Decided by finance")), ("all", _("All claims"))])

    def __init__(self, *args, periods=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("All periods")), *periods]
        self.fields["category"].choices = [("", _("All cost categories")),
                                           *[(c.value, c.label) for c in REPORTED_CATEGORIES]]
        self.fields["unit"].choices = [("", _("All org units")), *units]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("“%(value)s” is not one of the choices, so this filter "
                                                       "is left out: choose one from the list.")

    def chosen(self) -> dict:
        """The filters whose values are valid (an invalid one is left out, with its error on the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleans: cleaned_data holds the valid fields only
        return self.cleaned_data


class VerificationForm(forms.Form):
    """Finance's decision on one claim: the buttons say which (verify, adjust, reject)."""

    decision = forms.ChoiceField(choices=[("verified", "verified"), ("adjusted", "adjusted"),
                                          ("rejected", "rejected")])
    amount = MoneyField(label=_("Verified amount"),
                        help_text=_('When adjusting: the amount finance verifies, in euros ("1 400" or "1,4 M€").'))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when you adjust or reject; the owner and the programme office "
                                         "read it."))
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
