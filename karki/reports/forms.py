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
