"""Shapes of input only: which period, which language(s), which output."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .figures import period_label

PERIOD_ERRORS = {"invalid_choice": _("Choose one of the reporting periods in the list."),
                 "required": _("Choose one of the reporting periods in the list.")}
LANGUAGE_CHOICES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


def _period_choices(periods) -> list[tuple[str, str]]:
    return [(p.key, period_label(p)) for p in periods]


class ReportForm(forms.Form):
    """A slide deck or an Excel status picture of one period."""

    period = forms.ChoiceField(label=_("Reporting period"), error_messages=PERIOD_ERRORS)
    language = forms.ChoiceField(label=_("Language of the report"), choices=LANGUAGE_CHOICES)
    kind = forms.ChoiceField(choices=[("deck", "deck"), ("status_xlsx", "status_xlsx")], required=True)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _period_choices(periods)


class CouncilReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"), error_messages=PERIOD_ERRORS,
                               help_text=_("The report shows the figures up to the end of this month."))
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language for the report.")})

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _period_choices(periods)


MONTH_ERRORS = {"invalid_choice": _("Choose a month of the project."), "required": _("Choose a month of the project.")}


class FunderReportForm(forms.Form):
    """The months of a funder's report and its language."""

    first = forms.ChoiceField(label=_("From (month)"), error_messages=MONTH_ERRORS)
    last = forms.ChoiceField(label=_("To (month)"), error_messages=MONTH_ERRORS,
                             help_text=_("The report shows the spending to date, the milestones and the indicators "
                                         "as they stood at the end of this month."))
    language = forms.ChoiceField(label=_("Language of the report"), choices=LANGUAGE_CHOICES[:2],
                                 widget=forms.RadioSelect)

    def __init__(self, *args, months=(), **kwargs):
        from .funder import month_key, month_label

        super().__init__(*args, **kwargs)
        choices = [(month_key(m), month_label(m)) for m in months]
        self.fields["first"].choices = choices
        self.fields["last"].choices = choices

    def clean(self):
        from .funder import parse_month

        data = super().clean()
        first, last = parse_month(data.get("first")), parse_month(data.get("last"))
        if first and last and first > last:
            self.add_error("last", _("The last month cannot be before the first."))
        data["first_month"], data["last_month"] = first, last
        return data
