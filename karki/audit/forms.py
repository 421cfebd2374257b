"""The filters of the programme history page (a GET form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .history import SYSTEM_USER, HistoryFilters, kind_choices, person_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HistoryFilterForm(forms.Form):
    version = forms.TypedChoiceField(label=_("Version"), required=False, coerce=int, empty_value=None)
    user = forms.ChoiceField(label=_("Person"), required=False)
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    date_from = forms.DateField(label=pgettext_lazy("date filter", "From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=pgettext_lazy("date filter", "To"), required=False, widget=DateInput())

    def __init__(self, data=None, *, versions, users):
        super().__init__(data or None)
        everything = ("", _("All"))
        self.fields["version"].choices = [everything, *[(v.number, str(v.number)) for v in versions]]
        self.fields["user"].choices = [
            everything, *[(str(u.pk), person_name(u)) for u in users], (SYSTEM_USER, _("No person (system)")),
        ]
        self.fields["kind"].choices = [everything, *kind_choices()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned

    def filters(self) -> HistoryFilters:
        """What the reader asked for; a value that does not validate is left out, not guessed."""
        if not self.is_bound:
            return HistoryFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        user = data.get("user") or None
        if user and user != SYSTEM_USER:
            user = int(user)
        return HistoryFilters(
            version=data.get("version"), user=user, kind=data.get("kind") or None,
            date_from=data.get("date_from"), date_to=data.get("date_to"),
        )
